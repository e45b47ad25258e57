"""The quarterly monitoring of the schools' PPSS (Rules 20–21), as a report.

Rule 20: the Center collects the PPSS's reporting, analyses it and monitors their support of
children in difficult life situations, who suffered bullying or violence, or who show
auto-destructive or deviant behaviour, and gives written recommendations. Rule 21: each school's
PPSS is studied at least once a quarter and an analytical note is written from the study.

The report for a quarter holds, per district, how many schools were studied (visit or desk) and
how many screened; per school, the screening rounds' completeness (respondents against the
school's pupils) and timeliness (imported within ``TIMELY_DAYS`` of being conducted); the requests
about children in difficult situations, by group of concern (from the shared query layer, small
counts hidden); each school's analytical note, linked by its file name and hash; and the written
recommendations with their sending and the measures taken.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics.ppss import STUDY_MODES
from pcenter_lib.domain.concerns import CONCERNS_BY_CODE
from pcenter_lib.domain.reporting import ReportKind, ReportPeriod, report_period
from pcenter_lib.formats import format_day, format_share
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.models import (
    District,
    EducationOrganization,
    PpssStudy,
    Recommendation,
    Report,
    ScreeningRound,
)
from pcenter_lib.services.report_documents import ReportSection, ReportTable
from pcenter_lib.services.report_queries import count_by, period_requests, request_facts
from pcenter_lib.services.report_suppression import protect_breakdowns

# A round counts as timely when the school's results reached the Center within ten days of the
# screening: the Center's own measure (Rule 20 asks it to collect the PPSS's reporting, not when).
TIMELY_DAYS: Final = 10
# Rule 20's children "in difficult life situations, who suffered bullying or violence, or who show
# auto-destructive or deviant behaviour", by the concern groups of Rule 19.
DIFFICULT_GROUPS: Final = (
    ("crisis", N_("Crisis situations")),
    ("violence", N_("Violence, bullying, cyberbullying")),
    ("deviant", N_("Auto-destructive, suicidal and deviant behaviour")),
    ("psychosocial", N_("Psychosocial problems")),
)


@dataclass(frozen=True)
class SchoolLine:
    school_id: int
    name: str
    district: str
    students: int
    studied_on: object  # date | None
    mode: str | None
    note_file: str | None
    note_sha: str | None
    note_sent_to: str | None
    rounds: int
    respondents: int
    timely_rounds: int


@dataclass(frozen=True)
class QuarterlyMonitoring:
    period: ReportPeriod
    threshold: int
    schools: tuple[SchoolLine, ...]
    difficult: tuple[tuple[str, int | str], ...]  # group msgid, published count
    difficult_total: int | str
    recommendations: tuple[Recommendation, ...]


def build_quarterly_monitoring(
    session: Session, *, quarter: str, lang: str, threshold: int
) -> QuarterlyMonitoring:
    """The quarter's figures; the caller checked ``UseCase.WRITE_REPORTS``."""
    period = report_period(ReportKind.PPSS_QUARTERLY, quarter)
    schools = session.execute(
        select(EducationOrganization, District)
        .join(District, District.id == EducationOrganization.district_id)
        .order_by(District.code, EducationOrganization.id)
    ).all()
    studies: dict[int, PpssStudy] = {}
    for found in session.scalars(
        select(PpssStudy).where(PpssStudy.quarter == quarter).order_by(PpssStudy.studied_on)
    ):
        studies[found.education_organization_id] = found  # the latest of the quarter
    notes = {
        r.id: r
        for r in session.scalars(
            select(Report).where(
                Report.id.in_([s.report_id for s in studies.values() if s.report_id])
            )
        )
    }
    rounds: dict[int, list[ScreeningRound]] = defaultdict(list)
    for r in session.scalars(select(ScreeningRound).where(ScreeningRound.period == quarter)):
        rounds[r.education_organization_id].append(r)
    lines = []
    for school, district in schools:
        study = studies.get(school.id)
        note = notes.get(study.report_id) if study is not None and study.report_id else None
        done = rounds.get(school.id, [])
        lines.append(
            SchoolLine(
                school_id=school.id,
                name=getattr(school, f"name_{lang}"),
                district=getattr(district, f"name_{lang}"),
                students=school.student_count,
                studied_on=study.studied_on if study is not None else None,
                mode=str(study.mode) if study is not None else None,
                note_file=note.filename if note is not None else None,
                note_sha=note.sha256 if note is not None else None,
                note_sent_to=note.sent_to if note is not None else None,
                rounds=len(done),
                respondents=sum(r.result_count for r in done),
                timely_rounds=sum(
                    1 for r in done if (r.imported_at.date() - r.conducted_on).days <= TIMELY_DAYS
                ),
            )
        )
    facts = request_facts(session, period_requests(session, period.start, period.end))
    by_concern = count_by(facts, "concern")
    groups: Counter[str] = Counter()
    for code, n in by_concern.items():
        concern = CONCERNS_BY_CODE.get(code)
        if concern is not None:
            groups[concern.group] += n
    table = [(msgid, groups.get(group, 0)) for group, msgid in DIFFICULT_GROUPS]
    protected = protect_breakdowns({"difficult": table}, threshold=threshold)["difficult"]
    recommendations = tuple(
        session.scalars(
            select(Recommendation)
            .where(Recommendation.quarter == quarter)
            .order_by(Recommendation.id)
        )
    )
    return QuarterlyMonitoring(
        period=period,
        threshold=threshold,
        schools=tuple(lines),
        difficult=tuple(zip(protected.codes, protected.shown(), strict=True)),
        difficult_total=protected.shown_total(),
        recommendations=recommendations,
    )


