"""The priority review queue: hard rules first, then the calibrated score; a supervisor decides.

``PriorityQueueView`` is a part of a page, not a whole app: the home page shows it to
supervisors and the supervision app builds its review on it. It lists the children of
``services.priority_queue``: children a hard rule names first, with the rule, never lowered by a
score; then the others by the calibrated probability, with the band (1–20), the probability and
the indicators that raise it most in plain words, so the number is explained to the person who
acts on it. Every row shows the next due time, the last contact and the responsible specialist.

The score advises; people decide (the Law "On personal data and their protection", No. 94-V,
Art. 19-1, forbids automated decisions about a person): the view says so on screen, and a level
changes only by a supervisor's recorded override (``override.OverrideForm``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.priority import LEVEL_LABELS
from pcenter_lib.formats import format_count, format_moment, format_share
from pcenter_lib.i18n import N_
from pcenter_lib.services.priority_queue import RULES_ONLY, PriorityQueue, QueueRow, priority_queue
from pcenter_lib.services.users import list_users
from widgets.markup import heading, html_table, note, paragraph
from widgets.queue.override import OverrideForm
from widgets.shell import AppShell

QUEUE_HEADING: Final = N_("Priority review queue")
ADVICE: Final = N_(
    "The score advises; people decide. The score only orders the queue: the law forbids "
    "automated decisions about a person, so what is recorded is a supervisor's decision."
)
ORDER_NOTE: Final = N_(
    "Children a hard rule names come first, with the rule; a score never lowers them. The others "
    "follow by the calibrated probability of escalation within 90 days, shown as a band from 1 "
    "to 20 with the indicators that raise it most."
)
RULES_ONLY_NOTE: Final = N_(
    "No risk model is published: only the hard rules order the queue, the others follow by "
    "child code."
)
SHOWN_OF: Final = N_("Shown: the first {shown} of {total} children in the queue.")
EMPTY: Final = N_("No child has an open request or case now.")
DRIFT_NOTE: Final = N_(
    "The indicators {codes} have shifted markedly since the model was trained; read the score "
    "with care and tell the analyst."
)
BAND_TEXT: Final = N_("band {band} of 20, probability {probability}")
OVERRIDDEN_TEXT: Final = N_("{level} (set by {person}; the model: {model})")


def level_text(row: QueueRow, t: Callable[..., str]) -> str:
    """The level a person reads, saying who set it when a supervisor overrode the model."""
    level = t(LEVEL_LABELS[row.level])
    if row.overridden_by:
        model = t(LEVEL_LABELS[row.model_level])
        return t(OVERRIDDEN_TEXT, level=level, person=row.overridden_by, model=model)
    return level


class PriorityQueueView:
    """The queue at the apps' clock: a table, the advice note and, for supervisors, overrides.

    ``limit``: how many rows the table shows (the count of all is said). ``on_pick``: called with
    a child's id when the person picks the child for review (the supervision app).
    """

    def __init__(
        self,
        shell: AppShell,
        *,
        clock: Callable[[], datetime] | None = None,
        limit: int = 30,
        on_pick: Callable[[int], object] | None = None,
    ) -> None:
        self.shell = shell
        self.clock = clock or shell.now
        self.limit = limit
        self.queue: PriorityQueue | None = None
        self.people: dict[str, str] = {}
        self.header = widgets.HTML()
        self.advice = widgets.HTML()
        self.advice.add_class("pcenter-queue-advice")
        self.table = widgets.HTML()
        self.table.add_class("pcenter-queue-table")
        self.override = OverrideForm(shell, clock=self.clock, on_saved=self.render)
        self.pick = widgets.Dropdown()
        self.pick.add_class("pcenter-queue-pick")
        self.pick_button = widgets.Button()
        self.pick_button.add_class("pcenter-queue-pick-button")
        self._on_pick = on_pick
        self.pick_button.on_click(lambda _b: shell.guard(self._picked)())
        self.may_override = shell.may(UseCase.OVERRIDE_PRIORITY)
        parts: list[widgets.Widget] = [self.header, self.advice, self.table]
        if on_pick is not None:
            parts.append(widgets.HBox([self.pick, self.pick_button]))
        if self.may_override:
            parts.append(self.override.widget)
        self.widget = widgets.VBox(parts)
        self.widget.add_class("pcenter-queue")

    @property
    def rows(self) -> tuple[QueueRow, ...]:
        return () if self.queue is None else self.queue.rows

    def render(self) -> None:
        """Load the queue (each view audited by the service) and write it in the language."""
        t, lang = self.shell.t, self.shell.lang
        with self.shell.workbench.sessions.begin() as session:
            self.queue = priority_queue(session, actor=self.shell.actor, on=self.clock(), lang=lang)
            # colleagues by their full names, as everywhere in the workbench, not by their logins
            self.people = {user.username: user.full_name for user in list_users(session)}
        queue = self.queue
        self.header.value = heading(t(QUEUE_HEADING), 2)
        notes = [f'<div class="pcenter-explain">{paragraph(t(ADVICE))}</div>', note(t(ORDER_NOTE))]
        if queue.model_version == RULES_ONLY:
            notes.append(paragraph(t(RULES_ONLY_NOTE)))
        if queue.drifted:
            notes.append(
                paragraph(t(DRIFT_NOTE, codes=", ".join(queue.drifted)), "pcenter-conflict")
            )
        self.advice.value = "".join(notes)
        self.table.value = self._table_html(queue)
        shown = queue.rows[: self.limit]
        options = [(f"{r.child_code} — {level_text(r, t)}", r.child_id) for r in shown]
        with self.pick.hold_sync():
            self.pick.options = options
            self.pick.value = options[0][1] if options else None
        self.pick.description = t("Child")
        self.pick_button.description = t("Review this child")
        self.pick_button.disabled = not options
        self.override.show(shown if self.may_override else ())

    def _table_html(self, queue: PriorityQueue) -> str:
        t, lang = self.shell.t, self.shell.lang
        if not queue.rows:
            return paragraph(t(EMPTY))
        rows = []
        for place, row in enumerate(queue.rows[: self.limit], start=1):
            if row.rules:
                why = "; ".join(row.rule_labels)
            elif row.band is not None and row.probability is not None:
                why = t(BAND_TEXT, band=row.band, probability=format_share(row.probability, lang))
            else:
                why = "—"
            rows.append(
                [
                    format_count(place, lang),
                    row.child_code,
                    level_text(row, t),
                    why,
                    "; ".join(row.reasons) or "—",
                    format_moment(row.next_due_at, lang),
                    format_moment(row.last_contact_at, lang),
                    self.people.get(row.responsible, row.responsible) if row.responsible else "—",
                ]
            )
        headers = [
            "№", t("Child code"), t("Priority"), t("Hard rule or score"), t("Main reasons"),
            t("Next due"), t("Last contact"), t("Responsible specialist"),
        ]  # fmt: skip
        table = html_table(headers, rows, css_class="pcenter-queue-rows")
        total = len(queue.rows)
        if total > self.limit:
            shown = t(
                SHOWN_OF, shown=format_count(self.limit, lang), total=format_count(total, lang)
            )
            table += paragraph(shown)
        return table

    def _picked(self) -> None:
        if self._on_pick is not None and self.pick.value is not None:
            self._on_pick(int(self.pick.value))
