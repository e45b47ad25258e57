"""Risk models as use cases: train, evaluate, publish or refuse, read the card, score children.

A trained model is stored with its skops file (and fingerprint), its evaluation on the held-out
school year and its model card (``RiskModelVersion``). Publishing is refused — and the refusal
recorded with the reason — when the model is miscalibrated overall or in any group: an
observed/expected interval that excludes 1, or a calibration error above the limit. At most
one model is published; publishing a newer one retires the older.

The score advises; people decide (the Law "On personal data and their protection", No. 94-V,
Art. 19-1): nothing here changes a child's priority by itself — the queue shows the score beside
the hard rules, and only a supervisor's recorded override changes a level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sklearn.pipeline import Pipeline
from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.errors import ConflictError, Msgid, NotFoundError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import RiskModelVersion
from pcenter_lib.risk.card import build_card, render_card_html
from pcenter_lib.risk.evaluation import calibration_problems, problem_text
from pcenter_lib.risk.persistence import dump_pipeline, fingerprint, load_pipeline
from pcenter_lib.risk.training import Candidate, fit_candidate
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.risk_data import load_history
from pcenter_lib.services.risk_evaluation import evaluation_report
from pcenter_lib.services.users import load_actor
from pcenter_lib.transactions import StaleRecordError

OVERALL_CALIBRATION_LIMIT: Final = 0.03
GROUP_CALIBRATION_LIMIT: Final = 0.05


@dataclass(frozen=True)
class ModelSummary:
    """A stored model as a list shows it."""

    model_version: str
    status: str
    trained_at: datetime
    trained_by: str
    window_start_on: str
    window_end_on: str
    auc: float | None
    calibration_error: float | None
    decision_note: str | None


@dataclass(frozen=True)
class PublicationDecision:
    """Whether a model was published; if not, which groups are miscalibrated and why
    (``problems`` in English for logs, ``reasons`` as data a page words in its language)."""

    published: bool
    model: ModelSummary
    problems: tuple[str, ...]
    reasons: tuple[dict[str, Any], ...] = ()


def _summary(row: RiskModelVersion) -> ModelSummary:
    return ModelSummary(
        row.model_version, row.status, row.trained_at, row.trained_by,
        row.window_start_on.isoformat(), row.window_end_on.isoformat(),
        (row.evaluation or {}).get("auc"), (row.evaluation or {}).get("calibration_error"),
        row.decision_note,
    )  # fmt: skip


def _window(candidate: Candidate) -> dict[str, Any]:
    w = candidate.window
    return {
        "train_from": w.train_dates[0].isoformat(),
        "train_to": w.train_dates[-1].isoformat(),
        "test_from": w.test_dates[0].isoformat(),
        "test_to": w.test_dates[-1].isoformat(),
        "train_rows": len(candidate.train),
        "train_positives": int(candidate.train.y.sum()),
        "train_children": len(set(candidate.train.child_id)),
        "test_children": len(set(candidate.test.child_id)),
        "horizon_days": 90,
    }


def evaluate_candidate(session: Session, *, actor: str) -> dict[str, Any]:
    """Fit a candidate in memory and return its evaluation report (nothing is stored)."""
    require(load_actor(session, actor), UseCase.EVALUATE_RISK_MODEL)
    candidate = fit_candidate(load_history(session))
    report = evaluation_report(session, candidate)
    record_event(
        session, actor=actor, action="evaluate", entity="risk_model", entity_id="candidate",
        details={"auc": report["auc"], "n_test": report["n_test"]},
    )  # fmt: skip
    return report


def _next_version(session: Session, now: datetime) -> str:
    stem = f"risk-{now:%Y%m%d}"
    taken = set(
        session.scalars(
            select(RiskModelVersion.model_version).where(
                RiskModelVersion.model_version.like(f"{stem}%")
            )
        )
    )
    number = 1
    while f"{stem}-{number}" in taken:
        number += 1
    return f"{stem}-{number}"


def train_risk_model(session: Session, *, actor: str, now: datetime | None = None) -> ModelSummary:
    """Fit, evaluate and store a new model version (status ``trained``) with its card."""
    require(load_actor(session, actor), UseCase.TRAIN_RISK_MODEL)
    moment = now or datetime.now(UTC)
    candidate = fit_candidate(load_history(session))
    report = evaluation_report(session, candidate)
    data = dump_pipeline(candidate.pipeline)
    version = _next_version(session, moment)
    window = _window(candidate)
    model = {"kind": "calibrated_logistic_regression", **candidate.params}
    row = RiskModelVersion(
        model_version=version,
        trained_at=moment,
        trained_by=actor,
        status="trained",
        skops_file=data,
        sha256=fingerprint(data),
        window_start_on=candidate.window.train_dates[0],
        window_end_on=candidate.window.test_dates[-1],
        evaluation=report,
        card=build_card(
            model_version=version,
            created_at=moment.isoformat(),
            trained_by=actor,
            window=window,
            model=model,
            evaluation=report,
        ),
    )
    session.add(row)
    session.flush()
    record_event(
        session, actor=actor, action="train", entity="risk_model", entity_id=version,
        details={"sha256": row.sha256, "auc": report["auc"], "window": window},
    )  # fmt: skip
    return _summary(row)


def _model(session: Session, version: str | None) -> RiskModelVersion:
    statement = select(RiskModelVersion)
    if version is None:
        statement = statement.order_by(RiskModelVersion.id.desc()).limit(1)
    else:
        statement = statement.where(RiskModelVersion.model_version == version)
    row = session.scalar(statement)
    if row is None:
        raise NotFoundError(
            N_("There is no risk model {version}."), version=version or Msgid(N_("(none yet)"))
        )
    return row


def list_risk_models(session: Session, *, actor: str) -> list[ModelSummary]:
    """Every stored model, newest first."""
    require(load_actor(session, actor), UseCase.VIEW_RISK_MODELS)
    rows = session.scalars(select(RiskModelVersion).order_by(RiskModelVersion.id.desc()))
    return [_summary(r) for r in rows]


def stored_evaluation(session: Session, *, actor: str, version: str | None) -> dict[str, Any]:
    """The evaluation report stored with a model version (the newest by default)."""
    require(load_actor(session, actor), UseCase.EVALUATE_RISK_MODEL)
    return dict(_model(session, version).evaluation)


def publish_risk_model(
    session: Session,
    *,
    actor: str,
    version: str,
    overall_limit: float = OVERALL_CALIBRATION_LIMIT,
    group_limit: float = GROUP_CALIBRATION_LIMIT,
    now: datetime | None = None,
) -> PublicationDecision:
    """Publish ``version``, or record the refusal naming the miscalibrated groups.

    The refusal is written in the caller's transaction like a publication, so it stays on
    record; ``decision.problems`` says which group failed and how.
    """
    require(load_actor(session, actor), UseCase.PUBLISH_RISK_MODEL)
    row = _model(session, version)
    if row.status not in ("trained", "refused"):
        raise ValidationError(
            N_("Model {version} is {status}; only a trained model can be published."),
            version=version,
            status=row.status,
        )
    moment = now or datetime.now(UTC)
    report = row.evaluation or {}
    reasons = calibration_problems(report, overall_limit=overall_limit, group_limit=group_limit)
    row.decided_at, row.decided_by = moment, actor
    limits = {"overall": overall_limit, "group": group_limit}
    if reasons:
        named = tuple(problem_text(p) for p in reasons)
        row.status, row.decision_note = "refused", "; ".join(named)
        row.card = {
            **dict(row.card or {}),
            "status": "refused",
            "publication": {"refused_at": moment.isoformat(), "refused_by": actor,
                            "limits": limits, "reasons": reasons},
        }  # fmt: skip
        _save(session)
        record_event(
            session, actor=actor, action="refuse", entity="risk_model", entity_id=version,
            details={"problems": list(named)},
        )  # fmt: skip
        return PublicationDecision(False, _summary(row), named, tuple(reasons))
    for older in session.scalars(
        select(RiskModelVersion).where(RiskModelVersion.status == "published")
    ):
        older.status = "retired"
    row.status, row.decision_note = "published", None
    card = dict(row.card or {})
    card["status"] = "published"
    card["publication"] = {
        "published_at": moment.isoformat(), "published_by": actor, "limits": limits,
    }  # fmt: skip
    row.card = card
    _save(session)
    record_event(
        session, actor=actor, action="publish", entity="risk_model", entity_id=version,
        details={"sha256": row.sha256},
    )  # fmt: skip
    return PublicationDecision(True, _summary(row), ())


def _save(session: Session) -> None:
    try:
        session.flush()
    except StaleRecordError:
        raise ConflictError(
            N_("Somebody else changed this model meanwhile; reload and decide again.")
        ) from None


def model_card(
    session: Session, *, actor: str, version: str | None, lang: str
) -> tuple[dict[str, Any], str]:
    """(card as JSON data, card as HTML in ``lang``) of a model version (the newest by default)."""
    require(load_actor(session, actor), UseCase.VIEW_RISK_MODELS)
    card = dict(_model(session, version).card)
    return card, render_card_html(card, lang)


@dataclass(frozen=True)
class PublishedModel:
    """The published pipeline, loaded from its checked skops file."""

    model_version: str
    pipeline: Pipeline


def published_model(session: Session) -> PublishedModel | None:
    """The published model, or ``None``; a file that fails its checks is never loaded."""
    row = session.scalar(select(RiskModelVersion).where(RiskModelVersion.status == "published"))
    if row is None:
        return None
    return PublishedModel(
        row.model_version, load_pipeline(row.skops_file, expected_sha256=row.sha256)
    )
