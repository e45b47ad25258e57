"""The registration journal (Rules 12–13): requests, their concerns and amendments.

Entries are never deleted. A correction is a ``RequestAmendment`` that records who changed which
field, from what, to what, when and why; the request row holds the current values.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcenter_lib.domain.codes import (
    ConsentKind,
    RequestStatus,
)
from pcenter_lib.models.base import (
    Base,
    Versioned,
    aware_at,
    code_column,
    intpk,
    json_data,
    typed,
    utcnow,
)

if TYPE_CHECKING:
    from pcenter_lib.models.people import Child


class JournalCounter(Base):
    """Last journal number issued in a year; locked while a number is taken (Rule 13)."""

    __tablename__ = "journal_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Request(Versioned, Base):
    """A request for help registered in the journal (Rules 12, 13, 16).

    **Same-day review of a critical screening answer** (Rule 16): a request made from a critical
    answer has ``priority_review`` true and ``review_due_at`` set (``deadlines.review_due_at``).
    It awaits review while ``reviewed_at`` is empty — the state ``awaiting_review()`` selects,
    e.g. ``select(Request).where(awaiting_review())`` for the risk model's hard rule "critical
    screening answer not yet reviewed". The specialist's decision fills ``reviewed_at``,
    ``reviewed_by``, ``review_decision`` (``direct_threat`` | ``no_direct_threat``) and
    ``review_reason``; a direct threat also marks ``direct_threat``.

    **The direct-threat waiver** of Rule 15 lasts from ``threat_assessed_at`` until the
    specialist closes the threat (``threat_closed_at``, by, reason); after that further services
    need consent again.
    """

    __tablename__ = "requests"
    __table_args__ = (
        UniqueConstraint("journal_year", "journal_seq"),
        Index("ix_requests_received_at", "received_at"),
        Index("ix_requests_status_due", "status", "due_at"),
        Index("ix_requests_review", "priority_review", "reviewed_at"),
    )

    id: Mapped[intpk]
    journal_year: Mapped[int]
    journal_seq: Mapped[int]
    received_at: Mapped[aware_at]
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    registered_by: Mapped[str] = mapped_column(String(80))
    channel: Mapped[str] = mapped_column(String(30))  # Rule 12: email, phone, messenger, ...
    source: Mapped[str] = mapped_column(String(40))  # Rule 12.1–12.4 and mass media
    applicant_name_enc: Mapped[bytes | None] = mapped_column(info=typed(200))
    applicant_relation: Mapped[str | None] = mapped_column(String(30))
    applicant_anonymous: Mapped[bool] = mapped_column(default=False)  # Rule 13: still registered
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    education_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("education_organizations.id"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="", info=typed(4000))
    direct_threat: Mapped[bool] = mapped_column(default=False)
    threat_assessed_by: Mapped[str | None] = mapped_column(String(80))
    threat_assessed_at: Mapped[datetime | None]
    due_at: Mapped[aware_at]  # Rule 16
    considered_at: Mapped[datetime | None]
    status: Mapped[RequestStatus] = mapped_column(
        code_column(RequestStatus, "request_status", 20), default=RequestStatus.OPEN
    )
    outcome: Mapped[str | None] = mapped_column(Text, info=typed(4000))
    priority_review: Mapped[bool] = mapped_column(default=False)
    origin: Mapped[str | None] = mapped_column(String(40))  # e.g. screening:<round id>
    review_due_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[str | None] = mapped_column(String(80))
    review_decision: Mapped[str | None] = mapped_column(String(20))
    review_reason: Mapped[str | None] = mapped_column(Text, info=typed(1000))
    threat_closed_at: Mapped[datetime | None]
    threat_closed_by: Mapped[str | None] = mapped_column(String(80))
    threat_closed_reason: Mapped[str | None] = mapped_column(Text, info=typed(1000))

    concerns: Mapped[list[RequestConcern]] = relationship(
        back_populates="request", cascade="all, delete-orphan"
    )
    amendments: Mapped[list[RequestAmendment]] = relationship(
        back_populates="request", order_by="RequestAmendment.id"
    )
    child: Mapped[Child | None] = relationship()

    @property
    def journal_number(self) -> str:
        """The number people see and cite, e.g. ``2026/000123``."""
        return f"{self.journal_year}/{self.journal_seq:06d}"


def awaiting_review() -> ColumnElement[bool]:
    """SQL condition: a critical screening answer that no specialist has reviewed yet."""
    return and_(Request.priority_review.is_(True), Request.reviewed_at.is_(None))


class RequestConcern(Base):
    """One concern category of a request (Rule 19 taxonomy)."""

    __tablename__ = "request_concerns"
    __table_args__ = (UniqueConstraint("request_id", "concern"),)

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    concern: Mapped[str] = mapped_column(String(40), index=True)

    request: Mapped[Request] = relationship(back_populates="concerns")


class RequestAmendment(Base):
    """A recorded correction of a journal entry: who, when, why, and the values before and after."""

    __tablename__ = "request_amendments"

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    amended_at: Mapped[datetime] = mapped_column(default=utcnow)
    amended_by: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text, info=typed(2000))  # a note of a threat assessment too
    changes: Mapped[json_data]  # {"field": {"from": ..., "to": ...}}

    request: Mapped[Request] = relationship(back_populates="amendments")

    def changed_fields(self) -> dict[str, Any]:
        return dict(self.changes or {})


class Consent(Base):
    """Written or informed consent of a legal representative (Rule 15), and its withdrawal.

    ``relation`` is a code of ``domain.applicants.LEGAL_REPRESENTATIVES``.
    """

    __tablename__ = "consents"

    id: Mapped[intpk]
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    kind: Mapped[ConsentKind] = mapped_column(code_column(ConsentKind, "consent_kind", 20))
    given_by_enc: Mapped[bytes] = mapped_column(info=typed(200))
    relation: Mapped[str] = mapped_column(String(20))  # domain.applicants.LEGAL_REPRESENTATIVES
    scope: Mapped[str] = mapped_column(Text, info=typed(1000))
    given_at: Mapped[aware_at]
    document_ref: Mapped[str | None] = mapped_column(String(100))
    recorded_by: Mapped[str] = mapped_column(String(80))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(Text, info=typed(1000))


class Notification(Base):
    """A notification owed by Rules 15, 18 or 22 and how it was discharged.

    ``owed_at`` is when it became owed (the threat registered or assessed, or the body added);
    ``due_at`` is that moment plus the Center's minutes for "immediately". ``body_name`` names an
    "other authorized body" of Rule 18 chosen by the specialist.
    """

    __tablename__ = "notifications"

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(30))  # domain.consent.NOTIFICATION_RULES
    rule: Mapped[str] = mapped_column(String(20))
    owed_at: Mapped[datetime | None]
    due_at: Mapped[aware_at]
    body_name: Mapped[str | None] = mapped_column(String(200))
    added_by: Mapped[str | None] = mapped_column(String(80))
    channel: Mapped[str | None] = mapped_column(String(30))
    recipient_detail: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]
    sent_by: Mapped[str | None] = mapped_column(String(80))
    confirmed_at: Mapped[datetime | None]
    confirmation_ref: Mapped[str | None] = mapped_column(String(100))
