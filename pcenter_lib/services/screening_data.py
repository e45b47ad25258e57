"""Screening results, schools and rounds read into pandas frames for the diagnostics views.

The app keeps one frame per instrument in memory and filters it with vectorized masks, so a
filter change never goes back to the database (``diagnostics.views``). Results are read with
plain column queries, never as ORM objects, and stored with categorical columns: a million
results take some tens of megabytes. No identity data is read: results carry only codes.
"""

from __future__ import annotations

import json
from typing import Any, Final

import numpy as np
import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics.instruments import get_instrument
from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.models import (
    District,
    EducationOrganization,
    Instrument,
    Request,
    ScreeningResult,
    ScreeningRound,
)
from pcenter_lib.services.diagnostics import score_columns_of
from pcenter_lib.services.plain_rows import fetch_plain_rows
from pcenter_lib.services.users import load_actor


def load_schools(session: Session, *, actor: str) -> pd.DataFrame:
    """Every education organization with its district: the schools expected to report."""
    require(load_actor(session, actor), UseCase.VIEW_RESULTS)
    rows = session.execute(
        select(
            EducationOrganization.id.label("school_id"),
            EducationOrganization.bin,
            EducationOrganization.name_kk,
            EducationOrganization.name_ru,
            EducationOrganization.language,
            EducationOrganization.is_urban,
            EducationOrganization.student_count,
            District.id.label("district_id"),
            District.name_kk.label("district_kk"),
            District.name_ru.label("district_ru"),
            District.name_en.label("district_en"),
        )
        .join(District, District.id == EducationOrganization.district_id)
        .order_by(District.id, EducationOrganization.name_ru)
    ).mappings()
    return pd.DataFrame([dict(row) for row in rows], columns=_SCHOOL_COLUMNS)


_SCHOOL_COLUMNS: Final = [
    "school_id",
    "bin",
    "name_kk",
    "name_ru",
    "language",
    "is_urban",
    "student_count",
    "district_id",
    "district_kk",
    "district_ru",
    "district_en",
]


def load_rounds(session: Session, *, actor: str) -> pd.DataFrame:
    """Every screening round: school, instrument, period, dates, counts, requests it raised."""
    require(load_actor(session, actor), UseCase.VIEW_RESULTS)
    rows = session.execute(
        select(
            ScreeningRound.id.label("round_id"),
            ScreeningRound.education_organization_id.label("school_id"),
            Instrument.code.label("instrument"),
            ScreeningRound.period,
            ScreeningRound.school_year,
            ScreeningRound.conducted_on,
            ScreeningRound.imported_at,
            ScreeningRound.imported_by,
            ScreeningRound.result_count,
            ScreeningRound.source_filename,
        )
        .join(Instrument, Instrument.id == ScreeningRound.instrument_id)
        .order_by(ScreeningRound.id)
    ).mappings()
    frame = pd.DataFrame([dict(row) for row in rows], columns=_ROUND_COLUMNS)
    frame["received_on"] = [moment.astimezone(KZ_TZ).date() for moment in frame["imported_at"]]
    origins = session.execute(
        select(Request.origin, Request.journal_year, Request.journal_seq).where(
            Request.origin.like("screening:%")
        )
    )
    raised: dict[int, list[str]] = {}
    for origin, year, seq in origins:
        raised.setdefault(int(str(origin).split(":", 1)[1]), []).append(f"{year}/{seq:06d}")
    frame["requests"] = [tuple(raised.get(int(r), ())) for r in frame["round_id"]]
    return frame


_ROUND_COLUMNS: Final = [
    "round_id",
    "school_id",
    "instrument",
    "period",
    "school_year",
    "conducted_on",
    "imported_at",
    "imported_by",
    "result_count",
    "source_filename",
]


