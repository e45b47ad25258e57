"""The staffing proposal as the documents an akimat reads: XLSX and DOCX, in Kazakh or Russian.

Both formats, and the staffing app's Recommendation tab, are built from the same
``ProposalSection`` list (title, column headers, rows of raw values, notes), so the screen, the
workbook and the letter can never disagree. Numbers stay numbers in the workbook; the DOCX and
the screen write them the way the language does (``9,5``). ``export_proposal``
stores the exact file with its hash as a ``Report`` and writes an ``export`` audit event
(Rule 14: every export is audited).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Final, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy.orm import Session

from pcenter_lib.documents import (
    MEDIA_TYPES,
    ExportedFile,
    add_table,
    append_row,
    document_bytes,
    new_document,
    workbook_bytes,
)
from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.staffing import CATEGORY_LABELS, STAFFING_NORM, StaffCategory
from pcenter_lib.domain.workload import (
    ACTIVITY_LABELS,
    GROUP_LABELS,
    LIMIT_LABELS,
    Limit,
    RecommendationRow,
    ScenarioResult,
)
from pcenter_lib.errors import ValidationError
from pcenter_lib.formats import format_day, format_number, format_signed, format_units
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.models import Report, utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.users import load_actor

ExportFormat = Literal["xlsx", "docx"]
PROPOSAL_KIND: Final = "staffing_proposal"
EXPORT_LANGUAGES: Final = ("kk", "ru")  # the working languages of akimats
Cell = str | float | None


@dataclass(frozen=True)
class ProposalSection:
    """One titled table of the proposal, with optional notes under it."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    notes: list[str] = field(default_factory=list)
    decimals: int = 2
    signed: tuple[int, ...] = ()  # columns of changes: their sign is always written

    def texts(self, lang: str) -> list[tuple[str, ...]]:
        """The rows as a person reads them in ``lang``."""
        return [
            tuple(
                format_cell(value, lang, self.decimals, signed=index in self.signed)
                for index, value in enumerate(row)
            )
            for row in self.rows
        ]


def row_label(row: RecommendationRow, t: Translator) -> str:
    """How a proposal line is named: the category, or "core personnel: <group>"."""
    category = t(CATEGORY_LABELS[row.category])
    if row.group is not None:
        return t("{category}: {group}", category=category, group=t(GROUP_LABELS[row.group]))
    if row.category is StaffCategory.CORE:
        total = next(b.bound for b in STAFFING_NORM if b.rule == "24")
        return t(
            "{category}: to reach the total of {bound} units (Rule 24)",
            category=category,
            bound=format_units(total, t.lang),
        )
    return category


def change_summary(result: ScenarioResult, t: Translator) -> str:
    """The proposal's change in one sentence that adds up: from, to, added and cut."""
    lang = t.lang
    return t(
        "From {existing} to {proposed} staff units ({net}): {added} added where the floor or the "
        "workload needs more, {removed} cut where today's staff is above both.",
        existing=format_units(result.total_existing, lang),
        proposed=format_units(result.total_recommended, lang),
        net=format_signed(result.net_change, lang),
        added=format_units(result.posts_to_add, lang),
        removed=format_units(result.posts_to_remove, lang),
    )


def limit_notes(result: ScenarioResult, t: Translator) -> list[str]:
    """Which lines the legal floor holds, so a demand change that moves nothing is explained."""
    held = [row_label(row, t) for row in result.rows if row.limited_by is Limit.FLOOR]
    if not held:
        return []
    return [
        t(
            "The minimum staffing norm (Rule 24) decides: {lines}. Demand changes move these "
            "lines only once the workload need passes the norm.",
            lines="; ".join(held),
        )
    ]


def compliance_notes(result: ScenarioResult, t: Translator) -> list[str]:
    """What the manager and the akimat read about Rule 24, for today and for the proposal."""
    notes = [t("Existing staff table:")]
    if result.existing_check.compliant:
        notes.append(t("The existing staff table meets the minimum staffing norm (Rule 24)."))
    notes.extend(result.existing_check.messages(t.lang))
    notes.append(t("Proposal:"))
    if result.compliant:
        notes.append(t("The proposal meets the minimum staffing norm (Rule 24)."))
    notes.extend(result.proposal_check.messages(t.lang))
    notes.extend(conflict.message(t.lang) for conflict in result.conflicts)
    return notes


