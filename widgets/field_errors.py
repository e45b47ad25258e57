"""The fields a failed save names: marked invalid, their message beside them, focus on the first.

ipywidgets cannot set ARIA attributes, so a form keeps a ``FieldErrors`` for the fields a
service may refuse (the field names of ``IntakeValidationError.field``, e.g. ``check_text``'s)
and runs its save inside ``checking()``. When the save is refused, each named field gets the CSS
class ``pcenter-invalid`` and its message in a note placed beside it; the page script
(``pcenter-page.js``) then sets ``aria-invalid="true"`` on the field, links the message with
``aria-describedby`` and moves the focus to the first invalid field (WCAG 2.1 success criteria
3.3.1 "Error Identification" and 3.3.3 "Error Suggestion"). The banner still says what failed.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.field_errors import IntakeValidationError, IntakeValidationErrors

INVALID: Final = "pcenter-invalid"
NOTE: Final = "pcenter-field-error"
_keys = itertools.count(1)  # one key per field of the page: the script pairs field and note by it
_rounds = itertools.count(1)  # one round per refused save: the script moves the focus once a round


class FieldErrors:
    """Notes beside the fields of one form, filled when a save names them."""

    def __init__(self, fields: Mapping[str, widgets.DOMWidget]) -> None:
        self.fields = dict(fields)
        self.notes: dict[str, widgets.HTML] = {}
        self.error: IntakeValidationError | None = None
        self.round = 0
        for name, control in self.fields.items():
            key = f"pcenter-field-{next(_keys)}"
            control.add_class(key)
            note = widgets.HTML()
            note.add_class(NOTE)
            note.add_class(key)
            self.notes[name] = note

    def note(self, field: str) -> widgets.HTML:
        """The note to place right after the field ``field`` (empty until a save names it)."""
        return self.notes[field]

    @property
    def invalid(self) -> list[str]:
        """The fields marked now, in the form's order."""
        return [name for name, control in self.fields.items() if INVALID in control._dom_classes]

    @contextmanager
    def checking(self, lang: str) -> Iterator[None]:
        """Run a save: a refusal naming fields marks them (and is raised on, for the banner);
        a save that goes through clears every mark."""
        try:
            yield
        except IntakeValidationError as error:
            self.show(error, lang)
            raise
        self.clear()

    def show(self, error: IntakeValidationError, lang: str) -> None:
        """Mark the fields ``error`` names, each with its message in ``lang``."""
        self.error = error
        self.round = next(_rounds)
        self.render(lang)

    def render(self, lang: str) -> None:
        """Write the messages again in ``lang`` (after a language switch)."""
        if self.error is None:
            return
        errors = (
            self.error.errors if isinstance(self.error, IntakeValidationErrors) else (self.error,)
        )
        found: dict[str, list[str]] = {}
        for error in errors:
            if error.field in self.fields:
                found.setdefault(error.field, []).append(error.localized(lang))
        for name, control in self.fields.items():
            messages = found.get(name)
            if messages:
                control.add_class(INVALID)
                self.notes[name].value = (
                    f'<span class="pcenter-field-error-text" data-round="{self.round}">'
                    f"{html.escape(' '.join(messages))}</span>"
                )
            else:
                control.remove_class(INVALID)
                self.notes[name].value = ""

    def clear(self) -> None:
        self.error = None
        for name, control in self.fields.items():
            control.remove_class(INVALID)
            self.notes[name].value = ""
