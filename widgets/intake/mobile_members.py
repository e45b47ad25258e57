"""Specialists of other bodies and organizations joining a mobile group (Rule 17).

Rule 17: "where needed, specialists of interested state bodies and other organizations are
involved within their competence". Before forming the group the specialist adds each one —
full name, organization, job title from the list (translated, never a code) — and sees them
listed; forming the group takes them in with the Center's own specialists.
"""

from __future__ import annotations

import html
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.positions import EXTERNAL_POSITIONS, GROUP_ROLES, position_label
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.services.mobile_groups import ExternalMember, MemberView
from widgets.intake.controls import CHOOSE, button, css, labelled_options
from widgets.intake.state import IntakePanel, IntakeState
from widgets.kit import offer
from widgets.shell import AppShell

LABELS: Final = {
    "full_name": N_("Specialist's full name"),
    "organization": N_("Organization or body"),
    "position": N_("Job title"),
}
ADD: Final = N_("Add to the group")
HEADING: Final = N_("Specialists of other bodies and organizations (Rule 17)")
CENTER: Final = N_("the Center")


def member_text(t: Translator, member: MemberView) -> str:
    """``Name — job title (organization), role`` with every code translated."""
    title = position_label(member.position)
    organization = member.organization or t(CENTER)
    role = GROUP_ROLES.get(member.role, member.role)
    job = t(title) if title else member.position.replace("_", " ")
    return f"{member.full_name} — {job} ({organization}), {t(role)}"


class ExternalMembersBox(IntakePanel):
    """The fields to add a specialist of another body, and the list of those added."""

    use_case = UseCase.MOBILE_GROUP

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.members: list[ExternalMember] = []
        self.full_name = css(widgets.Text(), "pcenter-mobile-external-name")
        self.organization = css(widgets.Text(), "pcenter-mobile-external-organization")
        self.position = css(widgets.Dropdown(), "pcenter-mobile-external-position")
        self.add_button = button("pcenter-mobile-external-add")
        self.listing = css(widgets.HTML(), "pcenter-mobile-external-list")
        self.add_button.on_click(self.shell.guard(lambda _b: self.add()))
        self.heading = widgets.HTML()
        self.widget = widgets.VBox(
            [
                self.heading,
                widgets.HBox([self.full_name, self.organization]),
                widgets.HBox([self.position, self.add_button]),
                self.listing,
            ]
        )

    def render(self) -> None:
        t = self.t
        for name, msgid in LABELS.items():
            getattr(self, name).description = t(msgid)
        offer(self.position, labelled_options(t, EXTERNAL_POSITIONS.items(), empty=CHOOSE))
        self.add_button.description = t(ADD)
        self.heading.value = f"<h4>{html.escape(t(HEADING))}</h4>"
        self.show()

    def add(self) -> None:
        self.members.append(
            ExternalMember(
                self.full_name.value, self.organization.value, str(self.position.value or "")
            )
        )
        self.full_name.value = self.organization.value = ""
        self.position.value = None
        self.show()

    def show(self) -> None:
        t = self.t
        items = "".join(
            "<li>"
            + html.escape(
                member_text(t, MemberView(None, m.full_name, m.organization, m.position, "member"))
            )
            + "</li>"
            for m in self.members
        )
        self.listing.value = f"<ul>{items}</ul>" if items else ""

    def clear(self) -> None:
        self.members = []
        self.show()
