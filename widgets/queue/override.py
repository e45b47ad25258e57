"""A supervisor's override of a child's priority: both levels kept, a reason always recorded.

Raising or lowering needs a reason from the list (``domain.priority.OVERRIDE_REASONS``, only
those of the direction) and the supervisor's own words. Lowering a child that a hard rule put
in mandatory priority asks, for every rule that holds, that it be set aside with the reason
"the hard rule does not apply" and an explanation why; the service refuses anything less
(``services.priority_queue.override_priority``), so the form only makes it easy to do right.
The level the supervisor saw is sent along: if it changed meanwhile, nothing is written and the
supervisor is told to look again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.priority import (
    LEVEL_LABELS,
    LEVEL_RANK,
    LEVELS,
    OVERRIDE_REASONS,
    RULE_NOT_APPLICABLE,
)
from pcenter_lib.i18n import N_
from pcenter_lib.services.priority_queue import QueueRow, override_priority
from widgets.markup import heading, note
from widgets.shell import AppShell

FORM_HEADING: Final = N_("Change a child's priority")
FORM_NOTE: Final = N_(
    "Both levels are kept with your reason. To lower a child a hard rule names, set aside every "
    "rule and write why it does not apply to this child."
)
SAVED: Final = N_("The priority of {child} is now {level}; your reason is recorded.")


class OverrideForm:
    """The override controls; ``show(rows)`` offers the children, no rows hides the form."""

    def __init__(
        self,
        shell: AppShell,
        *,
        clock: Callable[[], datetime],
        on_saved: Callable[[], object],
    ) -> None:
        self.shell = shell
        self.clock = clock
        self.on_saved = on_saved
        self.rows: dict[int, QueueRow] = {}
        self.header = widgets.HTML()
        self.child = widgets.Dropdown()
        self.level = widgets.Dropdown()
        self.reason_code = widgets.Dropdown()
        wide, label = widgets.Layout(width="100%"), {"description_width": "initial"}
        self.reason = widgets.Textarea(layout=wide, style=label)
        self.rules = widgets.SelectMultiple(layout=wide, style=label)
        self.explanation = widgets.Textarea(layout=wide, style=label)
        self.rule_box = widgets.VBox([self.rules, self.explanation])
        self.save = widgets.Button(button_style="warning")
        self.save.add_class("pcenter-override-save")
        for control in (self.child, self.level):
            control.observe(lambda _c: shell.guard(self._refresh)(), names="value")
        self.save.on_click(lambda _b: shell.guard(self._save)())
        self.widget = widgets.VBox(
            [self.header, self.child, self.level, self.reason_code, self.reason, self.rule_box,
             widgets.HBox([self.save])]
        )  # fmt: skip
        self.widget.add_class("pcenter-override")
        self.widget.layout.display = "none"

    def show(self, rows: Sequence[QueueRow]) -> None:
        t = self.shell.t
        self.rows = {r.child_id: r for r in rows}
        self.widget.layout.display = "" if rows else "none"
        self.header.value = heading(t(FORM_HEADING)) + note(t(FORM_NOTE))
        self.child.description = t("Child")
        self.level.description = t("New priority")
        self.reason_code.description = t("Reason")
        self.reason.description = t("In your words")
        self.rules.description = t("Rules set aside")
        self.explanation.description = t("Why the rule does not apply")
        self.save.description = t("Record the change")
        options = [(f"{r.child_code} — {t(LEVEL_LABELS[r.level])}", r.child_id) for r in rows]
        kept = self.child.value if self.child.value in self.rows else None
        with self.child.hold_sync():
            self.child.options = options
            self.child.value = kept if kept is not None else (options[0][1] if options else None)
        self._refresh()

    def _refresh(self) -> None:
        t = self.shell.t
        row = self.rows.get(self.child.value) if self.child.value is not None else None
        if row is None:
            return
        levels = [
            (t(LEVEL_LABELS[level]), level) for level in reversed(LEVELS) if level != row.level
        ]
        chosen = self.level.value if self.level.value in dict(levels).values() else levels[0][1]
        with self.level.hold_sync():
            self.level.options = levels
            self.level.value = chosen
        direction = "raise" if LEVEL_RANK[chosen] > LEVEL_RANK[row.level] else "lower"
        lowering_rule = direction == "lower" and bool(row.rules)
        reasons = [
            (t(label), code)
            for code, (way, label) in OVERRIDE_REASONS.items()
            if way == direction and (not lowering_rule or code == RULE_NOT_APPLICABLE)
        ]
        kept = self.reason_code.value if self.reason_code.value in dict(reasons).values() else None
        with self.reason_code.hold_sync():
            self.reason_code.options = reasons
            self.reason_code.value = kept or reasons[0][1]
        with self.rules.hold_sync():
            self.rules.options = list(zip(row.rule_labels, row.rules, strict=True))
            self.rules.value = tuple(row.rules)
        self.rule_box.layout.display = "" if lowering_rule else "none"

    def _save(self) -> None:
        row = self.rows[int(self.child.value)]
        lowering_rule = bool(row.rules) and LEVEL_RANK[self.level.value] < LEVEL_RANK[row.level]
        with self.shell.workbench.sessions.begin() as session:
            record = override_priority(
                session, actor=self.shell.actor, child_id=row.child_id, on=self.clock(),
                to_level=self.level.value, reason_code=self.reason_code.value,
                reason=self.reason.value,
                rules_set_aside=tuple(self.rules.value) if lowering_rule else (),
                rule_explanation=self.explanation.value if lowering_rule else None,
                expected_level=row.level,
            )  # fmt: skip
        self.reason.value = ""
        self.explanation.value = ""
        level = self.shell.t(LEVEL_LABELS[record.to_level])
        self.shell.show_success(self.shell.t(SAVED, child=row.child_code, level=level))
        self.on_saved()
