"""``build_demo_region``: generate the synthetic region for a seed and write it in one transaction.

Each stage draws from its own generator, ``numpy.random.default_rng([seed, stage])``, so the
same seed always gives the same data (names, IINs, birth dates, the whole history) and a change
in one stage does not shift the others. Only the ciphertexts (random IV) and the pseudonymous
codes (keyed) differ between two databases built with the same seed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final, TextIO

import numpy as np
from babel.numbers import format_decimal

from pcenter_lib.demo.activity import build_activity
from pcenter_lib.demo.casework import build_casework
from pcenter_lib.demo.children import build_children
from pcenter_lib.demo.crises import build_crises
from pcenter_lib.demo.journal import (
    ordinary_drafts,
    precursor_drafts,
    referral_drafts,
    threat_drafts,
)
from pcenter_lib.demo.ledger import build_ledger
from pcenter_lib.demo.methodical import build_methodical
from pcenter_lib.demo.region import REGION_CODE, build_organization
from pcenter_lib.demo.scales import REFERENCE_MOMENT, get_scale
from pcenter_lib.demo.screening import build_screening
from pcenter_lib.demo.staff import DEMO_ACTOR, build_staff
from pcenter_lib.demo.truth import build_truth
from pcenter_lib.demo.world import World
from pcenter_lib.demo.writer import (
    advance_sequences,
    insert_rows,
    refuse_unless_empty,
    tables_with_data,
)
from pcenter_lib.domain.calendar import KazakhstanCalendar, load_overrides
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.models import (
    Base,
    Case,
    CaseStatusChange,
    Center,
    Child,
    ChildIdentity,
    ChildNameToken,
    Consent,
    Consultation,
    CrisisEvent,
    District,
    DocumentationReview,
    EducationOrganization,
    Instrument,
    IntervisionMaterial,
    IntervisionParticipant,
    IntervisionPhaseNote,
    IntervisionSeries,
    IntervisionSeriesMember,
    IntervisionSession,
    JournalCounter,
    LegalRepresentative,
    MobileGroup,
    MobileGroupMember,
    Notification,
    PpssStudy,
    Recommendation,
    Region,
    Request,
    RequestConcern,
    ScreeningResult,
    ScreeningRound,
    StaffMember,
    SupervisionCase,
    SupervisionSession,
    SupervisionTask,
    SupportPlan,
    SupportPlanItem,
    User,
    UserRole,
    Visit,
    WorkPlan,
    WorkPlanEvent,
)
from pcenter_lib.models.demo import DemoGroundTruth
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.clock import DEMO_BUILD_ACTION, HISTORY_ENDS_KEY
from pcenter_lib.services.key_binding import set_demo_database
from pcenter_lib.workbench import Workbench

SEED_LIMIT: Final = 2**32


class InvalidDemoSeedError(PcenterError, ValueError):
    """The seed is not a whole number from 0 to 2**32 − 1."""


@dataclass(frozen=True)
class DemoSummary:
    """What was built; ``str()`` reads it out in the workbench's language."""

    seed: int
    scale: str
    compliant: bool
    lang: str
    counts: dict[str, int] = field(default_factory=dict)
    staff_units: Decimal = Decimal(0)
    seconds: float = 0.0

    def __str__(self) -> str:
        t = Translator(self.lang)
        return t(
            N_(
                "{schools} schools, {children} children, {requests} requests ({threats} with a "
                "direct threat), {cases} cases, {results} screening results, {units} staff units "
                "(seed {seed}, {seconds} s)"
            ),
            **_formatted(
                self.lang,
                {
                    "schools": self.counts.get("education_organizations", 0),
                    "children": self.counts.get("children", 0),
                    "requests": self.counts.get("requests", 0),
                    "threats": self.counts.get("direct_threats", 0),
                    "cases": self.counts.get("cases", 0),
                    "results": self.counts.get("screening_results", 0),
                    "units": self.staff_units,
                    "seconds": round(self.seconds, 1),
                },
            ),
            seed=self.seed,
        )


