"""Errors that name the field of a form they belong to, one or all of them at once.

A check raises ``IntakeValidationError`` naming its field. A form with many fields runs every
check through ``FieldErrors`` so that the person sees *all* that is wrong at once, each message
beside its field, instead of fixing one error per save: ``collect`` runs a check and keeps its
error, ``raise_if_any`` raises them together as ``IntakeValidationErrors``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pcenter_lib.errors import Msgid, PcenterError, ValidationError
from pcenter_lib.i18n import N_, gettext

T = TypeVar("T")


class IntakeValidationError(ValidationError):
    """A field of a request (or an amendment) breaks a rule; ``field`` names it for the form."""

    def __init__(self, field: str, msgid: str | tuple[str, str], /, **params: object) -> None:
        self.field = field
        super().__init__(msgid, **params)

    def localized(self, lang: str) -> str:
        """The message in ``lang``; a ``field`` parameter (a label msgid) is translated too."""
        params = {
            key: gettext(value, lang)
            if isinstance(value, Msgid) or (key == "field" and isinstance(value, str))
            else value
            for key, value in self.params.items()
        }
        try:
            return self.template(lang).format(**params)
        except (KeyError, IndexError, ValueError):
            return self.template(lang)


class IntakeValidationErrors(IntakeValidationError):
    """Several fields are wrong; ``errors`` holds one error per field, in form order.

    ``field`` is the first wrong field, so code that handles one error still finds its field.
    """

    def __init__(self, errors: list[IntakeValidationError]) -> None:
        self.errors = tuple(errors)
        super().__init__(errors[0].field, N_("{count} fields need correcting."), count=len(errors))

    def by_field(self, lang: str) -> dict[str, list[str]]:
        """Each wrong field's messages in ``lang``."""
        found: dict[str, list[str]] = {}
        for error in self.errors:
            found.setdefault(error.field, []).append(error.localized(lang))
        return found

    def localized(self, lang: str) -> str:
        head = gettext(self.msgid, lang).format(count=len(self.errors))
        return " ".join([head, *(error.localized(lang) for error in self.errors)])


def as_field_error(field: str, error: PcenterError) -> IntakeValidationError:
    """``error`` (e.g. an invalid IIN) as an error of ``field``, with the same message."""
    msgid = error.msgid if error.plural is None else (error.msgid, error.plural)
    made = IntakeValidationError(field, msgid, **error.params)
    made.__cause__ = error
    return made


class FieldErrors:
    """Collects the errors of independent checks, to report them all at once."""

    def __init__(self) -> None:
        self.errors: list[IntakeValidationError] = []

    def collect(self, check: Callable[[], T]) -> T | None:
        """``check()``'s result, or ``None`` with its error kept (a field checked once only)."""
        try:
            return check()
        except IntakeValidationErrors as many:
            self.errors.extend(many.errors)
        except IntakeValidationError as error:
            self.errors.append(error)
        return None

    def fields(self) -> set[str]:
        return {error.field for error in self.errors}

    def raise_if_any(self) -> None:
        """Raise the one error as it is, several as ``IntakeValidationErrors``; else nothing."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise IntakeValidationErrors(self.errors)
