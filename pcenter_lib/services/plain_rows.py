"""Rows as the database driver returns them: for the frames an app reads whole at region scale.

SQLAlchemy's row objects and its per-value result processing (aware datetimes, enumerations)
cost seconds on 100,000s of rows; the driver's own tuples are several times faster to turn into
columns, and pandas then converts each column at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from sqlalchemy import Select
from sqlalchemy.orm import Session

FETCH_ROWS: Final = 100_000


def fetch_plain_rows(
    session: Session, statement: Select[*tuple[Any, ...]]
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of ``statement`` as the database driver returns them, in chunks.

    A million results pass through SQLAlchemy's row objects in seconds; the driver's own tuples
    are several times faster to turn into columns. The query runs on the session's connection,
    so it sees the session's transaction. Values come raw: booleans may be 0/1 and JSON text.
    """
    connection = session.connection()
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params: Any = compiled.construct_params()
    if compiled.positional and compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), params)
        while chunk := cursor.fetchmany(FETCH_ROWS):
            yield list(chunk)
    finally:
        cursor.close()