def _formatted(lang: str, values: dict[str, Any]) -> dict[str, str]:
    return {key: format_decimal(value, locale=lang) for key, value in values.items()}


def database_has_data(workbench: Workbench) -> bool:
    """Whether any table of the workbench's database holds a row already."""
    with workbench.sessions() as session:
        return bool(tables_with_data(session))


def _stage_rng(seed: int, stage: int) -> np.random.Generator:
    return np.random.default_rng([seed, stage])


def build_demo_region(
    workbench: Workbench,
    *,
    seed: int,
    scale: str,
    compliant: bool = True,
    progress: TextIO | None = None,
) -> DemoSummary:
    """Generate the synthetic region for ``seed`` at ``scale`` and write it, all or nothing.

    Refuses (``DemoDatabaseNotEmptyError``) when the database already holds data. ``compliant``
    staffs the Center at or above the Rule 24 norm; ``False`` breaks it. ``progress`` receives
    one translated line per stage.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < SEED_LIMIT:
        raise InvalidDemoSeedError(
            N_("The demo seed must be a whole number from 0 to 4294967295; {seed!r} was given."),
            seed=seed,
        )
    size = get_scale(scale)
    t = Translator(workbench.lang)
    started = time.perf_counter()

    def say(msgid: str, **counts: Any) -> None:
        if progress is not None:
            print(t(msgid, **_formatted(workbench.lang, counts)), file=progress, flush=True)

    with workbench.sessions() as session:
        refuse_unless_empty(session)
    organization = build_organization(_stage_rng(seed, 1), size)
    say(
        N_("Region: {districts} districts, {schools} schools"),
        districts=len(organization.districts),
        schools=len(organization.schools),
    )
    staff = build_staff(_stage_rng(seed, 2), compliant=compliant, specialists=size.specialists)
    units = {c: staff.units(c) for c in ("administrative", "core", "auxiliary")}
    say(
        N_(
            "Staff: {units} staff units (administrative {administrative}, core {core}, auxiliary {auxiliary}); {users} users"
        ),
        units=sum(units.values()),
        users=len(staff.users),
        **units,
    )
    children = build_children(_stage_rng(seed, 3), organization, size.children, workbench.cipher)
    say(
        N_("Children: {children} children, {representatives} legal representatives"),
        children=children.count,
        representatives=len(children.representative_rows),
    )
    calendar = KazakhstanCalendar(load_overrides())
    activity = build_activity(calendar)
    truth = build_truth(_stage_rng(seed, 4), children, organization, size, calendar)
    world = World(size, organization, staff, children, truth, activity, calendar, workbench.cipher)
    screening = build_screening(
        _stage_rng(seed, 5),
        organization,
        children,
        truth,
        activity,
        imported_by=staff.methodologists[0],
    )
    say(
        N_("Screening: {rounds} rounds, {results} results, {critical} with a critical answer"),
        rounds=len(screening.rounds),
        results=len(screening.results),
        critical=sum(1 for r in screening.results if r["critical"]),
    )
    drafts = threat_drafts(_stage_rng(seed, 6), world)
    drafts += referral_drafts(_stage_rng(seed, 7), world, screening.referrals)
    drafts += precursor_drafts(_stage_rng(seed, 12), world)
    drafts += ordinary_drafts(_stage_rng(seed, 8), world, max(size.requests - len(drafts), 0))
    ledger = build_ledger(_stage_rng(seed, 9), world, drafts)
    threats = sum(1 for d in ledger.drafts if d.direct_threat)
    say(
        N_(
            "Journal: {requests} requests, {threats} with a direct threat, {consents} consents, {notifications} notifications"
        ),
        requests=len(ledger.requests),
        threats=threats,
        consents=len(ledger.consents),
        notifications=len(ledger.notifications),
    )
    crises = build_crises(_stage_rng(seed, 13), world, ledger)
    casework = build_casework(_stage_rng(seed, 10), world, ledger)
    say(
        N_(
            "Casework: {cases} cases, {groups} mobile groups, {visits} visits, {plans} support plans, {consultations} consultations"
        ),
        cases=len(casework.cases),
        groups=len(casework.groups),
        visits=len(casework.visits),
        plans=len(casework.plans),
        consultations=len(casework.consultations),
    )
    methodical = build_methodical(_stage_rng(seed, 11), world, casework.info)
    say(
        N_(
            "Methodical work: {supervision} supervision and {intervision} intervision sessions, {studies} PPSS studies"
        ),
        supervision=len(methodical.supervision),
        intervision=len(methodical.intervision.sessions),
        studies=len(methodical.studies),
    )
    tables: list[tuple[type[Base], list[dict[str, Any]]]] = [
        (Region, [organization.region]),
        (District, organization.districts),
        (Center, [organization.center]),
        (EducationOrganization, organization.schools),
        (User, staff.users),
        (UserRole, staff.roles),
        (StaffMember, staff.staff),
        (Child, children.children),
        (ChildIdentity, children.identities),
        (ChildNameToken, children.name_tokens),
        (LegalRepresentative, children.representative_rows),
        (DemoGroundTruth, truth.rows),
        (Instrument, screening.instruments),
        (ScreeningRound, screening.rounds),
        (ScreeningResult, screening.results),
        (Request, ledger.requests),
        (RequestConcern, ledger.concerns),
        (Consent, ledger.consents),
        (Notification, ledger.notifications),
        (CrisisEvent, crises),
        (JournalCounter, ledger.counters),
        (Case, casework.cases),
        (CaseStatusChange, casework.changes),
        (MobileGroup, casework.groups),
        (MobileGroupMember, casework.members),
        (Visit, casework.visits),
        (SupportPlan, casework.plans),
        (SupportPlanItem, casework.items),
        (Consultation, casework.consultations),
        (SupervisionSession, methodical.supervision),
        (SupervisionCase, methodical.supervision_cases),
        (SupervisionTask, methodical.supervision_tasks),
        (IntervisionSeries, methodical.intervision.series),
        (IntervisionSeriesMember, methodical.intervision.series_members),
        (IntervisionSession, methodical.intervision.sessions),
        (IntervisionParticipant, methodical.intervision.participants),
        (IntervisionPhaseNote, methodical.intervision.notes),
        (IntervisionMaterial, methodical.intervision.materials),
        (DocumentationReview, methodical.intervision.reviews),
        (PpssStudy, methodical.studies),
        (WorkPlan, methodical.work_plans),
        (WorkPlanEvent, methodical.work_plan_events),
        (Recommendation, methodical.recommendations),
    ]
    say(N_("Saving to the database…"))
    counts: dict[str, int] = {}
    with workbench.sessions.begin() as session:
        refuse_unless_empty(session)
        for model, rows in tables:
            counts[model.__tablename__] = insert_rows(session, model, rows)
        advance_sequences(session, [model for model, rows in tables if rows])
        counts["direct_threats"] = threats
        # only a database built here, empty before, may offer demo sign-in (never real records)
        set_demo_database(session, workbench.keyring, demo=True)
        record_event(
            session,
            actor=DEMO_ACTOR,
            action=DEMO_BUILD_ACTION,
            entity="demo_region",
            entity_id=REGION_CODE,
            details={
                "seed": seed,
                "scale": scale,
                "compliant": compliant,
                "counts": counts,
                HISTORY_ENDS_KEY: REFERENCE_MOMENT.isoformat(),
            },
        )
    seconds = time.perf_counter() - started
    say(
        N_("Saved {rows} rows in {seconds} s"),
        rows=sum(len(rows) for _, rows in tables),
        seconds=round(seconds, 1),
    )
    return DemoSummary(
        seed=seed,
        scale=scale,
        compliant=compliant,
        lang=workbench.lang,
        counts=counts,
        staff_units=sum(units.values(), Decimal(0)),
        seconds=seconds,
    )
