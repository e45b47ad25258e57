"""The synthetic demo region: determinism, proportions, rules it must obey, all-or-nothing writes."""

from __future__ import annotations

import ast
import io
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import func, select

from pcenter_lib.config import load_settings
from pcenter_lib.demo import (
    DEMO_TODAY,
    DemoDatabaseNotEmptyError,
    InvalidDemoSeedError,
    UnknownScaleError,
    build_demo_region,
    database_has_data,
)
from pcenter_lib.demo.mix import ORDINARY_SOURCE_MIX, expected_channel_mix
from pcenter_lib.demo.region import make_bin
from pcenter_lib.domain.calendar import KazakhstanCalendar, load_overrides
from pcenter_lib.domain.concerns import CONCERN_CODES
from pcenter_lib.domain.consent import age_on, consent_requirement
from pcenter_lib.domain.deadlines import KZ_TZ, consideration_due_at
from pcenter_lib.domain.iin import iin_check_digit, parse_iin
from pcenter_lib.domain.staffing import check_staffing_norm
from pcenter_lib.models import (
    AuditEvent,
    Child,
    ChildIdentity,
    ChildNameToken,
    Consent,
    EducationOrganization,
    JournalCounter,
    Notification,
    Request,
    RequestConcern,
    ScreeningResult,
    StaffMember,
    User,
    UserRole,
)
from pcenter_lib.models.demo import DemoGroundTruth
from pcenter_lib.services.audit import verify_chain
from pcenter_lib.services.users import add_user
from pcenter_lib.workbench import Workbench, initialise_database

DEMO_PACKAGE = Path(__file__).resolve().parents[1] / "pcenter_lib" / "demo"
LOCALE = Path(__file__).resolve().parents[1] / "pcenter_lib" / "locale"


