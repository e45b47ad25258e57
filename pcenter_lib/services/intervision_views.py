"""What the intervision services return (plain data), and the checks they share.

A text's limit is its column's (``services.text_fields.column_limit``), so the form, the check
and the database agree; a stale version is the project's conflict error naming both versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Table

from pcenter_lib.domain.codes import IntervisionStatus, ParticipantOrigin
from pcenter_lib.errors import Msgid, ValidationError
from pcenter_lib.i18n import NP_
from pcenter_lib.models import Base, IntervisionSession
from pcenter_lib.services.text_fields import column_limit
from pcenter_lib.transactions import STALE, StaleRecordError

TOO_LONG = NP_(
    "The field {field} is {count} character long; at most {limit} are allowed.",
    "The field {field} is {count} characters long; at most {limit} are allowed.",
)


def fitted(field: str, value: str, model: type[Base], column: str) -> str:
    """``value`` stripped; refused (naming the field, a message id) when longer than its column."""
    text = value.strip()
    table = model.__table__
    assert isinstance(table, Table)
    table_column: Column[Any] = table.c[column]
    limit = column_limit(table_column)
    if len(text) > limit:
        raise ValidationError(TOO_LONG, field=Msgid(field), count=len(text), limit=limit)
    return text


def check_version(row: Any, table: str, expected_version: int | None) -> None:
    """Refuse a change made on a version older than the row's (somebody saved meanwhile)."""
    if expected_version is not None and row.version != expected_version:
        raise StaleRecordError(
            STALE,
            table=table,
            seen=expected_version,
            current_version=row.version,
            current={},
            attempted={},
        )


@dataclass(frozen=True)
class ParticipantDraft:
    """A participant to plan: from the Center's staff or from a school's PPSS."""

    full_name: str
    origin: ParticipantOrigin = ParticipantOrigin.CENTER
    staff_member_id: int | None = None
    school_id: int | None = None


@dataclass(frozen=True)
class ParticipantView:
    id: int
    full_name: str
    origin: str
    school_id: int | None
    attended: bool | None
    credited_minutes: int


@dataclass(frozen=True)
class PhaseNoteView:
    phase: str
    started_at: datetime | None
    ended_at: datetime | None
    note: str


@dataclass(frozen=True)
class MaterialView:
    id: int
    case_id: int | None
    title: str
    language: str
    text: str
    drafted_at: datetime
    drafted_by: str
    edits: int


@dataclass(frozen=True)
class SessionSummary:
    id: int
    title: str
    format: str
    held_at: datetime
    facilitator: str
    status: str
    series_id: int | None
    participants: int
    version: int


@dataclass(frozen=True)
class SessionView(SessionSummary):
    started_at: datetime | None
    ended_at: datetime | None
    current_phase: str | None
    learning_points: str
    agreements: str
    people: tuple[ParticipantView, ...]
    notes: tuple[PhaseNoteView, ...]
    materials: tuple[MaterialView, ...]

    def note_of(self, phase: str) -> PhaseNoteView | None:
        return next((n for n in self.notes if n.phase == phase), None)

    @property
    def closed(self) -> bool:
        return self.status in (IntervisionStatus.HELD, IntervisionStatus.CANCELLED)


@dataclass(frozen=True)
class HoursRow:
    """Professional-development hours of one person over a period (held sessions only)."""

    full_name: str
    origin: str
    school_id: int | None
    sessions: int
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


@dataclass(frozen=True)
class ReviewView:
    id: int
    school_id: int
    checklist: str
    visited_on: date
    quarter: str
    reviewed_by: str
    answers: dict[str, str]
    score_percent: float | None
    critical_gaps: tuple[str, ...]
    note: str
    version: int


def summary_of(row: IntervisionSession) -> SessionSummary:
    return SessionSummary(
        id=row.id,
        title=row.title,
        format=row.format.value,
        held_at=row.held_at,
        facilitator=row.facilitator,
        status=row.status.value,
        series_id=row.series_id,
        participants=len(row.participants),
        version=row.version,
    )


def session_view(row: IntervisionSession) -> SessionView:
    base = summary_of(row)
    return SessionView(
        **{field: getattr(base, field) for field in base.__dataclass_fields__},
        started_at=row.started_at,
        ended_at=row.ended_at,
        current_phase=row.current_phase,
        learning_points=row.learning_points,
        agreements=row.agreements,
        people=tuple(
            ParticipantView(
                p.id,
                p.full_name,
                p.origin.value,
                p.education_organization_id,
                p.attended,
                p.credited_minutes,
            )
            for p in row.participants
        ),
        notes=tuple(
            PhaseNoteView(n.phase, n.started_at, n.ended_at, n.note) for n in row.phase_notes
        ),
        materials=tuple(
            MaterialView(
                m.id,
                m.case_id,
                m.title,
                m.language,
                m.text,
                m.drafted_at,
                m.drafted_by,
                len(m.edits),
            )
            for m in row.materials
        ),
    )
