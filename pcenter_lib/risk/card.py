"""The model card of a risk model: JSON for machines, HTML for people, in kk/ru/en.

After Mitchell et al., "Model Cards for Model Reporting" (FAT* 2019): what the model is for,
whom it must not be used to judge, the data window, metrics overall and per group, the
reference points, the limits, and the decision about its publication. Every sentence a person
reads is a message id translated through the ``risk`` catalog.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from pcenter_lib.domain.hard_rules import load_hard_rules
from pcenter_lib.domain.risk_indicators import load_indicators
from pcenter_lib.formats import format_day, format_moment
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.risk.wording import (
    METRIC_LABELS,
    PUBLICATION_LABELS,
    WINDOW_LABELS,
    figure,
    group_label,
    interval_text,
    label,
    reason_text,
    status_label,
)

H_MODEL_CARD: Final = N_("Model card")
H_STATUS: Final = N_("Status")
H_TRAINED_BY: Final = N_("Trained by")
H_INTENDED_USE: Final = N_("Intended use")
H_WHO_MUST_NOT_BE_JUDGED_BY_IT: Final = N_("Who must not be judged by it")
H_DATA_WINDOW: Final = N_("Data window")
H_METRICS_ON_THE_HELD_OUT_SCHOOL_YEAR: Final = N_("Metrics on the held-out school year")
H_GROUPS: Final = N_("Groups")
H_HARD_RULES_OUTSIDE_THE_MODEL: Final = N_("Hard rules outside the model")
H_INDICATORS: Final = N_("Indicators")
H_LIMITS: Final = N_("Limits")
H_PUBLICATION: Final = N_("Publication")
H_GROUP: Final = N_("Group")
CARD_FIELDS: Final = (
    "model_version", "created_at", "trained_by", "status", "intended_use", "not_for",
    "decision_principle", "outcome", "population", "data_window", "indicators", "hard_rules",
    "model", "metrics", "reference_points", "groups", "limits", "publication",
)  # fmt: skip
INTENDED_USE: Final = N_(
    "Orders the priority review queue of the Center's supervisors: which children with an open "
    "request or case to look at first. It predicts escalation within 90 days: a later "
    "direct-threat request, a suicide attempt, or police or hospital involvement."
)
NOT_FOR: Final = (
    N_("No child, family or school may be judged, labelled or refused help by this score."),
    N_("Not for children without an open request or case, nor for anyone outside the Center."),
    N_("Not for staff appraisal, school ratings or any decision about a legal representative."),
    N_("Not to lower a child that a hard rule puts in mandatory priority."),
)
DECISION_PRINCIPLE: Final = N_(
    "The score advises; people decide. The Law of the Republic of Kazakhstan \"On personal data "
    "and their protection\" (No. 94-V, Art. 19-1) forbids automated decisions with legal effect "
    "on a person; the decision recorded about a child is always a supervisor's."
)
LIMITS: Final = (
    N_("Trained on records of the Center only: what the Center never heard of is not seen."),
    N_("Escalations are rare; small groups have wide intervals."),
    N_("On the synthetic demo region the figures describe the generator, not real children."),
    N_("Sex, age, special needs and settlement enter as indicators; calibration is checked per group."),
    N_("Drift is checked per indicator when new data are scored; retrain when it is large."),
)
POPULATION: Final = N_(
    "Each child with an open request or case on the first day of a month, at midnight."
)


def build_card(
    *,
    model_version: str,
    created_at: str,
    trained_by: str,
    window: Mapping[str, Any],
    model: Mapping[str, Any],
    evaluation: Mapping[str, Any],
    publication: Mapping[str, Any] | None = None,
    status: str = "trained",
) -> dict[str, Any]:
    """The card as plain data (message ids where a person reads text)."""
    groups = evaluation.get("groups") or {}
    card: dict[str, Any] = {
        "model_version": model_version,
        "created_at": created_at,
        "trained_by": trained_by,
        "status": status,
        "intended_use": INTENDED_USE,
        "not_for": list(NOT_FOR),
        "decision_principle": DECISION_PRINCIPLE,
        "outcome": "escalation_within_90_days",
        "population": POPULATION,
        "data_window": dict(window),
        "indicators": [i.code for i in load_indicators()],
        "hard_rules": [{"code": r.code, "source": r.source} for r in load_hard_rules()],
        "model": dict(model),
        "metrics": {
            key: evaluation.get(key)
            for key in (
                "auc", "pr_auc", "brier", "calibration_error", "n_test", "positives_test",
                "oe_ratio", "oe_ci", "top_decile", "selection_rate", "calibration_curve",
            )
        },
        "reference_points": {
            "oracle_auc": evaluation.get("oracle_auc"),
            "reference_auc": evaluation.get("reference_auc"),
        },
        "groups": groups,
        "limits": list(LIMITS),
        "publication": dict(publication or {}),
    }
    return card


def _cell(value: Any, lang: str) -> str:
    """A figure, a day or a moment as ``lang`` writes it; other values as they are."""
    if isinstance(value, str):
        return html.escape(_when(value, lang))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "—" if value is None else html.escape(str(value))
    return html.escape(figure(value, lang))


def _when(text: str, lang: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) == 10:
        return format_day(moment.date(), lang)
    return format_moment(moment, lang) if moment.tzinfo is not None else text


def _metric(key: str, value: Any, lang: str) -> str:
    if key == "oe_ci":
        return html.escape(interval_text(value, lang))
    return _cell(value, lang)


def _row(name: str, value_html: str) -> str:
    return f"<tr><th>{html.escape(name)}</th><td>{value_html}</td></tr>"


def _publication(publication: Mapping[str, Any], t: Translator) -> list[str]:
    rows: list[str] = []
    for key, value in publication.items():
        if key == "reasons":
            items = "".join(f"<li>{html.escape(reason_text(r, t))}</li>" for r in value)
            rows.append(_row(label(PUBLICATION_LABELS, key, t), f"<ul>{items}</ul>"))
        elif key == "limits":
            limits = f"{figure(value.get('overall'), t.lang)}; {figure(value.get('group'), t.lang)}"
            rows.append(_row(label(PUBLICATION_LABELS, key, t), html.escape(limits)))
        else:
            rows.append(_row(label(PUBLICATION_LABELS, key, t), _cell(value, t.lang)))
    return rows


def render_card_html(card: Mapping[str, Any], lang: str) -> str:
    """A self-contained HTML page of the card in ``lang``: every heading, metric, group and
    reason in words (``pcenter_lib.risk.wording``), never as a code."""
    t = Translator(lang)
    indicators = {i.code: i for i in load_indicators()}
    rules = {r.code: r for r in load_hard_rules()}
    metrics = card["metrics"]
    parts = [
        f"<article class='pcenter-model-card' lang='{html.escape(lang)}'>",
        f"<h1>{html.escape(t(H_MODEL_CARD))}: {html.escape(str(card['model_version']))}</h1>",
        f"<p>{html.escape(t(H_STATUS))}: {html.escape(status_label(str(card['status']), t))} · "
        f"{html.escape(t(H_TRAINED_BY))}: {html.escape(str(card['trained_by']))} · "
        f"{_cell(card['created_at'], lang)}</p>",
        f"<h2>{html.escape(t(H_INTENDED_USE))}</h2><p>{html.escape(t(card['intended_use']))}</p>",
        f"<p><strong>{html.escape(t(card['decision_principle']))}</strong></p>",
        f"<h2>{html.escape(t(H_WHO_MUST_NOT_BE_JUDGED_BY_IT))}</h2><ul>",
        *(f"<li>{html.escape(t(line))}</li>" for line in card["not_for"]),
        "</ul>",
        f"<h2>{html.escape(t(H_DATA_WINDOW))}</h2><p>{html.escape(t(card['population']))}</p>",
        "<table>",
        *(
            _row(label(WINDOW_LABELS, k, t), _cell(v, lang))
            for k, v in card["data_window"].items()
        ),
        "</table>",
        f"<h2>{html.escape(t(H_METRICS_ON_THE_HELD_OUT_SCHOOL_YEAR))}</h2><table>",
        *(
            _row(label(METRIC_LABELS, k, t), _metric(k, v, lang))
            for k, v in metrics.items()
            if k not in ("calibration_curve", "top_decile")
        ),
        *(
            _row(label(METRIC_LABELS, k, t), _cell(v, lang))
            for k, v in card["reference_points"].items()
        ),
        "</table>",
        f"<h2>{html.escape(t(H_GROUPS))}</h2>",
        _group_table(card["groups"], t),
        f"<h2>{html.escape(t(H_HARD_RULES_OUTSIDE_THE_MODEL))}</h2><ul>",
        *(
            f"<li>{html.escape(rules[r['code']].text(lang) if r['code'] in rules else r['code'])}"
            f" — {html.escape(r['source'])}</li>"
            for r in card["hard_rules"]
        ),
        "</ul>",
        f"<h2>{html.escape(t(H_INDICATORS))}</h2><ul>",
        *(
            f"<li>{html.escape(indicators[c].text('name', lang) if c in indicators else c)}</li>"
            for c in card["indicators"]
        ),
        "</ul>",
        f"<h2>{html.escape(t(H_LIMITS))}</h2><ul>",
        *(f"<li>{html.escape(t(line))}</li>" for line in card["limits"]),
        "</ul>",
        f"<h2>{html.escape(t(H_PUBLICATION))}</h2>",
        "<table>", *_publication(card["publication"] or {}, t), "</table>",
        "</article>",
    ]
    return "\n".join(parts)


def _group_table(groups: Mapping[str, Mapping[str, Mapping[str, Any]]], t: Translator) -> str:
    header = "".join(
        f"<th>{html.escape(name)}</th>"
        for name in (t(H_GROUP), *(label(METRIC_LABELS, m, t) for m in _METRICS))
    )
    rows = [
        "<tr><td>{}</td>{}</tr>".format(
            html.escape(group_label(grouping, value, t)),
            "".join(f"<td>{_metric(m, entry.get(m), t.lang)}</td>" for m in _METRICS),
        )
        for grouping, values in groups.items()
        for value, entry in values.items()
    ]
    return f"<table><tr>{header}</tr>{''.join(rows)}</table>"


_METRICS: Final = (
    "n", "positives", "auc", "calibration_error", "oe_ratio", "oe_ci", "selection_rate",
    "false_negative_rate",
)  # fmt: skip