def proposal_sections(result: ScenarioResult, t: Translator) -> list[ProposalSection]:
    """The proposal as sections: proposal, WISN per group, assumptions, activity standards."""
    return [
        _proposal_section(result, t),
        _wisn_section(result, t),
        _assumptions_section(result, t),
        _standards_section(result, t),
    ]


def _proposal_section(result: ScenarioResult, t: Translator) -> ProposalSection:
    with_cost = any(row.annual_cost is not None for row in result.rows)
    headers = [
        t("Category"),
        t("Existing units"),
        t("Minimum staffing norm"),
        t("Workload need"),
        t("Proposed units"),
        t("Change"),
        t("Decided by"),
    ]
    if with_cost:
        headers.append(t("Annual cost, tenge"))
    rows: list[tuple[Cell, ...]] = []
    for row in result.rows:
        cells: list[Cell] = [
            row_label(row, t),
            row.existing,
            row.floor,
            row.need,
            row.recommended,
            row.change,
            t(LIMIT_LABELS[row.limited_by]),
        ]
        if with_cost:
            cells.append(row.annual_cost)
        rows.append(tuple(cells))
    totals: list[Cell] = [
        t("Total"),
        result.total_existing,
        None,
        None,
        result.total_recommended,
        result.net_change,
        None,
    ]
    if with_cost:
        totals.append(result.annual_cost)
    rows.append(tuple(totals))
    return ProposalSection(
        t("Proposal by category of personnel (Rule 24)"),
        tuple(headers),
        rows,
        notes=[change_summary(result, t), *limit_notes(result, t), *compliance_notes(result, t)],
        signed=(5,),
    )


def _wisn_section(result: ScenarioResult, t: Translator) -> ProposalSection:
    rows: list[tuple[Cell, ...]] = [
        (
            t(GROUP_LABELS[need.group]),
            need.existing,
            need.required,
            need.posts,
            need.difference,
            need.ratio,
        )
        for need in result.needs
    ]
    return ProposalSection(
        t("Workload need of core personnel (WHO WISN)"),
        (
            t("Group"),
            t("Existing units"),
            t("Required (WISN)"),
            t("Need in posts"),
            t("WISN difference"),
            t("WISN ratio"),
        ),
        rows,
        notes=[
            t("WISN ratio = existing ÷ required: 1 balanced, below 1 shortage, above 1 excess.")
        ],
    )


def _assumptions_section(result: ScenarioResult, t: Translator) -> ProposalSection:
    parameters = result.parameters
    return ProposalSection(
        t("Scenario assumptions"),
        (t("Assumption"), t("Value")),
        [
            (t("Change of requests, %"), parameters.requests_change_percent),
            (t("New district: schools"), float(parameters.new_district_schools)),
            (t("New district: children"), float(parameters.new_district_children)),
            (t("24/7 duty line posts"), float(parameters.duty_line_posts)),
            (t("Extra auxiliary posts"), parameters.extra_auxiliary_posts),
            (t("Information campaigns a year"), float(parameters.information_campaigns)),
            (t("Available working time, hours a year"), result.available_hours),
        ],
        decimals=1,
    )


def _standards_section(result: ScenarioResult, t: Translator) -> ProposalSection:
    return ProposalSection(
        t("Activity standards"),
        (t("Group"), t("Activity"), t("Units a year"), t("Hours per unit"), t("Basis")),
        [
            (
                t(GROUP_LABELS[need.group]),
                t(ACTIVITY_LABELS[row.activity]),
                amount,
                row.hours_per_unit,
                t(row.basis),
            )
            for need in result.needs
            for row, amount in zip(need.activities, need.demand, strict=True)
        ],
        notes=[
            t(
                "Method: WHO Workload Indicators of Staffing Need (WISN), 2010; minimum staffing "
                "norm: Rule 24 of Order No. 264."
            )
        ],
    )


