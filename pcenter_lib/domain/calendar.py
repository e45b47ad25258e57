"""Kazakhstan's working-day calendar, for deadlines counted in working days (Rule 16).

Three layers, the later winning over the earlier:

1. a five-day week (Saturday and Sunday off);
2. the public holidays of the ``holidays`` package (``country_holidays("KZ")``): the holidays of
   the Law "On holidays" No. 267 with its weekend-to-next-working-day moves (Labour Code
   art. 85), Orthodox Christmas and the first day of Kurban Ait, *and* the transfers decreed by
   the Government / Ministry of Labour that the package knows — both the substituted day off
   and the weekend day that becomes a working day (``weekend_workdays``);
3. overrides: dates whose status is set by hand, read from ``data/calendar/overrides.yaml``,
   for decreed transfers the installed package does not know yet, or to pin a lunar holiday.

Each year is computed once per calendar and cached as a sorted tuple of working-day ordinals,
so ``is_working_day`` is a set lookup and ``add_working_days`` a binary search.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Final

import holidays
import yaml

from pcenter_lib.errors import PcenterError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.paths import CALENDAR_OVERRIDES

DEFAULT_OVERRIDES_PATH: Final = CALENDAR_OVERRIDES
WEEKEND: Final = frozenset({5, 6})  # Saturday, Sunday: five-day week (Labour Code art. 84)
OVERRIDE_DAY_OFF_NAME: Final = N_("Day off transferred by the Government")
_OVERRIDE_KEYS: Final = frozenset({"date", "working", "reason", "source"})
_ISO_DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class CalendarOverrideError(PcenterError, ValueError):
    """An entry of the calendar overrides file (or list) is malformed or contradicts another."""


@dataclass(frozen=True, slots=True)
class _Year:
    """One calendar year, precomputed: working days and names of days off."""

    working_ordinals: tuple[int, ...]
    working_set: frozenset[int]
    names: dict[date, str]


class KazakhstanCalendar:
    """Working days in Kazakhstan: five-day week, public holidays, decreed transfers, overrides.

    ``overrides`` are ``(day, is_working)`` pairs (plain dates, not datetimes); an override
    always wins over the package. Before 1991 the package has no holidays, so only weekends
    are days off there.
    """

    def __init__(self, overrides: Iterable[tuple[date, bool]] = ()) -> None:
        self._overrides: dict[date, bool] = {}
        for day, working in overrides:
            if type(day) is not date or not isinstance(working, bool):
                raise CalendarOverrideError(
                    N_(
                        "A calendar override is a (date, working yes/no) pair; got ({day!r}, {working!r})."
                    ),
                    day=day,
                    working=working,
                )
            if self._overrides.get(day, working) != working:
                raise CalendarOverrideError(
                    N_("The calendar override for {day} says both working and day off."), day=day
                )
            self._overrides[day] = working
        self._years: dict[int, _Year] = {}

    def __repr__(self) -> str:
        return f"KazakhstanCalendar(overrides={len(self._overrides)})"

    @property
    def overrides(self) -> dict[date, bool]:
        """A copy of the overrides in force."""
        return dict(self._overrides)

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is None:
            cached = self._years[year] = self._build_year(year)
        return cached

    def _build_year(self, year: int) -> _Year:
        package = holidays.country_holidays("KZ", years=year, language="en_US")
        weekend_workdays = set(package.weekend_workdays)
        names: dict[date, str] = {}
        working: list[int] = []
        day = date(year, 1, 1)
        while day.year == year:
            override = self._overrides.get(day)
            if override is not None:
                is_working = override
            elif day in package:
                is_working = False
            else:
                is_working = day.weekday() not in WEEKEND or day in weekend_workdays
            if is_working:
                working.append(day.toordinal())
            elif day in package:
                names[day] = str(package[day])
            elif override is False and day.weekday() not in WEEKEND:
                names[day] = OVERRIDE_DAY_OFF_NAME
            day += timedelta(days=1)
        return _Year(tuple(working), frozenset(working), names)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day on a five-day week."""
        return day.toordinal() in self._year(day.year).working_set

    def holiday_name(self, day: date) -> str | None:
        """The (English) name of the holiday or transferred day off on ``day``, else ``None``.

        Plain weekends and working days have no name. Names of package holidays are the
        package's English names; a weekday made a day off by an override is named by the
        message id ``OVERRIDE_DAY_OFF_NAME``.
        """
        return self._year(day.year).names.get(day)

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (``day`` itself is not counted; n ≥ 1)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValidationError(
                N_(
                    "The number of working days to add must be a whole number, at least 1; got {n!r}."
                ),
                n=n,
            )
        remaining = n
        year = day.year
        ordinals = self._year(year).working_ordinals
        index = bisect.bisect_right(ordinals, day.toordinal())
        while index + remaining > len(ordinals):
            remaining -= len(ordinals) - index
            year += 1
            ordinals = self._year(year).working_ordinals
            index = 0
        return date.fromordinal(ordinals[index + remaining - 1])

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie in [start, end], both ends included (0 if end < start)."""
        if end < start:
            return 0
        total = 0
        for year in range(start.year, end.year + 1):
            ordinals = self._year(year).working_ordinals
            low = bisect.bisect_left(ordinals, start.toordinal())
            high = bisect.bisect_right(ordinals, end.toordinal())
            total += high - low
        return total


@cache
def load_default_calendar() -> KazakhstanCalendar:
    """The shared calendar with the repository's overrides file applied (built once)."""
    return KazakhstanCalendar(load_overrides())


