"""The protocol of a supervision session as DOCX, in Kazakh or Russian, stored as a ``Report``.

One document per session: when, in which form, who led it and who attended; then each case's
record — the question, the formulation under its template's own field names, hypotheses, the
decision with any dissent, recommendations, the follow-up tasks — with who signed it and when,
and every addendum. The file is stored with its SHA-256 (``Report``), so the copy that left
the Center can be checked later, and the export is audited. Children appear by code only.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.documents import ExportedFile, add_table, document_bytes, new_document
from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.formulations import load_templates
from pcenter_lib.errors import ValidationError
from pcenter_lib.formats import format_day, format_moment
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.models import Child, Report, SupervisionAddendum, SupervisionSession
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.case_file import RECORD_STATUS_LABELS, TASK_STATUS_LABELS
from pcenter_lib.services.records import load
from pcenter_lib.services.users import load_actor

PROTOCOL_KIND: Final = "supervision_protocol"
PROTOCOL_LANGUAGES: Final = ("kk", "ru")
DOCX_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORM_LABELS: Final = {
    "individual": N_("individual"),
    "group": N_("group"),
    "case_conference": N_("case conference with other bodies"),
}
KIND_LABELS: Final = {"staff": N_("Center staff"), "ppss": N_("school PPSS specialist")}


def _paragraph(document: object, label: str, text: str) -> None:
    if text:
        para = document.add_paragraph()  # type: ignore[attr-defined]
        para.add_run(f"{label}: ").bold = True
        para.add_run(text)


def export_protocol(
    session: Session, *, actor: str, session_id: int, lang: str, now: datetime
) -> ExportedFile:
    """Write the session's protocol in ``lang`` (kk or ru), store it as a report, audit it."""
    who = require(load_actor(session, actor), UseCase.READ_SUPERVISION)
    if lang not in PROTOCOL_LANGUAGES:
        raise ValidationError(
            N_("A protocol is written in Kazakh or Russian (kk, ru), not {lang!r}."), lang=lang
        )
    held = load(session, SupervisionSession, session_id)
    t = Translator(lang)
    templates = {tpl.code: tpl for tpl in load_templates()}
    codes = dict(session.execute(select(Child.id, Child.code).where(
        Child.id.in_([r.child_id for r in held.cases if r.child_id is not None])
    )).all())  # fmt: skip
    document = new_document()
    document.add_heading(t("Supervision session protocol (Rule 11.4)"), level=1)
    _paragraph(document, t("Date"), format_moment(held.held_at, lang))
    _paragraph(document, t("Form"), t(FORM_LABELS[str(held.form)]))
    _paragraph(document, t("Supervisor"), held.supervisor)
    _paragraph(document, t("Duration, minutes"), str(held.minutes))
    if held.participants:
        add_table(
            document,
            [t("Participant"), t("Kind"), t("Attended")],
            [[p["name"], t(KIND_LABELS.get(str(p["kind"]), str(p["kind"]))),
              t("yes") if p["attended"] else t("no")] for p in held.participants],
        )  # fmt: skip
    for record in held.cases:
        document.add_heading(t("Case of child {code}", code=codes.get(record.child_id or 0, "—")), 2)
        _paragraph(document, t("Presented by"), record.presenter or "—")
        _paragraph(document, t("Status"), t(RECORD_STATUS_LABELS[str(record.status)]))
        _paragraph(document, t("Question brought to supervision"), record.question)
        template = templates.get(record.template or "")
        if template is not None:
            _paragraph(document, t("Formulation"), template.title(lang))
            for field in template.fields:
                value = (record.formulation or {}).get(field.code)
                if value not in (None, ""):
                    _paragraph(document, field.text(lang), str(value))
        _paragraph(document, t("Hypotheses"), record.hypotheses)
        _paragraph(document, t("Decision"), record.decision)
        _paragraph(document, t("Dissent"), record.dissent)
        _paragraph(document, t("Recommendations"), record.recommendations)
        if record.tasks:
            add_table(
                document,
                [t("Follow-up task"), t("Responsible"), t("Due date"), t("Status")],
                [[task.description, task.responsible, format_day(task.due_on, lang),
                  t(TASK_STATUS_LABELS[str(task.status)])] for task in record.tasks],
            )  # fmt: skip
        if record.signed_at is not None:
            signed = t("Signed by {person}, {moment}", person=record.signed_by or "—",
                       moment=format_moment(record.signed_at, lang))  # fmt: skip
            document.add_paragraph().add_run(signed).bold = True
        addenda = session.scalars(select(SupervisionAddendum).where(
            SupervisionAddendum.supervision_case_id == record.id).order_by(SupervisionAddendum.id))  # fmt: skip
        for addendum in addenda:
            title = t("Addendum by {person}, {moment}", person=addendum.added_by,
                      moment=format_moment(addendum.added_at, lang))  # fmt: skip
            _paragraph(document, title, f"{addendum.reason or ''} — {addendum.text}")
    content = document_bytes(document)
    digest = hashlib.sha256(content).hexdigest()
    day = held.held_at.date().isoformat()
    filename = f"supervision-protocol-{held.id}-{day}-{lang}.docx"
    report = Report(kind=PROTOCOL_KIND, period=day, lang=lang, filename=filename, sha256=digest,
                    content=content, created_by=who.username, created_at=now)  # fmt: skip
    session.add(report)
    session.flush()
    record_event(session, actor=who.username, action="export", entity="report",
                 entity_id=report.id, details={"kind": PROTOCOL_KIND, "sha256": digest})  # fmt: skip
    return ExportedFile(filename, content, DOCX_TYPE, digest, report.id)
