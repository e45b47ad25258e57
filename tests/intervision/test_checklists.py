"""PPSS documentation review checklists as data, and scoring a filled checklist."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pcenter_lib.intervision import (
    Answer,
    IntervisionFileError,
    checklist_registry,
    get_checklist,
    score_checklist,
)
from pcenter_lib.intervision.checklists import CHECKLISTS_DIR, load_checklist

REQUIRED = {"annual_plan", "consultation_log", "diagnostics_log", "conclusions",
            "difficult_situation_support"}  # fmt: skip


def test_the_required_checklists_are_there_in_three_languages() -> None:
    registry = checklist_registry()
    assert set(registry) >= REQUIRED
    for checklist in registry.values():
        assert set(checklist.title) == {"kk", "ru", "en"}
        assert all(set(item.text) == {"kk", "ru", "en"} for item in checklist.items)
        assert any(item.critical for item in checklist.items), checklist.code
        assert "264" in checklist.basis and checklist.sources


def test_scoring_counts_partly_as_half_and_skips_not_applicable() -> None:
    checklist = get_checklist("conclusions")
    answers = {item.code: "met" for item in checklist.items}
    answers.update(recommendations="partly", language="not_met", reviewed="not_applicable")
    result = score_checklist(checklist, answers)
    assert result.score_percent == 62.5  # (1 + 0.5 + 0 + 1) / 4
    assert result.critical_gaps == ("recommendations",)
    assert result.counts == {"met": 2, "partly": 1, "not_met": 1, "not_applicable": 1}


def test_all_not_applicable_has_no_score() -> None:
    checklist = get_checklist("diagnostics_log")
    result = score_checklist(checklist, {i.code: Answer.NOT_APPLICABLE for i in checklist.items})
    assert result.score_percent is None and result.critical_gaps == ()


def test_a_half_filled_or_misfilled_checklist_is_refused() -> None:
    checklist = get_checklist("annual_plan")
    with pytest.raises(IntervisionFileError, match="unanswered items approved"):
        score_checklist(checklist, {"directions": "met"})
    answers = {item.code: "met" for item in checklist.items}
    with pytest.raises(IntervisionFileError, match="not one of"):
        score_checklist(checklist, {**answers, "approved": "yes"})
    with pytest.raises(IntervisionFileError, match="unknown items ghost"):
        score_checklist(checklist, {**answers, "ghost": "met"})


def test_a_broken_checklist_file_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load((CHECKLISTS_DIR / "conclusions.yaml").read_text(encoding="utf-8"))
    raw["code"] = "broken"
    raw["items"][0]["text"].pop("en")
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(IntervisionFileError, match="has no text in en"):
        load_checklist(path)
    raw["items"][0]["text"]["en"] = "x"
    raw["items"][1]["critical"] = "yes"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(IntervisionFileError, match="critical: true or false"):
        load_checklist(path)
