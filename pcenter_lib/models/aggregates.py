"""An aggregate's version rises whenever any of its parts changes (optimistic locking of the whole).

``Versioned`` guards one row: SQLAlchemy adds ``AND version = :seen`` to its UPDATE. A save that
touches only the parts of a record — the concerns or notifications of a request, the items of a
support plan — would leave the root row alone, its version would not rise, and a stale save could
silently replace what another person saved a moment before.

Before every flush :func:`raise_aggregate_versions` finds each part that is inserted, changed or
deleted, walks up ``PART_OWNERS`` to its versioned root(s) and raises their version; the root's
``UPDATE … WHERE version = :seen`` then fails for whoever saves second, and the session turns that
into the project's conflict error (``pcenter_lib.db``). A new kind of part is one line in
``PART_OWNERS``. Bulk statements (``session.execute(insert(...))``) bypass the unit of work and
therefore this hook; the code uses them only for rows nobody edits concurrently (imports, demo).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from pcenter_lib.models.base import Versioned
from pcenter_lib.models.cases import (
    Case,
    CaseStatusChange,
    Consultation,
    MobileGroup,
    MobileGroupMember,
    SupportPlan,
    SupportPlanItem,
    Visit,
)
from pcenter_lib.models.intervision import (
    IntervisionMaterial,
    IntervisionMaterialEdit,
    IntervisionParticipant,
    IntervisionPhaseNote,
    IntervisionSeries,
    IntervisionSeriesMember,
    IntervisionSession,
)
from pcenter_lib.models.people import Child, ChildIdentity, ChildNameToken, LegalRepresentative
from pcenter_lib.models.planning import WorkPlan, WorkPlanEvent
from pcenter_lib.models.requests import (
    Consent,
    Notification,
    Request,
    RequestAmendment,
    RequestConcern,
)
from pcenter_lib.models.sessions import SupervisionAddendum, SupervisionCase

# part class → (foreign-key attribute, owner class) for each owner it belongs to. An owner that
# is not itself versioned (a mobile group) passes the change on to its own owner.
PART_OWNERS: Final[dict[type, tuple[tuple[str, type], ...]]] = {
    RequestConcern: (("request_id", Request),),
    Notification: (("request_id", Request),),
    RequestAmendment: (("request_id", Request),),
    Consent: (("request_id", Request), ("child_id", Child)),
    MobileGroup: (("request_id", Request),),
    MobileGroupMember: (("mobile_group_id", MobileGroup),),
    Visit: (("mobile_group_id", MobileGroup),),
    SupportPlanItem: (("support_plan_id", SupportPlan),),
    CaseStatusChange: (("case_id", Case),),
    ChildIdentity: (("child_id", Child),),
    ChildNameToken: (("child_id", Child),),
    LegalRepresentative: (("child_id", Child),),
    # help given on a request (e.g. under the direct-threat waiver of Rule 15)
    Consultation: (("request_id", Request),),
    # a supervision record is its own aggregate (two records of one session are edited apart);
    # an addendum is part of the record it adds to. Tasks carry their own version: their
    # progress is kept up after the record is locked.
    SupervisionAddendum: (("supervision_case_id", SupervisionCase),),
    IntervisionParticipant: (("intervision_session_id", IntervisionSession),),
    IntervisionPhaseNote: (("intervision_session_id", IntervisionSession),),
    IntervisionMaterial: (("intervision_session_id", IntervisionSession),),
    IntervisionMaterialEdit: (("material_id", IntervisionMaterial),),
    IntervisionSeriesMember: (("series_id", IntervisionSeries),),
    WorkPlanEvent: (("work_plan_id", WorkPlan),),
}

PENDING_KEY: Final = "pcenter_versioned"  # session.info: what this flush tries to save
_RAISED_KEY: Final = "pcenter_versions_raised"  # session.info: roots raised in this transaction
_CREATED_KEY: Final = "pcenter_versions_created"  # session.info: roots inserted in this transaction


@dataclass(frozen=True)
class PendingSave:
    """A versioned row a flush is about to update: the version its editor saw and the new values."""

    model: type
    key: tuple[Any, ...]
    seen_version: int
    attempted: dict[str, Any]


def _owner_of(session: Session, part: object, fk: str, owner_cls: type) -> object | None:
    """The owner object of ``part`` through ``fk``: the relationship if set, else by id."""
    state = inspect(part)
    for rel in state.mapper.relationships:
        if rel.mapper.class_ is owner_cls and any(c.key == fk for c in rel.local_columns):
            loaded: object | None = state.dict.get(rel.key)
            if loaded is not None:
                return loaded
    owner_id = getattr(part, fk, None)
    if owner_id is None:
        # a part whose link was just cleared keeps its former owner in the committed state
        owner_id = state.committed_state.get(fk)
    if not isinstance(owner_id, int):
        return None
    with session.no_autoflush:
        return session.get(owner_cls, owner_id)


def _roots(session: Session, part: object, seen: set[int]) -> Iterator[Versioned]:
    for fk, owner_cls in PART_OWNERS.get(type(part), ()):
        owner = _owner_of(session, part, fk, owner_cls)
        if owner is None or id(owner) in seen or owner in session.new:
            continue  # a new owner is saved whole: nothing concurrent to guard
        seen.add(id(owner))
        if isinstance(owner, Versioned):
            yield owner
        else:
            yield from _roots(session, owner, seen)


def _bump(session: Session, root: Versioned) -> None:
    """Raise ``root``'s version once per transaction.

    After the first ``UPDATE … WHERE version = :seen`` of this transaction the row is ours (row
    lock on PostgreSQL, the write lock on SQLite) until commit, so later flushes of the same
    transaction need no second raise; one edit shows as one new version.
    """
    if root in session.deleted:
        return
    state = inspect(root)
    raised: set[tuple[type, Any]] = session.info.setdefault(_RAISED_KEY, set())
    key = (type(root), state.key)
    if "version" in state.committed_state or key in raised:
        return
    if key in session.info.get(_CREATED_KEY, ()):
        return  # made in this transaction: nobody else can have seen it yet
    raised.add(key)
    with session.no_autoflush:
        root.version = root.version + 1


def raise_version(session: Session, root: Versioned) -> None:
    """Raise ``root``'s version for parts changed by a bulk statement, which the flush hook
    cannot see (a merge moving a child's consents); once per transaction, as for any change."""
    _bump(session, root)


def _changed(session: Session) -> Iterable[object]:
    yield from session.new
    yield from (obj for obj in session.dirty if session.is_modified(obj))
    yield from session.deleted


def _attempted(obj: object) -> dict[str, Any]:
    state = inspect(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key == "version":
            continue
        history = state.attrs[attr.key].history
        if history.added:
            values[attr.key] = history.added[0]
    return values


def _remember(session: Session, root: Versioned) -> None:
    state = inspect(root)
    if state.key is None:
        return
    seen = state.committed_state.get("version", root.version)
    pending: list[PendingSave] = session.info.setdefault(PENDING_KEY, [])
    pending.append(PendingSave(type(root), state.key[1], int(seen), _attempted(root)))


def raise_aggregate_versions(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    """``before_flush``: raise the version of every root whose parts change in this flush."""
    session.info[PENDING_KEY] = []
    roots: dict[int, Versioned] = {}
    seen: set[int] = set()
    for obj in list(_changed(session)):
        if isinstance(obj, Versioned) and obj not in session.new and obj not in session.deleted:
            roots.setdefault(id(obj), obj)
        for root in _roots(session, obj, seen):
            roots.setdefault(id(root), root)
    for root in roots.values():
        _remember(session, root)
        _bump(session, root)


def remember_created_roots(session: Session, _context: UOWTransaction) -> None:
    """``after_flush``: versioned rows inserted now are new for the rest of the transaction."""
    created: set[tuple[type, Any]] = session.info.setdefault(_CREATED_KEY, set())
    for obj in session.new:
        if isinstance(obj, Versioned):
            created.add((type(obj), inspect(type(obj)).identity_key_from_instance(obj)))


def forget_raised_versions(session: Session, transaction: Any) -> None:
    """``after_transaction_end``: a new transaction raises its roots' versions afresh."""
    if transaction.parent is None:
        for key in (_RAISED_KEY, _CREATED_KEY, PENDING_KEY):
            session.info.pop(key, None)


event.listen(Session, "before_flush", raise_aggregate_versions)
event.listen(Session, "after_flush", remember_created_roots)
event.listen(Session, "after_transaction_end", forget_raised_versions)
