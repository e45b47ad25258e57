"""The analytical note on a school's PPSS (Rule 21), written as a DOCX in Kazakh or Russian.

Rule 21: from the results of the quarterly study, Center specialists write an analytical note
with recommendations for improving the psychological-pedagogical support of children; it goes
to the education management body and to the school. The note holds the study's scores by
domain, the school's screening figures beside its district's and the region's, the findings,
and the recommendations — the specialist's own, then one for every domain scored 0 or 1.
Screening figures are suppressed like every export (``exports.publishable_groups``) and drawn as
a chart above their table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from pcenter_lib.diagnostics.exports import (
    format_figures,
    publishable_groups,
    shares_chart_png,
    suppression_note,
)
from pcenter_lib.diagnostics.periods import quarter_label
from pcenter_lib.diagnostics.ppss import (
    DOMAINS,
    SCALE,
    STUDY_MODES,
    StudyRecord,
    level_label,
    summarize_study,
)
from pcenter_lib.diagnostics.suppression import DEFAULT_THRESHOLD, TOTAL_LABEL
from pcenter_lib.diagnostics.views import LEVEL_LABELS
from pcenter_lib.documents import add_picture, add_table, document_bytes, new_document
from pcenter_lib.formats import format_day, format_moment, format_number
from pcenter_lib.i18n import N_, Translator


@dataclass(frozen=True)
class ScreeningFigures:
    """One instrument's comparison: rows school / district / region with n, count, share, CI."""

    title: str  # already in the note's language: instrument, scale and the bands counted
    table: pd.DataFrame


@dataclass(frozen=True)
class NoteContent:
    """Everything the note says; texts that come from people are used as written."""

    lang: str
    center_name: str
    school_name: str
    district_name: str
    study: StudyRecord  # ``studied_by`` the specialist's full name
    figures: list[ScreeningFigures]
    generated_at: datetime
    threshold: int = DEFAULT_THRESHOLD


def note_filename(school_bin: str, quarter: str, lang: str) -> str:
    return f"analytical_note_{school_bin}_{quarter}_{lang}.docx"


def render_note(content: NoteContent) -> bytes:
    """The note's DOCX bytes."""
    t = Translator(content.lang)
    document = new_document(font="Times New Roman", size=12)
    document.add_paragraph(content.center_name)
    document.add_heading(t("Analytical note"), level=0)
    document.add_paragraph(
        t(
            "on the study of the psychological-pedagogical support service of {school}, {quarter}",
            school=content.school_name,
            quarter=quarter_label(content.study.quarter, content.lang),
        )
    )
    facts = [
        (t("District"), content.district_name),
        (t("Quarter"), quarter_label(content.study.quarter, content.lang)),
        (t("Form of the study"), t(STUDY_MODES.get(content.study.mode, content.study.mode))),
        (t("Date of the study"), format_day(content.study.studied_on, content.lang)),
        (t("Specialist"), content.study.studied_by),
    ]
    add_table(document, [t("Item"), t("Value")], facts)

    document.add_heading(t("1. Results of the study by domain"), level=1)
    rows = []
    for domain in DOMAINS:
        score = content.study.domain_scores.get(domain.code)
        rows.append((t(domain.label), t("not applicable") if score is None else t(SCALE[score])))
    add_table(document, [t("Domain"), t("Score (0–3)")], rows)
    summary = summarize_study(content.study.domain_scores)
    if summary.mean is not None and summary.level is not None:
        document.add_paragraph(
            t(
                "Mean score {mean} of 3 over {count} domains: {level}.",
                mean=format_number(summary.mean, content.lang, digits=1, exact=True),
                count=summary.scored,
                level=t(level_label(summary.level)),
            )
        )

    document.add_heading(
        t("2. Screening results: the school, its district and the region"), level=1
    )
    if not content.figures:
        document.add_paragraph(t("No screening results of this school for the quarter."))
    for figures in content.figures:
        document.add_paragraph(figures.title).runs[0].bold = True
        published = publishable_groups(figures.table, threshold=content.threshold).drop(
            index=TOTAL_LABEL
        )[["n", "count", "share", "ci_low", "ci_high"]]
        levels = [t(LEVEL_LABELS.get(str(level), str(level))) for level in published.index]
        add_picture(
            document,
            shares_chart_png(
                levels, list(published["share"]), title=figures.title, lang=content.lang
            ),
            width_inches=5.5,
        )
        shown = format_figures(published, content.lang)
        add_table(
            document,
            [
                t("Level"),
                t("Children screened"),
                t("In the elevated bands"),
                t("Share"),
                t("95% CI from"),
                t("95% CI to"),
            ],
            [(level, *row) for level, (_, row) in zip(levels, shown.iterrows(), strict=True)],
        )
    document.add_paragraph(suppression_note(content.lang, content.threshold))

    document.add_heading(t("3. Findings"), level=1)
    document.add_paragraph(content.study.findings.strip() or t("No findings were recorded."))
    document.add_heading(t("4. Recommendations"), level=1)
    for line in filter(None, (text.strip() for text in content.study.recommendations.splitlines())):
        document.add_paragraph(line, style="List Number")
    for domain in DOMAINS:
        score = content.study.domain_scores.get(domain.code)
        if score is not None and score <= 1:
            document.add_paragraph(t(domain.advice), style="List Number")
    document.add_paragraph(
        t(
            "Prepared under Rules 20–21 of the Rules of activity of psychological support "
            "centers (Order No. 264). Generated on {moment}.",
            moment=format_moment(content.generated_at, content.lang),
        )
    )
    return document_bytes(document)


NOTE_KIND = "analytical_note"
NOTE_TITLE = N_("Analytical note")
