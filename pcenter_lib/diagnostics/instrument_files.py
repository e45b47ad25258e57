"""Reading an instrument's YAML file into an ``Instrument``, naming the file and line of any problem.

Split from ``instruments.py`` (the data classes, the problem table and the registry) so each
module stays small; ``instruments.load_instrument`` is the public entry point.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pcenter_lib.diagnostics.instruments import (
    _CODE,
    _EMPTY,
    CONCERNS,
    INFORMANTS,
    METHODS,
    PROBLEMS,
    RESERVED_COLUMNS,
    SEXES,
    Band,
    CriticalItem,
    Instrument,
    InstrumentDefinitionError,
    Item,
    Labels,
    Norm,
    Scale,
)
from pcenter_lib.i18n import SUPPORTED_LANGUAGES


def read_instrument_file(path: Path) -> Instrument:
    """Read and check one instrument file; any problem raises with the file and line."""
    raw = path.read_bytes()
    reader = _Reader(path)
    try:
        root = yaml.compose(raw.decode("utf-8"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise InstrumentDefinitionError(
            PROBLEMS["yaml"], file=str(path), line=line, detail=str(exc.problem)
        ) from exc
    if root is None:
        raise InstrumentDefinitionError(PROBLEMS["empty"], file=str(path), line=1)
    return _read_instrument(reader, root, hashlib.sha256(raw).hexdigest())


class _Reader:
    """Typed access to the YAML nodes of one file; ``fail`` names the file and line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: Node, problem: str, /, **params: object) -> NoReturn:
        line = node.start_mark.line + 1 if node.start_mark else 1
        raise InstrumentDefinitionError(PROBLEMS[problem], file=str(self.path), line=line, **params)

    def mapping(self, node: Node, required: str, optional: str = "") -> dict[str, Node]:
        """Key → value node; ``required`` and ``optional`` are space-separated key names."""
        if not isinstance(node, MappingNode):
            self.fail(node, "mapping")
        allowed = set(required.split()) | set(optional.split())
        merged: dict[str, Node] = {}  # YAML merge keys (<<: *anchor); own keys override them
        own: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merges = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for merge in merges:
                    merged.update(self.mapping(merge, "", " ".join(allowed)))
                continue
            key = str(key_node.value)
            if key not in allowed:
                self.fail(key_node, "unknown_key", key=key, allowed=", ".join(sorted(allowed)))
            if key in own:
                self.fail(key_node, "twice", key=key)
            own[key] = value_node
        result = merged | own
        for key in required.split():
            if key not in result:
                self.fail(node, "missing", key=key)
        return result

    def sequence(self, node: Node, *, empty_ok: bool = False) -> list[Node]:
        if not isinstance(node, SequenceNode):
            self.fail(node, "list")
        if not node.value and not empty_ok:
            self.fail(node, "empty_list")
        return list(node.value)

    def scalar(self, node: Node) -> object:
        if not isinstance(node, ScalarNode):
            self.fail(node, "scalar")
        return self.constructor.construct_object(node)

    def text(self, node: Node) -> str:
        value = self.scalar(node)
        if not isinstance(value, str) or not value.strip():
            self.fail(node, "text")
        return value.strip()

    def integer(self, node: Node) -> int:
        value = self.scalar(node)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(node, "integer")
        return value

    def boolean(self, node: Node | None, default: bool = False) -> bool:
        value = default if node is None else self.scalar(node)
        if not isinstance(value, bool):
            self.fail(node or _EMPTY, "boolean")
        return value

    def choice(self, node: Node, allowed: tuple[str, ...]) -> str:
        value = self.text(node)
        if value not in allowed:
            self.fail(node, "choice", value=value, allowed=", ".join(allowed))
        return value

    def code(self, node: Node) -> str:
        value = self.text(node)
        if not _CODE.match(value) or value in RESERVED_COLUMNS or value.endswith("_band"):
            self.fail(node, "code", value=value)
        return value

    def pair(self, node: Node) -> tuple[int, int]:
        """An inclusive ``[low, high]`` range of whole numbers."""
        values = self.sequence(node)
        if len(values) != 2:
            self.fail(node, "pair")
        low, high = self.integer(values[0]), self.integer(values[1])
        if low > high:
            self.fail(node, "empty_range", low=low, high=high)
        return low, high

    def labels(self, node: Node, *, languages: tuple[str, ...] | None = None) -> Labels:
        """Texts by language: kk, ru and en all required, or (given ``languages``) any of them."""
        every = " ".join(SUPPORTED_LANGUAGES)
        fields = self.mapping(node, every) if languages is None else self.mapping(node, "", every)
        for lang, value_node in fields.items():
            if languages is not None and lang not in languages:
                self.fail(value_node, "language", lang=lang)
        return {lang: self.text(value_node) for lang, value_node in fields.items()}


