"""Everything the later stages of the demo build draw on, gathered in one object."""

from __future__ import annotations

from dataclasses import dataclass

from pcenter_lib.demo.activity import Activity
from pcenter_lib.demo.children import Children
from pcenter_lib.demo.region import Organization
from pcenter_lib.demo.scales import Scale
from pcenter_lib.demo.staff import StaffPlan
from pcenter_lib.demo.truth import Truth
from pcenter_lib.domain.calendar import KazakhstanCalendar
from pcenter_lib.privacy import IdentityCipher


@dataclass(frozen=True)
class World:
    """The region, its people, their hidden truth, the calendar and the key."""

    scale: Scale
    organization: Organization
    staff: StaffPlan
    children: Children
    truth: Truth
    activity: Activity
    calendar: KazakhstanCalendar
    cipher: IdentityCipher
