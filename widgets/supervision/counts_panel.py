"""The counts tab: sessions, records, signatures and tasks this school year, and each person's
hours of supervision received (a staff-development figure). No child is named."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.priority import LEVEL_LABELS
from pcenter_lib.formats import format_count, format_day, format_number, format_share
from pcenter_lib.i18n import N_
from pcenter_lib.services.override_rates import OverrideRate, override_rates
from pcenter_lib.services.supervision_sessions import count_supervision
from widgets.kit import Panel
from widgets.markup import heading, html_table, note
from widgets.shell import AppShell
from widgets.supervision.state import SupervisionState


class CountsPanel(Panel[SupervisionState]):
    title = N_("Counts and hours")
    use_case = UseCase.COUNT_SUPERVISION
    css_class = "pcenter-supervision-counts"

    def __init__(self, shell: AppShell, state: SupervisionState) -> None:
        super().__init__(shell, state)
        self.table = widgets.HTML()
        self.rates = widgets.HTML()
        self.rates.add_class("pcenter-override-rates")
        self.widget.children = (
            (self.table, self.rates) if self.may(UseCase.VIEW_OVERRIDE_RATES) else (self.table,)
        )
        self.watch("changed", self.render)

    def render(self) -> None:
        t, lang = self.t, self.lang
        now = self.shell.now()
        start_year = (
            now.year if now.month >= 9 else now.year - 1
        )  # the school year from 1 September
        since = datetime(start_year, 9, 1, tzinfo=KZ_TZ)
        with self.workbench.sessions() as session:
            counts = count_supervision(session, actor=self.actor, since=since, until=now)
        rows = [
            [t("Sessions held"), format_count(counts.sessions, lang)],
            [t("Case records"), format_count(counts.records, lang)],
            [t("Signed and locked"), format_count(counts.signed, lang)],
            [t("Open follow-up tasks"), format_count(counts.open_tasks, lang)],
            [t("Overdue follow-up tasks"), format_count(counts.overdue_tasks, lang)],
        ]
        hours = [[name, format_number(value, lang, digits=1)]
                 for name, value in counts.hours_received.items()]  # fmt: skip
        self.table.value = (
            heading(t("Supervision since {day}", day=format_day(since.date(), lang)), 2)
            + html_table([t("Figure"), t("Count")], rows, css_class="pcenter-counts",
                         numeric_from=1)
            + heading(t("Hours of supervision received"))
            + html_table([t("Participant"), t("Hours")], hours, css_class="pcenter-hours",
                         numeric_from=1)
        )  # fmt: skip
        if self.may(UseCase.VIEW_OVERRIDE_RATES):
            self.rates.value = self._rates(since, now)

    def _rates(self, since: datetime, until: datetime) -> str:
        """How often supervisors changed the queue's level (the AFST lesson: watch overrides)."""
        t, lang = self.t, self.lang
        with self.workbench.sessions() as session:
            rates = override_rates(session, actor=self.actor, since=since, until=until)

        def rows(
            items: tuple[OverrideRate, ...], label: Callable[[str], str]
        ) -> list[list[object]]:
            return [
                [label(r.key), format_count(r.overrides, lang), format_count(r.raised, lang),
                 format_count(r.lowered, lang), format_count(r.queued, lang),
                 "—" if r.rate is None else format_share(r.rate, lang)]
                for r in items
            ]  # fmt: skip

        headers = [t("Group"), t("Overrides"), t("Raised"), t("Lowered"), t("Children queued"),
                   t("Override rate")]  # fmt: skip
        parts = [heading(t("Priority overrides"))]
        for title, items, label in (
            (t("By supervisor"), rates.by_supervisor, str),
            (t("By level before the change"), rates.by_level,
             lambda k: t(LEVEL_LABELS.get(k, k))),
            (t("By band (1–20)"), rates.by_band, str),
        ):  # fmt: skip
            table = rows(items, label)
            parts.append(heading(title, 4))
            parts.append(
                html_table(headers, table, css_class="pcenter-rates", numeric_from=1)
                if table else note(t("No overrides in this period."))
            )  # fmt: skip
        return "".join(parts)
