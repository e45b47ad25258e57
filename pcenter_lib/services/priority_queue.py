"""The priority review queue: hard rules first, then the calibrated score; supervisors decide.

``priority_queue`` lists every child with an open request or case at ``on``. Children a hard
rule names (``data/risk/hard_rules.yaml``) come first, each with the rules that put it there;
the others follow by the published model's calibrated probability. Each row carries the band
(1–20) and level, the indicators that raise the score most in plain words, the next due time
(Rule 16 consideration, owed notifications of Rules 15, 18, 22), the last contact and the
responsible specialist.

The score advises; people decide. The Law "On personal data and their protection" (No. 94-V,
Art. 19-1) forbids automated decisions with legal effect on a person, so the queue only orders
the work: a child's level changes only by a supervisor's recorded override
(``override_priority``), with a reason from the list, their own words, and — to lower a child a
hard rule names — why each rule does not apply. Both values are kept. Every view is audited
(Rule 14).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.hard_rules import evaluate_hard_rules, fired_rules, load_hard_rules
from pcenter_lib.domain.priority import (
    StandingOverride,
    check_override,
    effective_level,
    model_level,
    queue_key,
)
from pcenter_lib.domain.risk_history import NEVER, History, open_population, to_ns
from pcenter_lib.domain.risk_indicators import compute_indicators, load_indicators
from pcenter_lib.errors import ConflictError, NotFoundError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Case, Child, PriorityOverride, Request, RiskAssessment
from pcenter_lib.risk.pipeline import score_frame
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.risk_data import load_history
from pcenter_lib.services.risk_models import published_model
from pcenter_lib.services.users import load_actor

RULES_ONLY = "rules-only"
DRIFT_WARNING = 0.25  # PSI above which an indicator has shifted markedly (common practice)


@dataclass(frozen=True)
class QueueRow:
    """One child in the queue, as the supervisor reads it."""

    child_id: int
    child_code: str
    level: str
    model_level: str
    rules: tuple[str, ...]
    rule_labels: tuple[str, ...]
    band: int | None
    probability: float | None
    reasons: tuple[str, ...]
    next_due_at: datetime | None
    last_contact_at: datetime | None
    responsible: str | None
    overridden_by: str | None


@dataclass(frozen=True)
class PriorityQueue:
    """The queue at a moment, the model that scored it and the drift of its indicators."""

    on: datetime
    model_version: str
    rows: tuple[QueueRow, ...]
    drift: dict[str, float]

    @property
    def drifted(self) -> list[str]:
        """Indicators whose population stability index exceeds ``DRIFT_WARNING``."""
        return sorted(code for code, psi in self.drift.items() if psi > DRIFT_WARNING)


def _moment(ns: float) -> datetime | None:
    if ns >= NEVER or not np.isfinite(ns):
        return None
    return pd.Timestamp(int(ns), tz="UTC").to_pydatetime()


def _population_ids(session: Session, on: datetime, only: Sequence[int] | None) -> list[int]:
    requests = select(Request.child_id).where(
        Request.child_id.is_not(None),
        Request.received_at < on,
        or_(Request.considered_at.is_(None), Request.considered_at >= on),
    )
    cases = select(Case.child_id).where(
        Case.opened_at < on, or_(Case.closed_at.is_(None), Case.closed_at >= on)
    )
    found = set(session.scalars(requests)) | set(session.scalars(cases))
    if only is not None:
        found &= set(only)
    return sorted(int(c) for c in found if c is not None)


def _standing_overrides(
    session: Session, children: Sequence[int], on: datetime
) -> dict[int, StandingOverride]:
    rows = session.scalars(
        select(PriorityOverride)
        .where(PriorityOverride.child_id.in_(children), PriorityOverride.overridden_at <= on)
        .order_by(PriorityOverride.overridden_at, PriorityOverride.id)
    )
    latest: dict[int, StandingOverride] = {}
    for row in rows:
        if row.child_id is not None:
            latest[row.child_id] = StandingOverride(
                row.to_band, row.overridden_at, frozenset(row.rules_set_aside or ()),
                row.overridden_by, row.reason_code,
            )  # fmt: skip
    return latest


def _due_and_contact(history: History, at: int, rows: np.ndarray) -> dict[str, np.ndarray]:
    size = history.size
    requests = history["requests"]
    pending = (requests["known_ns"].to_numpy() < at) & (requests["considered_ns"].to_numpy() >= at)
    due = np.full(size, np.inf)
    np.minimum.at(due, requests["pos"].to_numpy()[pending], requests["due_ns"].to_numpy()[pending])
    notices = history["notifications"]
    owed = (notices["known_ns"].to_numpy() < at) & (notices["sent_ns"].to_numpy() >= at)
    np.minimum.at(due, notices["pos"].to_numpy()[owed], notices["due_ns"].to_numpy()[owed])
    contacts = history["contacts"]
    before = contacts["held_ns"].to_numpy() < at
    last = np.full(size, -np.inf)
    np.maximum.at(last, contacts["pos"].to_numpy()[before], contacts["held_ns"].to_numpy()[before])
    cases = history["cases"]
    open_case = (cases["opened_ns"].to_numpy() < at) & (cases["closed_ns"].to_numpy() >= at)
    responsible = np.full(size, None, dtype=object)
    ordered = cases.loc[open_case].sort_values("opened_ns")
    responsible[ordered["pos"].to_numpy()] = ordered["responsible"].to_numpy()
    return {"due": due[rows], "last": last[rows], "responsible": responsible[rows]}


@dataclass(frozen=True)
class _Assessed:
    history: History
    rows: np.ndarray
    hits: dict[str, np.ndarray]
    model_version: str
    probability: np.ndarray | None
    band: np.ndarray | None
    reasons: list[tuple[str, ...]]
    drift: dict[str, float]


def _assess(session: Session, on: datetime, only: Sequence[int] | None) -> _Assessed:
    at = to_ns(on)
    ids = _population_ids(session, on, only)
    history = load_history(session, children=ids)
    rows = open_population(history, at)
    hits = evaluate_hard_rules(history, at, rows)
    model = published_model(session)
    if model is None or len(rows) == 0:
        empty: list[tuple[str, ...]] = [() for _ in rows]
        return _Assessed(history, rows, hits, RULES_ONLY, None, None, empty, {})
    indicators = compute_indicators(history, at, rows)
    scores = score_frame(model.pipeline, indicators)
    drift = model.pipeline.named_steps["indicators"].population_stability(indicators)
    reasons = [tuple(code for code, _ in scores.reasons(i)) for i in range(len(rows))]
    return _Assessed(
        history, rows, hits, model.model_version, scores.probability, scores.band, reasons, drift
    )


def _build_rows(session: Session, assessed: _Assessed, on: datetime, lang: str) -> list[QueueRow]:
    rules = {r.code: r for r in load_hard_rules()}
    texts = {i.code: i for i in load_indicators()}
    history, rows = assessed.history, assessed.rows
    child_ids = history.children["child_id"].to_numpy()[rows]
    codes = dict(
        session.execute(select(Child.id, Child.code).where(Child.id.in_(child_ids.tolist()))).all()
    )
    overrides = _standing_overrides(session, child_ids.tolist(), on)
    extra = _due_and_contact(history, to_ns(on), rows)
    result = []
    for k, child in enumerate(child_ids.tolist()):
        held = fired_rules(assessed.hits, k)
        band = None if assessed.band is None else int(assessed.band[k])
        probability = None if assessed.probability is None else float(assessed.probability[k])
        standing = overrides.get(child)
        level = effective_level(held, band, standing, on)
        result.append(
            QueueRow(
                child_id=child,
                child_code=str(codes.get(child, "")),
                level=level,
                model_level=model_level(held, band),
                rules=held,
                rule_labels=tuple(rules[c].text(lang) for c in held),
                band=band,
                probability=probability,
                reasons=tuple(texts[c].text("reason", lang) for c in assessed.reasons[k]),
                next_due_at=_moment(extra["due"][k]),
                last_contact_at=_moment(extra["last"][k]),
                responsible=extra["responsible"][k],
                overridden_by=standing.made_by
                if standing and level != model_level(held, band)
                else None,
            )
        )
    result.sort(key=lambda r: (*queue_key(r.level, r.rules, r.probability), r.child_id))
    return result


def priority_queue(
    session: Session, *, actor: str, on: datetime, lang: str = "kk"
) -> PriorityQueue:
    """The queue at ``on``: mandatory children first with their rules, then by probability."""
    if on.tzinfo is None or on.utcoffset() is None:
        raise ValidationError(
            N_("The time {value} has no time zone; give an aware time."), value=on
        )
    require(load_actor(session, actor), UseCase.VIEW_PRIORITY_QUEUE)
    assessed = _assess(session, on, None)
    rows = _build_rows(session, assessed, on, lang)
    record_event(
        session, actor=actor, action="view", entity="priority_queue", entity_id=on.isoformat(),
        details={"rows": len(rows), "model_version": assessed.model_version},
    )  # fmt: skip
    return PriorityQueue(on, assessed.model_version, tuple(rows), assessed.drift)


@dataclass(frozen=True)
class OverrideRecord:
    """A recorded override: both levels, who, why, and the assessment it was made on."""

    override_id: int
    assessment_id: int
    child_id: int
    from_level: str
    to_level: str
    direction: str
    reason_code: str
    reason: str
    rules_set_aside: tuple[str, ...]
    rule_explanation: str | None
    overridden_by: str
    overridden_at: datetime


def override_priority(
    session: Session,
    *,
    actor: str,
    child_id: int,
    on: datetime,
    to_level: str,
    reason_code: str,
    reason: str,
    rules_set_aside: Sequence[str] = (),
    rule_explanation: str | None = None,
    expected_level: str | None = None,
) -> OverrideRecord:
    """Record a supervisor's raise or lower of a child's priority (both values kept).

    ``expected_level`` is the level the supervisor saw; if the queue says something else now
    (a rule fired, another supervisor decided), ``ConflictError`` is raised and nothing is
    written.
    """
    require(load_actor(session, actor), UseCase.OVERRIDE_PRIORITY)
    assessed = _assess(session, on, [child_id])
    rows = _build_rows(session, assessed, on, "en")
    if not rows:
        raise NotFoundError(
            N_("Child {child} has no open request or case; there is no priority to change."),
            child=child_id,
        )
    row = rows[0]
    if expected_level is not None and expected_level != row.level:
        raise ConflictError(
            N_("The child's priority changed to {level} meanwhile; look again and decide."),
            level=row.level,
        )
    unknown = set(rules_set_aside) - set(row.rules)
    if unknown:
        raise ValidationError(
            N_("Only rules that hold can be set aside; these do not: {rules}."),
            rules=", ".join(sorted(unknown)),
        )
    direction = check_override(
        current_level=row.level, rules=row.rules, to_level=to_level, reason_code=reason_code,
        reason=reason, rules_set_aside=rules_set_aside, rule_explanation=rule_explanation,
    )  # fmt: skip
    assessment = RiskAssessment(
        child_id=child_id, assessed_at=on, model_version=assessed.model_version,
        score=row.probability, band="" if row.band is None else str(row.band),
        reasons=list(assessed.reasons[0]) if assessed.reasons else [], level=row.level,
        mandatory_rules=list(row.rules),
    )  # fmt: skip
    session.add(assessment)
    session.flush()
    override = PriorityOverride(
        risk_assessment_id=assessment.id, child_id=child_id, overridden_at=on,
        overridden_by=actor, direction=direction, from_band=row.level, to_band=to_level,
        reason_code=reason_code, reason=reason.strip(), rules_set_aside=sorted(rules_set_aside),
        rule_explanation=(rule_explanation or "").strip() or None,
    )  # fmt: skip
    session.add(override)
    session.flush()
    record_event(
        session, actor=actor, action="override_priority", entity="child", entity_id=child_id,
        details={"from": row.level, "to": to_level, "reason_code": reason_code,
                 "rules_set_aside": sorted(rules_set_aside), "assessment_id": assessment.id},
    )  # fmt: skip
    return OverrideRecord(
        override.id, assessment.id, child_id, row.level, to_level, direction, reason_code,
        override.reason, tuple(override.rules_set_aside), override.rule_explanation, actor, on,
    )  # fmt: skip


def score_children(
    session: Session, *, actor: str, on: datetime, store: bool = True
) -> dict[str, Any]:
    """Score the queue's children at ``on`` with the published model; store the assessments.

    Returns counts per level, the model version and the drift (PSI) of every indicator.
    """
    require(load_actor(session, actor), UseCase.SCORE_CHILDREN)
    assessed = _assess(session, on, None)
    rows = _build_rows(session, assessed, on, "en")
    if store:
        session.add_all(
            RiskAssessment(
                child_id=r.child_id,
                assessed_at=on,
                model_version=assessed.model_version,
                score=r.probability,
                band="" if r.band is None else str(r.band),
                reasons=[],
                level=r.model_level,
                mandatory_rules=list(r.rules),
            )
            for r in rows
        )
        session.flush()
    levels: dict[str, int] = {}
    for r in rows:
        levels[r.model_level] = levels.get(r.model_level, 0) + 1
    drifted = sorted(c for c, v in assessed.drift.items() if v > DRIFT_WARNING)
    record_event(
        session, actor=actor, action="score", entity="priority_queue", entity_id=on.isoformat(),
        details={"rows": len(rows), "model_version": assessed.model_version, "drifted": drifted},
    )  # fmt: skip
    return {
        "on": on.isoformat(),
        "model_version": assessed.model_version,
        "children": len(rows),
        "levels": levels,
        "drift": {k: round(v, 4) for k, v in assessed.drift.items()},
        "drifted": drifted,
    }