def load_overrides(path: Path | None = None) -> list[tuple[date, bool]]:
    """Read and check the calendar overrides file (``data/calendar/overrides.yaml`` by default).

    The file holds a list under ``overrides:``; each entry has ``date`` (ISO date), ``working``
    (true/false), ``reason`` and ``source`` (non-empty text). A bad entry raises
    ``CalendarOverrideError`` naming its position and, where YAML knows it, its line.
    """
    source_path = DEFAULT_OVERRIDES_PATH if path is None else path
    try:
        text = source_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CalendarOverrideError(
            N_("Cannot read the calendar overrides file {path}: {problem}"),
            path=str(source_path),
            problem=exc.strerror or str(exc),
        ) from exc
    try:
        document = yaml.compose(text, Loader=_TextDateLoader)
        data = yaml.load(text, Loader=_TextDateLoader)
    except yaml.YAMLError as exc:
        raise CalendarOverrideError(
            N_("The calendar overrides file {path} is not valid YAML: {problem}"),
            path=str(source_path),
            problem=str(exc),
        ) from exc
    if data is None:
        return []
    repeated = _repeated_key_line(document, "overrides")
    if repeated:
        # YAML keeps the last of two equal keys: the decreed transfers of the first list would
        # be dropped without a word, and deadlines counted over days that are not working days.
        raise CalendarOverrideError(
            N_(
                "The calendar overrides file {path} gives 'overrides:' a second time, at line {line}; keep one list, or the first one is lost."
            ),
            path=str(source_path),
            line=repeated,
        )
    entries = data.get("overrides", ()) if isinstance(data, dict) else ()
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise CalendarOverrideError(
            N_("The calendar overrides file {path} must contain a list under 'overrides:'."),
            path=str(source_path),
        )
    lines = _entry_lines(document)
    result: list[tuple[date, bool]] = []
    seen: dict[date, bool] = {}
    for position, entry in enumerate(entries, start=1):
        line = lines[position - 1] if position - 1 < len(lines) else 0
        day, working = _check_entry(entry, position=position, line=line)
        if seen.get(day, working) != working:
            raise CalendarOverrideError(
                N_(
                    "Calendar override entry {position} (line {line}): {day} is listed both as working and as a day off."
                ),
                position=position,
                line=line,
                day=day.isoformat(),
            )
        seen[day] = working
        result.append((day, working))
    return result


class _TextDateLoader(yaml.SafeLoader):
    """YAML's safe loader, except that dates stay text, so a bad date is reported by line."""


_TextDateLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_day(value: object) -> date | None:
    """``value`` as a date if it is one or is text in the form YYYY-MM-DD, else ``None``."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _entry_lines(document: yaml.Node | None) -> list[int]:
    """1-based line numbers of the entries under ``overrides:``, in order."""
    if not isinstance(document, yaml.MappingNode):
        return []
    for key, value in document.value:
        if (
            isinstance(key, yaml.ScalarNode)
            and key.value == "overrides"
            and isinstance(value, yaml.SequenceNode)
        ):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _repeated_key_line(document: yaml.Node | None, key: str) -> int:
    """The 1-based line where the top-level ``key`` is given a second time, else 0."""
    if not isinstance(document, yaml.MappingNode):
        return 0
    seen = False
    for node, _value in document.value:
        if isinstance(node, yaml.ScalarNode) and node.value == key:
            if seen:
                return int(node.start_mark.line) + 1
            seen = True
    return 0


def _check_entry(entry: object, *, position: int, line: int) -> tuple[date, bool]:
    """Validate one overrides entry and return its (date, working) pair."""
    if not isinstance(entry, dict):
        raise CalendarOverrideError(
            N_(
                "Calendar override entry {position} (line {line}) must be a mapping with date, working, reason and source."
            ),
            position=position,
            line=line,
        )
    missing = sorted(_OVERRIDE_KEYS - entry.keys())
    unknown = sorted(str(key) for key in entry.keys() - _OVERRIDE_KEYS)
    if missing or unknown:
        raise CalendarOverrideError(
            N_(
                "Calendar override entry {position} (line {line}): missing keys {missing}, unknown keys {unknown}; expected date, working, reason, source."
            ),
            position=position,
            line=line,
            missing=", ".join(missing) or "-",
            unknown=", ".join(unknown) or "-",
        )
    day, working = _parse_day(entry["date"]), entry["working"]
    if day is None:
        raise CalendarOverrideError(
            N_(
                "Calendar override entry {position} (line {line}): date {value!r} is not an ISO date (YYYY-MM-DD)."
            ),
            position=position,
            line=line,
            value=entry["date"],
        )
    if not isinstance(working, bool):
        raise CalendarOverrideError(
            N_(
                "Calendar override entry {position} (line {line}): working must be true or false, not {value!r}."
            ),
            position=position,
            line=line,
            value=working,
        )
    for key in ("reason", "source"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise CalendarOverrideError(
                N_(
                    "Calendar override entry {position} (line {line}): {key} must be non-empty text."
                ),
                position=position,
                line=line,
                key=key,
            )
    return day, working
