"""Intervision formats as data: every phase in three languages, timings that add up, sources."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pcenter_lib.intervision import IntervisionFileError, format_registry, get_format
from pcenter_lib.intervision.formats import FORMATS_DIR, load_format

REQUIRED = {"incident_method", "balint_group", "six_phase_model", "kollegiale_beratung"}


def test_the_required_formats_are_there() -> None:
    assert set(format_registry()) >= REQUIRED


@pytest.mark.parametrize("code", sorted(REQUIRED))
def test_every_phase_has_all_languages_and_the_timings_add_up(code: str) -> None:
    fmt = get_format(code)
    assert sum(p.minutes for p in fmt.phases) == fmt.total_minutes
    assert fmt.starts()[0] == 0 and fmt.starts()[-1] + fmt.phases[-1].minutes == fmt.total_minutes
    for phase in fmt.phases:
        assert set(phase.name) == {"kk", "ru", "en"} and all(phase.name.values())
        assert phase.prompts and all(set(p) == {"kk", "ru", "en"} for p in phase.prompts)
    assert any(url.startswith("http") for _, url in fmt.sources)
    assert 2 <= fmt.min_group <= fmt.max_group


def test_the_files_cite_public_sources_in_their_header() -> None:
    for path in FORMATS_DIR.glob("*.yaml"):
        header = path.read_text(encoding="utf-8").split("\ncode:")[0]
        assert "Rule 11.3" in header, path.name


def _write(tmp_path: Path, data: dict[str, object], name: str = "broken") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _valid() -> dict[str, object]:
    raw = yaml.safe_load((FORMATS_DIR / "balint_group.yaml").read_text(encoding="utf-8"))
    raw["code"] = "broken"
    return raw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["phases"][0]["name"].pop("kk"), "has no text in kk"),
        (lambda d: d["phases"][1]["prompts"][0].update(ru=" "), "has no text in ru"),
        (lambda d: d.update(total_minutes=51), "take 50 minutes but the format says 51"),
        (lambda d: d["phases"][2].update(minutes=0), "positive whole number"),
        (lambda d: d["phases"][2].update(code="opening"), "unique"),
        (lambda d: d.update(sources=[]), "public source"),
        (lambda d: d.update(group_size={"min": 9, "max": 4}), "larger than"),
        (lambda d: d.update(code="other"), "must equal the file name"),
    ],
)
def test_a_broken_format_file_is_refused_with_a_clear_reason(
    tmp_path: Path, change: object, message: str
) -> None:
    data = _valid()
    change(data)  # type: ignore[operator]
    with pytest.raises(IntervisionFileError, match=message):
        load_format(_write(tmp_path, data))


def test_unknown_codes_name_the_known_ones() -> None:
    with pytest.raises(IntervisionFileError, match="incident_method"):
        get_format("fishbowl")
    with pytest.raises(IntervisionFileError, match="opening"):
        get_format("balint_group").phase("nope")
    assert get_format("incident_method").phase("advice").minutes == 10
