"""PostgreSQL roles: an owner that runs migrations, an application role that owns nothing.

The apps connect as the application role (``PCENTER_DATABASE_URL``); ``pcenter init-db`` and the
other commands connect as the owner (``PCENTER_OWNER_DATABASE_URL``). After every migration
``init-db`` grants the application role what the apps need and nothing more:

- SELECT, INSERT, UPDATE, DELETE on the working tables;
- only SELECT and INSERT on ``audit_events`` — no UPDATE, DELETE or TRUNCATE, and as it owns no
  table it cannot disable or drop the triggers that protect the trail (``ALTER TABLE`` needs the
  owner); the chain head is moved by a SECURITY DEFINER trigger running as the owner;
- only SELECT on ``audit_chain_head``, ``key_bindings`` (the key's fingerprint) and
  ``alembic_version``.

:func:`check_roles` then tests these facts from the catalogue and reports every one that does
not hold, so a misconfigured deployment is named at ``init-db`` rather than found after an
incident.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from pcenter_lib.config import Settings
from pcenter_lib.errors import ConfigurationError
from pcenter_lib.i18n import N_

READ_ONLY_TABLES: Final = ("audit_chain_head", "key_bindings", "alembic_version")
APPEND_ONLY_TABLES: Final = ("audit_events",)

OWNS_OBJECTS: Final = N_("The application role {role} owns {objects}; it must own nothing.")
IS_SUPERUSER: Final = N_("The application role {role} is a superuser or bypasses row security.")
MAY_CHANGE: Final = N_("The application role {role} may {privilege} {table}.")
MAY_NOT_APPEND: Final = N_("The application role {role} may not {privilege} {table}.")
MAY_CREATE: Final = N_("The application role {role} may create tables in schema {schema}.")
SAME_ROLE: Final = N_(
    "PCENTER_OWNER_DATABASE_URL connects as the application role {role}; use a separate owner."
)
ROLES_BROKEN: Final = N_("The PostgreSQL roles are not set up safely: {problems}")


@dataclass(frozen=True)
class RoleProblem:
    msgid: str
    params: dict[str, str]


def application_role(settings: Settings) -> str | None:
    """The application role's name when an owner URL sets a separate migration role."""
    if settings.is_sqlite or not settings.owner_database_url:
        return None
    return make_url(settings.database_url).username


def _quote(connection: Connection, name: str) -> str:
    return str(connection.dialect.identifier_preparer.quote(name))


def grant_application_role(owner_engine: Engine, role: str) -> None:
    """Give ``role`` exactly what the apps need (see the module docstring)."""
    with owner_engine.begin() as connection:
        schema = str(connection.execute(text("SELECT current_schema()")).scalar_one())
        who, where = _quote(connection, role), _quote(connection, schema)
        tables = [
            str(name)
            for name in connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
            ).scalars()
        ]
        connection.execute(text(f"GRANT USAGE ON SCHEMA {where} TO {who}"))
        connection.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who}"))
        for table in tables:
            name = f"{where}.{_quote(connection, table)}"
            if table in READ_ONLY_TABLES:
                privileges = "SELECT"
            elif table in APPEND_ONLY_TABLES:
                privileges = "SELECT, INSERT"
            else:
                privileges = "SELECT, INSERT, UPDATE, DELETE"
            connection.execute(text(f"GRANT {privileges} ON {name} TO {who}"))
        connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who}"))


def check_roles(owner_engine: Engine, role: str) -> list[RoleProblem]:
    """Every way ``role`` could change the audit trail or the schema; empty when none."""
    problems: list[RoleProblem] = []
    with owner_engine.connect() as connection:
        owner = str(connection.execute(text("SELECT current_user")).scalar_one())
        if owner == role:
            return [RoleProblem(SAME_ROLE, {"role": role})]
        schema = str(connection.execute(text("SELECT current_schema()")).scalar_one())
        owned = connection.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = :s AND pg_get_userbyid(c.relowner) = :r "
                "UNION SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = :s AND pg_get_userbyid(p.proowner) = :r"
            ),
            {"s": schema, "r": role},
        ).scalars().all()
        if owned:
            problems.append(RoleProblem(OWNS_OBJECTS, {"role": role, "objects": ", ".join(owned)}))
        powerful = connection.execute(
            text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": role}
        ).scalar()
        if powerful:
            problems.append(RoleProblem(IS_SUPERUSER, {"role": role}))
        if connection.execute(
            text("SELECT has_schema_privilege(:r, :s, 'CREATE')"), {"r": role, "s": schema}
        ).scalar():
            problems.append(RoleProblem(MAY_CREATE, {"role": role, "schema": schema}))
        for table, forbidden, needed in (
            ("audit_events", ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER"), ("SELECT", "INSERT")),
            ("audit_chain_head", ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER"), ("SELECT",)),
            ("key_bindings", ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER"), ("SELECT",)),
        ):
            qualified = f"{schema}.{table}"
            for privilege in forbidden + needed:
                held = connection.execute(
                    text("SELECT has_table_privilege(:r, :t, :p)"),
                    {"r": role, "t": qualified, "p": privilege},
                ).scalar()
                if held and privilege in forbidden:
                    problems.append(
                        RoleProblem(MAY_CHANGE, {"role": role, "privilege": privilege, "table": table})
                    )
                elif not held and privilege in needed:
                    problems.append(
                        RoleProblem(MAY_NOT_APPEND, {"role": role, "privilege": privilege, "table": table})
                    )
    return problems


def require_safe_roles(owner_engine: Engine, role: str, lang: str) -> None:
    """Raise a clear error listing every problem :func:`check_roles` finds."""
    from pcenter_lib.i18n import gettext

    problems = check_roles(owner_engine, role)
    if problems:
        listed = "; ".join(gettext(p.msgid, lang).format(**p.params) for p in problems)
        raise ConfigurationError(ROLES_BROKEN, problems=listed)
