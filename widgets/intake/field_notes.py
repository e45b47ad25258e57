"""Form errors beside their fields: every wrong field of a save shown at once, translated.

A service reports what is wrong as ``IntakeValidationError`` (one field) or
``IntakeValidationErrors`` (several); ``FieldNotes`` puts each message in a small note next to
the field it names, and clears the notes of fields that are right again.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.field_errors import IntakeValidationError, IntakeValidationErrors
from pcenter_lib.i18n import N_
from widgets.intake.controls import css

SUMMARY: Final = N_("{count} fields need correcting; see the notes beside them.")


class FieldNotes:
    """One note per field; ``beside`` puts a field and its note in a row."""

    def __init__(self, fields: Iterable[str], *, aliases: dict[str, str] | None = None) -> None:
        self.notes = {name: css(widgets.HTML(), "pcenter-field-note") for name in fields}
        self.aliases = dict(aliases or {})  # an error's field → the note that shows it

    def beside(self, field: str, *controls: widgets.Widget) -> widgets.VBox:
        """The controls of ``field`` with its note right under them (read with the field)."""
        return widgets.VBox(
            [widgets.HBox(list(controls)), self.notes[field]],
            layout=widgets.Layout(flex="0 0 auto"),
        )

    def clear(self) -> None:
        for note in self.notes.values():
            note.value = ""

    def show(self, error: IntakeValidationError, lang: str) -> int:
        """Show every message of ``error`` beside its field; returns how many fields are wrong."""
        self.clear()
        errors = error.errors if isinstance(error, IntakeValidationErrors) else (error,)
        by_field: dict[str, list[str]] = {}
        for item in errors:
            name = self.aliases.get(item.field, item.field)
            by_field.setdefault(name if name in self.notes else "", []).append(item.localized(lang))
        for name, messages in by_field.items():
            if not name:
                continue
            text = " ".join(html.escape(m) for m in messages)
            self.notes[name].value = f'<span class="pcenter-field-error" role="alert">{text}</span>'
        return len(by_field)

    def texts(self) -> dict[str, str]:
        """The notes shown now, by field (for tests)."""
        return {name: note.value for name, note in self.notes.items() if note.value}
