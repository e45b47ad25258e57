"""Case materials for intervision: a vignette drafted from a real case, then edited by hand.

Rule 14 keeps a child's identity confidential; Rule 11.3's intervision discusses real cases with
specialists from other schools. So the vignette is drafted here, inside the service: the child's
requests, concerns, screening results and case history are read from the database, the
identities of the child, the family, the school and the staff are decrypted only in this
function, handed to ``pcenter_lib.deidentify.draft_vignette`` and to the leak check as the
strings it must not find, and never returned, stored or audited. What comes out is the
de-identified text. Every export checks the materials again (``services/intervision_packs.py``).

An edit is saved even when it holds an identifier, so nothing the methodologist typed is lost,
and the findings are returned with it to be shown in place; a material with a finding cannot
leave the Center (the export gate refuses it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.deidentify import (
    CaseEvent,
    CaseFacts,
    CasePerson,
    Leak,
    PackMaterial,
    draft_vignette,
    find_identifiers,
    find_leaks,
)
from pcenter_lib.deidentify.gate import mask
from pcenter_lib.deidentify.vignette import ROLE_LABELS
from pcenter_lib.diagnostics.instruments import instrument_registry
from pcenter_lib.diagnostics.view_tables import band_label
from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.concerns import CONCERNS_BY_CODE
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.errors import NotFoundError
from pcenter_lib.i18n import N_, Translator, check_language
from pcenter_lib.models import (
    Case,
    Child,
    District,
    EducationOrganization,
    Instrument,
    IntervisionMaterial,
    IntervisionMaterialEdit,
    LegalRepresentative,
    Request,
    ScreeningResult,
    ScreeningRound,
    StaffMember,
)
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import keyring_of, record_event
from pcenter_lib.services.intervision_sessions import load_session_row
from pcenter_lib.services.intervision_views import MaterialView, fitted, session_view
from pcenter_lib.services.users import load_actor

MISSING_CASE = N_("There is no case with id {id}.")
MISSING_MATERIAL = N_("There is no material with id {id} in this session.")
# a relation of a legal representative or an applicant → the role the vignette names
RELATION_ROLES: Final = {
    "mother": "mother",
    "father": "father",
    "guardian": "guardian",
    "trustee": "guardian",
    "grandmother": "grandmother",
    "grandfather": "grandfather",
    "stepfather": "stepfather",
    "stepmother": "stepmother",
    "brother": "brother",
    "sister": "sister",
    "class_teacher": "class_teacher",
    "teacher": "class_teacher",
    "school_psychologist": "school_psychologist",
    "social_pedagogue": "social_pedagogue",
}
_CONTACT_SPLIT: Final = re.compile(r"[;,\n]+")


@dataclass(frozen=True)
class MaterialCheck:
    """A material as saved, and what the leak check finds in it (shown in place)."""

    material: MaterialView
    leaks: tuple[Leak, ...]
    version: int


def _decrypt(cipher: IdentityCipher, token: bytes | None) -> str:
    return (cipher.decrypt(token) or "").strip() if token else ""


def _school_names(session: Session, school_id: int | None) -> tuple[str, ...]:
    school = session.get(EducationOrganization, school_id) if school_id else None
    return () if school is None else (school.name_kk, school.name_ru)


def staff_names(session: Session) -> tuple[str, ...]:
    """The Center's staff names: a vignette naming any of them points at a case."""
    return tuple(session.scalars(select(StaffMember.full_name)))