def fresh_workbench(folder: Path) -> Workbench:
    """A migrated workbench on a new SQLite file with its own key, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = load_settings(
        {
            "PCENTER_DATABASE_URL": f"sqlite:///{folder / 't.sqlite3'}",
            "PCENTER_SECRET_KEY_FILE": str(folder / "k.key"),
            "PCENTER_DATA_DIR": str(folder),
            "PCENTER_LANG": "en",
        }
    )
    bench = initialise_database(settings)
    return bench


def plaintext(bench: Workbench) -> dict[str, Any]:
    """What a seed must reproduce, independent of the key: decrypted identities and the journal."""
    cipher = bench.cipher
    with bench.sessions() as session:
        children = session.execute(
            select(
                Child.id,
                Child.birth_on,
                Child.sex,
                Child.grade,
                ChildIdentity.full_name_enc,
                ChildIdentity.iin_enc,
                ChildIdentity.address_enc,
            )
            .join(ChildIdentity, ChildIdentity.child_id == Child.id)
            .order_by(Child.id)
        ).all()
        requests = session.execute(
            select(
                Request.id,
                Request.received_at,
                Request.source,
                Request.channel,
                Request.child_id,
                Request.direct_threat,
                Request.due_at,
                Request.description,
            ).order_by(Request.id)
        ).all()
        concerns = session.execute(
            select(RequestConcern.request_id, RequestConcern.concern).order_by(RequestConcern.id)
        ).all()
        truth = session.execute(
            select(
                DemoGroundTruth.child_id, DemoGroundTruth.latent_risk, DemoGroundTruth.escalated
            ).order_by(DemoGroundTruth.child_id)
        ).all()
        staff = session.scalars(select(StaffMember.full_name).order_by(StaffMember.id)).all()
    return {
        "children": [
            (
                c.id,
                c.birth_on,
                c.sex,
                c.grade,
                cipher.decrypt(c.full_name_enc),
                cipher.decrypt(c.iin_enc),
                cipher.decrypt(c.address_enc),
            )
            for c in children
        ],
        "requests": [tuple(r) for r in requests],
        "concerns": [tuple(c) for c in concerns],
        "truth": [tuple(t) for t in truth],
        "staff": list(staff),
    }


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Workbench:
    bench = fresh_workbench(tmp_path_factory.mktemp("tiny"))
    build_demo_region(bench, seed=7, scale="tiny", compliant=True, progress=None)
    return bench


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workbench, Any]:
    bench = fresh_workbench(tmp_path_factory.mktemp("demo"))
    stream = io.StringIO()
    summary = build_demo_region(bench, seed=264, scale="demo", compliant=True, progress=stream)
    return bench, (summary, stream.getvalue())


# Determinism -------------------------------------------------------------------------------


def test_same_seed_gives_the_same_plaintext_under_different_keys(tmp_path: Path) -> None:
    first = fresh_workbench(tmp_path / "a")
    second = fresh_workbench(tmp_path / "b")
    build_demo_region(first, seed=11, scale="tiny", compliant=True, progress=None)
    build_demo_region(second, seed=11, scale="tiny", compliant=True, progress=None)
    one, two = plaintext(first), plaintext(second)
    assert one == two
    assert len(one["children"]) == 500 + 95 and len(one["requests"]) == 300  # 95 left school
    with first.sessions() as s1, second.sessions() as s2:
        codes_one = s1.scalars(select(Child.code).order_by(Child.id)).all()
        codes_two = s2.scalars(select(Child.code).order_by(Child.id)).all()
    assert codes_one != codes_two  # codes are keyed: same IINs, different keys


def test_a_different_seed_gives_different_data(tmp_path: Path, tiny: Workbench) -> None:
    other = fresh_workbench(tmp_path / "c")
    build_demo_region(other, seed=8, scale="tiny", compliant=True, progress=None)
    one, two = plaintext(tiny), plaintext(other)
    for key in ("children", "requests", "truth", "staff"):
        assert one[key] != two[key], key
    names_one = {c[4] for c in one["children"]}
    names_two = {c[4] for c in two["children"]}
    assert len(names_one & names_two) < len(names_one) / 2


# Identity and journal rules ---------------------------------------------------------------------


def test_every_iin_is_valid_and_agrees_with_birth_date_and_sex(tiny: Workbench) -> None:
    cipher = tiny.cipher
    with tiny.sessions() as session:
        rows = session.execute(
            select(Child, ChildIdentity).join(ChildIdentity, ChildIdentity.child_id == Child.id)
        ).all()
    assert len(rows) == 500 + 95
    seen = set()
    for child, identity in rows:
        iin = cipher.decrypt(identity.iin_enc)
        assert iin is not None
        parsed = parse_iin(iin)
        assert parsed.birth_date == child.birth_on
        assert parsed.sex == child.sex
        assert identity.iin_index == cipher.blind_index(iin)
        assert child.code == cipher.child_code(iin)
        surname = (cipher.decrypt(identity.full_name_enc) or "").split()[0]
        assert identity.surname_index == cipher.blind_index(surname)
        if child.grade is None:  # left school in 2025 or 2026 (after grade 9 or 11)
            assert 15 <= age_on(child.birth_on, DEMO_TODAY) <= 19
        else:
            assert 6 <= age_on(child.birth_on, DEMO_TODAY) <= 17
        seen.add(iin)
    assert len(seen) == 500 + 95


def test_bins_are_twelve_digits_with_a_valid_check_digit(tiny: Workbench) -> None:
    with tiny.sessions() as session:
        bins = session.scalars(select(EducationOrganization.bin)).all()
    assert len(bins) == len(set(bins)) == 10
    for value in bins:
        assert len(value) == 12 and value.isdigit()
        assert iin_check_digit(value[:11]) == int(value[11])
    assert make_bin(date(2005, 3, 1), 123)[:6] == "050340"


def test_teenagers_applying_personally_are_at_least_16(demo: tuple[Workbench, Any]) -> None:
    bench, _ = demo
    with bench.sessions() as session:
        rows = session.execute(
            select(Request.received_at, Child.birth_on, Request.applicant_relation)
            .join(Child, Child.id == Request.child_id)
            .where(Request.source == "minor_over_16")
        ).all()
    assert len(rows) > 50
    for received_at, birth_on, relation in rows:
        assert age_on(birth_on, received_at.astimezone(KZ_TZ).date()) >= 16
        assert relation == "self"


def test_due_times_follow_rule_16(tiny: Workbench) -> None:
    calendar = KazakhstanCalendar(load_overrides())
    with tiny.sessions() as session:
        requests = session.scalars(select(Request)).all()
    assert requests
    for request in requests:
        assert request.due_at >= request.received_at
        assert request.due_at == consideration_due_at(
            request.received_at, direct_threat=request.direct_threat, calendar=calendar
        )
        assert request.registered_at >= request.received_at
        if request.considered_at is not None:
            assert request.considered_at >= request.received_at
        if request.direct_threat:
            assert request.threat_assessed_by and request.threat_assessed_at is not None
            assert request.threat_assessed_at >= request.received_at


def test_journal_numbers_are_sequential_per_year(tiny: Workbench) -> None:
    with tiny.sessions() as session:
        rows = session.execute(
            select(Request.journal_year, Request.journal_seq, Request.received_at).order_by(
                Request.id
            )
        ).all()
        counters = {c.year: c.last_number for c in session.scalars(select(JournalCounter))}
    by_year: dict[int, list[int]] = {}
    for year, seq, received_at in rows:
        assert year == received_at.astimezone(KZ_TZ).year
        by_year.setdefault(year, []).append(seq)
    assert set(by_year) == {2024, 2025, 2026}
    for year, numbers in by_year.items():
        assert numbers == list(range(1, len(numbers) + 1))
        assert counters[year] == len(numbers)
    received = [r.received_at for r in rows]
    assert received == sorted(received)


def test_consents_and_notifications_follow_rules_15_18_22(demo: tuple[Workbench, Any]) -> None:
    bench, _ = demo
    with bench.sessions() as session:
        requests = {
            r.id: (r, birth)
            for r, birth in session.execute(
                select(Request, Child.birth_on).join(Child, Child.id == Request.child_id)
            ).all()
        }
        consents = session.scalars(select(Consent)).all()
        notices: dict[int, set[str]] = {}
        for notice in session.scalars(select(Notification)):
            notices.setdefault(notice.request_id, set()).add(notice.recipient)
            assert (
                notice.sent_at is None
                or notice.sent_at >= requests[notice.request_id][0].received_at
            )
    for consent in consents:
        request, birth = requests[consent.request_id]
        day = request.received_at.astimezone(KZ_TZ).date()
        assert consent_requirement(
            birth, on=day, direct_threat=request.direct_threat
        ).consent_needed
    threats = [(r, b) for r, b in requests.values() if r.direct_threat]
    assert threats
    for request, birth in threats:
        day = request.received_at.astimezone(KZ_TZ).date()
        expected = consent_requirement(birth, on=day, direct_threat=True).notify
        assert notices[request.id] == expected
        assert {"health", "police", "child_rights_body"} <= notices[request.id]
    assert not set(notices) - {r.id for r, _ in threats}


# Proportions (demo scale) -------------------------------------------------------------------


def test_demo_scale_reports_its_time_and_progress(demo: tuple[Workbench, Any]) -> None:
    _, (summary, progress) = demo
    assert (
        summary.seconds > 0
    )  # how long it took is measured by `make benchmark`, not asserted here
    assert summary.counts["children"] == 6_000 + 1_143  # today's pupils and those who left
    assert summary.counts["requests"] == 3_800
    assert summary.counts["screening_results"] <= 30_000
    lines = progress.strip().splitlines()
    assert len(lines) >= 8
    assert lines[0].startswith("Region: 6 districts, 40 schools")
    assert "7,143 children" in str(summary)


def test_request_mix_matches_the_tables(demo: tuple[Workbench, Any]) -> None:
    bench, _ = demo
    with bench.sessions() as session:
        rows = session.execute(
            select(Request.source, Request.channel, Request.direct_threat, Request.origin)
        ).all()
    total = len(rows)
    threats = sum(1 for r in rows if r.direct_threat)
    assert 0.03 <= threats / total <= 0.05
    ordinary = [r for r in rows if not r.direct_threat and r.origin is None]
    sources = Counter(r.source for r in ordinary)
    for source, share in ORDINARY_SOURCE_MIX.items():
        assert abs(sources[source] / len(ordinary) - share) < 0.03, source
    channels = Counter(r.channel for r in ordinary)
    for channel, share in expected_channel_mix(ORDINARY_SOURCE_MIX).items():
        assert abs(channels[channel] / len(ordinary) - share) < 0.03, channel
    referrals = [r for r in rows if r.origin is not None]
    assert referrals and all(r.origin.startswith("screening:") for r in referrals)


def test_schools_languages_and_sizes(demo: tuple[Workbench, Any]) -> None:
    bench, _ = demo
    with bench.sessions() as session:
        schools = session.scalars(select(EducationOrganization)).all()
        sen = session.scalar(select(func.avg(Child.special_needs)))
    languages = Counter(s.language for s in schools)
    assert languages == {"kk": 26, "ru": 10, "mixed": 4}
    for school in schools:
        low, high = (600, 2_500) if school.is_urban else (50, 400)
        assert low <= school.student_count <= high
    assert 0.02 <= float(sen or 0) <= 0.04


def test_concern_codes_are_rule_19_codes(demo: tuple[Workbench, Any]) -> None:
    bench, _ = demo
    with bench.sessions() as session:
        used = set(session.scalars(select(RequestConcern.concern).distinct()))
    assert used <= set(CONCERN_CODES)
    assert {"suicidal", "crisis_divorce", "crisis_bereavement", "bullying"} <= used


def test_latent_risk_drives_escalation_and_critical_answers(demo: tuple[Workbench, Any]) -> None:
    bench, _ = demo
    with bench.sessions() as session:
        tiers = dict(
            session.execute(
                select(DemoGroundTruth.risk_tier, func.avg(DemoGroundTruth.escalated)).group_by(
                    DemoGroundTruth.risk_tier
                )
            ).all()
        )
        critical = dict(
            session.execute(
                select(DemoGroundTruth.risk_tier, func.avg(ScreeningResult.critical))
                .join(ScreeningResult, ScreeningResult.child_id == DemoGroundTruth.child_id)
                .group_by(DemoGroundTruth.risk_tier)
            ).all()
        )
        escalated = session.scalar(select(func.count()).where(DemoGroundTruth.escalated))
        threats = session.scalar(
            select(func.count()).select_from(Request).where(Request.direct_threat)
        )
    assert tiers["low"] < tiers["elevated"] < tiers["high"]
    assert critical["low"] < critical["elevated"] < critical["high"]
    assert escalated == threats


# Staffing norm (Rule 24) --------------------------------------------------------------------


def _units(bench: Workbench) -> dict[str, float]:
    with bench.sessions() as session:
        rows = session.execute(
            select(StaffMember.category, func.sum(StaffMember.fte)).group_by(StaffMember.category)
        ).all()
    return {category: float(units) for category, units in rows}


def test_rule_24_is_met_by_default(tiny: Workbench) -> None:
    units = _units(tiny)
    assert units == {"administrative": 11.0, "core": 34.0, "auxiliary": 12.0}
    assert check_staffing_norm(**units).compliant


def test_rule_24_is_broken_when_asked(tmp_path: Path) -> None:
    bench = fresh_workbench(tmp_path)
    build_demo_region(bench, seed=7, scale="tiny", compliant=False, progress=None)
    units = _units(bench)
    assert units == {"administrative": 11.0, "core": 26.0, "auxiliary": 17.0}
    broken = {v.rule for v in check_staffing_norm(**units).violations}
    assert broken == {"24", "24.2", "24.3"}


def test_every_role_has_a_user(tiny: Workbench) -> None:
    from pcenter_lib.domain.access import ROLE_CODES

    with tiny.sessions() as session:
        roles = set(session.scalars(select(UserRole.role)))
        names = set(session.scalars(select(User.username)))
        linked = session.scalar(select(func.count()).where(StaffMember.user_id.is_not(None)))
    assert roles == set(ROLE_CODES)
    assert {
        "operator1",
        "specialist1",
        "supervisor1",
        "methodologist1",
        "manager1",
        "analyst1",
        "admin1",
    } <= names
    assert linked == len(names)


# All or nothing ---------------------------------------------------------------------------


def test_building_twice_is_refused_and_writes_nothing(tiny: Workbench) -> None:
    def counts() -> tuple[int, int, int]:
        with tiny.sessions() as session:
            return (
                session.scalar(select(func.count()).select_from(Child)) or 0,
                session.scalar(select(func.count()).select_from(Request)) or 0,
                session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            )

    before = counts()
    assert database_has_data(tiny)
    with pytest.raises(DemoDatabaseNotEmptyError) as caught:
        build_demo_region(tiny, seed=7, scale="tiny", compliant=True, progress=None)
    assert isinstance(caught.value, ValueError)
    assert "empty database" in str(caught.value)
    assert "--if-empty" in caught.value.localized("kk")
    assert caught.value.localized("ru") != str(caught.value)
    assert counts() == before


def test_a_database_with_only_a_user_counts_as_holding_data(tmp_path: Path) -> None:
    bench = fresh_workbench(tmp_path)
    assert not database_has_data(bench)
    with bench.sessions.begin() as session:
        add_user(session, actor="test", username="someone", full_name="", roles=["analyst"])
    assert database_has_data(bench)
    with pytest.raises(DemoDatabaseNotEmptyError):
        build_demo_region(bench, seed=1, scale="tiny", compliant=True, progress=None)


def test_the_audit_chain_verifies_with_one_build_event(tiny: Workbench) -> None:
    with tiny.sessions() as session:
        assert verify_chain(session).intact
        events = session.scalars(select(AuditEvent)).all()
    assert [e.action for e in events] == ["demo_build"]
    assert events[0].details["seed"] == 7 and events[0].details["scale"] == "tiny"


@pytest.mark.parametrize("seed", [-1, 2**32, True, 1.5])
def test_invalid_seeds_are_refused(tmp_path: Path, seed: Any) -> None:
    bench = fresh_workbench(tmp_path)
    with pytest.raises(InvalidDemoSeedError):
        build_demo_region(bench, seed=seed, scale="tiny", compliant=True, progress=None)
    assert not database_has_data(bench)


def test_an_unknown_scale_is_refused(tmp_path: Path) -> None:
    bench = fresh_workbench(tmp_path)
    with pytest.raises(UnknownScaleError, match="tiny, demo, region"):
        build_demo_region(bench, seed=1, scale="huge", compliant=True, progress=None)


def test_later_records_get_fresh_ids_on_postgresql(any_workbench: Workbench) -> None:
    build_demo_region(any_workbench, seed=3, scale="tiny", compliant=True, progress=None)
    with any_workbench.sessions.begin() as session:
        add_user(session, actor="test", username="newcomer", full_name="", roles=["analyst"])
    with any_workbench.sessions() as session:
        ids = session.scalars(select(User.id).order_by(User.id)).all()
        assert session.scalar(select(User.id).where(User.username == "newcomer")) == max(ids)
        assert verify_chain(session).intact


# Catalogs ---------------------------------------------------------------------------------


def _demo_msgids() -> set[str]:
    found = set()
    for path in DEMO_PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "N_"
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(str(node.args[0].value))
    return found


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_demo_message_is_translated_with_the_same_placeholders(lang: str) -> None:
    import string

    with (LOCALE / lang / "LC_MESSAGES" / "demo.po").open("rb") as handle:
        catalog = {m.id: m.string for m in read_po(handle) if m.id}
    wanted = _demo_msgids()
    assert len(wanted) >= 10
    assert wanted <= set(catalog)
    for msgid in wanted:
        fields = {f for _, f, _, _ in string.Formatter().parse(msgid) if f}
        translated = {f for _, f, _, _ in string.Formatter().parse(str(catalog[msgid])) if f}
        assert fields == translated, msgid


def test_history_ends_at_the_fixed_reference_day(tiny: Workbench) -> None:
    with tiny.sessions() as session:
        latest = session.scalar(select(func.max(Request.received_at)))
        earliest = session.scalar(select(func.min(Request.received_at)))
    assert latest is not None and earliest is not None
    assert latest.astimezone(KZ_TZ).date() <= DEMO_TODAY
    assert earliest.astimezone(KZ_TZ).date() >= DEMO_TODAY - timedelta(days=2 * 366 + 90)


def test_demo_notices_are_due_in_minutes_and_critical_answers_reviewed(tiny: Workbench) -> None:
    """Rules 18, 22: due an hour after the threat; Rule 16: every referral reviewed, most the
    same working day; the children's names are in the search index."""
    with tiny.sessions() as session:
        notices = session.scalars(select(Notification)).all()
        referrals = session.scalars(select(Request).where(Request.priority_review)).all()
        tokens = session.scalar(select(func.count()).select_from(ChildNameToken))
        children = session.scalar(select(func.count()).select_from(Child))
    assert notices and all(n.owed_at is not None for n in notices)
    assert all(n.due_at - n.owed_at == timedelta(minutes=60) for n in notices if n.owed_at)
    assert "local_executive_body" in {n.recipient for n in notices}
    sent = [n for n in notices if n.sent_at is not None]
    on_time = sum(n.sent_at <= n.due_at for n in sent if n.sent_at is not None)
    assert 0.75 < on_time / len(sent) < 0.97
    assert referrals and all(r.reviewed_at is not None and r.review_due_at for r in referrals)
    assert all(r.review_decision == "no_direct_threat" and r.review_reason for r in referrals)
    assert sum(
        r.reviewed_at <= r.review_due_at for r in referrals if r.reviewed_at and r.review_due_at
    ) >= 0.8 * len(referrals)
    assert tokens is not None and children is not None and tokens >= 2 * children


