"""Every message a person reads has a Kazakh and a Russian translation with the same placeholders.

Message ids are gathered from ``pcenter_lib/`` and ``widgets/`` in two ways: Babel's extractor with
the keywords ``_``, ``N_`` and ``t``, and an AST walk that collects the first argument of every call
to a ``PcenterError`` subclass (errors carry their English msgid that way). Missing or mismatched
translations are reported grouped by source file.
"""

from __future__ import annotations

import ast
import string
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from pcenter_lib.i18n import LOCALE_DIR, _catalogs

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("pcenter_lib", "widgets", "pcenter_server")
KEYWORDS: dict[str, object] = {
    "_": None,
    "N_": None,
    "t": None,
    "NP_": (1, 2),  # singular and plural, chosen by a count (ngettext)
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),  # a context, then the message id
}
TRANSLATED = ("kk", "ru")
ROOT_ERROR = "pcenter_lib.errors.PcenterError"


@dataclass(frozen=True)
class Message:
    msgid: str
    file: str
    line: int
    plural: str | None = None  # the plural form's msgid, for counts
    context: str | None = None  # msgctxt: the sense of a word that has two


def babel_messages(root: Path, folders: Iterable[str]) -> Iterator[Message]:
    """Strings marked with ``_``, ``N_`` or ``t`` under ``root/folder``."""
    for folder in folders:
        directory = root / folder
        if not directory.is_dir():
            continue
        for filename, line, message, _comments, context in extract_from_dir(
            str(directory),
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=(),
        ):
            if isinstance(message, str) and message:
                yield Message(message, f"{folder}/{filename}", line, context=context)
            elif isinstance(message, tuple) and len(message) == 2 and all(message):
                yield Message(message[0], f"{folder}/{filename}", line, plural=message[1])


