"""How long the texts people type may be, read from the columns that keep them.

A ``String`` column's length is its limit; a ``Text`` column, or the ciphertext of an identity
field, states the longest text it accepts in its ``info`` (``models.base.typed``). So the form,
the check and the database never disagree on a size, and a size is written once. Checking a
text (``check_text``) strips it, refuses it when required and empty, or when too long, naming
the field in the person's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from sqlalchemy import Column, String, Table

from pcenter_lib.domain.intake_rules import FIELD_LABELS, IntakeValidationError, normalised
from pcenter_lib.i18n import N_, NP_
from pcenter_lib.models import (
    CalendarOverride,
    ChildIdentity,
    Consent,
    Consultation,
    MobileGroupMember,
    Notification,
    Recommendation,
    Report,
    Request,
    RequestAmendment,
    SupportPlanItem,
    Visit,
    WorkPlanEvent,
)


def _column(model: type, name: str) -> Column[Any]:
    table = getattr(model, "__table__", None)
    assert isinstance(table, Table)
    column: Column[Any] = table.c[name]
    return column


# field of a form → the columns its text is stored in
FIELD_COLUMNS: Final[Mapping[str, tuple[Column[Any], ...]]] = MappingProxyType(
    {
        "description": (_column(Request, "description"),),
        "applicant_name": (_column(Request, "applicant_name_enc"),),
        "child_name": (_column(ChildIdentity, "full_name_enc"),),
        "address": (_column(ChildIdentity, "address_enc"),),
        "contacts": (_column(ChildIdentity, "contacts_enc"),),
        "outcome": (_column(Request, "outcome"),),
        "reason": (
            _column(RequestAmendment, "reason"),
            _column(Consent, "withdrawn_reason"),
            _column(CalendarOverride, "reason"),
        ),
        "legal_source": (_column(CalendarOverride, "source"),),
        "scope": (_column(Consent, "scope"),),
        "given_by": (_column(Consent, "given_by_enc"),),
        "document_ref": (_column(Consent, "document_ref"),),
        "recipient_detail": (_column(Notification, "recipient_detail"),),
        "confirmation_ref": (_column(Notification, "confirmation_ref"),),
        "findings": (_column(Visit, "findings"),),
        "responsible": (_column(SupportPlanItem, "responsible"),),
        "sen_accommodation": (_column(SupportPlanItem, "sen_accommodation"),),
        "note": (_column(Consultation, "note"), _column(RequestAmendment, "reason")),
        "closing_reason": (_column(Request, "threat_closed_reason"),),
        "review_reason": (_column(Request, "review_reason"),),
        "external_name": (_column(MobileGroupMember, "external_name"),),
        "external_organization": (_column(MobileGroupMember, "external_organization"),),
        "sent_to": (_column(Report, "sent_to"),),
        # the reports of Rules 20–23 and the written recommendations of Rule 20
        "addressee": (_column(Report, "addressee"), _column(Recommendation, "addressee")),
        "recommendation": (_column(Recommendation, "text"),),
        "sent_ref": (_column(Recommendation, "sent_ref"),),
        "measures_taken": (_column(Recommendation, "measures_taken"),),
        "plan_title": (_column(WorkPlanEvent, "title"),),
        "plan_responsible": (_column(WorkPlanEvent, "responsible"),),
        "expected_result": (_column(WorkPlanEvent, "expected_result"),),
    }
)

# A text kept inside a JSON change record (a merge's reason in ``RequestAmendment.changes``) has
# no column to read its size from.
KEPT_IN_CHANGES: Final[Mapping[str, int]] = MappingProxyType({"merge_reason": 1000})


def column_limit(column: Column[Any]) -> int:
    """The longest text ``column`` keeps: its ``String`` length, else its ``info`` limit."""
    if isinstance(column.type, String) and column.type.length:
        return int(column.type.length)
    return int(column.info["max_length"])


FIELD_LIMITS: Final[Mapping[str, int]] = MappingProxyType(
    {field: min(map(column_limit, columns)) for field, columns in FIELD_COLUMNS.items()}
    | dict(KEPT_IN_CHANGES)
)


def check_text(field: str, value: str | None, *, required: bool = False) -> str | None:
    """``value`` normalised (``intake_rules.normalised``: NFC, names without invisible
    characters) and stripped; too long (``FIELD_LIMITS``) or missing when required is an error."""
    text = normalised(field, value or "").strip()
    if not text:
        if required:
            raise IntakeValidationError(
                field, N_("Fill in the field {field}."), field=FIELD_LABELS.get(field, field)
            )
        return None
    limit = FIELD_LIMITS.get(field)
    if limit is not None and len(text) > limit:
        raise IntakeValidationError(
            field,
            NP_(
                "The field {field} is {count} character long; at most {limit} are allowed.",
                "The field {field} is {count} characters long; at most {limit} are allowed.",
            ),
            field=FIELD_LABELS.get(field, field),
            count=len(text),
            limit=limit,
        )
    return text
