"""The journal exported to XLSX, the format state bodies exchange (Rules 13, 14).

The export holds the rows of the current filter with labels in the reader's language. Identity
columns (child's name and IIN, applicant) are included only when asked for and only for roles
that see identity; every export is audited with its row count and whether identity was in it.
"""

from __future__ import annotations

import io
from dataclasses import asdict
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.concerns import CONCERNS_BY_CODE
from pcenter_lib.domain.intake_rules import CHANNEL_LABELS, SOURCE_LABELS, STATUS_LABELS
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.models import ChildIdentity, EducationOrganization, Request
from pcenter_lib.models.base import utcnow
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.child_search import identity_matches
from pcenter_lib.services.journal import (
    DUE_MARKS,
    JournalFilter,
    filter_journal,
    journal_rows,
    load_journal_frame,
)
from pcenter_lib.services.users import load_actor
from pcenter_lib.spreadsheets import append_row

COLUMNS = (
    N_("Journal number"),
    N_("Received at"),
    N_("Due at"),
    N_("Deadline"),
    N_("Status"),
    N_("Channel"),
    N_("Source"),
    N_("Concerns"),
    N_("School"),
    N_("Direct threat"),
    N_("Child code"),
    N_("Description"),
)
IDENTITY_COLUMNS = (N_("Child's full name"), N_("IIN"), N_("Applicant"))


def school_names(session: Session, lang: str) -> dict[int, str]:
    """School id → name in ``lang`` (Kazakh names for kk, Russian otherwise)."""
    rows = session.execute(
        select(
            EducationOrganization.id, EducationOrganization.name_kk, EducationOrganization.name_ru
        )
    )
    return {sid: (kk if lang == "kk" else ru) for sid, kk, ru in rows}


def _identity(
    session: Session, cipher: IdentityCipher, ids: list[int]
) -> dict[int, tuple[str, str, str]]:
    found: dict[int, tuple[str, str, str]] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        rows = session.execute(
            select(
                Request.id,
                Request.applicant_name_enc,
                ChildIdentity.full_name_enc,
                ChildIdentity.iin_enc,
            )
            .outerjoin(ChildIdentity, ChildIdentity.child_id == Request.child_id)
            .where(Request.id.in_(chunk))
        )
        for rid, applicant, name, iin in rows:
            found[rid] = (
                cipher.decrypt(name) or "",
                cipher.decrypt(iin) or "",
                cipher.decrypt(applicant) or "",
            )
    return found


def audited_filter(flt: JournalFilter, cipher: IdentityCipher) -> dict[str, object]:
    """The filter as the audit trail keeps it: the search text (an IIN or a name) only as a
    keyed hash, because the trail can never be erased (Rule 14). The same text searched again
    gives the same hash, so an auditor holding the key can still link the two exports."""
    kept = asdict(flt)
    search = str(kept.pop("search") or "")
    kept["search_hash"] = cipher.blind_index(search) if search.strip() else None
    return kept


def export_journal_xlsx(
    session: Session,
    *,
    actor: str,
    cipher: IdentityCipher,
    flt: JournalFilter,
    lang: str,
    with_identity: bool = False,
    now: datetime | None = None,
    frame: pd.DataFrame | None = None,
) -> bytes:
    """The filtered journal as an XLSX file (bytes); audited as an export."""
    who = require(load_actor(session, actor), UseCase.EXPORT_JOURNAL)
    t = Translator(lang)
    moment = now or utcnow()
    data = frame if frame is not None else load_journal_frame(session, actor=actor)
    extra = (
        identity_matches(session, actor=actor, cipher=cipher, text=flt.search)
        if flt.search
        else set()
    )
    kept = filter_journal(data, flt, now=moment, extra_request_ids=extra)
    identity = with_identity and who.sees_identity
    schools = school_names(session, lang)
    due_labels = dict(DUE_MARKS)
    people = _identity(session, cipher, [int(i) for i in kept["id"]]) if identity else {}
    book = Workbook(write_only=True)
    sheet = book.create_sheet(t("Journal"))
    append_row(sheet, [t(c) for c in COLUMNS + (IDENTITY_COLUMNS if identity else ())])
    for row in journal_rows(kept):
        cells: list[object] = [
            row.journal_number,
            format_moment(row.received_at, lang),  # 18.03.2026, 09:30 (Kazakhstan time)
            format_moment(row.due_at, lang),
            t(due_labels[row.due_mark]),
            t(STATUS_LABELS.get(row.status, row.status)),
            t(CHANNEL_LABELS.get(row.channel, row.channel)),
            t(SOURCE_LABELS.get(row.source, row.source)),
            "; ".join(t(CONCERNS_BY_CODE[c].label) for c in row.concerns if c in CONCERNS_BY_CODE),
            schools.get(row.school_id, "") if row.school_id is not None else "",
            t("yes") if row.direct_threat else t("no"),
            row.child_code or "",
            row.description,
        ]
        if identity:
            cells.extend(people.get(row.id, ("", "", "")))
        append_row(sheet, cells)  # text stays text: a description is never run as a formula
    buffer = io.BytesIO()
    book.save(buffer)
    record_event(
        session,
        actor=who.username,
        action="export",
        entity="journal",
        details={
            "rows": len(kept),
            "identity": identity,
            "filter": audited_filter(flt, cipher),
            "lang": lang,
        },
    )
    return buffer.getvalue()
