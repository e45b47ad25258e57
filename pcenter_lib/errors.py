"""One root for every error the workbench raises on purpose.

Each error carries an English message id and its parameters, so the same error can be shown to a
person in Kazakh, Russian or English (``error.localized("kk")``) while ``str(error)`` stays English
for logs. Subclasses also inherit the builtin they resemble, so callers may catch ``ValueError`` or
``LookupError`` without knowing this module.
"""

from __future__ import annotations

from typing import Any


class Msgid(str):
    """A parameter that is itself a message id: translated too when the error is localized."""

    __slots__ = ()


class PcenterError(Exception):
    """Root of all deliberate errors; the message is a catalog id formatted with ``params``."""

    def __init__(self, msgid: str | tuple[str, str], /, **params: Any) -> None:
        # a (singular, plural) pair from NP_() is chosen by the parameter ``count``, so Russian
        # reads "3 символа" and "5 символов" (three forms), Kazakh and English two
        self.plural: str | None = None
        if isinstance(msgid, tuple):
            msgid, self.plural = msgid
        self.msgid = msgid
        self.params = params
        english = self.msgid if self.plural is None or params.get("count") == 1 else self.plural
        super().__init__(self._format(english))

    def _format(self, template: str, params: dict[str, Any] | None = None) -> str:
        try:
            return template.format(**(self.params if params is None else params))
        except (KeyError, IndexError, ValueError):
            return template

    def localized(self, lang: str) -> str:
        """The message in ``lang`` (kk, ru or en); ``Msgid`` parameters are translated as well."""
        from pcenter_lib.i18n import gettext

        params = {
            key: gettext(value, lang) if isinstance(value, Msgid) else value
            for key, value in self.params.items()
        }
        return self._format(self.template(lang), params)

    def template(self, lang: str) -> str:
        """The message in ``lang`` before its parameters are filled in (the plural form too)."""
        from pcenter_lib.i18n import gettext, ngettext

        if self.plural is not None:
            count = self.params.get("count")
            number = count if isinstance(count, int) else 0
            return ngettext(self.msgid, self.plural, number, lang)
        return gettext(self.msgid, lang)


class ConfigurationError(PcenterError, ValueError):
    """A setting (environment variable, key file, language) is missing or invalid."""


class DatabaseUnavailableError(PcenterError, ConnectionError):
    """The database URL cannot be reached or is not a database we support."""


class PermissionDeniedError(PcenterError, PermissionError):
    """The acting user's role does not allow this use case."""


class ConflictError(PcenterError, RuntimeError):
    """Somebody else changed the record since it was read (optimistic locking)."""


class DatabaseBusyError(PcenterError, RuntimeError):
    """The database could not take this write now (another person's long save); try again."""


class NotFoundError(PcenterError, LookupError):
    """A record asked for by id or code does not exist."""


class ValidationError(PcenterError, ValueError):
    """Input from a person or a file breaks a rule; the message says which and what is valid."""


class LockedRecordError(PcenterError, RuntimeError):
    """A signed record was to be changed; only an addendum may follow a signature."""
