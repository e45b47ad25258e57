"""``pcenter report KIND --period … --lang kk|ru --format docx|xlsx --output FILE``.

Produces one of the reports of Rules 20–23 as the command line (``system:cli``), registers it
like the app does (hash, outgoing number, audit; the row keeps the exact bytes), then writes the
file through a temporary file in the same folder, so an interrupted run leaves no half-written
file. The restricted annex of
direct-threat requests is not offered here: it leaves the Center only through the management.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcenter_lib.domain.reporting import DEFAULT_THRESHOLD, FORMATS, REPORT_LANGUAGES, ReportKind
from pcenter_lib.i18n import N_, Translator

if TYPE_CHECKING:
    from pcenter_lib.workbench import Workbench

SYSTEM_ACTOR = "system:cli"
CLI_KINDS = tuple(k.value for k in ReportKind if k is not ReportKind.THREAT_ANNEX)
WRITTEN = N_("Report {number} written to {file} ({size} bytes, SHA-256 {sha256}).")


def add_report_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="write a report of Rules 20-23 (DOCX or XLSX)")
    report.add_argument("kind", choices=CLI_KINDS)
    report.add_argument("--period", required=True, help="2026-11, 2026Q4 or 2025-2026")
    report.add_argument("--lang", choices=REPORT_LANGUAGES, default="ru")
    report.add_argument(
        "--format", dest="fmt", choices=FORMATS, help="default: the file's extension"
    )
    report.add_argument("--output", "--out", dest="output", type=Path, required=True)
    report.add_argument(
        "--threshold",
        type=int,
        default=DEFAULT_THRESHOLD,
        help="hide counts below this (default 5)",
    )
    report.add_argument("--to", dest="addressee", help="addressee lines, separated by '|'")


def run_report(args: argparse.Namespace, t: Translator, open_bench: Callable[[], Workbench]) -> int:
    from pcenter_lib.services.report_registry import produce_report

    output: Path = args.output
    fmt = args.fmt or output.suffix.lstrip(".").lower()
    addressee = None if args.addressee is None else "\n".join(args.addressee.split("|"))
    bench = open_bench()
    with bench.sessions.begin() as session:
        exported = produce_report(
            session,
            actor=SYSTEM_ACTOR,
            kind=args.kind,
            period=args.period,
            lang=args.lang,
            fmt=fmt,
            threshold=args.threshold,
            addressee=addressee,
        )
        number = _number(session, exported.report_id)
    # registered first (the Report row keeps the exact bytes), then written in one step
    folder = output.resolve().parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".pcenter-report-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(exported.content)
        Path(temporary).replace(output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    print(
        t(
            WRITTEN,
            number=number,
            file=str(output),
            size=len(exported.content),
            sha256=exported.sha256,
        )
    )
    return 0


def _number(session: Any, report_id: int | None) -> str:
    from pcenter_lib.models import Report

    report = session.get(Report, report_id) if report_id is not None else None
    return "" if report is None else report.outgoing_number or ""
