"""The ``pcenter`` command: init-db, demo, serve, users add/list, risk (``cli_risk``), report
(``cli_report``), and (``cli_trust``) key check/rotate, backup, restore, audit verify/anchor.

Every error is printed as one clear line in the configured language and the command exits with
status 2: a deliberate error with its own message, a busy database as "busy, try again", anything
else with a reference whose traceback is written to ``pcenter.log`` in the data folder — never a
raw traceback on the screen. Nothing is left half-written, because each command runs in one
transaction or builds into a temporary file first.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pcenter_lib.cli_report import add_report_parser, run_report
from pcenter_lib.cli_risk import add_risk_parser, run_risk
from pcenter_lib.cli_trust import add_trust_commands, run_trust_command
from pcenter_lib.config import load_settings
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import DEFAULT_LANGUAGE, N_, SUPPORTED_LANGUAGES, Translator

if TYPE_CHECKING:
    from pcenter_lib.workbench import Workbench

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SYSTEM_ACTOR = "system:cli"


class _Parser(argparse.ArgumentParser):
    """argparse that exits with status 2 and a one-line message (never a traceback)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"pcenter: {message}\n")


def _translator() -> Translator:
    """Messages in PCENTER_LANG; English when the variable itself is invalid."""
    lang = os.environ.get("PCENTER_LANG", DEFAULT_LANGUAGE)
    return Translator(lang if lang in SUPPORTED_LANGUAGES else "en")


DEMO_ENDED = N_(
    "This database was a demo; with a real user added, demo sign-in is now off for good."
)
UNEXPECTED = N_(
    "The command failed unexpectedly (reference {ref}); nothing was half-written. The details "
    "are in {log}; give the reference to the administrator."
)
SEED_MESSAGE = N_("the seed must be a whole number from 0 to 4294967295, not {value!r}")


def _seed(value: str) -> int:
    try:
        seed = int(value, 10)
    except ValueError:
        seed = -1
    if not 0 <= seed < 2**32:
        raise argparse.ArgumentTypeError(_translator()(SEED_MESSAGE, value=value))
    return seed


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pcenter", description="Workbench of a Psychological Support Center")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    sub.add_parser("init-db", help="create or upgrade the database schema (Alembic migrations)")

    demo = sub.add_parser("demo", help="fill the database with a synthetic demo region")
    demo.add_argument("--seed", type=_seed, default=264, help="random seed (default 264)")
    demo.add_argument("--scale", choices=("demo", "region"), default="demo")
    demo.add_argument(
        "--non-compliant", action="store_true", help="staff the Center below the Rule 24 norm"
    )
    demo.add_argument(
        "--if-empty", action="store_true", help="do nothing when the database already has data"
    )
    demo.add_argument("--quiet", action="store_true", help="no progress output")

    serve = sub.add_parser("serve", help="serve the apps with Voilà on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8866)
    serve.add_argument("--no-browser", action="store_true")

    add_trust_commands(sub, _Parser)

    users = sub.add_parser("users", help="users and roles")
    users_sub = users.add_subparsers(dest="users_command", required=True, parser_class=_Parser)
    add = users_sub.add_parser("add", help="add a user or grant more roles")
    add.add_argument("username")
    add.add_argument("--name", default="", help="full name")
    add.add_argument("--role", action="append", required=True, dest="roles", help="repeatable")
    add.add_argument("--lang", choices=SUPPORTED_LANGUAGES, default=DEFAULT_LANGUAGE)
    users_sub.add_parser("list", help="list users and their roles")
    add_risk_parser(sub, _Parser)
    add_report_parser(sub, _Parser)
    return parser


def _open_initialised() -> Workbench:
    """The workbench of a database that ``init-db`` has built; a clear error otherwise.

    A missing SQLite file is reported without creating it, and a database without the current
    schema is named instead of failing later with a traceback about a missing table.
    """
    from sqlalchemy.engine import make_url

    from pcenter_lib.db import schema_is_current
    from pcenter_lib.errors import DatabaseUnavailableError
    from pcenter_lib.workbench import open_workbench

    settings = load_settings().as_owner()  # the commands are the administrator's: owner role
    url = make_url(settings.database_url)
    missing_file = settings.is_sqlite and url.database not in (None, "", ":memory:")
    if missing_file and not Path(str(url.database)).expanduser().is_file():
        raise DatabaseUnavailableError(
            "The database {url} is not initialised or is out of date; run: pcenter init-db",
            url=url.render_as_string(hide_password=True),
        )
    workbench = open_workbench(settings)
    if not schema_is_current(workbench.engine):
        workbench.engine.dispose()
        raise DatabaseUnavailableError(
            "The database {url} is not initialised or is out of date; run: pcenter init-db",
            url=url.render_as_string(hide_password=True),
        )
    return workbench


def _cmd_init_db(t: Translator) -> int:
    from pcenter_lib.workbench import initialise_database

    workbench = initialise_database()
    print(t("Database is ready: {url}", url=workbench.engine.url.render_as_string(True)))
    return 0


def _cmd_demo(args: argparse.Namespace, t: Translator) -> int:
    from pcenter_lib.demo import build_demo_region, database_has_data
    from pcenter_lib.workbench import initialise_database

    workbench = initialise_database()
    if args.if_empty and database_has_data(workbench):
        print(t("The database already holds data; the demo region was not rebuilt."))
        return 0
    summary = build_demo_region(
        workbench,
        seed=args.seed,
        scale=args.scale,
        compliant=not args.non_compliant,
        progress=None if args.quiet else sys.stderr,
    )
    print(t("Demo region built: {summary}", summary=summary))
    return 0


def serve_command(
    port: int, *, no_browser: bool = True, extra: Sequence[str] = ()
) -> tuple[list[str], dict[str, str]]:
    """The Voilà command line and environment ``pcenter serve`` runs (cwd: the project root).

    ``extra`` adds Voilà options (tests and benchmarks tighten kernel limits this way).
    """
    command = [
        sys.executable, "-m", "voila", str(PROJECT_ROOT / "notebooks"),
        f"--port={port}", "--Voila.ip=127.0.0.1", "--template=pcenter", *extra,
    ]
    if no_browser:
        command.append("--no-browser")
    env = os.environ.copy()
    # the "pcenter" page template lives in share/jupyter: Voilà's lab template without CDN links
    template_root = str(PROJECT_ROOT / "share" / "jupyter")
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (template_root, env.get("JUPYTER_PATH")) if p)
    return command, env


