"""Sessions that speak the project's errors: conflicts and a busy database, never raw driver errors.

Every session the workbench hands out is a :class:`WorkbenchSession`. Its ``flush`` turns

- SQLAlchemy's ``StaleDataError`` (somebody saved a versioned record, or a part of it, after this
  person read it — see ``pcenter_lib.models.aggregates``) into :class:`StaleRecordError`, a
  ``ConflictError`` naming the record and both versions, with the values this person tried to save
  and the values saved meanwhile;
- a unique index that guards a one-of-a-kind row against two people at once (one open case per
  child) into a ``ConflictError`` in the person's language;
- a busy database (SQLite's writer lock held past the busy timeout, a PostgreSQL deadlock or
  serialization failure) into :class:`~pcenter_lib.errors.DatabaseBusyError`.

:func:`run_in_transaction` runs a whole unit of work and repeats it when the database was busy:
the failed attempt was rolled back entirely, so repeating it is safe.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, inspect
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from pcenter_lib.errors import ConflictError, DatabaseBusyError, Msgid
from pcenter_lib.i18n import N_
from pcenter_lib.models.aggregates import PENDING_KEY, PendingSave

LOGGER = logging.getLogger("pcenter.transactions")
T = TypeVar("T")

BUSY: Final = N_(
    "The database is busy with another person's work; nothing of yours was saved. Try again in a "
    "moment."
)
STALE: Final = N_(
    "The {record} was changed by somebody else while you were working on it: you saw version "
    "{seen}, it is now version {current}. Nothing of yours was saved; compare and save again."
)
STALE_GONE: Final = N_(
    "The {record} was removed or changed by somebody else while you were working on it. "
    "Nothing of yours was saved; reload it."
)
RECORD_LABELS: Final[dict[str, str]] = {
    "requests": N_("request"),
    "cases": N_("case"),
    "support_plans": N_("support plan"),
    "children": N_("child's record"),
    "staff_members": N_("staff record"),
    "staffing_scenarios": N_("staffing scenario"),
    "work_plans": N_("work plan"),
    "calendar_overrides": N_("calendar day"),
    "ppss_studies": N_("study of the school's service"),
    "supervision_sessions": N_("supervision session"),
    "supervision_cases": N_("supervision record"),
    "supervision_tasks": N_("follow-up task"),
    "intervision_sessions": N_("intervision session"),
    "intervision_series": N_("intervision series"),
    "documentation_reviews": N_("documentation review"),
}
OTHER_RECORD: Final = N_("record")

# unique indexes that stop two people creating the same one-of-a-kind row at once:
# index name → (the table.column SQLite names in its message, what the person reads)
CONFLICT_INDEXES: Final[dict[str, tuple[str, str]]] = {
    "uq_cases_one_open_per_child": (
        "cases.child_id",
        N_(
            "Somebody else opened a case for this child a moment ago; a child has one open case "
            "at a time. Nothing of yours was saved; reload and try again."
        ),
    ),
}
_BUSY_SQLSTATES: Final = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock not available
_RETRY_PAUSES_S: Final = (0.2, 0.5, 1.0)


class StaleRecordError(ConflictError):
    """A versioned record changed under this person's feet; both versions and values are kept."""

    def __init__(
        self,
        msgid: str,
        /,
        *,
        table: str,
        seen: int,
        current_version: int | None,
        current: dict[str, Any],
        attempted: dict[str, Any],
    ) -> None:
        super().__init__(
            msgid,
            record=Msgid(RECORD_LABELS.get(table, OTHER_RECORD)),
            seen=seen,
            current=current_version if current_version is not None else "—",
        )
        self.table = table
        self.seen_version = seen
        self.current_version = current_version
        self.current = current
        self.attempted = attempted


def is_busy(error: BaseException) -> bool:
    """True for a database that could not take our write now (safe to repeat the transaction)."""
    if isinstance(error, DatabaseBusyError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    code = getattr(error.orig, "sqlstate", None)
    if code in _BUSY_SQLSTATES:
        return True
    text = str(error.orig).lower()
    return isinstance(error, OperationalError) and (
        "database is locked" in text or "database is busy" in text
    )


def _engine_of(session: Session) -> Any:
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


def _plain(row: object, keys: Sequence[str]) -> dict[str, Any]:
    return {key: getattr(row, key, None) for key in keys}


def _stale_error(session: Session, pending: list[PendingSave]) -> ConflictError:
    """Which record was stale, read back in a fresh session (this one's transaction is spoilt)."""
    with Session(_engine_of(session)) as fresh:
        for save in pending:
            current = fresh.get(save.model, save.key)
            table = str(inspect(save.model).local_table.name)
            if current is None:
                return StaleRecordError(
                    STALE_GONE,
                    table=table,
                    seen=save.seen_version,
                    current_version=None,
                    current={},
                    attempted=dict(save.attempted),
                )
            version = int(getattr(current, "version", save.seen_version))
            if version != save.seen_version:
                keys = [k for k in save.attempted if not k.endswith("_enc")]
                return StaleRecordError(
                    STALE,
                    table=table,
                    seen=save.seen_version,
                    current_version=version,
                    current=_plain(current, keys),
                    attempted={k: save.attempted[k] for k in keys},
                )
    return ConflictError(STALE_GONE, record=Msgid(OTHER_RECORD))


def _conflict_of(error: IntegrityError) -> ConflictError | None:
    diag = getattr(error.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    text = str(error.orig)
    for index, (columns, msgid) in CONFLICT_INDEXES.items():
        if name == index or (name is None and index in text) or (
            name is None and "UNIQUE constraint failed" in text and columns in text
        ):
            return ConflictError(msgid)
    return None


class WorkbenchSession(Session):
    """A session whose flush raises the project's errors (see the module docstring)."""

    def flush(self, objects: Sequence[Any] | None = None) -> None:
        try:
            super().flush(objects)
        except StaleDataError as exc:
            pending = list(self.info.get(PENDING_KEY, []))
            raise _stale_error(self, pending) from exc
        except IntegrityError as exc:
            conflict = _conflict_of(exc)
            if conflict is None:
                raise
            raise conflict from exc
        except DBAPIError as exc:
            if is_busy(exc):
                raise DatabaseBusyError(BUSY) from exc
            raise

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().execute(statement, *args, **kwargs)
        except DBAPIError as exc:
            if is_busy(exc):
                raise DatabaseBusyError(BUSY) from exc
            raise


def make_sessions(engine: Any) -> sessionmaker[Session]:
    """Sessions for use cases; callers own the transaction: ``with factory.begin() as s: ...``."""
    return sessionmaker(engine, class_=WorkbenchSession, expire_on_commit=False)


def run_in_transaction(
    sessions: sessionmaker[Session],
    work: Callable[[Session], T],
    *,
    pauses: Sequence[float] = _RETRY_PAUSES_S,
) -> T:
    """``work(session)`` in one transaction; repeated after a pause while the database is busy.

    Only a busy database is retried: the attempt was rolled back whole, so nothing is done twice.
    A conflict, a refusal or any other error is raised at once. After the last pause the busy
    error itself is raised (a translated "busy, try again").
    """
    for pause in (*pauses, None):
        try:
            with sessions.begin() as session:
                return work(session)
        except Exception as exc:
            if pause is None or not is_busy(exc):
                if is_busy(exc) and not isinstance(exc, DatabaseBusyError):
                    raise DatabaseBusyError(BUSY) from exc
                raise
            LOGGER.info("database busy; trying again in %.1f s", pause)
            time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover

