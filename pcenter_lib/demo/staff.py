"""The Center's staffing table and the people who sign in to the workbench.

By default the staffing table meets the minimum staffing norm of Rule 24 — 11 administrative,
34 core and 12 auxiliary units, 57 in all, with some half posts. With ``compliant=False`` it
breaks the norm the way an under-staffed Center does: 26 core units (< 30, Rule 24.2) and 17
auxiliary units (> 15, Rule 24.3), 54 in all (< 55, Rule 24). Users hold every role of
``pcenter_lib.domain.access.ROLES`` and are linked to the staff post they work in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import Any, Final

import numpy as np

from pcenter_lib.demo.names import compose_name
from pcenter_lib.demo.scales import HISTORY_START
from pcenter_lib.domain.deadlines import KZ_TZ

Row = dict[str, Any]
DEMO_ACTOR: Final = "system:demo"
CREATED_AT: Final = datetime.combine(HISTORY_START.replace(day=1, month=8), time(9), tzinfo=KZ_TZ)


@dataclass(frozen=True, slots=True)
class Post:
    """``count`` posts of one position, each of ``fte`` units; ``mobile`` of them in mobile groups."""

    category: str
    position: str
    count: int
    fte: Decimal = Decimal("1.00")
    mobile: int = 0


_HALF = Decimal("0.50")
_ADMINISTRATIVE: Final = (  # Rule 24.1: 11 units
    Post("administrative", "director", 1),
    Post("administrative", "deputy_director", 2),
    Post("administrative", "chief_accountant", 1),
    Post("administrative", "accountant", 1),
    Post("administrative", "accountant", 1, _HALF),
    Post("administrative", "economist", 1),
    Post("administrative", "lawyer", 1),
    Post("administrative", "hr_specialist", 1),
    Post("administrative", "office_manager", 1),
    Post("administrative", "system_administrator", 1),
    Post("administrative", "procurement_specialist", 1, _HALF),
)
# Core posts (Rule 24.2). The first psychologists are the duty specialists with user accounts.
COMPLIANT_STAFF: Final = (
    *_ADMINISTRATIVE,
    Post("core", "psychologist", 15, mobile=8),
    Post("core", "psychologist", 2, _HALF),
    Post("core", "supervisor", 1),
    Post("core", "methodologist", 5),
    Post("core", "social_pedagogue", 5, mobile=2),
    Post("core", "special_educator", 2),
    Post("core", "coordinator", 3),
    Post("core", "analyst", 1),
    Post("core", "media_specialist", 1),  # core 34 units
    Post("auxiliary", "driver", 3),
    Post("auxiliary", "cleaner", 3),
    Post("auxiliary", "cleaner", 2, _HALF),
    Post("auxiliary", "technician", 2),
    Post("auxiliary", "security_guard", 2),
    Post("auxiliary", "caretaker", 1),  # auxiliary 12 units
)
NON_COMPLIANT_STAFF: Final = (
    *_ADMINISTRATIVE,
    Post("core", "psychologist", 10, mobile=6),
    Post("core", "psychologist", 2, _HALF),
    Post("core", "supervisor", 1),
    Post("core", "methodologist", 4),
    Post("core", "social_pedagogue", 4, mobile=1),
    Post("core", "special_educator", 1),
    Post("core", "coordinator", 3),
    Post("core", "analyst", 1),
    Post("core", "media_specialist", 1),  # core 26 units: below Rule 24.2
    Post("auxiliary", "driver", 4),
    Post("auxiliary", "cleaner", 6),
    Post("auxiliary", "technician", 3),
    Post("auxiliary", "security_guard", 3),
    Post("auxiliary", "caretaker", 1),  # auxiliary 17 units: above Rule 24.3
)
# (username prefix, role, position of the staff post the account belongs to, how many)
ACCOUNTS: Final = (
    ("operator", "intake_operator", "coordinator", 2),
    ("specialist", "specialist", "psychologist", 0),  # the scale decides how many
    ("supervisor", "supervisor", "supervisor", 1),
    ("methodologist", "methodologist", "methodologist", 2),
    ("manager", "manager", "director", 1),
    ("analyst", "analyst", "analyst", 1),
    ("admin", "administrator", "system_administrator", 1),
)


@dataclass
class StaffPlan:
    """Rows for users, roles and staff, and who does what in the generated history."""

    users: list[Row]
    roles: list[Row]
    staff: list[Row]
    specialists: list[str] = field(default_factory=list)
    operators: list[str] = field(default_factory=list)
    methodologists: list[str] = field(default_factory=list)
    supervisor: str = "supervisor1"
    manager: str = "manager1"
    mobile_staff: list[tuple[int, str | None]] = field(default_factory=list)  # (staff id, user)

    def units(self, category: str) -> Decimal:
        """Staff units of ``category`` in the table."""
        return sum((Decimal(r["fte"]) for r in self.staff if r["category"] == category), Decimal(0))


def build_staff(rng: np.random.Generator, *, compliant: bool, specialists: int) -> StaffPlan:
    """The staffing table (Rule 24 met or broken) and one or more users per role."""
    posts = COMPLIANT_STAFF if compliant else NON_COMPLIANT_STAFF
    staff: list[Row] = []
    for post in posts:
        for index in range(post.count):
            sex = "female" if rng.random() < 0.7 else "male"
            kazakh = rng.random() < 0.75
            name = compose_name(rng, sex=sex, kazakh=kazakh, russian_spelling=not kazakh)
            staff.append(
                {
                    "id": len(staff) + 1,
                    "center_id": 1,
                    "full_name": name.full,
                    "category": post.category,
                    "position": post.position,
                    "fte": post.fte,
                    "is_mobile_group": index < post.mobile,
                    "active": True,
                    "user_id": None,
                    "version": 1,
                }
            )
    plan = StaffPlan(users=[], roles=[], staff=staff)
    for prefix, role, position, wanted in ACCOUNTS:
        candidates = [row for row in staff if row["position"] == position and row["fte"] == 1]
        count = specialists if prefix == "specialist" else wanted
        for number, row in enumerate(candidates[:count], start=1):
            username = f"{prefix}{number}"
            user_id = len(plan.users) + 1
            lang = "ru" if rng.random() < 0.3 else "kk"
            plan.users.append(
                {
                    "id": user_id,
                    "username": username,
                    "full_name": row["full_name"],
                    "lang": lang,
                    "active": True,
                    "created_at": CREATED_AT,
                }
            )
            plan.roles.append(
                {
                    "id": len(plan.roles) + 1,
                    "user_id": user_id,
                    "role": role,
                    "granted_at": CREATED_AT,
                    "granted_by": DEMO_ACTOR,
                }
            )
            row["user_id"] = user_id
            {
                "specialist": plan.specialists,
                "operator": plan.operators,
                "methodologist": plan.methodologists,
            }.get(prefix, []).append(username)
    username_of = {int(user["id"]): str(user["username"]) for user in plan.users}
    plan.mobile_staff = [
        (int(row["id"]), username_of.get(row["user_id"]) if row["user_id"] else None)
        for row in staff
        if row["is_mobile_group"]
    ]
    return plan