def format_cell(value: Cell, lang: str, decimals: int, *, signed: bool = False) -> str:
    """A cell as text in ``lang``: empty for ``None``, numbers with the language's separators."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if signed:
        return format_signed(value, lang, digits=decimals)
    return format_number(value, lang, digits=decimals)


def _heading_lines(
    t: Translator, center_name: str, scenario_name: str, year: int, day: date | None
) -> list[str]:
    day = day or utcnow().astimezone(KZ_TZ).date()
    return [
        center_name,
        t("Scenario: {name}", name=scenario_name),
        t("Based on the workload recorded in {year}.", year=year),
        t("Prepared on {day}.", day=format_day(day, t.lang)),
    ]


def build_proposal(
    result: ScenarioResult,
    *,
    fmt: ExportFormat,
    lang: str,
    center_name: str,
    scenario_name: str,
    year: int,
    day: date | None = None,
) -> bytes:
    """The proposal as an XLSX workbook or a DOCX letter in ``lang`` (the file's bytes)."""
    t = Translator(lang)
    cover = _heading_lines(t, center_name, scenario_name, year, day)
    return _xlsx(result, t, cover) if fmt == "xlsx" else _docx(result, t, cover)


build_proposal_xlsx = partial(build_proposal, fmt="xlsx")
build_proposal_docx = partial(build_proposal, fmt="docx")


def _xlsx(result: ScenarioResult, t: Translator, cover_lines: list[str]) -> bytes:
    """The proposal as an XLSX workbook: a cover sheet and one sheet per section."""
    book = Workbook()
    cover = book.active
    cover.title = t("Proposal")[:31]
    append_row(cover, [t("Staffing proposal")])
    cover["A1"].font = Font(bold=True, size=14)
    for line in cover_lines:
        append_row(cover, [line])
    for index, section in enumerate(proposal_sections(result, t)):
        sheet = cover if index == 0 else book.create_sheet(f"{index + 1}")
        append_row(sheet, [])
        append_row(sheet, [section.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        append_row(sheet, section.headers)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True)
        for row in section.rows:
            append_row(sheet, row)
        for note in section.notes:
            append_row(sheet, [note])
        sheet.column_dimensions["A"].width = 48
        for letter in "BCDEFG":
            sheet.column_dimensions[letter].width = 16
    return workbook_bytes(book)


def _docx(result: ScenarioResult, t: Translator, cover_lines: list[str]) -> bytes:
    """The proposal as a DOCX letter: heading, one table per section, the notes under it."""
    document = new_document()
    document.add_heading(t("Staffing proposal"), level=0)
    for line in cover_lines:
        document.add_paragraph(line)
    for section in proposal_sections(result, t):
        document.add_heading(section.title, level=1)
        add_table(document, section.headers, section.texts(t.lang))
        for note in section.notes:
            document.add_paragraph(note)
    return document_bytes(document)


def export_proposal(
    session: Session,
    *,
    actor: str,
    fmt: ExportFormat,
    lang: str,
    result: ScenarioResult,
    center_name: str,
    scenario_name: str,
    year: int,
    now: datetime | None = None,
) -> ExportedFile:
    """Build the proposal in ``fmt`` and ``lang``, store it as a Report and audit the export."""
    require(load_actor(session, actor), UseCase.EXPORT_PROPOSAL)
    if fmt not in ("xlsx", "docx"):
        raise ValidationError(N_("Unknown export format {fmt!r}; use xlsx or docx."), fmt=fmt)
    if lang not in EXPORT_LANGUAGES:
        raise ValidationError(
            N_("Proposals for the akimat are written in Kazakh or Russian (kk, ru), not {lang!r}."),
            lang=lang,
        )
    build = build_proposal_xlsx if fmt == "xlsx" else build_proposal_docx
    day = (now or utcnow()).astimezone(KZ_TZ).date()
    content = build(
        result,
        lang=lang,
        center_name=center_name,
        scenario_name=scenario_name,
        year=year,
        day=day,
    )
    digest = hashlib.sha256(content).hexdigest()
    filename = f"staffing-proposal-{year}-{_slug(scenario_name)}-{lang}.{fmt}"
    report = Report(
        kind=PROPOSAL_KIND,
        period=str(year),
        lang=lang,
        filename=filename,
        sha256=digest,
        content=content,
        created_by=actor,
    )
    session.add(report)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="export",
        entity="report",
        entity_id=report.id,
        details={
            "kind": PROPOSAL_KIND,
            "format": fmt,
            "lang": lang,
            "scenario": scenario_name,
            "filename": filename,
            "sha256": digest,
        },
    )
    return ExportedFile(filename, content, MEDIA_TYPES[fmt], digest, report.id)


def _slug(name: str, limit: int = 40) -> str:
    """A file-name-safe form of a scenario name (letters of any script kept)."""
    kept = "".join(ch if ch.isalnum() else "-" for ch in name.strip().lower())
    parts: Sequence[str] = [part for part in kept.split("-") if part]
    return "-".join(parts)[:limit] or "scenario"
