"""The translation catalogs, parsed once per version of a file rather than once per page.

Every app page runs in a fresh kernel, and parsing the ``.po`` catalogs with Babel's
``read_po`` took about a second of each page's first render. The messages of each catalog file
are therefore kept, as JSON, in the user's cache folder (``platformdirs.user_cache_path``),
named by the SHA-256 of the file's bytes: a changed catalog is a new name and is parsed again,
so a cached copy can never be stale. The catalogs stay plain ``.po`` files read at run time (no
compile step); when the cache folder cannot be read or written (a read-only home, a service
account without one), the file is simply parsed as before.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from babel.messages.pofile import read_po
from platformdirs import user_cache_path

CACHE_FORMAT: Final = 1  # raise when the stored shape changes


@dataclass(frozen=True)
class CatalogMessage:
    """What the translator reads of a message: ids (a tuple for plural forms), text, context."""

    id: str | tuple[str, ...]
    string: str | tuple[str, ...]
    context: str | None
    fuzzy: bool


@dataclass(frozen=True)
class CatalogFile:
    """One catalog file's messages and its plural expression (Babel's ``Catalog`` subset)."""

    plural_expr: str | None
    messages: tuple[CatalogMessage, ...]

    def __iter__(self) -> Iterator[CatalogMessage]:
        return iter(self.messages)


def cache_folder() -> Path | None:
    """Where parsed catalogs are kept, or None when there is no usable cache folder."""
    try:
        return user_cache_path("pcenter") / "catalogs"
    except (OSError, RuntimeError):  # pragma: no cover - no home folder at all
        return None


def _tuple_or_text(value: Any) -> str | tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return str(value) if value is not None else ""


def parse_catalog(data: bytes, lang: str) -> CatalogFile:
    """The messages of a ``.po`` file's bytes, parsed by Babel."""
    parsed = read_po(io.BytesIO(data), locale=lang)
    messages = tuple(
        CatalogMessage(
            _tuple_or_text(message.id),
            _tuple_or_text(message.string),
            str(message.context) if message.context else None,
            bool(message.fuzzy),
        )
        for message in parsed
    )
    return CatalogFile(str(parsed.plural_expr) if parsed.plural_expr else None, messages)


def _to_json(catalog: CatalogFile) -> str:
    return json.dumps(
        {
            "format": CACHE_FORMAT,
            "plural_expr": catalog.plural_expr,
            "messages": [[m.id, m.string, m.context, m.fuzzy] for m in catalog.messages],
        },
        ensure_ascii=False,
    )


def _from_json(text: str) -> CatalogFile | None:
    stored = json.loads(text)
    if not isinstance(stored, dict) or stored.get("format") != CACHE_FORMAT:
        return None
    messages = tuple(
        CatalogMessage(_tuple_or_text(i), _tuple_or_text(s), c, bool(f))
        for i, s, c, f in stored["messages"]
    )
    return CatalogFile(stored["plural_expr"], messages)


def read_catalog_file(po_file: Path, lang: str, folder: Path | None = None) -> CatalogFile:
    """The messages of ``po_file``: from the cache when this exact file was parsed before."""
    data = po_file.read_bytes()
    folder = cache_folder() if folder is None else folder
    if folder is None:
        return parse_catalog(data, lang)
    digest = hashlib.sha256(data).hexdigest()[:32]
    cached = folder / f"{lang}-{po_file.stem}-{digest}.json"
    try:
        found = _from_json(cached.read_text(encoding="utf-8"))
        if found is not None:
            return found
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not cached yet, or unreadable: parse it
    catalog = parse_catalog(data, lang)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False
        ) as handle:
            handle.write(_to_json(catalog))
        Path(handle.name).replace(cached)  # whole or not at all, whichever kernel writes first
    except OSError:
        pass  # a read-only cache folder costs time, never a translation
    return catalog
