"""``make mutation``: mutation testing of the rule modules with mutmut, one module at a time.

For each module listed in ``tests/mutation/modules.toml`` this script lays out a workspace under
``var/mutation/<module>/`` (links to ``pcenter_lib``, ``tests`` and ``data`` plus a
``pyproject.toml`` carrying the ``[tool.mutmut]`` section for that module alone), runs
``mutmut run`` there with the module's fast tests, and then reads mutmut's verdicts back and
sorts every mutant into one of two kinds:

* **text-only** — the mutant changes nothing but string literals (their wording, or a whole
  literal replaced by ``None``), and each changed literal is a message: inside ``N_()`` (a
  message id shown to a person) or inside a ``raise`` statement (the text of the error raised).
  Such a mutant can only change the wording of a message, never what the rule decides, so it is
  left out of the score.
* **logic** — every other mutant: operators, numbers, names, arguments — the parameters of a
  message too (which entry, line or value it names) — and any string that is not a message (a
  time zone name, a dictionary key, an answer code).

It prints a table of logic mutants killed per module, lists the surviving logic mutants with
their diffs, and exits non-zero when a module is below the threshold of ``modules.toml``.

Usage (from the repository root): ``python tests/mutation/mutation_run.py [--jobs N] [MODULE…]``
where a MODULE is a path from ``modules.toml`` or a part of one (``iin``, ``scoring``). Each run
starts from a fresh workspace, because mutmut keeps the old verdict of a surviving mutant even
when new tests were written since. See docs/testing.md.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("modules.toml")
WORKSPACES = ROOT / "var" / "mutation"
LINKED = ("pcenter_lib", "tests", "data")
# mutmut's exit codes for a mutant, as its ``status_by_exit_code`` reads them.
KILLED_CODES = frozenset({1, 3})
SURVIVED_CODES = frozenset({0})
TIMEOUT_CODES = frozenset({24, -24, 36, 152, 255})
# Tests that read a module's source file would read the mutated copy mutmut makes; they carry
# the ``reads_source`` marker and stay out of the mutation run.
PYTEST_ARGS = (
    "-m",
    "not reads_source",
    "-p",
    "no:cacheprovider",
    "-p",
    "tests.mutation.fresh_caches",
    "--hypothesis-seed=0",
)
# Calls whose string arguments are messages shown to a person.
MESSAGE_CALLS = frozenset({"N_", "gettext", "ngettext", "_"})

Kind = Literal["text", "logic"]
CAUGHT = frozenset({"killed", "timeout"})  # mutmut counts a timeout as caught


@dataclass(frozen=True)
class Equivalent:
    """Survivors of ``module`` judged equivalent: those changing a line matching ``line``.

    With ``mutant`` given, only the survivors whose new line also matches ``mutant``.
    """

    module: str
    line: re.Pattern[str]
    reason: str
    mutant: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Config:
    """``modules.toml``: the threshold, each module's fast tests, the equivalent survivors."""

    threshold: float
    modules: dict[str, list[str]]
    equivalents: tuple[Equivalent, ...]


@dataclass(frozen=True)
class Mutant:
    """One mutant: mutmut's name and verdict, its kind, its diff, why it is equivalent if so."""

    name: str
    status: str
    kind: Kind
    diff: str
    equivalent: str | None = None


@dataclass
class ModuleResult:
    """The verdicts for one module and how long its mutmut run took."""

    path: str
    seconds: float
    mutants: list[Mutant] = field(default_factory=list)

    @property
    def logic(self) -> list[Mutant]:
        return [mutant for mutant in self.mutants if mutant.kind == "logic"]

    @property
    def text_only(self) -> int:
        return len(self.mutants) - len(self.logic)

    @property
    def caught(self) -> int:
        return sum(1 for mutant in self.logic if mutant.status in CAUGHT)

    @property
    def equivalent(self) -> int:
        return sum(1 for m in self.logic if m.status not in CAUGHT and m.equivalent)

    @property
    def raw_score(self) -> float:
        """Percent of logic mutants killed."""
        return 100.0 * self.caught / len(self.logic) if self.logic else 100.0

    @property
    def logic_score(self) -> float:
        """Percent of logic mutants killed, survivors judged equivalent left out."""
        counted = len(self.logic) - self.equivalent
        return 100.0 * self.caught / counted if counted else 100.0


