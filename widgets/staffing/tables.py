"""Small HTML tables and number formats shared by the staffing views (text escaped always)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from babel.numbers import format_decimal

from pcenter_lib.domain.workload import format_units
from widgets.markup import html_table as _shared_table

__all__ = ["format_money", "format_ratio", "format_units", "html_table"]


def html_table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], *, css_class: str, numeric_from: int = 1
) -> str:
    """A staffing table: the first column names the row, the others are right-aligned numbers."""
    return _shared_table(headers, rows, css_class=css_class, numeric_from=numeric_from)


def format_ratio(value: float | None, lang: str) -> str:
    """A WISN ratio with two decimals; a dash where it is undefined."""
    return "—" if value is None else str(format_decimal(value, "0.00", locale=lang))


def format_money(value: float | None, lang: str) -> str:
    return "—" if value is None else str(format_decimal(value, "#,##0", locale=lang))


def format_count(value: int, lang: str) -> str:
    return str(format_decimal(value, "#,##0", locale=lang))


def format_hours(value: float, lang: str) -> str:
    return str(format_decimal(value, "#,##0.##", locale=lang))


STAFFING_CSS = """
<style>
.pcenter-table { border-collapse: collapse; margin: 6px 0 12px 0; }
.pcenter-table th, .pcenter-table td { border-bottom: 1px solid var(--jp-border-color2);
  padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
.pcenter-table .pcenter-num { text-align: right; }
.pcenter-ok { color: #1e4620; background: #edf7ed; border-left: 5px solid #2e7d32;
  padding: 6px 10px; margin: 4px 0; }
.pcenter-conflict { color: #611a15; background: #fdecea; border-left: 5px solid #c62828;
  padding: 6px 10px; margin: 4px 0; }
.pcenter-note { color: var(--jp-ui-font-color2); }
</style>
"""