def _read_instrument(reader: _Reader, root: Node, digest: str) -> Instrument:
    top = reader.mapping(
        root,
        "code version name languages licence response_options items scales band_labels",
        "informant verified note sources instructions critical_items",
    )
    code = reader.code(top["code"])
    if code != reader.path.stem:
        reader.fail(top["code"], "file_name", code=code, stem=reader.path.stem)
    languages = tuple(
        reader.choice(n, SUPPORTED_LANGUAGES) for n in reader.sequence(top["languages"])
    )
    licence = reader.mapping(top["licence"], "holder note item_text_allowed", "verified")
    text_allowed = reader.boolean(licence["item_text_allowed"])
    for node in reader.sequence(top.get("sources", _EMPTY), empty_ok=True):
        reader.text(node)
    if "instructions" in top:
        reader.labels(top["instructions"], languages=languages)
    options = _read_options(reader, top["response_options"], languages)
    items: list[Item] = []
    for number, node in enumerate(reader.sequence(top["items"]), start=1):
        items.append(_read_item(reader, node, number, options, languages, text_allowed))
    if not isinstance(top["band_labels"], MappingNode):
        reader.fail(top["band_labels"], "mapping")
    band_labels: dict[str, Labels] = {}
    for key_node, value_node in top["band_labels"].value:
        if reader.code(key_node) in band_labels:
            reader.fail(key_node, "twice", key=key_node.value)
        band_labels[key_node.value] = reader.labels(value_node)
    scales: list[Scale] = []
    for node in reader.sequence(top["scales"]):
        scales.append(_read_scale(reader, node, items, scales, band_labels))
    critical = [
        _read_critical(reader, node, items)
        for node in reader.sequence(top.get("critical_items", _EMPTY), empty_ok=True)
    ]
    return Instrument(
        code=code,
        version=reader.text(top["version"]),
        name=reader.labels(top["name"]),
        languages=languages,
        informant=reader.choice(top["informant"], INFORMANTS) if "informant" in top else "self",
        licence_note=reader.text(licence["note"]),
        item_text_allowed=text_allowed,
        verified=reader.boolean(top.get("verified")),
        note=reader.text(top["note"]) if "note" in top else "",
        items=tuple(items),
        scales=tuple(scales),
        band_labels=band_labels,
        critical_items=tuple(critical),
        path=reader.path,
        definition_sha256=digest,
    )


def _read_options(reader: _Reader, node: Node, languages: tuple[str, ...]) -> tuple[int, ...]:
    values: list[int] = []
    for option in reader.sequence(node):
        fields = reader.mapping(option, "value", "label")
        value = reader.integer(fields["value"])
        if value in values:
            reader.fail(fields["value"], "value_twice", value=value)
        if "label" in fields:
            reader.labels(fields["label"], languages=languages)
        values.append(value)
    return tuple(values)


def _read_item(
    reader: _Reader,
    node: Node,
    number: int,
    default: tuple[int, ...],
    languages: tuple[str, ...],
    text_allowed: bool,
) -> Item:
    fields = reader.mapping(node, "id", "reverse text response_options")
    item_id = reader.text(fields["id"])
    if item_id != f"item_{number}":
        reader.fail(fields["id"], "item_order", expected=f"item_{number}", found=item_id)
    values = default
    if "response_options" in fields:
        values = _read_options(reader, fields["response_options"], languages)
    reverse = reader.boolean(fields.get("reverse"))
    if reverse and sorted(values) != sorted(min(values) + max(values) - v for v in values):
        reader.fail(node, "symmetric")
    if "text" in fields and not text_allowed:
        reader.fail(fields["text"], "licence")
    text = reader.labels(fields["text"], languages=languages) if "text" in fields else {}
    return Item(id=item_id, values=values, reverse=reverse, text=text)