def load_config(path: Path = CONFIG) -> Config:
    """Read ``modules.toml``."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    modules = {str(module): [str(test) for test in tests] for module, tests in data["modules"].items()}
    equivalents = tuple(
        Equivalent(
            str(entry["module"]),
            re.compile(str(entry["line"])),
            str(entry["reason"]),
            re.compile(str(entry["mutant"])) if "mutant" in entry else None,
        )
        for entry in data.get("equivalent", ())
    )
    unknown = sorted({e.module for e in equivalents} - set(modules))
    if unknown:
        raise SystemExit(f"{path.name}: equivalent survivors of unlisted modules {unknown}")
    return Config(float(data["threshold"]), modules, equivalents)


def select_modules(modules: dict[str, list[str]], wanted: Sequence[str]) -> dict[str, list[str]]:
    """The modules whose path contains one of ``wanted`` (all of them if nothing is wanted)."""
    if not wanted:
        return modules
    chosen = {path: tests for path, tests in modules.items() if any(w in path for w in wanted)}
    unknown = [w for w in wanted if not any(w in path for path in modules)]
    if unknown:
        raise SystemExit(f"not a module of {CONFIG.name}: {', '.join(unknown)}")
    return chosen


def equivalence_of(mutant: Mutant, module: str, equivalents: Sequence[Equivalent]) -> str | None:
    """Why a surviving logic mutant of ``module`` is equivalent, if ``modules.toml`` says so.

    A survivor is equivalent when one of the lines it changes (a ``-`` line of its diff)
    matches the ``line`` pattern of an entry for its module, and, if the entry has a
    ``mutant`` pattern, one of its new lines (``+``) matches that.
    """
    if mutant.kind != "logic" or mutant.status in CAUGHT:
        return None
    lines = mutant.diff.splitlines()
    removed = [line[1:] for line in lines if line.startswith("-")]
    added = [line[1:] for line in lines if line.startswith("+")]
    for entry in equivalents:
        if entry.module != module or not any(entry.line.search(line) for line in removed):
            continue
        if entry.mutant is None or any(entry.mutant.search(line) for line in added):
            return entry.reason
    return None


# --- classification -----------------------------------------------------------------------


class _Structural(Exception):
    """The two functions differ in more than the value of string literals."""


def _changed_strings(
    original: ast.AST, mutant: ast.AST, ancestors: tuple[ast.AST, ...] = ()
) -> Iterator[tuple[ast.Constant, tuple[ast.AST, ...]]]:
    """The string literals of ``original`` whose value differs in ``mutant``, with ancestors.

    Raises ``_Structural`` as soon as the trees differ in anything else.
    """
    if _is_text(original) and isinstance(mutant, ast.Constant) and mutant.value is None:
        yield original, ancestors  # a message replaced by None is still a change of text
        return
    if type(original) is not type(mutant):
        raise _Structural
    if isinstance(original, ast.Constant) and isinstance(mutant, ast.Constant):
        if original.value == mutant.value and type(original.value) is type(mutant.value):
            return
        if isinstance(original.value, str) and isinstance(mutant.value, str):
            yield original, ancestors
            return
        raise _Structural
    for name in original._fields:
        left, right = getattr(original, name, None), getattr(mutant, name, None)
        if isinstance(left, list) and isinstance(right, list):
            if len(left) != len(right):
                raise _Structural
            pairs = list(zip(left, right, strict=True))
        else:
            pairs = [(left, right)]
        for a, b in pairs:
            if isinstance(a, ast.AST) and isinstance(b, ast.AST):
                yield from _changed_strings(a, b, (*ancestors, original))
            elif a != b:
                raise _Structural


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _is_message(ancestors: tuple[ast.AST, ...]) -> bool:
    """Whether a literal under ``ancestors`` is message text: in ``N_()`` or a ``raise``."""
    for node in ancestors:
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if called in MESSAGE_CALLS:
                return True
    return False


def classify(original_source: str, mutant_source: str) -> Kind:
    """``"text"`` if the mutant only rewords messages (see the module docstring), else ``"logic"``."""
    original = ast.parse(textwrap.dedent(original_source)).body[0]
    mutant = ast.parse(textwrap.dedent(mutant_source)).body[0]
    if isinstance(original, ast.FunctionDef | ast.AsyncFunctionDef) and isinstance(
        mutant, ast.FunctionDef | ast.AsyncFunctionDef
    ):
        mutant.name = original.name
    try:
        changed = list(_changed_strings(original, mutant))
    except _Structural:
        return "logic"
    if changed and all(_is_message(ancestors) for _literal, ancestors in changed):
        return "text"
    return "logic"


# --- running mutmut -----------------------------------------------------------------------


def workspace_for(module: str) -> Path:
    return WORKSPACES / module.removesuffix(".py").replace("/", ".")


def prepare_workspace(module: str, tests: Sequence[str]) -> Path:
    """A fresh workspace whose mutmut configuration mutates ``module`` with ``tests`` only."""
    workspace = workspace_for(module)
    if workspace.exists():
        shutil.rmtree(workspace)
    workspace.mkdir(parents=True)
    for name in LINKED:
        (workspace / name).symlink_to(ROOT / name, target_is_directory=True)
    section = {
        "source_paths": ["pcenter_lib"],
        "only_mutate": [module],
        "also_copy": ["data"],
        "pytest_add_cli_args_test_selection": list(tests),
        "pytest_add_cli_args": list(PYTEST_ARGS),
        "use_git_change_detection": False,
        "mutate_only_covered_lines": False,
    }
    lines = ["", "[tool.mutmut]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in section.items()]
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (workspace / "pyproject.toml").write_text(project + "\n".join(lines) + "\n", encoding="utf-8")
    return workspace


def run_mutmut(workspace: Path, module: str, jobs: int) -> float:
    """Run mutmut over ``module`` in ``workspace``; return the wall-clock seconds it took.

    Two passes. mutmut runs, for each mutant, only the tests that called the mutated function
    while it collected its statistics; a test that reads a value an earlier test built (a
    module-scoped fixture, a cache) is not among them, though it may well kill the mutant. So
    every mutant that is not killed in the first pass runs again against the module's whole
    fast-test selection.
    """
    started = time.monotonic()
    _call_mutmut(workspace, module, jobs, "mutmut.log")
    if _widen_to_every_test(workspace, module):
        _call_mutmut(workspace, module, jobs, "mutmut-every-test.log")
    return time.monotonic() - started


def _widen_to_every_test(workspace: Path, module: str) -> int:
    """Give each function of ``module`` every test, and forget the verdicts not "killed".

    Returns how many mutants are to be tested again.
    """
    mutants = workspace / "mutants"
    stats_path = mutants / "mutmut-stats.json"
    meta_path = mutants / f"{module}.meta"
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    every_test = sorted(stats["duration_by_test"])
    retest = [
        key
        for key, code in meta["exit_code_by_key"].items()
        if code not in KILLED_CODES and code not in TIMEOUT_CODES
    ]
    for key in meta["exit_code_by_key"]:
        stats["tests_by_mangled_function_name"][key.partition("__mutmut_")[0]] = every_test
    for key in retest:
        meta["exit_code_by_key"][key] = None
    stats_path.write_text(json.dumps(stats, indent=1), encoding="utf-8")
    meta_path.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return len(retest)


def _call_mutmut(workspace: Path, module: str, jobs: int, log_name: str) -> None:
    mutmut = Path(sys.executable).with_name("mutmut")
    log = workspace / log_name
    env = {
        **os.environ,
        "PCENTER_DATA_DIR": str(workspace / "var"),
        "PCENTER_MUTATION_MODULE": module.removesuffix(".py").replace("/", "."),
    }
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.call(
            [str(mutmut), "run", "--max-children", str(jobs)],
            cwd=workspace,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise SystemExit(f"mutmut failed in {workspace} (exit {code}); end of {log}:\n{tail}")


def _status(exit_code: int | None) -> str:
    if exit_code in KILLED_CODES:
        return "killed"
    if exit_code in SURVIVED_CODES:
        return "survived"
    if exit_code in TIMEOUT_CODES:
        return "timeout"
    if exit_code in (5, 33):
        return "no tests"
    if exit_code is None:
        return "not checked"
    return "suspicious"


def read_results(
    workspace: Path, module: str, seconds: float, equivalents: Sequence[Equivalent] = ()
) -> ModuleResult:
    """mutmut's verdicts for ``module``, each mutant classified and with its diff."""
    mutated = workspace / "mutants" / module
    meta = json.loads(Path(f"{mutated}.meta").read_text(encoding="utf-8"))
    spans = json.loads(Path(f"{mutated}.spans").read_text(encoding="utf-8"))
    if spans.get("version") != 1:
        raise SystemExit(f"unknown mutmut spans format in {mutated}.spans; pin mutmut 3.8")
    lines = mutated.read_text(encoding="utf-8").splitlines(keepends=True)

    def source_of(function: str) -> str:
        start, end = spans["spans"][function]
        return "".join(lines[start - 1 : end])

    result = ModuleResult(path=module, seconds=seconds)
    for key, exit_code in sorted(meta["exit_code_by_key"].items()):
        function = key.rpartition(".")[2]
        original_name = function.partition("__mutmut_")[0] + "__mutmut_orig"
        original = source_of(original_name)
        changed = source_of(function).replace(function, original_name, 1)
        diff = "".join(
            difflib.unified_diff(
                textwrap.dedent(original).splitlines(keepends=True),
                textwrap.dedent(changed).splitlines(keepends=True),
                n=1,
            )
        )
        mutant = Mutant(
            key, _status(exit_code), classify(original, changed), "".join(diff.splitlines(True)[2:])
        )
        reason = equivalence_of(mutant, module, equivalents)
        result.mutants.append(replace(mutant, equivalent=reason) if reason else mutant)
    return result


