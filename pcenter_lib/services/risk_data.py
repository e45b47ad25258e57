"""Load the children's history from the database into the tables the risk rules read.

``load_history`` reads the journal, concerns, screening results, crisis events, cases,
notifications, consultations and visits, and support plans into a
``pcenter_lib.domain.risk_history.History``; ``children`` limits it to some children (the
queue's). When each thing became known to the Center decides what a moment may see:
a request from its registration, a screening result from its round's import, a crisis event
from its recording, a support plan item from its plan's creation.

``critical_review_times`` is the one place that decides when a critical screening answer was
reviewed. Until the review decision of critical answers is recorded on its own, a request with
``priority_review`` counts as reviewed when it was considered (Rule 16).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Final

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcenter_lib.domain.applicants import SUBSTITUTE_CARE_RELATIONS
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.risk_history import NEVER, History
from pcenter_lib.domain.risk_indicators import BAND_LEVELS
from pcenter_lib.models import (
    Case,
    Child,
    Consultation,
    CrisisEvent,
    EducationOrganization,
    LegalRepresentative,
    MobileGroup,
    Notification,
    Request,
    RequestConcern,
    ScreeningResult,
    ScreeningRound,
    SupportPlan,
    SupportPlanItem,
    Visit,
)

# the "guardian" column (indicator ``guardian_or_trustee``): the child is in substitute care,
# whichever of the Code's forms — not only guardianship and trusteeship
GUARDIAN_RELATIONS: Final = tuple(sorted(SUBSTITUTE_CARE_RELATIONS))


def _ns(values: Iterable[Any]) -> np.ndarray:
    """Aware datetimes (or None) as int64 nanoseconds UTC; None becomes ``NEVER``."""
    stamps = pd.to_datetime(pd.Series(list(values), dtype=object), utc=True)
    result = stamps.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    result[stamps.isna().to_numpy()] = NEVER
    return result


def _day_ns(days: Iterable[date | None], *, next_day: bool) -> np.ndarray:
    """Midnight Kazakhstan time at the start of each day (or of the next day)."""
    stamps = pd.to_datetime(pd.Series(list(days), dtype=object)) + pd.Timedelta(
        days=1 if next_day else 0
    )
    local = stamps.dt.tz_localize(KZ_TZ)
    result = local.dt.tz_convert("UTC").to_numpy(dtype="datetime64[ns]").astype(np.int64)
    result[local.isna().to_numpy()] = NEVER
    return result


def _frame(session: Session, statement: Any, columns: Sequence[str]) -> pd.DataFrame:
    rows = session.connection().execute(statement).all()  # Core rows: no ORM overhead
    return pd.DataFrame([tuple(r) for r in rows], columns=list(columns))


def critical_review_times(session: Session) -> pd.DataFrame:
    """``request_id``, ``reviewed_at`` of every critical-answer request (None: not reviewed)."""
    frame = _frame(
        session,
        select(Request.id, Request.considered_at).where(Request.priority_review.is_(True)),
        ("request_id", "reviewed_at"),
    )
    return frame


def _only(statement: Any, column: Any, children: Sequence[int] | None) -> Any:
    return statement if children is None else statement.where(column.in_(children))


def load_history(session: Session, *, children: Sequence[int] | None = None) -> History:
    """The history of all children, or of ``children`` only."""
    kids = _frame(
        session,
        _only(
            select(
                Child.id, Child.birth_on, Child.sex, Child.special_needs, Child.language,
                EducationOrganization.is_urban, EducationOrganization.language,
            ).outerjoin(EducationOrganization, EducationOrganization.id == Child.education_organization_id),
            Child.id,
            children,
        ),
        ("child_id", "birth_on", "sex", "special_needs", "child_language", "urban", "school_language"),
    )  # fmt: skip
    guardians = set(
        session.scalars(
            _only(
                select(LegalRepresentative.child_id).where(
                    LegalRepresentative.relation.in_(GUARDIAN_RELATIONS)
                ),
                LegalRepresentative.child_id,
                children,
            )
        )
    )
    tables: dict[str, pd.DataFrame] = {
        "children": pd.DataFrame(
            {
                "child_id": kids["child_id"].astype(np.int64),
                "birth_ns": _day_ns(kids["birth_on"], next_day=False),
                "female": (kids["sex"] == "female").to_numpy(),
                "special_needs": kids["special_needs"].astype(bool).to_numpy(),
                "urban": kids["urban"].astype("boolean").fillna(True).astype(bool).to_numpy(),
                "language": kids["child_language"].fillna(kids["school_language"]).to_numpy(),
                "guardian": kids["child_id"].isin(guardians).to_numpy(),
            }
        )
    }
    tables.update(_journal_tables(session, children))
    tables["screening"] = _screening_table(session, children)
    tables.update(_casework_tables(session, children))
    return History(tables)


def _journal_tables(session: Session, children: Sequence[int] | None) -> dict[str, pd.DataFrame]:
    requests = _frame(
        session,
        _only(
            select(
                Request.id, Request.child_id, Request.received_at, Request.registered_at,
                Request.considered_at, Request.due_at, Request.direct_threat,
                Request.priority_review, Request.source, Request.journal_year, Request.journal_seq,
            ).where(Request.child_id.is_not(None)),
            Request.child_id,
            children,
        ),
        ("request_id", "child_id", "received_at", "registered_at", "considered_at", "due_at",
         "direct_threat", "priority_review", "source", "year", "seq"),
    )  # fmt: skip
    received = _ns(requests["received_at"])
    known = np.maximum(received, _ns(requests["registered_at"]))
    considered = _ns(requests["considered_at"])
    reviews = critical_review_times(session).set_index("request_id")["reviewed_at"]
    reviewed = np.where(
        requests["priority_review"].astype(bool).to_numpy(),
        _ns(requests["request_id"].map(reviews)),
        considered,
    )
    journal = pd.DataFrame(
        {
            "request_id": requests["request_id"].astype(np.int64),
            "child_id": requests["child_id"].astype(np.int64),
            "received_ns": received,
            "known_ns": known,
            "considered_ns": considered,
            "due_ns": _ns(requests["due_at"]),
            "reviewed_ns": reviewed,
            "direct_threat": requests["direct_threat"].astype(bool).to_numpy(),
            "priority_review": requests["priority_review"].astype(bool).to_numpy(),
            "source": requests["source"].astype(str).to_numpy(),
            "journal_number": [f"{y}/{s:06d}" for y, s in zip(requests["year"], requests["seq"], strict=True)],
        }
    )  # fmt: skip
    concerns = _frame(
        session,
        _only(
            select(RequestConcern.request_id, RequestConcern.concern).join(
                Request, Request.id == RequestConcern.request_id
            ),
            Request.child_id,
            children,
        ),
        ("request_id", "concern"),
    )
    concerns = concerns.merge(journal[["request_id", "child_id", "known_ns"]], on="request_id")
    notices = _frame(
        session,
        _only(
            select(
                Notification.request_id, Notification.due_at, Notification.sent_at,
                Notification.recipient,
            ).join(Request, Request.id == Notification.request_id),
            Request.child_id,
            children,
        ),
        ("request_id", "due_at", "sent_at", "recipient"),
    )  # fmt: skip
    notices = notices.merge(journal[["request_id", "child_id", "known_ns"]], on="request_id")
    notices["due_ns"] = _ns(notices["due_at"])
    notices["sent_ns"] = _ns(notices["sent_at"])
    return {
        "requests": journal,
        "concerns": concerns[["request_id", "child_id", "known_ns", "concern"]],
        "notifications": notices[
            ["request_id", "child_id", "known_ns", "due_ns", "sent_ns", "recipient"]
        ],
    }


def _screening_table(session: Session, children: Sequence[int] | None) -> pd.DataFrame:
    rounds = _frame(
        session, select(ScreeningRound.id, ScreeningRound.imported_at), ("round_id", "imported")
    )
    imported = pd.Series(_ns(rounds["imported"]), index=rounds["round_id"].to_numpy())
    results = _frame(
        session,
        _only(
            select(
                ScreeningResult.child_id,
                ScreeningResult.screening_round_id,
                ScreeningResult.band,
                ScreeningResult.critical,
            ).where(ScreeningResult.child_id.is_not(None)),
            ScreeningResult.child_id,
            children,
        ),
        ("child_id", "round_id", "band", "critical"),
    )
    return pd.DataFrame(
        {
            "child_id": results["child_id"].astype(np.int64),
            "known_ns": results["round_id"].map(imported).to_numpy(dtype=np.int64)
            if len(results)
            else np.zeros(0, dtype=np.int64),
            "band_level": results["band"].map(dict(BAND_LEVELS)).astype(float).to_numpy(),
            "critical": results["critical"].astype(bool).to_numpy(),
        }
    )


def _casework_tables(session: Session, children: Sequence[int] | None) -> dict[str, pd.DataFrame]:
    crises = _frame(
        session,
        _only(
            select(
                CrisisEvent.child_id, CrisisEvent.kind, CrisisEvent.occurred_at,
                CrisisEvent.recorded_at,
            ),
            CrisisEvent.child_id,
            children,
        ),
        ("child_id", "kind", "occurred_at", "recorded_at"),
    )  # fmt: skip
    occurred = _ns(crises["occurred_at"])
    cases = _frame(
        session,
        _only(
            select(
                Case.id, Case.child_id, Case.opened_at, Case.closed_at, Case.responsible,
                func.coalesce(Request.direct_threat, False),
            ).outerjoin(Request, Request.id == Case.opened_from_request_id),
            Case.child_id,
            children,
        ),
        ("case_id", "child_id", "opened_at", "closed_at", "responsible", "direct_threat"),
    )  # fmt: skip
    consultations = _frame(
        session,
        _only(
            select(Consultation.child_id, Consultation.held_at).where(
                Consultation.child_id.is_not(None)
            ),
            Consultation.child_id,
            children,
        ),
        ("child_id", "held_at"),
    )
    visits = _frame(
        session,
        _only(
            select(Request.child_id, Visit.arrived_at)
            .join(MobileGroup, MobileGroup.id == Visit.mobile_group_id)
            .join(Request, Request.id == MobileGroup.request_id)
            .where(Visit.arrived_at.is_not(None), Request.child_id.is_not(None)),
            Request.child_id,
            children,
        ),
        ("child_id", "held_at"),
    )
    contacts = pd.concat([consultations, visits], ignore_index=True)
    items = _frame(
        session,
        _only(
            select(Case.child_id, SupportPlan.created_at, SupportPlanItem.due_on, SupportPlanItem.done_on)
            .join(SupportPlan, SupportPlan.id == SupportPlanItem.support_plan_id)
            .join(Case, Case.id == SupportPlan.case_id),
            Case.child_id,
            children,
        ),
        ("child_id", "created_at", "due_on", "done_on"),
    )  # fmt: skip
    return {
        "crises": pd.DataFrame(
            {
                "child_id": crises["child_id"].astype(np.int64),
                "kind": crises["kind"].astype(str).to_numpy(),
                "occurred_ns": occurred,
                "known_ns": np.maximum(occurred, _ns(crises["recorded_at"])),
            }
        ),
        "cases": pd.DataFrame(
            {
                "case_id": cases["case_id"].astype(np.int64),
                "child_id": cases["child_id"].astype(np.int64),
                "opened_ns": _ns(cases["opened_at"]),
                "closed_ns": _ns(cases["closed_at"]),
                "direct_threat": cases["direct_threat"].astype(bool).to_numpy(),
                "responsible": cases["responsible"].to_numpy(),
            }
        ),
        "contacts": pd.DataFrame(
            {
                "child_id": contacts["child_id"].astype(np.int64),
                "held_ns": _ns(contacts["held_at"]),
            }
        ),
        "plan_items": pd.DataFrame(
            {
                "child_id": items["child_id"].astype(np.int64),
                "known_ns": _ns(items["created_at"]),
                "due_ns": _day_ns(items["due_on"], next_day=True),
                "done_ns": _day_ns(items["done_on"], next_day=True),
            }
        ),
    }
