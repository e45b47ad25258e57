"""The child of every critical screening answer, recorded in batches (Rules 13–14).

A request made from a critical answer names its child, never "child: not linked". A child known
by IIN is found through the blind index (``diagnostics``); a child with an IIN the Center has not
met yet is recorded from it (birth date and sex come from the IIN); a respondent known only by
the school's student code becomes a provisional child (age, grade, school), completed when the
school names the student (``child_records``). Rows of the same IIN, or of the same student code,
share one child.

Like the requests (``critical_answers``), the children are computed before the round's first
write — codes, blind indexes, ciphertexts — and then written with bulk inserts and one audit
event, so that a large round holds SQLite's writer lock for a fraction of a second rather than
one flush and one audit event per child.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final, cast

import pandas as pd
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics.importing import ParsedUpload
from pcenter_lib.domain.iin import parse_iin
from pcenter_lib.models import Child, ChildIdentity
from pcenter_lib.privacy import IdentityCipher, random_child_code
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.children import SEXES

BATCH: Final = 2000
_CHILDREN: Final = cast(Table, Child.__table__)
_IDENTITIES: Final = cast(Table, ChildIdentity.__table__)


@dataclass(frozen=True)
class PreparedChildren:
    """The children to record for the critical answer sheets that named no known child."""

    children: tuple[dict[str, object], ...]  # the ``children`` columns of each new child
    identities: tuple[dict[str, object], ...]  # its ``child_identities`` columns but child_id
    slot_of_row: Mapping[int, int]  # position in the upload → index in ``children``


def _value(raw: object) -> object | None:
    """A cell of the upload, with pandas' missing values (NaN, NA) as None."""
    missing = raw is None or raw is pd.NA or (isinstance(raw, float) and math.isnan(raw))
    return None if missing else raw


def _child_columns(
    cipher: IdentityCipher, iin: object, *, sex: object, age: object, grade: object, school_id: int
) -> tuple[dict[str, object], dict[str, object]]:
    """One new child's row and identity row: from the IIN, or provisional."""
    number: str | None = None
    birth_on: date | None = None
    sex_code = sex if sex in SEXES else None
    approx_age = None if age is None else int(cast(float, age))
    if isinstance(iin, str):
        parsed = parse_iin(iin)
        number, birth_on, sex_code, approx_age = (
            parsed.value,
            parsed.birth_date,
            str(parsed.sex),
            None,
        )
    child: dict[str, object] = {
        "code": cipher.child_code(number) if number else random_child_code(),
        "birth_on": birth_on,
        "sex": sex_code,
        "provisional": number is None,
        "approx_age": approx_age,
        "education_organization_id": school_id,
        "grade": None if grade is None else int(cast(float, grade)),
        "special_needs": False,
        "version": 1,
    }
    identity: dict[str, object] = {
        "iin_index": cipher.blind_index(number) if number else None,
        "full_name_enc": cipher.encrypt("") or b"",  # the school gives no name
        "iin_enc": cipher.encrypt(number),
    }
    return child, identity


def prepare_critical_children(
    parsed: ParsedUpload, *, cipher: IdentityCipher, child_ids: list[int | None], school_id: int
) -> PreparedChildren:
    """The children of the critical rows whose ``child_ids`` entry is None, computed in memory."""
    answers = parsed.answers
    columns = {
        name: answers[name].tolist() for name in ("iin", "student_code", "sex", "age", "grade")
    }
    children: list[dict[str, object]] = []
    identities: list[dict[str, object]] = []
    slots: dict[int, int] = {}
    made: dict[str, int] = {}
    for raw in parsed.critical_rows:
        position = int(raw)
        if child_ids[position] is not None:
            continue
        iin = _value(columns["iin"][position])
        key = iin if isinstance(iin, str) else f"code:{columns['student_code'][position]}"
        if key not in made:
            child, identity = _child_columns(
                cipher,
                iin,
                sex=_value(columns["sex"][position]),
                age=_value(columns["age"][position]),
                grade=_value(columns["grade"][position]),
                school_id=school_id,
            )
            made[key] = len(children)
            children.append(child)
            identities.append(identity)
        slots[position] = made[key]
    return PreparedChildren(tuple(children), tuple(identities), slots)


def write_critical_children(
    session: Session, *, actor: str, prepared: PreparedChildren, origin: str
) -> dict[int, int]:
    """Write the prepared children in the caller's transaction; position → the child's id."""
    if not prepared.children:
        return {}
    rows = list(prepared.children)
    for start in range(0, len(rows), BATCH):
        session.execute(insert(_CHILDREN), rows[start : start + BATCH])
    codes = [str(row["code"]) for row in rows]
    ids: dict[str, int] = {}
    for start in range(0, len(codes), 500):
        found = session.execute(
            select(Child.code, Child.id).where(Child.code.in_(codes[start : start + 500]))
        )
        ids.update((str(code), int(child_id)) for code, child_id in found)
    identity_rows = [
        {"child_id": ids[code], **identity}
        for code, identity in zip(codes, prepared.identities, strict=True)
    ]
    for start in range(0, len(identity_rows), BATCH):
        session.execute(insert(_IDENTITIES), identity_rows[start : start + BATCH])
    child_ids = [ids[code] for code in codes]
    record_event(
        session,
        actor=actor,
        action="create",
        entity="child",
        details={
            "origin": origin,
            "count": len(child_ids),
            "child_ids": child_ids,
            "provisional": sum(1 for row in rows if row["provisional"]),
        },
    )
    return {position: child_ids[slot] for position, slot in prepared.slot_of_row.items()}
