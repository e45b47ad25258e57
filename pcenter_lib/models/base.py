"""Declarative base, shared column types and the optimistic-locking mixin.

Datetimes are always aware: stored in UTC, returned in UTC, naive values refused on write
(Kazakhstan local time is applied where a person reads them). Dates are named ``*_on``,
datetimes ``*_at``; tables are plural; constraint names follow one convention so that Alembic
migrations are stable on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Dialect,
    Enum,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import DateTime, TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class NaiveDatetimeError(ValueError):
    """A naive datetime reached the database layer; every datetime must carry its zone."""


class AwareDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware in Python and UTC in the database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(f"naive datetime {value!r} cannot be stored; give it a zone")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(UTC)


BigId = BigInteger().with_variant(Integer(), "sqlite")

intpk = Annotated[int, mapped_column(BigId, primary_key=True, autoincrement=True)]
code = Annotated[str, mapped_column(String(40))]
short_text = Annotated[str, mapped_column(String(200))]
long_text = Annotated[str, mapped_column(Text)]
aware_at = Annotated[datetime, mapped_column(AwareDateTime())]
day = Annotated[date, mapped_column()]
units = Annotated[Decimal, mapped_column(Numeric(7, 2))]
json_data = Annotated[Any, mapped_column(JSON)]


def code_column(codes: type[StrEnum], name: str, length: int) -> Enum:
    """A column type holding one of ``codes`` by its value, checked by the database.

    Non-native (a ``VARCHAR`` of ``length``, so no type is created on PostgreSQL) with a CHECK
    constraint ``ck_<table>_<name>`` listing the values, on SQLite and PostgreSQL alike.
    """
    return Enum(
        codes,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def typed(max_length: int) -> dict[str, int]:
    """Column ``info`` for a text people type whose column has no length of its own (a ``Text``,
    or the ciphertext of an identity field): the longest text accepted, read by
    ``services.text_fields`` as a ``String`` column's own length is."""
    return {"max_length": max_length}


class Base(DeclarativeBase):
    """Base of every model; carries the naming convention and the type map."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: AwareDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Versioned:
    """Optimistic locking for records that several people edit.

    SQLAlchemy adds ``AND version = :old`` to every UPDATE and raises ``StaleDataError`` when
    no row matched, i.e. when somebody else saved first. Services turn that into a
    ``ConflictError`` the person can read; neither edit is lost silently.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
