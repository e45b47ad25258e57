"""The columns of the registration journal as a person reads them, defined once (Rule 13).

The journal on screen and the journal exported to XLSX show the same columns with the same
words: each column here has its header and how a row's value is written in the reader's
language (codes become their labels, times are Kazakhstan time). The screen shows the columns
marked ``on_screen``; the export shows them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from pcenter_lib.domain.concerns import CONCERNS_BY_CODE
from pcenter_lib.domain.intake_rules import CHANNEL_LABELS, SOURCE_LABELS, STATUS_LABELS
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.services.journal import DUE_MARKS, JournalRow

Schools = Mapping[int, str]
_DUE_LABELS: Final = dict(DUE_MARKS)


@dataclass(frozen=True)
class JournalColumn:
    """A column: its header (a message id), whether the screen shows it, and its text."""

    header: str
    on_screen: bool
    text: Callable[[JournalRow, Translator, Schools], str]


def _label(labels: Mapping[str, str], code: str, t: Translator) -> str:
    return t(labels[code]) if code in labels else code


JOURNAL_COLUMNS: Final[tuple[JournalColumn, ...]] = (
    JournalColumn(N_("Journal number"), True, lambda r, t, s: r.journal_number),
    JournalColumn(N_("Received at"), True, lambda r, t, s: format_moment(r.received_at, t.lang)),
    JournalColumn(N_("Due at"), True, lambda r, t, s: format_moment(r.due_at, t.lang)),
    JournalColumn(N_("Deadline"), True, lambda r, t, s: _label(_DUE_LABELS, r.due_mark, t)),
    JournalColumn(N_("Status"), True, lambda r, t, s: _label(STATUS_LABELS, r.status, t)),
    JournalColumn(N_("Channel"), True, lambda r, t, s: _label(CHANNEL_LABELS, r.channel, t)),
    JournalColumn(N_("Source"), True, lambda r, t, s: _label(SOURCE_LABELS, r.source, t)),
    JournalColumn(
        N_("Concerns"),
        True,
        lambda r, t, s: "; ".join(
            t(CONCERNS_BY_CODE[c].label) for c in r.concerns if c in CONCERNS_BY_CODE
        ),
    ),
    JournalColumn(
        N_("School"), False, lambda r, t, s: s.get(r.school_id, "") if r.school_id else ""
    ),
    JournalColumn(
        N_("Direct threat"), False, lambda r, t, s: t("yes") if r.direct_threat else t("no")
    ),
    JournalColumn(N_("Child code"), True, lambda r, t, s: r.child_code or ""),
    JournalColumn(N_("Description"), False, lambda r, t, s: r.description),
)


def journal_headers(t: Translator, *, on_screen: bool = False) -> list[str]:
    """The headers of the journal's columns (those of the screen, or all)."""
    return [t(c.header) for c in JOURNAL_COLUMNS if c.on_screen or not on_screen]


def journal_cells(
    row: JournalRow, t: Translator, schools: Schools, *, on_screen: bool = False
) -> list[str]:
    """A row's cells as a person reads them, in the order of ``journal_headers``."""
    return [c.text(row, t, schools) for c in JOURNAL_COLUMNS if c.on_screen or not on_screen]
