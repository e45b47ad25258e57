"""What the intake panels share: the current request and the journal's changes, as traits.

Panels never call each other (``docs/architecture.md``). The request picked in the journal,
just registered, typed by number or followed from an alert is ``IntakeState.request_id``; every
write raises ``journal_version``, and the panels showing journal data ``watch`` it and read
again; a panel that wants another tab brought forward (the threat tab after a direct threat, the
consent tab when Rule 15 needs consent) sets ``focus``, which the app follows. The clock is the
app's (a demo database's own clock, or one a test fixes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import ClassVar, Final, TypeVar

import traitlets
from sqlalchemy.orm import Session

from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_
from pcenter_lib.services.users import list_users
from pcenter_lib.transactions import run_in_transaction
from widgets.kit import AppState, Panel
from widgets.shell import AppShell

T = TypeVar("T")
NO_REQUEST: Final = N_("Choose a request above first.")


class NoRequestChosenError(PcenterError, LookupError):
    """An action needs the current request and none is chosen."""


class IntakeState(AppState):
    """The current request, a counter of writes, and the tab a panel asks for."""

    request_id = traitlets.Int(None, allow_none=True)
    journal_version = traitlets.Int(0)
    focus = traitlets.Unicode("")  # the ``tab`` code of the panel to bring forward

    def __init__(self, *, clock: Callable[[], datetime], notify_minutes: int) -> None:
        super().__init__()
        self.clock = clock
        self.notify_minutes = notify_minutes  # "immediately" of Rules 18, 22, in minutes
        self.people: dict[str, str] | None = None  # user name → full name, read when first needed


class IntakePanel(Panel[IntakeState]):
    """A part of the intake page; ``tab`` names it for ``IntakeState.focus``."""

    tab: ClassVar[str] = ""

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)

    @property
    def notify_minutes(self) -> int:
        """The Center's "immediately" for notifications (Rules 18, 22), in minutes."""
        return self.state.notify_minutes

    @property
    def current_request_id(self) -> int | None:
        return self.state.request_id

    def now(self) -> datetime:
        return self.state.clock()

    def person(self, username: str | None) -> str:
        """Who did something, as colleagues know them: the full name, not the login."""
        if not username:
            return "—"
        if self.state.people is None:
            with self.workbench.sessions() as session:
                self.state.people = {u.username: u.full_name for u in list_users(session)}
        return self.state.people.get(username) or username

    def chosen_request(self) -> int:
        """The current request's id; a clear error when none is chosen."""
        if self.state.request_id is None:
            raise NoRequestChosenError(NO_REQUEST)
        return self.state.request_id

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose transaction commits at the end of the block (rolls back on error)."""
        with self.workbench.sessions.begin() as session:
            yield session

    def write(self, work: Callable[[Session], T]) -> T:
        """Run the unit of work ``work(session)`` in one transaction and return its result.

        A database busy for a moment (another operator's save holding the lock) is waited for
        and the whole unit repeated (``run_in_transaction``), so a short lock never reaches the
        person; a conflict or refusal is raised at once and nothing is half-written.
        """
        return run_in_transaction(self.workbench.sessions, work)

    def select_request(self, request_id: int | None) -> None:
        """Make ``request_id`` the current request; a repeated choice reads it again."""
        if self.state.request_id == request_id:
            self.journal_changed()
        self.state.request_id = request_id

    def journal_changed(self) -> None:
        """Something was written: panels that show journal data read it again."""
        self.state.journal_version += 1

    def open_tab(self, tab: str) -> None:
        """Ask the app to bring the tab ``tab`` forward (if this role has it)."""
        self.state.focus = ""
        self.state.focus = tab
