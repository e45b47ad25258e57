"""Finding a child without decrypting everybody: by IIN, by name words, by name and birth date.

Each search goes through a blind index — a keyed hash stored beside the encrypted identity
(``IdentityCipher.blind_index`` for the IIN, ``IdentityCipher.name_keys`` for the name) — so a
query reads a few index rows and decrypts only the children it shows, whatever the region's
size. A name matches when every word typed is a whole word of the child's name, in any order,
case and Kazakh/Russian spelling folded. Only roles that see identity may search (Rule 14);
every search is audited. Nothing is ever chosen for the person: the matches are listed with
birth date, school and grade, and the operator picks one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.intake_rules import OPEN_STATUSES
from pcenter_lib.models import Child, ChildIdentity, ChildNameToken, Request
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.children import require_identity
from pcenter_lib.services.users import load_actor

SEARCH_LIMIT = 20
IIN_LENGTH = 12


@dataclass(frozen=True, slots=True)
class ChildMatch:
    """A child found by a search; ``full_name`` only for roles that see identity."""

    child_id: int
    code: str
    full_name: str | None
    birth_on: date | None
    sex: str | None
    education_organization_id: int | None
    grade: int | None
    special_needs: bool
    open_requests: tuple[str, ...]
    provisional: bool = False
    approx_age: int | None = None


def child_by_iin(session: Session, cipher: IdentityCipher, iin: str) -> Child | None:
    """The child whose IIN is ``iin``, found through the blind index."""
    identity = session.scalar(
        select(ChildIdentity).where(ChildIdentity.iin_index == cipher.blind_index(iin))
    )
    return None if identity is None else identity.child


def _is_iin(text: str) -> bool:
    return text.isdigit() and len(text) == IIN_LENGTH


def child_ids_by_name(
    session: Session, cipher: IdentityCipher, text: str, *, limit: int | None = None
) -> list[int]:
    """Children (not merged away) whose name has every word of ``text``, newest first."""
    tokens = cipher.name_keys(text).tokens
    if not tokens:
        return []
    query = (
        select(ChildNameToken.child_id)
        .join(Child, Child.id == ChildNameToken.child_id)
        .where(ChildNameToken.token_index.in_(sorted(tokens)), Child.merged_into_id.is_(None))
        .group_by(ChildNameToken.child_id)
        .having(func.count(func.distinct(ChildNameToken.token_index)) == len(tokens))
        .order_by(ChildNameToken.child_id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def _child_ids(session: Session, cipher: IdentityCipher, text: str, limit: int | None) -> list[int]:
    if _is_iin(text):
        child = child_by_iin(session, cipher, text)
        return [] if child is None else [child.id]
    return child_ids_by_name(session, cipher, text, limit=limit)


def _open_requests(session: Session, child_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {cid: [] for cid in child_ids}
    if not child_ids:
        return found
    rows = session.execute(
        select(Request.child_id, Request.journal_year, Request.journal_seq)
        .where(Request.child_id.in_(child_ids), Request.status.in_(OPEN_STATUSES))
        .order_by(Request.journal_year, Request.journal_seq)
    )
    for child_id, year, seq in rows:
        if child_id is not None:
            found[child_id].append(f"{year}/{seq:06d}")
    return found


def matches_of(
    session: Session, cipher: IdentityCipher, child_ids: list[int], *, with_names: bool
) -> list[ChildMatch]:
    """The children ``child_ids`` as listed to the operator, in that order."""
    if not child_ids:
        return []
    rows = {
        child.id: (child, identity)
        for child, identity in session.execute(
            select(Child, ChildIdentity)
            .outerjoin(ChildIdentity, ChildIdentity.child_id == Child.id)
            .where(Child.id.in_(child_ids))
        )
    }
    open_requests = _open_requests(session, child_ids)
    found = []
    for child_id in child_ids:
        child, identity = rows[child_id]
        name = cipher.decrypt(identity.full_name_enc) if with_names and identity else None
        found.append(
            ChildMatch(
                child.id,
                child.code,
                name,
                child.birth_on,
                child.sex,
                child.education_organization_id,
                child.grade,
                child.special_needs,
                tuple(open_requests[child.id]),
                child.provisional,
                child.approx_age,
            )
        )
    return found


def find_children(
    session: Session, *, actor: str, cipher: IdentityCipher, query: str, limit: int = SEARCH_LIMIT
) -> list[ChildMatch]:
    """Children whose IIN is ``query`` (12 digits) or whose name has all its words.

    Only identity roles; the search and the children shown are audited. Nothing is selected:
    the caller lists the matches for the person to choose.
    """
    who = require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    require_identity(who)
    text = " ".join(query.split())
    if len(text) < 2:
        return []
    matches = matches_of(session, cipher, _child_ids(session, cipher, text, limit), with_names=True)
    record_event(
        session,
        actor=who.username,
        action="view_identity",
        entity="child",
        details={
            "search": "iin" if _is_iin(text) else "name",
            "shown": [m.child_id for m in matches],
        },
    )
    return matches


def children_like(
    session: Session, cipher: IdentityCipher, full_name: str | None, birth_on: date | None
) -> list[int]:
    """Children recorded with the same name and birth date (the duplicate warning's index)."""
    index = cipher.name_keys(full_name, birth_on).name_birth
    if index is None:
        return []
    return list(
        session.scalars(
            select(ChildIdentity.child_id)
            .join(Child, Child.id == ChildIdentity.child_id)
            .where(ChildIdentity.name_birth_index == index, Child.merged_into_id.is_(None))
            .order_by(ChildIdentity.child_id)
        )
    )


def identity_matches(
    session: Session, *, actor: str, cipher: IdentityCipher, text: str
) -> set[int]:
    """Requests whose child's IIN is ``text`` or whose name has all its words (identity roles).

    Roles that do not see identity get no matches. The search is audited.
    """
    who = require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    needle = " ".join(text.split())
    if not who.sees_identity or len(needle) < 2:
        return set()
    child_ids = _child_ids(session, cipher, needle, None)
    request_ids: set[int] = set()
    if child_ids:
        request_ids = set(
            session.scalars(select(Request.id).where(Request.child_id.in_(child_ids)))
        )
    record_event(
        session,
        actor=who.username,
        action="search_identity",
        entity="request",
        details={"by": "iin" if _is_iin(needle) else "name", "matches": len(request_ids)},
    )
    return request_ids
