"""Case materials: draft a vignette from a case, edit it, export the pack through the leak check.

The case is chosen by the child's pseudonymous code, never by name; the service reads the case
and drafts the de-identified vignette. The methodologist edits the text; each save shows what
the leak check still finds, in place (the material, the characters, the kind and a masked
excerpt, with the spots marked in the text). The export runs the check over the whole pack and
is refused on any finding; the refusal is shown here, and nothing is offered for download.
"""

from __future__ import annotations

import html
from typing import Final

import ipywidgets as widgets

from pcenter_lib.deidentify import IdentifierLeakError, Leak
from pcenter_lib.deidentify.gate import MASK
from pcenter_lib.domain.access import UseCase
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import LANGUAGE_NAMES, N_
from pcenter_lib.services.intervision_materials import (
    MaterialCheck,
    check_material,
    draft_material,
    edit_material,
)
from pcenter_lib.services.intervision_packs import PACK_LANGUAGES, export_pack
from pcenter_lib.services.intervision_sessions import read_session
from pcenter_lib.services.intervision_views import SessionView
from widgets.intervision.labels import WIDE, button, format_name
from widgets.intervision.state import IntervisionState
from widgets.kit import Panel, offer
from widgets.markup import bullet_list, download_link, heading, note
from widgets.shell import AppShell

HEADINGS: Final = (N_("Draft from a case"), N_("Edit the material"), N_("Export the pack"))
STATUS_LABELS: Final = {"open": N_("open"), "monitoring": N_("monitoring"), "closed": N_("closed")}


def marked_text(text: str, leaks: tuple[Leak, ...]) -> str:
    """The text with every finding masked and marked, so the place shows without the value."""
    findings = sorted({(leak.start, leak.end) for leak in leaks if not leak.in_title})
    out, position = [], 0
    for start, end in findings:
        if start < position:
            continue
        out.append(html.escape(text[position:start]))
        out.append(f'<mark class="pcenter-iv-leak">{MASK}</mark>')
        position = end
    out.append(html.escape(text[position:]))
    return f'<pre class="pcenter-iv-marked">{"".join(out)}</pre>'


