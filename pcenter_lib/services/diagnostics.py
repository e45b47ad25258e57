"""Diagnostics use cases: import a school's screening round (all or nothing, row-level report).

``import_round`` runs in the caller's transaction and writes all or nothing: the upload is read,
checked and scored first (``diagnostics.importing``), duplicates are refused, and only then the
round, its results (bulk inserts) and the priority-review requests for critical answers are
written. A critical answer becomes a journal request from the education organization with
``priority_review`` set, the ordinary Rule 16 deadline and a same-day review — never a direct
threat: the duty specialist, not the software, decides that (Rules 15–16, 18).

Children are linked by pseudonymous code: an IIN in the upload is turned on arrival into its
blind index (to find a known child) and its child code (stored as the result's code); the IIN
is never written in clear (Rule 14). Rows without an IIN keep the school's student code. The
child of a critical answer is always recorded (``critical_children``): from its IIN, stored
encrypted like every IIN, or as a provisional child.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, cast

import pandas as pd
from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics.importing import (
    DEFAULT_LIMITS,
    ImportLimits,
    ParsedUpload,
    ProgressCallback,
    read_upload,
)
from pcenter_lib.diagnostics.instruments import Instrument as InstrumentDefinition
from pcenter_lib.diagnostics.instruments import get_instrument
from pcenter_lib.diagnostics.periods import check_quarter, quarter_bounds, school_year_of
from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.errors import PcenterError, ValidationError
from pcenter_lib.formats import format_day
from pcenter_lib.i18n import N_
from pcenter_lib.models import (
    ChildIdentity,
    EducationOrganization,
    Instrument,
    ScreeningResult,
    ScreeningRound,
)
from pcenter_lib.models.base import utcnow
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.critical_answers import (
    CriticalRequest,
    prepare_priority_reviews,
    write_priority_reviews,
)
from pcenter_lib.services.critical_children import (
    prepare_critical_children,
    write_critical_children,
)
from pcenter_lib.services.records import load
from pcenter_lib.services.result_rows import result_rows as build_result_rows
from pcenter_lib.services.users import load_actor

STAGE_WRITING: Final = N_("Writing the round")
STAGE_DONE: Final = N_("Done")
INSERT_BATCH: Final = 5000
_RESULTS: Final = cast(Table, ScreeningResult.__table__)


class DuplicateRoundError(PcenterError, ValueError):
    """The upload repeats a round that was already imported; nothing was written."""


@dataclass(frozen=True)
class ImportedRound:
    """What an import wrote."""

    round_id: int
    instrument: str
    school_id: int
    period: str
    result_count: int
    critical_count: int
    requests: tuple[CriticalRequest, ...]
    linked_children: int
    pseudonymous: int
    anonymous: int
    content_sha256: str
    critical_unanswered_rows: tuple[int, ...] = ()  # file rows that skipped a critical item
    without_band_rows: tuple[int, ...] = ()  # file rows scored outside the instrument's norms


def import_round(
    session: Session,
    *,
    actor: str,
    cipher: IdentityCipher,
    data: bytes,
    filename: str,
    instrument: str,
    school_id: int,
    period: str,
    conducted_on: date,
    lang: str = "kk",
    limits: ImportLimits = DEFAULT_LIMITS,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> ImportedRound:
    """Check, score and store one school's round; make priority-review requests for critical answers.

    Raises ``ImportRejectedError`` (row-level report), ``DuplicateRoundError`` or a validation
    error before anything is written; the caller's transaction holds everything else.
    """
    who = require(load_actor(session, actor), UseCase.IMPORT_ROUND)
    moment = now or utcnow()
    # a browser may send any string as the file's name; keep it storable (no lone surrogate)
    filename = unicodedata.normalize("NFC", filename.encode("utf-8", "replace").decode("utf-8"))
    report = progress or (lambda fraction, stage: None)
    load(session, EducationOrganization, school_id)
    _check_round_dates(check_quarter(period), conducted_on, moment)
    definition = get_instrument(instrument)
    parsed = read_upload(
        data, filename=filename, instrument=definition, limits=limits, progress=report
    )
    _refuse_duplicates(session, parsed, school_id=school_id, period=period, lang=lang)
    report(0.9, STAGE_WRITING)
    known_ids, codes = _pseudonymise(session, cipher, parsed.answers)
    # everything is computed before the first write: SQLite's single writer lock is then held
    # only for the bulk inserts, not while rows are built (other people's saves wait on it)
    children = prepare_critical_children(
        parsed, cipher=cipher, child_ids=known_ids, school_id=school_id
    )
    result_rows = build_result_rows(parsed, score_columns_of(definition)[0], known_ids, codes)
    reviews = prepare_priority_reviews(
        session,
        actor=who.username,
        parsed=parsed,
        child_ids=known_ids,
        codes=codes,
        school_id=school_id,
        period=period,
        lang=lang,
        moment=moment,
    )
    instrument_id = _instrument_row(session, definition).id
    screening_round = ScreeningRound(
        education_organization_id=school_id,
        instrument_id=instrument_id,
        period=period,
        school_year=school_year_of(conducted_on),
        conducted_on=conducted_on,
        imported_at=moment,
        imported_by=who.username,
        source_filename=filename[:200],
        content_sha256=parsed.content_sha256,
        result_count=len(parsed.answers),
    )
    session.add(screening_round)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent import of the same file won the race
        raise DuplicateRoundError(
            N_("These results were imported a moment ago by somebody else.")
        ) from exc
    linked_children = write_critical_children(
        session, actor=who.username, prepared=children, origin=f"screening:{screening_round.id}"
    )
    for position, child_id in linked_children.items():  # the critical rows' new children
        result_rows[position] = (child_id, *result_rows[position][1:])
    _insert_results(session, screening_round.id, result_rows, report)
    requests = write_priority_reviews(
        session,
        actor=who.username,
        prepared=reviews,
        screening_round=screening_round,
        children=linked_children,
    )
    has_iin = parsed.answers["iin"].notna().to_numpy()
    linked = int(sum(1 for c in known_ids if c is not None))
    unanswered = parsed.critical_items_unanswered()
    without_band = parsed.scored_without_band()
    record_event(
        session,
        actor=who.username,
        action="import",
        entity="screening_round",
        entity_id=screening_round.id,
        details={
            "school_id": school_id,
            "instrument": definition.code,
            "version": definition.version,
            "period": period,
            "results": len(parsed.answers),
            "critical": len(requests),
            "critical_unanswered": len(unanswered),
            "without_band": len(without_band),
            "sha256": parsed.content_sha256,
            "file": filename,
        },
    )
    report(1.0, STAGE_DONE)
    return ImportedRound(
        round_id=screening_round.id,
        instrument=definition.code,
        school_id=school_id,
        period=period,
        result_count=len(parsed.answers),
        critical_count=len(requests),
        requests=tuple(requests),
        linked_children=linked,
        pseudonymous=int(has_iin.sum()) - linked,
        anonymous=int((~has_iin).sum()),
        content_sha256=parsed.content_sha256,
        critical_unanswered_rows=unanswered,
        without_band_rows=without_band,
    )


def _check_round_dates(period: str, conducted_on: date, moment: datetime) -> None:
    start, end = quarter_bounds(period)
    if not start <= conducted_on <= end:
        raise ValidationError(
            N_("The screening date {day} is not in the quarter {period} ({start} – {end})."),
            day=conducted_on.isoformat(),
            period=period,
            start=start.isoformat(),
            end=end.isoformat(),
        )
    if conducted_on > moment.astimezone(KZ_TZ).date():
        raise ValidationError(
            N_("The screening date {day} is in the future."), day=conducted_on.isoformat()
        )


def _refuse_duplicates(
    session: Session, parsed: ParsedUpload, *, school_id: int, period: str, lang: str
) -> None:
    same = session.scalar(
        select(ScreeningRound).where(ScreeningRound.content_sha256 == parsed.content_sha256)
    )
    if same is not None:
        raise DuplicateRoundError(
            N_(
                "These results were already imported on {day} by {user} (round {round}); "
                "the same round is not imported twice."
            ),
            day=format_day(same.imported_at.astimezone(KZ_TZ).date(), lang),
            user=same.imported_by,
            round=same.id,
        )
    earlier = session.scalar(
        select(ScreeningRound)
        .join(Instrument, Instrument.id == ScreeningRound.instrument_id)
        .where(
            ScreeningRound.education_organization_id == school_id,
            ScreeningRound.period == period,
            Instrument.code == parsed.instrument.code,
        )
    )
    if earlier is not None:
        raise DuplicateRoundError(
            N_(
                "This school's {instrument} round for {period} was already imported on {day} "
                "(round {round}, {count} results); a round is imported once."
            ),
            instrument=parsed.instrument.code,
            period=period,
            round=earlier.id,
            day=format_day(earlier.imported_at.astimezone(KZ_TZ).date(), lang),
            count=earlier.result_count,
        )


def _instrument_row(session: Session, definition: InstrumentDefinition) -> Instrument:
    row = session.scalar(
        select(Instrument).where(
            Instrument.code == definition.code, Instrument.version == definition.version
        )
    )
    if row is None:
        row = Instrument(
            code=definition.code,
            version=definition.version,
            definition_sha256=definition.definition_sha256,
        )
        session.add(row)
        session.flush()
    return row


def _pseudonymise(
    session: Session, cipher: IdentityCipher, answers: pd.DataFrame
) -> tuple[list[int | None], list[str | None]]:
    """Known child (by the IIN's blind index) and the code to store, for every row."""
    iins = answers["iin"].tolist()
    indexes = {iin: cipher.blind_index(iin) for iin in iins if iin is not None}
    known: dict[str, int] = {}
    values = list(set(indexes.values()))
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        rows = session.execute(
            select(ChildIdentity.iin_index, ChildIdentity.child_id).where(
                ChildIdentity.iin_index.in_(chunk)
            )
        )
        known.update((str(index), child_id) for index, child_id in rows)
    child_ids: list[int | None] = []
    codes: list[str | None] = []
    for iin, student_code in zip(iins, answers["student_code"].tolist(), strict=True):
        if iin is None:
            child_ids.append(None)
            codes.append(student_code)
        else:
            child_ids.append(known.get(indexes[iin]))
            codes.append(cipher.child_code(iin))
    return child_ids, codes


def score_columns_of(definition: InstrumentDefinition) -> tuple[str, list[str]]:
    """The primary scale (``total`` when there is one) and every scale's code."""
    scales = [scale.code for scale in definition.scales]
    return ("total" if "total" in scales else scales[0]), scales


_RESULT_COLUMNS: Final = (
    "screening_round_id",
    "child_id",
    "student_code",
    "grade",
    "age",
    "sex",
    "responses",
    "scores",
    "total_score",
    "band",
    "critical",
)


def _insert_results(
    session: Session, round_id: int, rows: list[tuple[Any, ...]], report: ProgressCallback
) -> None:
    """Many rows per statement straight through the driver (the values are ready, so the
    writer lock is held only while the database writes them)."""
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {_RESULTS.name} ({', '.join(_RESULT_COLUMNS)}) "
        f"VALUES ({', '.join([mark] * len(_RESULT_COLUMNS))})"
    )
    for start in range(0, len(rows), INSERT_BATCH):
        batch = [(round_id, *row) for row in rows[start : start + INSERT_BATCH]]
        connection.exec_driver_sql(statement, batch)
        report(0.9 + 0.07 * min(1.0, (start + INSERT_BATCH) / max(len(rows), 1)), STAGE_WRITING)