def _module_of(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class _Scope:
    """What the names of one module refer to: its own classes and what it imports."""

    def __init__(self, module: str, tree: ast.Module, is_package: bool) -> None:
        self.module = module
        self.names: dict[str, str] = {}
        package = module if is_package else module.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - (node.level - 1)]
                    base = ".".join([*parts, node.module] if node.module else parts)
                for alias in node.names:
                    self.names[alias.asname or alias.name] = f"{base}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.names[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0]
                    )
            elif isinstance(node, ast.ClassDef):
                self.names[node.name] = f"{module}.{node.name}"

    def resolve(self, node: ast.expr) -> str | None:
        """The qualified name an expression like ``Error`` or ``errors.Error`` refers to."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            owner = self.resolve(node.value)
            return f"{owner}.{node.attr}" if owner else None
        return None


def error_messages(root: Path, folders: Iterable[str]) -> Iterator[Message | tuple[str, int, str]]:
    """First arguments of calls to PcenterError subclasses; (file, line, problem) for bad ones.

    Names are resolved per module (imports, aliases, re-exports), so an unrelated class that
    happens to share an error's name is not mistaken for it.
    """
    parsed: dict[str, tuple[_Scope, ast.Module]] = {}
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            scope = _Scope(_module_of(path, root), tree, path.name == "__init__.py")
            parsed[str(path.relative_to(root))] = (scope, tree)
    aliases = {
        f"{scope.module}.{local}": target
        for scope, _ in parsed.values()
        for local, target in scope.names.items()
    }

    def canonical(name: str | None) -> str | None:
        seen = set()
        while name in aliases and name not in seen and aliases[name] != name:
            seen.add(name)
            name = aliases[name]
        return name

    bases: dict[str, set[str]] = defaultdict(set)
    own_init: set[str] = set()  # such classes take other arguments first; Babel finds their N_()
    for scope, tree in parsed.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                name = f"{scope.module}.{node.name}"
                bases[name].update(c for b in node.bases if (c := canonical(scope.resolve(b))))
                if any(isinstance(f, ast.FunctionDef) and f.name == "__init__" for f in node.body):
                    own_init.add(name)
    errors = {ROOT_ERROR}
    while more := {c for c, parents in bases.items() if parents & errors} - errors - own_init:
        errors |= more
    for file, (scope, tree) in parsed.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            if canonical(scope.resolve(node.func)) not in errors:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield Message(first.value, file, node.lineno)
            elif isinstance(first, ast.JoinedStr):
                yield (file, node.lineno, "an f-string cannot be a message id; use {placeholders}")


def placeholders(text: str) -> set[str]:
    """The ``{name!conversion:spec}`` fields of a format string."""
    fields = set()
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is not None:
            fields.add(
                "{"
                + field
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
    return fields


def translation_problems(messages: Iterable[Message]) -> dict[str, list[str]]:
    """Problems with the translations of ``messages``, grouped by source file."""
    problems: dict[str, set[str]] = defaultdict(set)
    for message in messages:
        try:
            wanted = placeholders(message.plural or message.msgid)
        except ValueError as exc:
            problems[message.file].add(f"{message.msgid!r}: malformed msgid ({exc})")
            continue
        for lang in TRANSLATED:
            for text in translations_of(message, lang):
                if not text.strip():
                    problems[message.file].add(f"[{lang}] missing: {message.msgid!r}")
                    continue
                try:
                    got = placeholders(text)
                except ValueError as exc:
                    problems[message.file].add(f"[{lang}] malformed ({exc}): {text!r}")
                    continue
                if got != wanted:
                    problems[message.file].add(
                        f"[{lang}] placeholders {sorted(got)} != {sorted(wanted)}: "
                        f"{message.msgid!r}"
                    )
    return {file: sorted(items) for file, items in sorted(problems.items())}


def translations_of(message: Message, lang: str) -> list[str]:
    """Every text ``message`` has in ``lang``: one, or one per plural form ([""] if missing)."""
    found = _catalogs(lang)
    if message.plural is not None:
        forms = found.plurals.get(message.msgid, ())
        return list(forms) if forms else [""]
    if message.context is not None:
        return [found.in_context.get((message.context, message.msgid), "")]
    return [found.plain.get(message.msgid, "")]


def _report(problems: dict[str, list[str]]) -> str:
    count = sum(len(items) for items in problems.values())
    lines = [f"{count} translation problems:"]
    for file, items in problems.items():
        lines.append(f"\n{file}:")
        lines.extend(f"  {item}" for item in items)
    return "\n".join(lines)


@cache
def all_messages() -> tuple[list[Message], list[tuple[str, int, str]]]:
    """Every msgid of the product, and the error calls whose msgid is not a literal template."""
    messages = list(babel_messages(ROOT, SOURCE_DIRS))
    bad: list[tuple[str, int, str]] = []
    for item in error_messages(ROOT, SOURCE_DIRS):
        if isinstance(item, Message):
            messages.append(item)
        else:
            bad.append(item)
    return messages, bad


def test_every_message_is_translated_to_kazakh_and_russian() -> None:
    messages, _ = all_messages()
    problems = translation_problems(messages)
    assert problems == {}, _report(problems)


def test_error_messages_are_literal_templates() -> None:
    _, bad = all_messages()
    assert bad == [], "\n".join(f"{file}:{line}: {problem}" for file, line, problem in bad)


def test_extraction_finds_the_known_messages() -> None:
    found = {m.msgid for m in all_messages()[0]}
    assert "Unknown language code {lang!r}; use one of: kk, ru, en." in found  # a raise
    assert "Audit event {id} was changed after it was written." in found  # N_()
    assert "Database is ready: {url}" in found  # t()
    assert len(found) > 40


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalog_entry_keeps_its_placeholders(lang: str) -> None:
    problems = []
    for po_file in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            parsed = read_po(handle, locale=lang)
        for entry in parsed:
            if not entry.id or not isinstance(entry.id, str) or not entry.string:
                continue
            try:
                same = placeholders(str(entry.string)) == placeholders(entry.id)
            except ValueError:
                same = False
            if not same:
                problems.append(f"{po_file.name}: {entry.id!r} -> {entry.string!r}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_msgid_is_translated_the_same_way_in_every_file(lang: str) -> None:
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for po_file in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            for entry in read_po(handle, locale=lang):
                if not entry.id or not isinstance(entry.id, str) or not entry.string:
                    continue
                text = str(entry.string)
                key = f"{entry.context}\x04{entry.id}" if entry.context else entry.id  # msgctxt
                if key in seen and seen[key][1] != text:
                    clashes.append(f"{entry.id!r}: {seen[key][0]} vs {po_file.name}")
                seen.setdefault(key, (po_file.name, text))
    assert clashes == [], "\n".join(clashes)


def test_the_checks_can_fail(tmp_path: Path) -> None:
    source = tmp_path / "pkg"
    source.mkdir()
    (source / "__init__.py").write_text("from pkg.mod import MyError as Reexported\n")
    (source / "mod.py").write_text(
        "from pcenter_lib.errors import PcenterError\n"
        "import pcenter_lib.errors as errs\n"
        "class MyError(PcenterError, ValueError): ...\n"
        "class DeepError(MyError): ...\n"
        "class OtherError(errs.PcenterError): ...\n"
        "class FieldError(PcenterError):\n"
        "    def __init__(self, field, msgid): super().__init__(msgid, field=field)\n"
        "class SubFieldError(FieldError): ...\n"
        "def f(t, name):\n"
        "    t('Hello {who}', who=name)\n"
        "    t.ngettext('{n} apple', '{n} apples', 2, n=2)\n"
        "    t.pgettext('button', 'Open')\n"
        "    raise DeepError('Broken {thing}', thing=1)\n"
        "def g(name):\n"
        "    raise MyError(f'Bad {name}')\n",
        encoding="utf-8",
    )
    (source / "user.py").write_text(
        "import pkg\n"
        "from pkg import Reexported\n"
        "from pkg.other import MyError as Unrelated\n"
        "raise Reexported('Via re-export')\n"
        "raise pkg.mod.OtherError('Via attribute')\n"
        "raise Unrelated('Not an error of ours')\n"
        "raise pkg.mod.SubFieldError('field name, not a message', 'Ignored here')\n",
        encoding="utf-8",
    )
    (source / "other.py").write_text("class MyError(ValueError): ...\n", encoding="utf-8")
    messages = list(babel_messages(tmp_path, ["pkg"]))
    items = list(error_messages(tmp_path, ["pkg"]))
    assert [(m.msgid, m.plural, m.context) for m in messages] == [
        ("Hello {who}", None, None),
        ("{n} apple", "{n} apples", None),
        ("Open", None, "button"),
    ]
    assert sorted(m.msgid for m in items if isinstance(m, Message)) == [
        "Broken {thing}",
        "Via attribute",
        "Via re-export",
    ]
    assert [i[2] for i in items if not isinstance(i, Message)] == [
        "an f-string cannot be a message id; use {placeholders}"
    ]
    problems = translation_problems(messages)
    assert problems == {"pkg/mod.py": [
        "[kk] missing: 'Hello {who}'", "[kk] missing: 'Open'", "[kk] missing: '{n} apple'",
        "[ru] missing: 'Hello {who}'", "[ru] missing: 'Open'", "[ru] missing: '{n} apple'",
    ]}  # fmt: skip


def test_placeholders_compare_name_conversion_and_spec() -> None:
    assert placeholders("{a} and {b!r} of {c:>3}") == {"{a}", "{b!r}", "{c:>3}"}
    assert placeholders("no fields") == set()
    with pytest.raises(ValueError):
        placeholders("broken {")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_message_is_translated_two_ways_in_different_catalog_files(lang: str) -> None:
    """Catalog files of a language are merged; two translations of one msgid would clash silently."""
    from babel.messages.pofile import read_po

    from pcenter_lib.i18n import LOCALE_DIR

    seen: dict[str, dict[str, str]] = {}
    for po_file in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and isinstance(message.id, str) and message.string:
                    key = f"{message.context}\x04{message.id}" if message.context else message.id
                    seen.setdefault(key, {})[po_file.name] = str(message.string)
    clashes = {msgid: files for msgid, files in seen.items() if len(set(files.values())) > 1}
    assert clashes == {}
