"""Finding the child of a request: search, list the matches, let the operator pick (Rules 12, 14).

The search (by whole words of the name, or the IIN) lists every match with birth date, school,
grade and open requests, and selects *nothing*: the operator picks a child, or leaves "new child"
and types one below. When the typed child has the same name and birth date as a recorded one,
the registration stops and the same list shows those children, with a button to confirm that
this is another child.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.i18n import N_, NP_, Translator
from pcenter_lib.services.child_search import ChildMatch, find_children
from widgets.intake.controls import button, css, shown
from widgets.intake.state import IntakePanel, IntakeState
from widgets.kit import offer
from widgets.shell import AppShell

SEARCH: Final = N_("Search")
SEARCH_LABEL: Final = N_("Find child")
SEARCH_HINT: Final = N_("whole words of the name, or the IIN")
NEW_CHILD: Final = N_("(new child — fill in below)")
FOUND: Final = NP_(
    "{count} child found: pick them if right, or fill in a new child below.",
    "{count} children found: pick the right one, or fill in a new child below.",
)
NO_MATCH: Final = N_("No child found; fill in the new child below.")
SAME_CHILD: Final = N_(
    "A child with this name and birth date is already recorded: pick that child in the list, "
    "or confirm that this is another child."
)
ANOTHER_CHILD: Final = N_("Register as another child")
BORN: Final = N_("born {date}")
ABOUT: Final = N_("about {age} years")
GRADE: Final = N_("grade {grade}")
PROVISIONAL: Final = N_("provisional")
OPEN: Final = N_("open: {numbers}")


def match_label(t: Translator, match: ChildMatch, schools: Mapping[int, str]) -> str:
    """How a found child is listed: name, birth date or age, school, grade, open requests."""
    parts = [match.full_name or match.code, *child_facts(t, match, schools)]
    return " · ".join(parts)


def child_facts(t: Translator, match: ChildMatch, schools: Mapping[int, str]) -> list[str]:
    """Birth date or approximate age, school, grade, provisional, open requests — no name."""
    parts: list[str] = []
    if match.birth_on is not None:
        parts.append(t(BORN, date=match.birth_on.isoformat()))
    elif match.approx_age is not None:
        parts.append(t(ABOUT, age=match.approx_age))
    if match.education_organization_id is not None:
        parts.append(schools.get(match.education_organization_id, "—"))
    if match.grade is not None:
        parts.append(t(GRADE, grade=match.grade))
    if match.provisional:
        parts.append(t(PROVISIONAL))
    if match.open_requests:
        parts.append(t(OPEN, numbers=", ".join(match.open_requests)))
    return parts


class ChildFinder(IntakePanel):
    """Search field, button, the list of matches and the duplicate warning."""

    use_case = UseCase.SEE_IDENTITY

    def __init__(
        self,
        shell: AppShell,
        state: IntakeState,
        schools: Callable[[], Mapping[int, str]],
        on_confirm_new: Callable[[], object],
        *,
        empty_choice: str = NEW_CHILD,
    ) -> None:
        super().__init__(shell, state)
        self.empty_choice = empty_choice
        self.schools = schools
        self.matches: list[ChildMatch] = []
        self.query = css(widgets.Text(), "pcenter-intake-child-search")
        self.search_button = button("pcenter-intake-child-search-button")
        self.choice = css(
            widgets.Select(rows=5, layout=widgets.Layout(width="760px")),
            "pcenter-intake-child-found",
        )
        self.note = css(widgets.HTML(), "pcenter-intake-child-note")
        self.another_button = button("pcenter-intake-another-child")
        self.search_button.on_click(self.shell.guard(lambda _b: self.search()))
        self.another_button.on_click(self.shell.guard(lambda _b: on_confirm_new()))
        shown(self.another_button, False)
        self.widget = css(
            widgets.VBox(
                [
                    widgets.HBox([self.query, self.search_button]),
                    self.choice,
                    self.note,
                    self.another_button,
                ]
            ),
            "pcenter-intake-child-finder",
        )

    @property
    def value(self) -> int | None:
        chosen = self.choice.value
        return chosen if isinstance(chosen, int) else None

    def render(self) -> None:
        t = self.t
        self.query.description = t(SEARCH_LABEL)
        self.query.placeholder = t(SEARCH_HINT)
        self.search_button.description = t(SEARCH)
        self.another_button.description = t(ANOTHER_CHILD)
        self.choice.description = ""
        self._list()

    def _list(self) -> None:
        t, schools = self.t, self.schools()
        options: list[tuple[str, object]] = [(t(self.empty_choice), None)]
        options += [(match_label(t, m, schools), m.child_id) for m in self.matches]
        offer(self.choice, options)
        self.choice.rows = min(8, max(2, len(options)))

    def search(self) -> None:
        with self.transaction() as session:
            self.matches = find_children(
                session,
                actor=self.actor,
                cipher=self.workbench.cipher,
                query=self.query.value,
            )
        self.choice.value = None  # never chosen for the operator
        self._list()
        shown(self.another_button, False)
        t = self.t
        text = (
            t.ngettext(*FOUND, len(self.matches), count=len(self.matches))
            if self.matches
            else t(NO_MATCH)
        )
        self.note.value = html.escape(text)

    def show_same_children(self, matches: tuple[ChildMatch, ...]) -> None:
        """The children recorded with the typed name and birth date, before a second record."""
        self.matches = list(matches)
        self._list()
        self.choice.value = None
        self.note.value = f'<div class="pcenter-warning">{html.escape(self.t(SAME_CHILD))}</div>'
        shown(self.another_button, True)

    def clear(self) -> None:
        self.query.value = ""
        self.matches = []
        self.note.value = ""
        shown(self.another_button, False)
        self._list()
        self.choice.value = None