def load_results(
    session: Session, *, actor: str, instrument: str, periods: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Every scored result of ``instrument`` with its school's place, as a categorical frame.

    Columns: ``round_id``, ``school_id``, ``district_id``, ``language``, ``period``,
    ``school_year``, ``grade`` (Int8), ``sex``, ``age``, ``critical``, and per scale ``<scale>``
    (float32) and, if banded, ``<scale>_band`` (ordered categorical, least to most concern).
    ``periods`` limits the quarters read (all when empty).
    """
    require(load_actor(session, actor), UseCase.VIEW_RESULTS)
    definition = get_instrument(instrument)
    primary, scales = score_columns_of(definition)
    multi = len(scales) > 1
    rounds = _rounds_of(session, definition.code, periods)
    columns: list[Any] = [
        ScreeningResult.screening_round_id.label("round_id"),
        ScreeningResult.grade,
        ScreeningResult.sex,
        ScreeningResult.age,
        ScreeningResult.critical,
        ScreeningResult.total_score,
        ScreeningResult.band,
    ]
    if multi:
        columns.append(ScreeningResult.scores)
    statement = select(*columns).where(
        ScreeningResult.screening_round_id.in_(_round_ids(definition.code, periods))
    )
    names = [column.name for column in statement.selected_columns]
    parts = [  # from_records turns the driver's tuples into columns in C (pandas' own loop)
        pd.DataFrame.from_records(chunk, columns=names)
        for chunk in fetch_plain_rows(session, statement)
    ]
    raw = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=names)
    band_order = tuple(definition.band_labels)
    round_ids = raw["round_id"].to_numpy(dtype=np.int64)
    position = rounds.index.get_indexer(
        pd.Index(round_ids)
    )  # each result's round, school and place
    frame = pd.DataFrame({"round_id": round_ids})
    for column in ("school_id", "district_id", "language", "period", "school_year"):
        frame[column] = rounds[column].array.take(position)
    frame = frame.assign(
        grade=pd.to_numeric(raw["grade"]).astype("Int8"),
        sex=pd.Categorical(raw["sex"], categories=["male", "female"]),
        age=pd.to_numeric(raw["age"]).astype("Int16"),
        critical=raw["critical"].astype(bool).to_numpy(),
    )
    stored: list[Any] = []
    if multi:  # each row's scores are read once, not once per scale
        stored = [json.loads(s) if isinstance(s, str) else s for s in raw["scores"]]
    for scale in definition.scales:
        if multi and scale.code != primary:
            values = [s.get(scale.code) if isinstance(s, dict) else None for s in stored]
            bands = [s.get(f"{scale.code}_band") if isinstance(s, dict) else None for s in stored]
        else:
            values, bands = raw["total_score"].tolist(), raw["band"].tolist()
        frame[scale.code] = pd.to_numeric(pd.Series(values, dtype=object)).astype("Float32")
        if scale.norms:
            order = scale.band_codes(band_order)
            frame[f"{scale.code}_band"] = pd.Categorical(
                bands, categories=list(order), ordered=True
            )
    return frame


def _round_ids(instrument: str, periods: tuple[str, ...]) -> Select[Any]:
    statement = (
        select(ScreeningRound.id)
        .join(Instrument, Instrument.id == ScreeningRound.instrument_id)
        .where(Instrument.code == instrument)
    )
    return statement.where(ScreeningRound.period.in_(periods)) if periods else statement


def _rounds_of(session: Session, instrument: str, periods: tuple[str, ...]) -> pd.DataFrame:
    """The rounds of ``instrument`` by id, with their school's place, as categorical columns."""
    statement = (
        select(
            ScreeningRound.id,
            ScreeningRound.education_organization_id.label("school_id"),
            EducationOrganization.district_id,
            EducationOrganization.language,
            ScreeningRound.period,
            ScreeningRound.school_year,
        )
        .join(Instrument, Instrument.id == ScreeningRound.instrument_id)
        .join(
            EducationOrganization,
            EducationOrganization.id == ScreeningRound.education_organization_id,
        )
        .where(Instrument.code == instrument)
    )
    if periods:
        statement = statement.where(ScreeningRound.period.in_(periods))
    rows = session.execute(statement).all()
    frame = pd.DataFrame(
        [tuple(row) for row in rows],
        columns=["id", "school_id", "district_id", "language", "period", "school_year"],
    ).set_index("id")
    quarters = sorted(str(q) for q in frame["period"].unique())
    return frame.assign(
        school_id=frame["school_id"].astype("category"),
        district_id=frame["district_id"].astype("category"),
        language=frame["language"].astype("category"),
        period=pd.Categorical(frame["period"], categories=quarters, ordered=True),
        school_year=frame["school_year"].astype("category"),
    )