def _read_scale(
    reader: _Reader,
    node: Node,
    items: list[Item],
    earlier: list[Scale],
    band_labels: dict[str, Labels],
) -> Scale:
    fields = reader.mapping(node, "code label method range", "items scales proration norms note")
    code = reader.code(fields["code"])
    if code in {s.code for s in earlier} | {i.id for i in items}:
        reader.fail(fields["code"], "code_twice", value=code)
    method = reader.choice(fields["method"], METHODS)
    part_key = "items" if method == "sum" else "scales"
    if part_key not in fields:
        reader.fail(node, "missing", key=part_key)
    known = (
        {i.id: (min(i.values), max(i.values)) for i in items}
        if method == "sum"
        else {s.code: (s.low, s.high) for s in earlier}
    )
    parts: list[str] = []
    for part in reader.sequence(fields[part_key]):
        name = reader.text(part)
        if name not in known or name in parts:
            reader.fail(part, "part", value=name)
        parts.append(name)
    low, high = reader.pair(fields["range"])
    expected = (sum(known[p][0] for p in parts), sum(known[p][1] for p in parts))
    if (low, high) != expected:
        reader.fail(
            fields["range"],
            "range",
            low=low,
            high=high,
            expected_low=expected[0],
            expected_high=expected[1],
        )
    min_answered, configurable = len(parts), False
    if "proration" in fields:
        if method != "sum":
            reader.fail(fields["proration"], "prorate_scales")
        rule = reader.mapping(
            fields["proration"], "min_answered source", "center_configurable verified"
        )
        reader.text(rule["source"])
        reader.boolean(rule.get("verified"))
        min_answered = reader.integer(rule["min_answered"])
        configurable = reader.boolean(rule.get("center_configurable"))
        if not 1 <= min_answered <= len(parts):
            reader.fail(rule["min_answered"], "min_answered", count=len(parts))
    norms = [
        _read_norm(reader, n, (low, high), band_labels)
        for n in reader.sequence(fields.get("norms", _EMPTY), empty_ok=True)
    ]
    return Scale(
        code=code,
        label=reader.labels(fields["label"]),
        method=method,
        items=tuple(parts) if method == "sum" else (),
        scales=() if method == "sum" else tuple(parts),
        low=low,
        high=high,
        min_answered=min_answered,
        proration_configurable=configurable,
        norms=tuple(norms),
    )


def _read_norm(
    reader: _Reader, node: Node, scale_range: tuple[int, int], band_labels: dict[str, Labels]
) -> Norm:
    fields = reader.mapping(node, "source bands", "age sex verified note")
    bands: list[tuple[Band, Node]] = []
    for band_node in reader.sequence(fields["bands"]):
        entry = reader.mapping(band_node, "code range")
        code = reader.text(entry["code"])
        if code not in band_labels:
            reader.fail(entry["code"], "band_label", value=code)
        bands.append((Band(code, *reader.pair(entry["range"])), band_node))
    low, high = scale_range
    next_low = low
    for band, band_node in sorted(bands, key=lambda pair: pair[0].low):
        if band.low != next_low or band.high > high:
            reader.fail(band_node, "cover", low=low, high=high)
        next_low = band.high + 1
    if next_low != high + 1:
        reader.fail(bands[-1][1], "cover", low=low, high=high)
    age = reader.pair(fields["age"]) if "age" in fields else (None, None)
    return Norm(
        bands=tuple(band for band, _ in bands),
        age_low=age[0],
        age_high=age[1],
        sex=reader.choice(fields["sex"], SEXES) if "sex" in fields else None,
        source=reader.text(fields["source"]),
        verified=reader.boolean(fields.get("verified")),
    )


def _read_critical(reader: _Reader, node: Node, items: list[Item]) -> CriticalItem:
    fields = reader.mapping(node, "item values concern", "source note")
    by_id = {item.id: item for item in items}
    item_id = reader.text(fields["item"])
    if item_id not in by_id:
        reader.fail(fields["item"], "item", value=item_id)
    values: list[int] = []
    for value_node in reader.sequence(fields["values"]):
        value = reader.integer(value_node)
        if value not in by_id[item_id].values:
            reader.fail(value_node, "answer", value=value, item=item_id)
        values.append(value)
    return CriticalItem(
        item=item_id,
        values=tuple(values),
        concern=reader.choice(fields["concern"], CONCERNS),
        source=reader.text(fields["source"]) if "source" in fields else "",
    )