# --- report -------------------------------------------------------------------------------


def render_table(results: Sequence[ModuleResult]) -> str:
    """The Markdown table of logic mutants killed per module."""
    rows = [
        "| module | mutants | text-only | logic | killed | equivalent | other survivors "
        "| killed % of logic | killed % without equivalent | run time |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        others = len(r.logic) - r.caught - r.equivalent
        rows.append(
            f"| `{r.path.removeprefix('pcenter_lib/')}` | {len(r.mutants)} | {r.text_only} "
            f"| {len(r.logic)} | {r.caught} | {r.equivalent} | {others} | {r.raw_score:.1f} % "
            f"| {r.logic_score:.1f} % | {r.seconds:.0f} s |"
        )
    return "\n".join(rows)


def render_survivors(results: Sequence[ModuleResult]) -> str:
    """Every logic mutant not killed, with its diff (and the reason, if judged equivalent)."""
    parts: list[str] = []
    for result in results:
        for mutant in result.logic:
            if mutant.status not in CAUGHT:
                why = f"equivalent: {mutant.equivalent}" if mutant.equivalent else "NOT EQUIVALENT"
                parts.append(f"--- {mutant.name} ({mutant.status}; {why})\n{mutant.diff}")
    return "\n".join(parts) if parts else "No logic mutant survived."


def _save(workspace: Path, result: ModuleResult) -> None:
    data = {"seconds": result.seconds, "mutants": [asdict(m) for m in result.mutants]}
    (workspace / "result.json").write_text(json.dumps(data, indent=1), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules (or parts of their paths) to run")
    parser.add_argument(
        "--jobs",
        type=int,
        default=int(os.environ.get("MUTATION_JOBS", "2")),
        help="mutants tested at once (mutmut --max-children; default 2)",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="do not run mutmut; report the verdicts of the last run again",
    )
    args = parser.parse_args(argv)
    config = load_config()
    results: list[ModuleResult] = []
    for module, tests in select_modules(config.modules, args.modules).items():
        workspace = workspace_for(module)
        if args.report:
            seconds = json.loads((workspace / "result.json").read_text(encoding="utf-8"))["seconds"]
        else:
            print(f"== {module}: mutmut with {' '.join(tests)}", flush=True)
            workspace = prepare_workspace(module, tests)
            seconds = run_mutmut(workspace, module, args.jobs)
        result = read_results(workspace, module, seconds, config.equivalents)
        results.append(result)
        _save(workspace, result)
        print(f"   {result.logic_score:.1f} % of logic mutants killed, {seconds:.0f} s", flush=True)
    print()
    print(render_table(results))
    print(f"\nTotal run time: {sum(r.seconds for r in results):.0f} s\n")
    print("Surviving logic mutants:\n" + render_survivors(results))
    below = [r.path for r in results if r.logic_score < config.threshold]
    if below:
        print(f"\nBelow {config.threshold:.0f} % of logic mutants killed: {', '.join(below)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
