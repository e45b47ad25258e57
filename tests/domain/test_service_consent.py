"""Rule 15 as one decision table (``domain.service_consent``), applicants and field errors.

Every row of the table is a worked case of the Rule's reading: the waiver covers the open
threat only, advice not about a named child needs no consent, a child of unknown age waits for
consent, from the 16th birthday none is needed. A property test states the whole rule.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcenter_lib.domain.applicants import (
    LEGAL_REPRESENTATIVES,
    PERSONAL_APPEAL,
    PERSONAL_APPLICATION,
    REPRESENTATIVE_RELATIONS,
    personal_appeal_source,
)
from pcenter_lib.domain.consent import is_under_16
from pcenter_lib.domain.field_errors import (
    FieldErrors,
    IntakeValidationError,
    IntakeValidationErrors,
)
from pcenter_lib.domain.intake_rules import SOURCES_BY_CODE, check_applicant, check_concerns
from pcenter_lib.domain.service_consent import (
    BASES,
    REFUSALS,
    ServiceCase,
    ServiceDecision,
    decide_service,
)
from pcenter_lib.i18n import catalog

ON = date(2026, 3, 18)
FIFTEEN = date(2010, 12, 1)
SIXTEEN_TODAY = date(2010, 3, 18)


def case(**changes: object) -> ServiceCase:
    values: dict[str, object] = {"recipient": "child", "on": ON, "child_linked": True}
    values.update(changes)
    return ServiceCase(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        (case(child_birth_date=FIFTEEN), ServiceDecision(False, refusal="no_consent")),
        (case(child_birth_date=FIFTEEN, consent_in_force=True), ServiceDecision(True, "consent")),
        (case(child_birth_date=FIFTEEN, threat_open=True), ServiceDecision(True, "direct_threat")),
        (case(child_birth_date=SIXTEEN_TODAY), ServiceDecision(True, "age")),
        (
            case(child_birth_date=SIXTEEN_TODAY + timedelta(days=1)),
            ServiceDecision(False, refusal="no_consent"),
        ),
        (case(), ServiceDecision(False, refusal="age_unknown")),  # provisional child
        (case(consent_in_force=True), ServiceDecision(True, "consent")),
        (case(child_linked=False), ServiceDecision(False, refusal="child_unknown")),
        (case(child_linked=False, anonymous_request=True), ServiceDecision(True, "anonymous")),
        (case(child_linked=False, recipient="teacher"), ServiceDecision(True, "not_about_a_child")),
        (case(child_linked=False, recipient="parent"), ServiceDecision(True, "not_about_a_child")),
        # Advice to the parent *about* a named child under 16 is a service to that child.
        (
            case(recipient="parent", child_birth_date=FIFTEEN),
            ServiceDecision(False, refusal="no_consent"),
        ),
        (case(child_linked=False, threat_open=True), ServiceDecision(True, "direct_threat")),
    ],
)
def test_decision_table(service: ServiceCase, expected: ServiceDecision) -> None:
    decision = decide_service(service)
    assert decision == expected
    assert decision.message in (BASES | REFUSALS).values()


def test_every_basis_and_refusal_is_translated_and_cites_rule_15() -> None:
    for code, msgid in (BASES | REFUSALS).items():
        for lang in ("kk", "ru"):
            assert catalog(lang)[msgid] != msgid, (code, lang)
    assert "Rule 15" in REFUSALS["no_consent"] and "Rule 15" in BASES["direct_threat"]


def test_unknown_recipient_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="recipient"):
        decide_service(case(recipient="neighbour"))


@given(
    born=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 3, 18)),
    threat=st.booleans(),
    consent=st.booleans(),
    recipient=st.sampled_from(["child", "parent", "teacher"]),
)
def test_rule_15_as_a_property(born: date, threat: bool, consent: bool, recipient: str) -> None:
    decision = decide_service(
        case(
            recipient=recipient, child_birth_date=born, threat_open=threat, consent_in_force=consent
        )
    )
    under_16 = is_under_16(born, ON)
    assert decision.allowed is (threat or not under_16 or consent)
    if threat:
        assert decision.basis == "direct_threat"
    elif not under_16:
        assert decision.basis == "age"


def test_the_family_code_representatives_are_all_there() -> None:
    assert {
        "mother",
        "father",
        "adoptive_parent",
        "guardian",
        "trustee",
        "foster_parent",
        "patronage_carer",
        "care_org_head",
    } == REPRESENTATIVE_RELATIONS
    kazakh = {r.code: catalog("kk")[r.label] for r in LEGAL_REPRESENTATIVES}
    assert kazakh["foster_parent"] == "Қабылдаушы ата-ана"
    assert kazakh["patronage_carer"] == "Патронат тәрбиеші"
    assert "жетім балаларға" in kazakh["care_org_head"]
    assert all(len(code) <= 20 for code in REPRESENTATIVE_RELATIONS)  # fits the relation columns


@pytest.mark.parametrize(
    ("typed", "born", "expected"),
    [
        (PERSONAL_APPLICATION, FIFTEEN, PERSONAL_APPEAL),
        (PERSONAL_APPEAL, FIFTEEN, PERSONAL_APPEAL),
        (PERSONAL_APPEAL, SIXTEEN_TODAY, PERSONAL_APPLICATION),
        (PERSONAL_APPLICATION, SIXTEEN_TODAY + timedelta(days=1), PERSONAL_APPEAL),
        (PERSONAL_APPLICATION, None, PERSONAL_APPLICATION),  # age unknown: kept as typed
        (PERSONAL_APPEAL, None, PERSONAL_APPEAL),
        ("teacher", FIFTEEN, "teacher"),
        (PERSONAL_APPEAL, ON + timedelta(days=1), PERSONAL_APPEAL),  # impossible birth: as typed
    ],
)
def test_personal_appeal_source(typed: str, born: date | None, expected: str) -> None:
    assert personal_appeal_source(typed, born, ON) == expected


def test_an_applicant_who_gives_no_name_is_anonymous_not_refused() -> None:
    teacher = SOURCES_BY_CODE["teacher"]
    with pytest.raises(IntakeValidationError) as caught:
        check_applicant(teacher, applicant_name=None, relation=None)
    assert caught.value.field == "applicant_name" and "anonymous" in str(caught.value)
    check_applicant(teacher, applicant_name=None, relation=None, anonymous=True)
    check_applicant(SOURCES_BY_CODE[PERSONAL_APPEAL], applicant_name=None, relation="self")


def test_a_new_request_names_at_least_one_concern() -> None:
    with pytest.raises(IntakeValidationError) as caught:
        check_concerns((), required=True)
    assert caught.value.field == "concerns" and "19" in caught.value.localized("kk")
    assert check_concerns(()) == ()  # a correction may leave the list as it was


def test_field_errors_are_collected_and_raised_together() -> None:
    errors = FieldErrors()
    assert errors.collect(lambda: 5) == 5
    errors.collect(lambda: check_concerns((), required=True))
    errors.collect(lambda: check_concerns(("boredom",)))
    with pytest.raises(IntakeValidationErrors) as caught:
        errors.raise_if_any()
    many = caught.value
    assert many.field == "concerns" and len(many.errors) == 2
    assert list(many.by_field("ru")) == ["concerns"] and len(many.by_field("ru")["concerns"]) == 2
    assert many.localized("ru").startswith("Нужно исправить полей: 2.")
    single = FieldErrors()
    single.collect(lambda: check_concerns((), required=True))
    with pytest.raises(IntakeValidationError) as one:
        single.raise_if_any()
    assert not isinstance(one.value, IntakeValidationErrors)
    FieldErrors().raise_if_any()  # nothing collected: nothing raised