class MaterialsPanel(Panel[IntervisionState]):
    """Draft, edit with the leak check in place, export as DOCX or HTML."""

    title = N_("Case materials")
    use_case = UseCase.RUN_INTERVISION
    css_class = "pcenter-iv-materials"

    def __init__(self, shell: AppShell, state: IntervisionState) -> None:
        super().__init__(shell, state)
        self.view: SessionView | None = None
        self.checked: MaterialCheck | None = None
        wide = {"description_width": "12em"}
        self.headings = [widgets.HTML() for _ in HEADINGS]
        self.header = widgets.HTML()
        self.case = widgets.Dropdown(style=wide, layout={"width": WIDE})
        self.case.add_class("pcenter-iv-case")
        self.draft_lang = widgets.ToggleButtons()
        self.draft_lang.add_class("pcenter-iv-draft-lang")
        self.draft_button = button("pcenter-iv-draft", "primary", "magic")
        self.on_click(self.draft_button, self.draft)
        self.material = widgets.Dropdown(style=wide, layout={"width": WIDE})
        self.material.add_class("pcenter-iv-material")
        self.on_change(self.material, lambda _v: self.check())
        self.material_title = widgets.Text(style=wide, layout={"width": WIDE})
        self.material_title.add_class("pcenter-iv-material-title")
        self.text = widgets.Textarea(layout={"width": WIDE, "height": "14em"})
        self.text.add_class("pcenter-iv-material-text")
        self.save_button = button("pcenter-iv-save-material", "primary", "save")
        self.on_click(self.save_button, self.save)
        self.findings = widgets.HTML()
        self.findings.add_class("pcenter-iv-findings")
        self.pack_lang = widgets.ToggleButtons(
            options=[(LANGUAGE_NAMES[code], code) for code in PACK_LANGUAGES]
        )
        self.pack_lang.add_class("pcenter-iv-pack-lang")
        self.docx_button = button("pcenter-iv-export-docx", "", "file-word-o")
        self.on_click(self.docx_button, lambda: self.export("docx"))
        self.html_button = button("pcenter-iv-export-html", "", "file-code-o")
        self.on_click(self.html_button, lambda: self.export("html"))
        self.export_result = widgets.HTML()
        self.export_result.add_class("pcenter-iv-export-result")
        self.widget.children = (
            self.header,
            self.headings[0],
            self.case,
            widgets.HBox([self.draft_lang, self.draft_button]),
            self.headings[1],
            self.material,
            self.material_title,
            self.text,
            self.save_button,
            self.findings,
            self.headings[2],
            widgets.HBox([self.pack_lang, self.docx_button, self.html_button]),
            self.export_result,
        )
        self.watch(["session_id", "changed"], self.load)

    def render(self) -> None:
        t = self.t
        for widget, msgid in zip(self.headings, HEADINGS, strict=True):
            widget.value = heading(t(msgid))
        self.case.description = t("Case (child's code)")
        self.draft_button.description = t("Draft a vignette")
        self.material.description = t("Material")
        self.material_title.description = t("Title")
        self.text.placeholder = t("The de-identified text of the case")
        self.save_button.description = t("Save and check")
        self.docx_button.description = t("Export DOCX")
        self.html_button.description = t("Export HTML")
        with self.quiet():
            offer(self.draft_lang, [(LANGUAGE_NAMES[c], c) for c in ("kk", "ru", "en")])
            offer(
                self.case,
                [
                    (f"{code} · {t(STATUS_LABELS.get(status, status))}", cid)
                    for cid, code, status in self.state.cases
                ],
            )
            if self.lang in ("kk", "ru"):
                self.draft_lang.value = self.lang
                self.pack_lang.value = self.lang
        self.load()

    def load(self) -> None:
        if self.state.session_id is None:
            self.view = None
            self.header.value = note(self.t("Plan a session or choose one in the Sessions tab."))
            return
        with self.workbench.sessions() as session:
            self.view = read_session(session, actor=self.actor, session_id=self.state.session_id)
        view, lang = self.view, self.lang
        named = " · ".join(
            p
            for p in (view.title, format_name(view.format, lang), format_moment(view.held_at, lang))
            if p
        )
        self.header.value = note(f"{self.t('Session')}: {named}")
        with self.quiet():
            offer(self.material, [(f"{m.id}. {m.title}", m.id) for m in view.materials])
        self.check()

    def _show(self, checked: MaterialCheck | None) -> None:
        self.checked = checked
        t = self.t
        if checked is None:
            with self.quiet():
                self.material_title.value, self.text.value = "", ""
            self.findings.value = note(t("No material yet: draft one from a case."))
            return
        with self.quiet():
            self.material_title.value = checked.material.title
            self.text.value = checked.material.text
        if not checked.leaks:
            self.findings.value = (
                '<div class="pcenter-iv-clean">'
                + html.escape(t("The leak check finds nothing."))
                + "</div>"
            )
            return
        self.findings.value = (
            '<div class="pcenter-iv-leaks">'
            + html.escape(
                t(
                    "The leak check finds possible identifiers ({count}); the pack cannot "
                    "be exported until they are replaced:"
                ).format(count=len(checked.leaks))
            )
            + bullet_list(
                [leak.describe(self.lang) for leak in checked.leaks], "pcenter-iv-leak-list"
            )
            + marked_text(checked.material.text, checked.leaks)
            + "</div>"
        )

    def check(self) -> None:
        if self.view is None or not isinstance(self.material.value, int):
            self._show(None)
            return
        with self.workbench.sessions() as session:
            checked = check_material(
                session, actor=self.actor, session_id=self.view.id, material_id=self.material.value
            )
        self._show(checked)

    def draft(self) -> None:
        if self.view is None or not isinstance(self.case.value, int):
            return
        with self.workbench.sessions.begin() as session:
            checked = draft_material(
                session,
                actor=self.actor,
                session_id=self.view.id,
                case_id=self.case.value,
                lang=str(self.draft_lang.value),
                expected_version=self.view.version,
            )
        self.state.touch()
        with self.quiet():
            self.material.value = checked.material.id
        self._show(checked)
        self.shell.show_success(self.t("The vignette is drafted; read and edit it."))

    def save(self) -> None:
        if self.view is None or self.checked is None:
            return
        with self.workbench.sessions.begin() as session:
            checked = edit_material(
                session,
                actor=self.actor,
                session_id=self.view.id,
                material_id=self.checked.material.id,
                title=self.material_title.value,
                text=self.text.value,
                expected_version=self.view.version,
            )
        self.state.touch()
        self._show(checked)
        self.shell.show_success(self.t("The material is saved."))

    def export(self, file_format: str) -> None:
        if self.view is None:
            return
        self.export_result.value = ""
        try:
            with self.workbench.sessions.begin() as session:
                exported = export_pack(
                    session,
                    actor=self.actor,
                    session_id=self.view.id,
                    file_format=file_format,
                    lang=str(self.pack_lang.value),
                )
        except IdentifierLeakError as refused:
            lines = refused.localized(self.lang).split("\n")
            self.export_result.value = (
                '<div class="pcenter-iv-refused">'
                + html.escape(lines[0])
                + bullet_list([ln.lstrip("• ") for ln in lines[1:]], "pcenter-iv-refused-list")
                + "</div>"
            )
            self.shell.show_error(lines[0])
            return
        link = download_link(
            exported.content,
            filename=exported.filename,
            label=self.t("Download {name}").format(name=exported.filename),
            media_type=exported.media_type,
            css_class="pcenter-iv-download",
        )
        self.export_result.value = link + note(f"SHA-256: {exported.sha256}")
        self.shell.show_success(self.t("The pack passed the leak check and is exported."))
