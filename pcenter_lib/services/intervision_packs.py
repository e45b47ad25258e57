"""The session pack (agenda, format guide, de-identified materials, learning points) as DOCX or HTML.

Order No. 264, Rule 14 keeps children's identities confidential; a pack goes to specialists of
other schools (Rule 11.3). So no pack file exists without the leak check: the only way to a
``CheckedPack`` is its constructor, which runs ``check_pack`` over every material (titles too)
with every identifying string of the cases discussed, of the Center's staff and of the
session's participants; the writers accept nothing else. A refusal raises
``IdentifierLeakError``, which lists what was found and where, masked. An accepted export is
registered (``IntervisionExport``: file, language, SHA-256) and audited without any name.
The pack names no person and no day: the agenda gives the format and its phases, not the
participants or the date (an exact date is one of the leak check's findings).
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from typing import Final

from sqlalchemy.orm import Session

from pcenter_lib.deidentify import PackMaterial, check_pack
from pcenter_lib.documents import ExportedFile, add_table, document_bytes, new_document
from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.codes import PackFormat
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_, Translator, check_language
from pcenter_lib.intervision import get_format
from pcenter_lib.models import EducationOrganization, IntervisionExport, IntervisionSession
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.intervision_materials import known_for
from pcenter_lib.services.intervision_sessions import load_session_row
from pcenter_lib.services.users import load_actor

PACK_LANGUAGES: Final = ("kk", "ru")
MEDIA_TYPES: Final = {
    PackFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    PackFormat.HTML: "text/html; charset=utf-8",
}


@dataclass(frozen=True)
class CheckedPack:
    """A pack whose materials passed the leak check; constructing one runs the check."""

    lang: str
    heading: str
    materials: tuple[PackMaterial, ...]
    agenda: tuple[tuple[str, str], ...]  # (phase, minutes) rows of the agenda table
    known: tuple[str, ...]

    def __post_init__(self) -> None:
        check_pack(
            [
                PackMaterial(self.heading, ""),
                *self.materials,
                *(PackMaterial(phase, minutes) for phase, minutes in self.agenda),
            ],
            known=self.known,
        )


def _agenda(row: IntervisionSession, t: Translator) -> tuple[str, tuple[tuple[str, str], ...]]:
    chosen = get_format(row.format)
    rows = tuple(
        (
            phase.name[t.lang],
            t.ngettext("{n} minute", "{n} minutes", phase.minutes, n=phase.minutes),
        )
        for phase in chosen.phases
    )
    text = "\n".join(
        [
            t("Format: {format}").format(format=chosen.name[t.lang]),
            t("Total time: {minutes} min").format(minutes=chosen.total_minutes),
        ]
    )
    return text, rows


def _guide(row: IntervisionSession, lang: str) -> str:
    chosen = get_format(row.format)
    lines = [chosen.summary[lang], ""]
    for number, phase in enumerate(chosen.phases, 1):
        lines.append(f"{number}. {phase.name[lang]} ({phase.minutes})")
        lines += [f"   — {prompt[lang]}" for prompt in phase.prompts]
    return "\n".join(lines)


def build_pack(session: Session, row: IntervisionSession, lang: str) -> CheckedPack:
    """The session's pack in ``lang``, checked; ``IdentifierLeakError`` on any finding."""
    t = Translator(lang)
    agenda_text, agenda_rows = _agenda(row, t)
    materials = [
        PackMaterial(t("Agenda"), agenda_text),
        PackMaterial(t("Format guide"), _guide(row, lang)),
    ]
    materials += [PackMaterial(m.title, m.text) for m in row.materials]
    outcomes = "\n\n".join(part for part in (row.learning_points, row.agreements) if part.strip())
    if outcomes:
        materials.append(PackMaterial(t("Learning points and agreements"), outcomes))
    known = list(known_for(session, {m.case_id for m in row.materials if m.case_id}, lang))
    known += [p.full_name for p in row.participants] + [row.facilitator]
    for p in row.participants:
        school = session.get(EducationOrganization, p.education_organization_id or 0)
        if school is not None:
            known += [school.name_kk, school.name_ru]
    heading = row.title or t("Intervision session")
    return CheckedPack(
        lang,
        heading,
        tuple(materials),
        agenda_rows,
        tuple(dict.fromkeys(k for k in known if k.strip())),
    )


def render_docx(pack: CheckedPack) -> bytes:
    if not isinstance(pack, CheckedPack):
        raise TypeError("only a checked pack is written")
    t = Translator(pack.lang)
    document = new_document()
    document.add_heading(pack.heading, level=1)
    for number, material in enumerate(pack.materials):
        document.add_heading(material.title, level=2)
        for paragraph in material.text.split("\n"):
            document.add_paragraph(paragraph)
        if number == 0:
            add_table(document, [t("Phase"), t("Time")], [list(r) for r in pack.agenda])
    return document_bytes(document)


def render_html(pack: CheckedPack) -> bytes:
    if not isinstance(pack, CheckedPack):
        raise TypeError("only a checked pack is written")
    t = Translator(pack.lang)
    parts = [
        f'<!DOCTYPE html><html lang="{pack.lang}"><head><meta charset="utf-8">',
        f"<title>{html.escape(pack.heading)}</title></head><body>",
        f"<h1>{html.escape(pack.heading)}</h1>",
    ]
    for number, material in enumerate(pack.materials):
        parts.append(f"<h2>{html.escape(material.title)}</h2>")
        parts += [f"<p>{html.escape(line)}</p>" for line in material.text.split("\n") if line]
        if number == 0:
            rows = "".join(
                f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>"
                for a, b in pack.agenda
            )
            parts.append(
                f"<table><tr><th>{html.escape(t('Phase'))}</th>"
                f"<th>{html.escape(t('Time'))}</th></tr>{rows}</table>"
            )
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def export_pack(
    session: Session, *, actor: str, session_id: int, file_format: str, lang: str
) -> ExportedFile:
    """The checked pack as a file, registered with its SHA-256 and audited."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    lang = check_language(lang)
    if lang not in PACK_LANGUAGES:
        raise ValidationError(N_("A pack is exported in Kazakh or Russian."))
    kind = PackFormat(file_format)
    row = load_session_row(session, session_id)
    pack = build_pack(session, row, lang)  # refuses on any finding, before anything is written
    content = render_docx(pack) if kind is PackFormat.DOCX else render_html(pack)
    digest = hashlib.sha256(content).hexdigest()
    filename = f"intervision-{row.id}-{lang}.{kind.value}"
    session.add(
        IntervisionExport(
            intervision_session_id=row.id,
            exported_by=actor,
            file_format=kind,
            language=lang,
            filename=filename,
            sha256=digest,
            size_bytes=len(content),
        )
    )
    session.flush()
    record_event(
        session,
        actor=actor,
        action="export_intervision_pack",
        entity="intervision_session",
        entity_id=row.id,
        details={
            "format": kind.value,
            "language": lang,
            "sha256": digest,
            "materials": len(pack.materials),
        },
    )
    return ExportedFile(filename, content, MEDIA_TYPES[kind], digest)
