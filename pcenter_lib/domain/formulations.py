"""Case formulation templates of a supervision record, read from ``data/supervision/``.

A template is data (``formulations.yaml``): its name and its fields in kk/ru/en, each field free
text or a whole-number scale. Two come with the workbench — the "5 Ps" (presenting,
predisposing, precipitating, perpetuating and protective factors; Macneil et al., BMC Medicine
10:111, 2012) and Signs of Safety (what we are worried about, what is working well, what needs
to happen, and the 0–10 safety scale; Turnell and Edwards, 1999). ``check_formulation`` refuses
a field the template lacks, a text too long, or a scale value outside its range, naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import yaml

from pcenter_lib.errors import PcenterError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.paths import DATA_DIR

LANGUAGES: Final = ("kk", "ru", "en")
TEMPLATES_PATH: Final = DATA_DIR / "supervision" / "formulations.yaml"
FIELD_TEXT_LIMIT: Final = 4000


class FormulationFileError(PcenterError, ValueError):
    """The templates file is malformed; the message names the entry."""


@dataclass(frozen=True)
class FormulationField:
    code: str
    kind: str  # "text" | "scale"
    label: Mapping[str, str]
    low: int = 0
    high: int = 0

    def text(self, lang: str) -> str:
        return self.label.get(lang) or self.label["en"]


@dataclass(frozen=True)
class FormulationTemplate:
    code: str
    name: Mapping[str, str]
    fields: tuple[FormulationField, ...]

    def title(self, lang: str) -> str:
        return self.name.get(lang) or self.name["en"]


def _texts(entry: Mapping[str, Any], key: str, where: str) -> dict[str, str]:
    texts = entry.get(key)
    if not isinstance(texts, Mapping) or any(not texts.get(lang) for lang in LANGUAGES):
        raise FormulationFileError(
            N_("The formulation template {where} lacks its {key} in kk, ru and en."),
            where=where, key=key,
        )  # fmt: skip
    return {lang: str(texts[lang]) for lang in LANGUAGES}


@cache
def load_templates(path: Path | None = None) -> tuple[FormulationTemplate, ...]:
    """The templates of ``path`` (``data/supervision/formulations.yaml`` by default)."""
    raw = yaml.safe_load((path or TEMPLATES_PATH).read_text(encoding="utf-8"))
    templates = []
    for entry in raw["templates"]:
        code = str(entry["code"])
        fields = []
        for field in entry["fields"]:
            where = f"{code}.{field['code']}"
            kind = str(field.get("kind", "text"))
            if kind not in ("text", "scale"):
                raise FormulationFileError(
                    N_("The field {where} has an unknown kind {kind}."), where=where, kind=kind
                )
            fields.append(
                FormulationField(
                    str(field["code"]),
                    kind,
                    _texts(field, "label", where),
                    int(field.get("min", 0)),
                    int(field.get("max", 0)),
                )
            )
        templates.append(FormulationTemplate(code, _texts(entry, "name", code), tuple(fields)))
    return tuple(templates)


def template(code: str) -> FormulationTemplate:
    """The template named ``code``; a clear error listing the valid ones otherwise."""
    found = {t.code: t for t in load_templates()}
    if code not in found:
        raise ValidationError(
            N_("Unknown formulation template {code}; valid: {valid}."),
            code=code, valid=", ".join(found),
        )  # fmt: skip
    return found[code]


def check_formulation(code: str, values: Mapping[str, object]) -> dict[str, object]:
    """The formulation to store: known fields only, texts stripped, scales whole numbers in range."""
    chosen = template(code)
    fields = {f.code: f for f in chosen.fields}
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError(
            N_("The template {template} has no fields {fields}."),
            template=code, fields=", ".join(sorted(unknown)),
        )  # fmt: skip
    clean: dict[str, object] = {}
    for name, value in values.items():
        field = fields[name]
        if field.kind == "scale":
            if value is None or value == "":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
                raise ValidationError(N_("{field}: give a whole number."), field=field.label["en"])
            if not field.low <= int(value) <= field.high:
                raise ValidationError(
                    N_("{field}: give a number from {low} to {high}."),
                    field=field.label["en"], low=field.low, high=field.high,
                )  # fmt: skip
            clean[name] = int(value)
        else:
            text = str(value or "").strip()
            if len(text) > FIELD_TEXT_LIMIT:
                raise ValidationError(
                    N_("{field}: at most {limit} characters."),
                    field=field.label["en"], limit=FIELD_TEXT_LIMIT,
                )  # fmt: skip
            if text:
                clean[name] = text
    return clean
