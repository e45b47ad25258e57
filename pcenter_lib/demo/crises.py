"""Crisis events the Center learns of: attempts, self-harm, violence at home, police, hospital.

Kinds are those of ``pcenter_lib.domain.risk_events``. Three sources, all drawn from the
journal as written (``ledger``) and the hidden escalations:

- each direct threat (an escalation) records what happened, by its main concern
  (``THREAT_EVENTS``: e.g. a suicide attempt for 45 % of suicidal threats, 70 % of them taken
  to hospital), at the moment of the threat, written down when it was assessed;
- ``REPEAT_SHARE`` of the escalated children have a repeat crisis 20–300 days later (a
  hospitalisation, police involvement or, after suicidal or auto-destructive behaviour, a new
  attempt), written down 0–3 days after it happened and linked to the first threat's request;
- ordinary requests about violence disclose violence at home in ``HOME_VIOLENCE_SHARE`` of the
  cases (more often in families without two parents), written down when the request was
  considered.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np

from pcenter_lib.demo.activity import MINUTES_PER_DAY, REFERENCE_MINUTE
from pcenter_lib.demo.hazard import REPEAT_DAYS, REPEAT_SHARE
from pcenter_lib.demo.journal import Draft
from pcenter_lib.demo.ledger import Ledger
from pcenter_lib.demo.scales import moment_of
from pcenter_lib.demo.world import World

Row = dict[str, Any]
# main concern of a direct threat → (kind, probability, follow-up kind, its probability)
THREAT_EVENTS: Final = {
    "suicidal": ("suicide_attempt", 0.45, "hospitalisation", 0.70),
    "auto_destructive": ("self_harm", 0.60, "hospitalisation", 0.25),
    "violence": ("violence_at_home", 0.50, "police_involvement", 0.60),
    "crisis_acute_stress": ("hospitalisation", 0.15, None, 0.0),
    "bullying": ("police_involvement", 0.15, None, 0.0),
}
HOME_VIOLENCE_SHARE: Final = {"two_parents": 0.20}
HOME_VIOLENCE_DEFAULT: Final = 0.40


def _row(rows: list[Row], draft: Draft, kind: str, occurred: int, recorded: int, by: str) -> None:
    rows.append(
        {
            "id": len(rows) + 1,
            "child_id": draft.child + 1,
            "request_id": draft.id,
            "kind": kind,
            "occurred_at": moment_of(occurred),
            "recorded_at": moment_of(min(recorded, REFERENCE_MINUTE)),
            "recorded_by": by,
            "note": None,
        }
    )


def build_crises(rng: np.random.Generator, world: World, ledger: Ledger) -> list[Row]:
    """Crisis events of the direct threats, repeat crises and disclosed violence at home."""
    rows: list[Row] = []
    specialists = world.staff.specialists
    for draft, request in zip(ledger.drafts, ledger.requests, strict=True):
        if draft.child < 0:
            continue
        who = str(request["threat_assessed_by"] or specialists[0])
        if draft.direct_threat:
            assessed = draft.threat_minute or draft.minute
            kind, share, follow, follow_share = THREAT_EVENTS.get(
                draft.concerns[0], ("police_involvement", 0.10, None, 0.0)
            )
            if rng.random() < share:
                _row(rows, draft, kind, draft.minute, assessed + 5, who)
                if follow and rng.random() < follow_share:
                    _row(rows, draft, follow, draft.minute + 60, assessed + 65, who)
            if rng.random() < REPEAT_SHARE:
                days = int(rng.integers(REPEAT_DAYS[0], REPEAT_DAYS[1] + 1))
                occurred = draft.minute + days * MINUTES_PER_DAY
                if occurred <= REFERENCE_MINUTE:
                    suicidal = draft.concerns[0] in ("suicidal", "auto_destructive")
                    repeat = (
                        "suicide_attempt"
                        if suicidal and rng.random() < 0.5
                        else ("hospitalisation" if rng.random() < 0.6 else "police_involvement")
                    )
                    delay = int(rng.integers(0, 4)) * MINUTES_PER_DAY + 120
                    _row(rows, draft, repeat, occurred, occurred + delay, who)
        elif "violence" in draft.concerns and draft.considered_minute is not None:
            family = str(world.children.family[draft.child])
            if rng.random() < HOME_VIOLENCE_SHARE.get(family, HOME_VIOLENCE_DEFAULT):
                before = int(rng.integers(0, 15)) * MINUTES_PER_DAY
                who = specialists[int(rng.integers(len(specialists)))]
                _row(rows, draft, "violence_at_home", max(draft.minute - before, 0),
                     draft.considered_minute, who)
    return rows