def test_casework_codes_are_the_apps_codes(tiny: Workbench) -> None:
    """Every code the demo writes into casework is one the apps label: kinds of help (Rule 17),
    roles in a mobile group, the channels notices went by — never a code shown raw."""
    from pcenter_lib.domain.intake_rules import CHANNEL_LABELS, NOTIFICATION_CHANNELS, SUPPORT_KINDS
    from pcenter_lib.domain.positions import GROUP_ROLES
    from pcenter_lib.models import MobileGroupMember, SupportPlanItem

    with tiny.sessions() as session:
        kinds = set(session.scalars(select(SupportPlanItem.kind).distinct()))
        roles = set(session.scalars(select(MobileGroupMember.role_in_group).distinct()))
        channels = set(session.scalars(select(Notification.channel).distinct())) - {None}
    assert kinds and kinds <= {code for code, _label in SUPPORT_KINDS}
    assert roles and roles <= set(GROUP_ROLES)
    assert channels <= set(CHANNEL_LABELS) | {code for code, _label in NOTIFICATION_CHANNELS}


def test_every_demo_study_is_scored_on_its_domains_and_gets_its_note(tmp_path: Path) -> None:
    """A methodologist opening a demo study writes its analytical note (Rule 21) without an error."""
    from pcenter_lib.diagnostics.ppss import check_domain_scores
    from pcenter_lib.models import PpssStudy, Report
    from pcenter_lib.services.ppss_studies import write_analytical_note

    bench = fresh_workbench(tmp_path)
    build_demo_region(bench, seed=7, scale="tiny", compliant=True, progress=None)
    with bench.sessions.begin() as session:
        studies = session.scalars(select(PpssStudy).order_by(PpssStudy.id)).all()
        assert studies
        for study in studies:
            check_domain_scores(study.domain_scores)
        scores = {score for study in studies for score in study.domain_scores.values()}
        assert {0, 3} <= scores <= {0, 1, 2, 3}  # the whole scale is used, nothing outside it
        note = write_analytical_note(
            session, actor="methodologist1", study_id=studies[0].id, lang="kk"
        )
    with bench.sessions() as session:
        assert session.get(Report, note.report_id) is not None
