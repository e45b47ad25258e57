"""What every panel of the intake app shares: shell, workbench, clock, current request, helpers.

Panels never talk to each other directly. They read and set the *current request* here (the
one picked in the journal, just registered, or typed by number) and announce that the journal
changed; the context calls whoever listens. The clock is injectable so that tests can fix "now".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Final, TypeVar

import ipywidgets as widgets
from ipywidgets.widgets.widget_description import DescriptionWidget
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import may as is_allowed
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.models.base import utcnow
from pcenter_lib.workbench import Workbench
from widgets.shell import AppShell

CHOOSE: Final = N_("— choose —")
ANY: Final = N_("(any)")
TIME_FORMAT_HINT: Final = N_("Write the time as HH:MM, for example 09:30.")
GIVE_DATE: Final = N_("Choose a date.")
TIME_TEXT: Final = "%Y-%m-%d %H:%M"
NO_REQUEST: Final = N_("Choose a request above first.")
RULE: Final = N_("Rule {number}")


class NoRequestChosenError(PcenterError, LookupError):
    """An action needs the current request and none is chosen."""


Listener = Callable[[], object]
W = TypeVar("W", bound=widgets.Widget)


class IntakeContext:
    """Shared state and services access for the intake panels."""

    def __init__(
        self, shell: AppShell, workbench: Workbench, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.shell = shell
        self.workbench = workbench
        self.clock = clock
        self.current_request_id: int | None = None
        self.tab_opener: Callable[[str], object] | None = None  # set by the app
        self._request_listeners: list[Listener] = []
        self._journal_listeners: list[Listener] = []

    @property
    def t(self) -> Translator:
        return self.shell.t

    @property
    def actor(self) -> str:
        return self.shell.actor

    @property
    def notify_minutes(self) -> int:
        """The Center's "immediately" for notifications (Rules 18, 22), in minutes."""
        return self.workbench.settings.notify_minutes

    def may(self, use_case: str) -> bool:
        """Whether the signed-in roles allow ``use_case`` (to show or hide a control)."""
        return is_allowed(self.shell.roles, use_case)

    def chosen_request(self) -> int:
        """The current request's id; a clear error when none is chosen."""
        if self.current_request_id is None:
            raise NoRequestChosenError(NO_REQUEST)
        return self.current_request_id

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose transaction commits at the end of the block (rolls back on error)."""
        with self.workbench.sessions.begin() as session:
            yield session

    def on_request_change(self, fn: Listener) -> None:
        self._request_listeners.append(fn)

    def on_journal_change(self, fn: Listener) -> None:
        self._journal_listeners.append(fn)

    def open_tab(self, code: str) -> None:
        """Bring the tab ``code`` forward, if the app has it for this role."""
        if self.tab_opener is not None:
            self.tab_opener(code)

    def select_request(self, request_id: int | None) -> None:
        """Make ``request_id`` the current request and tell every panel."""
        self.current_request_id = request_id
        for fn in list(self._request_listeners):
            self.shell.guard(fn)()

    def journal_changed(self) -> None:
        """Something was written: panels that show journal data reload it."""
        for fn in list(self._journal_listeners):
            self.shell.guard(fn)()


def labelled_options(
    t: Translator, pairs: Iterable[tuple[str, str]], *, empty: str | None = None
) -> list[tuple[str, str | None]]:
    """Dropdown options ``(translated label, code)``, optionally led by an empty choice."""
    options: list[tuple[str, str | None]] = [] if empty is None else [(t(empty), None)]
    options.extend((t(label), code) for code, label in pairs)
    return options


def set_options(
    widget: widgets.Dropdown | widgets.SelectMultiple, options: Sequence[tuple[str, object]]
) -> None:
    """Replace a selector's options keeping its current value(s) where they still exist."""
    kept = widget.value
    codes = [code for _label, code in options]
    widget.options = options
    if isinstance(widget, widgets.SelectMultiple):
        widget.value = tuple(v for v in kept if v in codes)
    elif kept in codes:
        widget.value = kept


def local_moment(day: date | None, clock_text: str, *, field: str) -> datetime:
    """A Kazakhstan-time moment from a date picker and an ``HH:MM`` text."""
    if day is None:
        raise IntakeValidationError(field, GIVE_DATE)
    try:
        parsed = time.fromisoformat(clock_text.strip())
    except ValueError:
        raise IntakeValidationError(field, TIME_FORMAT_HINT) from None
    return datetime.combine(day, parsed.replace(second=0, microsecond=0), tzinfo=KZ_TZ)


def local_text(moment: datetime | None) -> str:
    """A moment in Kazakhstan time as people read it; a dash when missing."""
    return "—" if moment is None else moment.astimezone(KZ_TZ).strftime(TIME_TEXT)


def rule_text(t: Translator, rules: str) -> str:
    """``"Rule 15, Rule 18"`` in the reader's language (``"15-тармақ, 18-тармақ"``)."""
    parts = []
    for part in rules.split(","):
        words = part.split()
        if len(words) == 2 and words[0] == "Rule":
            parts.append(t(RULE, number=words[1]))
        else:
            parts.append(part.strip())
    return ", ".join(parts)


DESCRIPTION_WIDTH: Final = "170px"


def shown(widget: widgets.Widget, visible: bool) -> None:
    """Show or hide ``widget`` (a role that may not use a control does not see it)."""
    widget.layout.display = None if visible else "none"


def css(widget: W, *classes: str) -> W:
    """Add CSS hook classes to ``widget`` and return it; labels get room to be read whole."""
    for name in classes:
        widget.add_class(name)
    if isinstance(widget, widgets.Checkbox):
        widget.style.description_width = "initial"
        widget.layout.width = "max-content"
    elif isinstance(widget, DescriptionWidget):
        widget.style.description_width = DESCRIPTION_WIDTH
    return widget


def button(css_class: str) -> widgets.Button:
    """A button carrying a hook class; its label is set by the panel's ``render``."""
    made = widgets.Button(layout=widgets.Layout(width="max-content"))
    made.add_class(css_class)
    return made