def _events(session: Session, case: Case, child: Child, t: Translator) -> list[CaseEvent]:
    events: list[CaseEvent] = []
    requests = session.scalars(
        select(Request).where(Request.child_id == child.id).order_by(Request.received_at)
    )
    for request in requests:
        concerns = ", ".join(
            t(CONCERNS_BY_CODE[c.concern].label)
            for c in request.concerns
            if c.concern in CONCERNS_BY_CODE
        )
        text = t("Request: {concerns}.").format(concerns=concerns or "—")
        if request.description.strip():
            text += " " + request.description.strip()
        events.append(CaseEvent(request.received_at.astimezone(KZ_TZ).date(), text))
    screening = session.execute(
        select(
            ScreeningRound.conducted_on,
            Instrument.code,
            ScreeningResult.band,
            ScreeningResult.critical,
        )
        .join(ScreeningRound, ScreeningResult.screening_round_id == ScreeningRound.id)
        .join(Instrument, ScreeningRound.instrument_id == Instrument.id)
        .where(ScreeningResult.child_id == child.id)
    ).all()
    for on, instrument, band, critical in screening:
        definition = instrument_registry().get(instrument)
        name = definition.name.get(t.lang, instrument) if definition else instrument.upper()
        level = band_label(definition, band, t.lang) if definition and band else (band or "—")
        text = t("Screening {instrument}: result {band}.").format(instrument=name, band=level)
        if critical:
            text += " " + t("A critical answer was given.")
        events.append(CaseEvent(on, text))
    events.append(CaseEvent(case.opened_at.astimezone(KZ_TZ).date(), t("The case was opened.")))
    for change in case.history:
        if change.note:
            events.append(CaseEvent(change.changed_at.astimezone(KZ_TZ).date(), change.note))
    return events


def case_facts(
    session: Session, case: Case, cipher: IdentityCipher, lang: str
) -> tuple[CaseFacts, tuple[str, ...]]:
    """The case's facts for the drafter, and every identifying string for the leak check."""
    t = Translator(lang)
    child = session.get(Child, case.child_id)
    assert child is not None
    identity = child.identity
    name = _decrypt(cipher, identity.full_name_enc) if identity else ""
    contacts = _CONTACT_SPLIT.split(_decrypt(cipher, identity.contacts_enc)) if identity else []
    family = [
        CasePerson(
            _decrypt(cipher, rep.full_name_enc), RELATION_ROLES.get(rep.relation, "relative")
        )
        for rep in session.scalars(
            select(LegalRepresentative).where(LegalRepresentative.child_id == child.id)
        )
    ]
    for request in session.scalars(select(Request).where(Request.child_id == child.id)):
        applicant = _decrypt(cipher, request.applicant_name_enc)
        if applicant and applicant != name:
            role = RELATION_ROLES.get(request.applicant_relation or "", "relative")
            family.append(CasePerson(applicant, role))
    school = session.get(EducationOrganization, child.education_organization_id or 0)
    district = session.get(District, school.district_id) if school else None
    staff = [CasePerson(case.responsible, "center_specialist")] if case.responsible else []
    facts = CaseFacts(
        child_name=name or child.code,
        child_sex=child.sex.value if child.sex else None,
        child_iin=_decrypt(cipher, identity.iin_enc) if identity else "",
        birth_on=child.birth_on,
        school=(school.name_ru if lang == "ru" else school.name_kk) if school else "",
        address=_decrypt(cipher, identity.address_enc) if identity else "",
        settlement=(district.name_ru if lang == "ru" else district.name_kk) if district else "",
        settlement_kind="city" if school is None or school.is_urban else "village",
        phones=tuple(c.strip() for c in contacts if c.strip() and "@" not in c),
        emails=tuple(c.strip() for c in contacts if "@" in c),
        family=tuple(p for p in family if p.name and p.role in ROLE_LABELS),
        staff=tuple(staff),
        events=tuple(_events(session, case, child, t)),
    )
    extra = [*_school_names(session, child.education_organization_id), *staff_names(session)]
    if district is not None:
        extra += [district.name_kk, district.name_ru]
    known = tuple(dict.fromkeys(k for k in (*facts.known(), *extra) if k.strip()))
    return facts, known


