"""Reading intervision data files (YAML) with errors that name the file and the problem."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import yaml

from pcenter_lib.config import PRODUCT_DATA_DIR
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import SUPPORTED_LANGUAGES

DATA_DIR: Final = PRODUCT_DATA_DIR / "intervision"


class IntervisionFileError(PcenterError, ValueError):
    """An intervision format or checklist file breaks the schema; the message says where."""


def read_yaml(path: Path) -> Mapping[str, Any]:
    """The mapping in ``path``; a clear error when the file is not YAML or not a mapping."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise IntervisionFileError(
            "{file}: cannot be read as YAML ({reason}).", file=path.name, reason=str(exc)
        ) from exc
    if not isinstance(data, Mapping):
        raise IntervisionFileError("{file}: the file must hold a mapping.", file=path.name)
    if data.get("code") != path.stem:
        raise IntervisionFileError(
            "{file}: code {code!r} must equal the file name.", file=path.name, code=data.get("code")
        )
    return data


def texts(value: Any, *, file: str, where: str) -> dict[str, str]:
    """A text in kk, ru and en; each must be present and non-empty."""
    if not isinstance(value, Mapping):
        raise IntervisionFileError(
            "{file}: {where} must give the text in kk, ru and en.", file=file, where=where
        )
    missing = [lang for lang in SUPPORTED_LANGUAGES if not str(value.get(lang) or "").strip()]
    if missing:
        raise IntervisionFileError(
            "{file}: {where} has no text in {languages}.",
            file=file, where=where, languages=", ".join(missing),
        )  # fmt: skip
    return {lang: str(value[lang]).strip() for lang in SUPPORTED_LANGUAGES}


def sources(value: Any, *, file: str) -> tuple[tuple[str, str], ...]:
    """(title, url) of the public sources a file cites; at least one is required."""
    if not isinstance(value, list) or not value:
        raise IntervisionFileError("{file}: cite at least one public source.", file=file)
    cited = []
    for item in value:
        title = str(item.get("title") or "").strip() if isinstance(item, Mapping) else ""
        url = str(item.get("url") or "").strip() if isinstance(item, Mapping) else ""
        if not title or (url and not url.startswith(("http://", "https://"))):
            raise IntervisionFileError(
                "{file}: every source needs a title and, if given, an http(s) address.", file=file
            )
        cited.append((title, url))
    return tuple(cited)