def _cmd_serve(args: argparse.Namespace, t: Translator) -> int:
    _open_initialised()  # fail early, in the user's language, if the database or key is unusable
    command, env = serve_command(args.port, no_browser=args.no_browser)
    print(t("Serving the apps on http://127.0.0.1:{port}/", port=args.port), flush=True)
    return subprocess.call(command, cwd=PROJECT_ROOT, env=env)


def _cmd_users(args: argparse.Namespace, t: Translator) -> int:
    from pcenter_lib.services.key_binding import set_demo_database
    from pcenter_lib.services.users import add_user, list_users

    workbench = _open_initialised()
    if args.users_command == "add":
        with workbench.sessions.begin() as session:
            user = add_user(
                session, actor=SYSTEM_ACTOR, username=args.username, full_name=args.name,
                roles=args.roles, lang=args.lang,
            )
            if workbench.demo:
                # a real account means real records may follow: no more demo sign-in here
                set_demo_database(session, workbench.keyring, demo=False)
        print(t("User {username}: roles {roles}", username=user.username, roles=", ".join(user.roles)))
        if workbench.demo:
            print(t(DEMO_ENDED))
        return 0
    with workbench.sessions() as session:
        for user in list_users(session):
            state = "" if user.active else f" ({t('inactive')})"
            print(f"{user.username}\t{user.full_name}\t{','.join(user.roles)}\t{user.lang}{state}")
    return 0


def _dispatch(args: argparse.Namespace, t: Translator) -> int:
    load_settings()
    if args.command == "init-db":
        return _cmd_init_db(t)
    if args.command == "demo":
        return _cmd_demo(args, t)
    if args.command == "serve":
        return _cmd_serve(args, t)
    if args.command == "risk":
        return run_risk(args, t)
    if args.command == "report":
        return run_report(args, t, _open_initialised)
    done = run_trust_command(args, t, _open_initialised)
    return _cmd_users(args, t) if done is None else done


def _log_file() -> Path:
    try:
        folder = load_settings().data_dir
    except PcenterError:
        folder = Path(tempfile.gettempdir())
    return folder / "pcenter.log"


def _log_traceback(command: str) -> tuple[str, Path]:
    """Write the exception being handled, with its traceback, to the log; (reference, log file)."""
    ref = secrets.token_hex(4)
    path = _log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- pcenter {command}: unexpected error, reference {ref}\n")
            log.write(traceback.format_exc())
    except OSError:
        path = Path(os.devnull)
    return ref, path


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Every error is one clear line; a traceback goes only to the log file."""
    args = build_parser().parse_args(argv)
    t = _translator()
    try:
        return _dispatch(args, t)
    except PcenterError as error:
        print(f"pcenter: {error.localized(t.lang)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        from pcenter_lib.transactions import BUSY, is_busy

        if is_busy(error):
            print(f"pcenter: {t(BUSY)}", file=sys.stderr)
            return 2
        ref, log = _log_traceback(str(args.command))
        print(f"pcenter: {t(UNEXPECTED, ref=ref, log=str(log))}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