def known_for(session: Session, case_ids: set[int], lang: str) -> tuple[str, ...]:
    """Every identifying string of these cases, for the leak check of an export."""
    cipher = keyring_of(session).cipher
    known: list[str] = list(staff_names(session))
    for case_id in sorted(case_ids):
        case = session.get(Case, case_id)
        if case is not None:
            known += case_facts(session, case, cipher, lang)[1]
    return tuple(dict.fromkeys(known))


def _check(session: Session, material: IntervisionMaterial) -> tuple[Leak, ...]:
    known = known_for(session, {material.case_id} if material.case_id else set(), material.language)
    return tuple(find_leaks([PackMaterial(material.title, material.text)], known=known))


def _checked(session: Session, material: IntervisionMaterial, version: int) -> MaterialCheck:
    view = next(
        m
        for m in session_view(load_session_row(session, material.intervision_session_id)).materials
        if m.id == material.id
    )
    return MaterialCheck(view, _check(session, material), version)


def draft_material(
    session: Session,
    *,
    actor: str,
    session_id: int,
    case_id: int,
    lang: str,
    expected_version: int,
) -> MaterialCheck:
    """Draft a de-identified vignette of ``case_id`` in ``lang`` as a material of the session."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    lang = check_language(lang)
    row = load_session_row(session, session_id, expected_version)
    case = session.get(Case, case_id)
    if case is None:
        raise NotFoundError(MISSING_CASE, id=case_id)
    facts, known = case_facts(session, case, keyring_of(session).cipher, lang)
    draft = draft_vignette(facts, lang=lang)
    # The drafter knows the school and district in one language; the check knows both, and
    # whatever it still finds is masked before anything is stored.
    text = mask(draft.text, find_identifiers(draft.text, known=known))
    material = IntervisionMaterial(
        case_id=case.id, title=draft.title, language=lang, text=text, drafted_by=actor
    )
    row.materials.append(material)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="draft_intervision_material",
        entity="intervision_session",
        entity_id=row.id,
        details={
            "material_id": material.id,
            "case_id": case.id,
            "language": lang,
            "replacements": draft.replacements,
        },
    )
    return _checked(session, material, row.version)


def edit_material(
    session: Session,
    *,
    actor: str,
    session_id: int,
    material_id: int,
    title: str,
    text: str,
    expected_version: int,
) -> MaterialCheck:
    """Save the methodologist's edit; the findings of the leak check come back with it."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    row = load_session_row(session, session_id, expected_version)
    material = next((m for m in row.materials if m.id == material_id), None)
    if material is None:
        raise NotFoundError(MISSING_MATERIAL, id=material_id)
    material.title = fitted(N_("Title"), title, IntervisionMaterial, "title") or material.title
    material.text = fitted(N_("Text of the material"), text, IntervisionMaterial, "text")
    material.edits.append(IntervisionMaterialEdit(edited_by=actor, text=material.text))
    session.flush()
    checked = _checked(session, material, row.version)
    record_event(
        session,
        actor=actor,
        action="edit_intervision_material",
        entity="intervision_session",
        entity_id=row.id,
        details={
            "material_id": material.id,
            "findings": len(checked.leaks),
            "kinds": sorted({leak.kind for leak in checked.leaks}),
        },
    )
    return checked


def check_material(
    session: Session, *, actor: str, session_id: int, material_id: int
) -> MaterialCheck:
    """What the leak check finds in a saved material now."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    row = load_session_row(session, session_id)
    material = next((m for m in row.materials if m.id == material_id), None)
    if material is None:
        raise NotFoundError(MISSING_MATERIAL, id=material_id)
    return _checked(session, material, row.version)


def list_cases(session: Session, *, actor: str, limit: int = 200) -> list[tuple[int, str, str]]:
    """Cases a vignette may be drafted from: (id, child's code, status), by pseudonymous code
    only — the picker never shows a name."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    rows = session.execute(
        select(Case.id, Child.code, Case.status)
        .join(Child, Case.child_id == Child.id)
        .order_by(Case.opened_at.desc())
        .limit(limit)
    ).all()
    return [(case_id, code, status.value) for case_id, code, status in rows]
