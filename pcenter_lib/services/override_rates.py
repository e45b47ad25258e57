"""How often supervisors override the queue: per supervisor, per level and per band.

The AFST experience (Chouldechova et al., PMLR 81, 2018) shows why this is watched: supervisors
there overrode about one in four mandatory screen-ins. Here a rate is the number of overrides
divided by the number of children the scoring runs placed in the queue during the period
(``score_children`` assessments): per level (``low`` … ``mandatory``), per band 1–20, and per
supervisor (their overrides against all children queued in the period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.models import PriorityOverride, RiskAssessment
from pcenter_lib.services.users import load_actor


@dataclass(frozen=True)
class OverrideRate:
    """Overrides against children queued, for one supervisor, level or band."""

    key: str
    overrides: int
    raised: int
    lowered: int
    queued: int

    @property
    def rate(self) -> float | None:
        return None if self.queued == 0 else self.overrides / self.queued


@dataclass(frozen=True)
class OverrideRates:
    by_supervisor: tuple[OverrideRate, ...]
    by_level: tuple[OverrideRate, ...]
    by_band: tuple[OverrideRate, ...]


def _rates(
    keys: dict[str, list[str]], queued: dict[str, int], total: int | None = None
) -> tuple[OverrideRate, ...]:
    return tuple(
        OverrideRate(
            key,
            len(directions),
            directions.count("raise"),
            directions.count("lower"),
            total if total is not None else queued.get(key, 0),
        )
        for key, directions in sorted(keys.items())
    )


def override_rates(
    session: Session, *, actor: str, since: datetime, until: datetime
) -> OverrideRates:
    """Override counts and rates for overrides made in ``[since, until)``."""
    require(load_actor(session, actor), UseCase.VIEW_OVERRIDE_RATES)
    linked = select(PriorityOverride.risk_assessment_id)
    queued_rows = session.execute(
        select(RiskAssessment.child_id, RiskAssessment.level, RiskAssessment.band).where(
            RiskAssessment.assessed_at >= since,
            RiskAssessment.assessed_at < until,
            RiskAssessment.id.not_in(linked),
        )
    ).all()
    by_level_children: dict[str, set[int]] = {}
    by_band_children: dict[str, set[int]] = {}
    for child, level, band in queued_rows:
        by_level_children.setdefault(level, set()).add(child)
        by_band_children.setdefault(band or "—", set()).add(child)
    everyone = len({child for child, _, _ in queued_rows})
    made = session.execute(
        select(
            PriorityOverride.overridden_by,
            PriorityOverride.from_band,
            PriorityOverride.direction,
            RiskAssessment.band,
        )
        .join(RiskAssessment, RiskAssessment.id == PriorityOverride.risk_assessment_id)
        .where(PriorityOverride.overridden_at >= since, PriorityOverride.overridden_at < until)
    ).all()
    supervisors: dict[str, list[str]] = {}
    levels: dict[str, list[str]] = {}
    bands: dict[str, list[str]] = {}
    for who, level, direction, band in made:
        supervisors.setdefault(who, []).append(direction)
        levels.setdefault(level, []).append(direction)
        bands.setdefault(band or "—", []).append(direction)
    return OverrideRates(
        by_supervisor=_rates(supervisors, {}, everyone),
        by_level=_rates(levels, {k: len(v) for k, v in by_level_children.items()}),
        by_band=_rates(bands, {k: len(v) for k, v in by_band_children.items()}),
    )
