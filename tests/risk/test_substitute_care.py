"""Substitute care in the risk history: every form the Code "On marriage (matrimony) and family"
knows, not only guardianship and trusteeship.

The attack: a child in a foster family, with a patronage carer, or living in an organization for
orphans (its head acts as guardian) was read as a child with parents, so the indicator of
substitute care stayed 0 for exactly the children it is about.
"""

from __future__ import annotations

from datetime import date

import pytest

from pcenter_lib.domain.applicants import (
    APPLICANT_RELATIONS,
    REPRESENTATIVE_LABELS,
    REPRESENTATIVE_RELATIONS,
    SUBSTITUTE_CARE_RELATIONS,
)
from pcenter_lib.i18n import gettext
from pcenter_lib.models import LegalRepresentative
from pcenter_lib.services.children import ChildDraft
from pcenter_lib.services.risk_data import load_history
from pcenter_lib.workbench import Workbench
from tests.intake.world import IntakeWorld, build_world, iin_for

RELATIONS = ("mother", "father", "adoptive_parent", "guardian", "trustee", "foster_parent",
             "patronage_carer", "care_org_head")  # fmt: skip
# Russian and Kazakh words of the Code and of the state service for patronage upbringing
WORDING = {
    "foster_parent": ("Приёмный родитель", "Қабылдаушы ата-ана"),
    "patronage_carer": ("Патронатный воспитатель", "Патронат тәрбиеші"),
    "care_org_head": ("Руководитель организации для детей-сирот", "ұйымның басшысы"),
}


@pytest.fixture
def world(workbench: Workbench) -> IntakeWorld:
    return build_world(workbench)


def test_every_form_of_substitute_care_is_a_representative_and_an_applicant() -> None:
    assert {
        "guardian", "trustee", "foster_parent", "patronage_carer", "care_org_head"
    } == SUBSTITUTE_CARE_RELATIONS  # fmt: skip
    assert SUBSTITUTE_CARE_RELATIONS <= REPRESENTATIVE_RELATIONS
    assert {code for code, _label in APPLICANT_RELATIONS} >= SUBSTITUTE_CARE_RELATIONS
    assert "adoptive_parent" not in SUBSTITUTE_CARE_RELATIONS  # adoption makes parents
    for code, (ru, kk) in WORDING.items():
        assert gettext(REPRESENTATIVE_LABELS[code], "ru").startswith(ru)
        assert kk in gettext(REPRESENTATIVE_LABELS[code], "kk")


def test_the_risk_history_counts_every_form_of_substitute_care(world: IntakeWorld) -> None:
    children = {}
    for serial, relation in enumerate(RELATIONS, start=1):
        done = world.register(
            world.draft(
                child=ChildDraft(
                    full_name=f"Ребёнок {serial}",
                    iin=iin_for(date(2012, 4, serial), "female", serial),
                    education_organization_id=world.school_id,
                ),
            )
        )
        assert done.child_id is not None
        children[relation] = done.child_id
    with world.bench.sessions.begin() as session:
        for relation, child_id in children.items():
            session.add(
                LegalRepresentative(
                    child_id=child_id,
                    relation=relation,
                    full_name_enc=world.bench.cipher.encrypt("Айгүл Серікқызы"),
                )
            )
    with world.bench.sessions() as session:
        history = load_history(session)
    kids = history.tables["children"]
    flagged = dict(zip(kids["child_id"], kids["guardian"], strict=True))
    assert {r for r, child in children.items() if flagged[child]} == SUBSTITUTE_CARE_RELATIONS
