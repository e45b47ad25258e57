"""``pcenter risk``: train, evaluate, publish, score and read the cards of risk models.

``pcenter risk evaluate --json`` prints one JSON object with exactly the keys of
``pcenter_lib.risk.evaluation.JSON_KEYS``; whether each target is met (AUC above the covariate
reference, observed/expected interval containing 1 overall and in every group, calibration
error below 0.03) is written to standard error, naming the target missed and why. The command
line acts as ``system:cli``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pcenter_lib.i18n import N_, Translator

RISK_ACTOR = "system:cli"


def add_risk_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """The ``risk`` command group with its subcommands."""
    risk = sub.add_parser("risk", help="risk-indicator models and the priority queue")
    commands = risk.add_subparsers(dest="risk_command", required=True, parser_class=parser_class)
    evaluate = commands.add_parser("evaluate", help="evaluate on the held-out school year")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument("--version", help="a stored model (default: fit a candidate now)")
    commands.add_parser("train", help="fit, evaluate and store a new model version")
    publish = commands.add_parser("publish", help="publish a model, or record the refusal")
    publish.add_argument("version")
    publish.add_argument("--max-calibration-error", type=float, default=0.03)
    publish.add_argument("--max-group-calibration-error", type=float, default=0.05)
    score = commands.add_parser("score", help="score the queue's children with the published model")
    score.add_argument("--at", help="aware ISO moment (default: now)")
    score.add_argument("--no-store", action="store_true", help="do not store the assessments")
    card = commands.add_parser("card", help="write a model card as JSON and HTML")
    card.add_argument("--version", help="default: the newest model")
    card.add_argument("--out", type=Path, default=Path(), help="folder for the two files")
    card.add_argument("--lang", choices=("kk", "ru", "en"), default=None)
    commands.add_parser("list", help="list stored models")


def _moment(text: str | None) -> datetime:
    from pcenter_lib.errors import ValidationError

    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValidationError(
            N_("Give the moment as an ISO time with its zone, e.g. 2026-11-20T18:00+05:00; not {value!r}."),
            value=text,
        )
    return moment


def _print_targets(report: dict[str, Any], t: Translator, stream: Any) -> None:
    from pcenter_lib.risk.evaluation import ORACLE_NOTE, check_targets, oracle_note

    missed = False
    for target, met, detail in check_targets(report):
        state = t(N_("met")) if met else t(N_("MISSED"))
        print(f"{target}: {state} — {detail}", file=stream)
        missed = missed or (target == "oe_interval_contains_1" and not met)
    note = oracle_note(report)
    if missed and note is not None:
        print(t(ORACLE_NOTE, **note), file=stream)


def _evaluate(args: argparse.Namespace, t: Translator) -> int:
    from pcenter_lib.cli import _open_initialised
    from pcenter_lib.risk.evaluation import json_summary
    from pcenter_lib.services.risk_models import evaluate_candidate, stored_evaluation

    workbench = _open_initialised()
    with workbench.sessions.begin() as session:
        if args.version:
            report = stored_evaluation(session, actor=RISK_ACTOR, version=args.version)
        else:
            report = evaluate_candidate(session, actor=RISK_ACTOR)
    if args.json:
        print(json.dumps(json_summary(report), ensure_ascii=False, indent=2))
        _print_targets(report, t, sys.stderr)
        return 0
    print(json.dumps(report, ensure_ascii=False, indent=2))
    _print_targets(report, t, sys.stdout)
    return 0


def run_risk(args: argparse.Namespace, t: Translator) -> int:
    """Run one ``pcenter risk`` subcommand; errors reach ``cli.main`` as ``PcenterError``."""
    from pcenter_lib.cli import _open_initialised
    from pcenter_lib.services.priority_queue import score_children
    from pcenter_lib.services.risk_models import (
        list_risk_models,
        model_card,
        publish_risk_model,
        train_risk_model,
    )

    if args.risk_command == "evaluate":
        return _evaluate(args, t)
    workbench = _open_initialised()
    if args.risk_command == "train":
        with workbench.sessions.begin() as session:
            summary = train_risk_model(session, actor=RISK_ACTOR)
        print(t(N_("Model {version} trained: AUC {auc}, calibration error {ece}."),
                version=summary.model_version, auc=summary.auc, ece=summary.calibration_error))  # fmt: skip
        return 0
    if args.risk_command == "publish":
        with workbench.sessions.begin() as session:
            decision = publish_risk_model(
                session, actor=RISK_ACTOR, version=args.version,
                overall_limit=args.max_calibration_error,
                group_limit=args.max_group_calibration_error,
            )  # fmt: skip
        if not decision.published:
            print(t(N_("Model {version} is not published: it is miscalibrated in {groups}."),
                    version=args.version, groups="; ".join(decision.problems)), file=sys.stderr)  # fmt: skip
            return 1
        print(t(N_("Model {version} published."), version=decision.model.model_version))
        return 0
    if args.risk_command == "score":
        with workbench.sessions.begin() as session:
            result = score_children(
                session, actor=RISK_ACTOR, on=_moment(args.at), store=not args.no_store
            )
        print(json.dumps(result, ensure_ascii=False, indent=2))
        for code in result["drifted"]:
            print(t(N_("Drift: indicator {code} has shifted (PSI {psi})."),
                    code=code, psi=result["drift"][code]), file=sys.stderr)  # fmt: skip
        return 0
    if args.risk_command == "card":
        lang = args.lang or t.lang
        with workbench.sessions.begin() as session:
            card, page = model_card(session, actor=RISK_ACTOR, version=args.version, lang=lang)
        args.out.mkdir(parents=True, exist_ok=True)
        stem = args.out / f"model-card-{card['model_version']}"
        stem.with_suffix(".json").write_text(json.dumps(card, ensure_ascii=False, indent=2), "utf-8")
        stem.with_suffix(".html").write_text(page, "utf-8")
        print(t(N_("Model card written: {path}"), path=f"{stem}.json, {stem}.html"))
        return 0
    with workbench.sessions.begin() as session:
        for model in list_risk_models(session, actor=RISK_ACTOR):
            print(f"{model.model_version}\t{model.status}\t{model.trained_at:%Y-%m-%d}\t"
                  f"AUC {model.auc}\tECE {model.calibration_error}\t{model.decision_note or ''}")  # fmt: skip
    return 0