TITLE: Final = N_("Monitoring of the psychological-pedagogical support services of schools")
INTRO: Final = N_(
    "Under Rules 20 and 21 of the Rules for the activity of Psychological Support Centers (order "
    "No. 264 of 24 November 2025), the Center sends the results of monitoring the PPSS of the "
    "region's education organizations in {period}, with its written recommendations for review "
    "and action."
)
DISTRICT_HEADERS: Final = (
    N_("District"),
    N_("Schools"),
    N_("Studied: visit"),
    N_("Studied: desk"),
    N_("Not studied"),
    N_("Screened"),
    N_("Respondents"),
)
SCHOOL_HEADERS: Final = (
    N_("School"),
    N_("District"),
    N_("Studied on"),
    N_("Form"),
    N_("Screening rounds"),
    N_("Share of pupils screened"),
    N_("Rounds on time"),
)
NOTE_HEADERS: Final = (N_("School"), N_("Analytical note"), N_("SHA-256"), N_("Sent to"))
RECOMMENDATION_HEADERS: Final = (
    N_("Addressee"),
    N_("Recommendation"),
    N_("Sent"),
    N_("Measures taken"),
)
NOT_STUDIED: Final = N_("not studied")
NO_NOTE: Final = N_("no note written")
NOT_SENT: Final = N_("not sent")
NONE_YET: Final = N_("none recorded yet")


def quarterly_sections(data: QuarterlyMonitoring, lang: str) -> tuple[ReportSection, ...]:
    t = Translator(lang)
    districts: dict[str, list[SchoolLine]] = defaultdict(list)
    for line in data.schools:
        districts[line.district].append(line)
    district_rows = tuple(
        (
            name,
            len(lines),
            sum(1 for x in lines if x.mode == "visit"),
            sum(1 for x in lines if x.mode == "desk"),
            sum(1 for x in lines if x.mode is None),
            sum(1 for x in lines if x.rounds),
            sum(x.respondents for x in lines),
        )
        for name, lines in districts.items()
    )
    school_rows = tuple(
        (
            x.name,
            x.district,
            format_day(x.studied_on, lang) if x.studied_on else t(NOT_STUDIED),
            t(STUDY_MODES[x.mode]) if x.mode in STUDY_MODES else "—",
            x.rounds,
            format_share(min(1.0, x.respondents / x.students), lang)
            if x.rounds and x.students
            else "—",
            f"{x.timely_rounds}/{x.rounds}" if x.rounds else "—",
        )
        for x in data.schools
    )
    note_rows = tuple(
        (x.name, x.note_file or t(NO_NOTE), (x.note_sha or "")[:16], x.note_sent_to or t(NOT_SENT))
        for x in data.schools
        if x.mode is not None
    )
    recommendation_rows = tuple(
        (
            r.addressee,
            r.text,
            f"{format_day(r.sent_at.date(), lang)}, {r.sent_ref}" if r.sent_at else t(NOT_SENT),
            r.measures_taken or "—",
        )
        for r in data.recommendations
    )
    difficult = ReportTable(
        t(N_("Requests about children in difficult situations (Rule 20)")),
        (t(N_("Group of concerns")), t(N_("Requests"))),
        (
            *((t(msgid), shown) for msgid, shown in data.difficult),
            (t(N_("Total")), data.difficult_total),
        ),
        chart=True,
        total_row=True,
    )
    return (
        ReportSection(
            t(N_("Studies and screening by district (Rule 21)")),
            (),
            (
                ReportTable(
                    t(N_("Schools studied and screened")),
                    tuple(t(h) for h in DISTRICT_HEADERS),
                    district_rows,
                ),
            ),
        ),
        ReportSection(
            t(N_("Screening rounds by school: completeness and timeliness")),
            (
                t(
                    N_(
                        "A round is on time when the results reached the Center within {days} days."
                    ),
                    days=TIMELY_DAYS,
                ),
            ),
            (ReportTable(t(N_("Schools")), tuple(t(h) for h in SCHOOL_HEADERS), school_rows),),
        ),
        ReportSection(t(N_("Support of children in difficult situations")), (), (difficult,)),
        ReportSection(
            t(N_("Analytical notes of the schools (Rule 21)")),
            (),
            (ReportTable(t(N_("Analytical notes")), tuple(t(h) for h in NOTE_HEADERS), note_rows),),
        ),
        ReportSection(
            t(N_("Written recommendations (Rule 20)")),
            () if recommendation_rows else (t(NONE_YET),),
            (
                ReportTable(
                    t(N_("Recommendations")),
                    tuple(t(h) for h in RECOMMENDATION_HEADERS),
                    recommendation_rows,
                ),
            )
            if recommendation_rows
            else (),
        ),
    )
