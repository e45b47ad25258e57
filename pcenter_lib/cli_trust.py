"""The ``pcenter`` commands that keep the data trustworthy: key, backup, restore, audit.

``key check`` / ``key rotate`` (``services.key_rotation``), ``backup`` / ``restore``
(``pcenter_lib.backup``), ``audit verify [--anchors FILE]`` and ``audit anchor``
(``services.audit_anchors``). Each prints one clear line per outcome in the configured language;
deliberate errors are printed by ``pcenter_lib.cli.main``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcenter_lib.config import load_settings
from pcenter_lib.i18n import N_, Translator

if TYPE_CHECKING:
    from pcenter_lib.services.audit import ChainReport
    from pcenter_lib.workbench import Workbench

SYSTEM_ACTOR = "system:cli"
TRAIL_INTACT = N_("Audit trail intact: {count} events checked.")
ANCHORS_HELD = N_("Every anchor in {file} is held by the trail.")


def add_trust_commands(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """The subcommands of this module on the main parser."""
    audit = sub.add_parser("audit", help="audit trail")
    audit_sub: Any = audit.add_subparsers(dest="audit_command", required=True, parser_class=parser_class)
    verify = audit_sub.add_parser("verify", help="check that no audit event was changed or removed")
    verify.add_argument("--anchors", type=Path, help="also compare with the anchors in FILE")
    anchor = audit_sub.add_parser("anchor", help="append the trail's head to the anchor file")
    anchor.add_argument("--file", type=Path, help="anchor file (default PCENTER_AUDIT_ANCHOR_FILE)")

    key = sub.add_parser("key", help="the secret key")
    key_sub: Any = key.add_subparsers(dest="key_command", required=True, parser_class=parser_class)
    key_sub.add_parser("check", help="check the key against the database and everything it encrypts")
    key_sub.add_parser("rotate", help="re-encrypt everything under a new key (one transaction)")

    backup = sub.add_parser("backup", help="write a backup of the database (never the key)")
    backup.add_argument("file", type=Path)
    restore = sub.add_parser("restore", help="restore a backup and check that it verifies")
    restore.add_argument("file", type=Path)
    restore.add_argument("--replace", action="store_true", help="overwrite a database that holds data")


def _report_chain(report: ChainReport, t: Translator) -> int:
    if report.intact:
        print(t(TRAIL_INTACT, count=report.checked))
        return 0
    problem = report.problem or "Audit event {id} was changed after it was written."
    print(t(problem, **report.message_params()), file=sys.stderr)
    return 1


def _cmd_audit(args: argparse.Namespace, t: Translator, bench: Workbench) -> int:
    from pcenter_lib.services.audit import verify_chain
    from pcenter_lib.services.audit_anchors import check_anchors, write_anchor

    if args.audit_command == "anchor":
        path = args.file or bench.settings.audit_anchor_file
        with bench.sessions.begin() as session:
            anchor = write_anchor(session, path=path, actor=SYSTEM_ACTOR)
        print(t(N_("Anchored audit event {seq} in {file}."), seq=anchor.seq, file=str(path)))
        return 0
    with bench.sessions() as session:
        report = check_anchors(session, args.anchors) if args.anchors else verify_chain(session)
    status = _report_chain(report, t)
    if status == 0 and args.anchors:
        print(t(ANCHORS_HELD, file=str(args.anchors)))
    return status


def _cmd_key(args: argparse.Namespace, t: Translator, bench: Workbench) -> int:
    from pcenter_lib.services.key_rotation import check_key, rotate_key

    if args.key_command == "check":
        with bench.sessions() as session:
            report = check_key(session)
        total = sum(report.values.values())
        print(t(N_("The key {key_id} belongs to this database; {count} encrypted values decrypt."),
                key_id=report.key_id, count=total))
        return _report_chain(report.trail, t)
    rotation = rotate_key(
        bench.sessions, keyring=bench.keyring, key_file=bench.settings.secret_key_file,
        actor=SYSTEM_ACTOR,
    )
    print(t(N_("Key rotated: {old} → {new}; {rows} values re-encrypted in one transaction."),
            old=rotation.old_key_id, new=rotation.new_key_id, rows=sum(rotation.rows.values())))
    print(t(N_("Keep the old key {file} with the backups made before today: they need it."),
            file=str(rotation.retired_file)))
    return 0


def _cmd_backup(args: argparse.Namespace, t: Translator) -> int:
    from pcenter_lib.backup import backup_database

    written = backup_database(load_settings().as_owner(), args.file, actor=SYSTEM_ACTOR)
    print(t(N_("Backup written: {file}. It does not contain the key; keep the key apart."),
            file=str(written)))
    return 0


def _cmd_restore(args: argparse.Namespace, t: Translator) -> int:
    from pcenter_lib.backup import restore_database

    report = restore_database(load_settings(), args.file, replace_existing=args.replace)
    print(t(N_("Restored from {file}: key {key_id} fits, {count} encrypted values decrypt."),
            file=str(args.file), key_id=report.key_id, count=sum(report.values.values())))
    return _report_chain(report.trail, t)


def run_trust_command(
    args: argparse.Namespace, t: Translator, open_initialised: Callable[[], Workbench]
) -> int | None:
    """Run ``args.command`` if it is one of this module's; None otherwise."""
    if args.command == "backup":
        return _cmd_backup(args, t)
    if args.command == "restore":
        return _cmd_restore(args, t)
    if args.command not in ("audit", "key"):
        return None
    bench = open_initialised()
    try:
        return _cmd_audit(args, t, bench) if args.command == "audit" else _cmd_key(args, t, bench)
    finally:
        bench.engine.dispose()
