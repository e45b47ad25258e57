"""Named staffing scenarios: save, list, load; and their parameters as stored JSON.

Scenarios are ``Versioned``: a save that would overwrite somebody else's newer version, or
create a name somebody else just created, is refused with a ``ConflictError`` saying so, and
every save is audited.

The stored parameters are plain JSON with English keys and codes, so a scenario saved today
still loads after the default standards change: a standard equal to today's default takes the
default's basis again, any other value is marked "set by the manager". Reading checks every
value and names the one that is wrong.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.demand import (
    DEFAULT_ACTIVITY_STANDARDS,
    SET_BY_MANAGER,
    Activity,
    ActivityStandard,
    CoreGroup,
    ScenarioParameters,
)
from pcenter_lib.domain.staffing import StaffCategory
from pcenter_lib.domain.workload import ScenarioResult
from pcenter_lib.errors import ConflictError, NotFoundError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import StaffingScenario, utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.staffing import current_center
from pcenter_lib.services.users import load_actor
from pcenter_lib.transactions import StaleRecordError

SCENARIO_NAME_MAX: Final = 120  # StaffingScenario.name

_NUMBERS: Final = (
    "requests_change_percent",
    "extra_auxiliary_posts",
    "hours_per_day",
    "leave_days",
    "sick_days",
    "training_days",
)
_WHOLE_NUMBERS: Final = (
    "new_district_schools",
    "new_district_children",
    "duty_line_posts",
    "information_campaigns",
)
E = TypeVar("E", CoreGroup, StaffCategory, Activity)


def parameters_to_json(parameters: ScenarioParameters) -> dict[str, Any]:
    """The parameters as JSON-ready data (codes, not labels)."""
    data: dict[str, Any] = {name: getattr(parameters, name) for name in _NUMBERS + _WHOLE_NUMBERS}
    data["standards"] = [
        {"group": r.group.value, "activity": r.activity.value, "hours_per_unit": r.hours_per_unit}
        for r in parameters.standards
    ]
    data["category_allowance_percent"] = {
        g.value: v for g, v in parameters.category_allowance_percent.items()
    }
    data["individual_allowance_hours"] = {
        g.value: v for g, v in parameters.individual_allowance_hours.items()
    }
    data["salary_rates"] = {c.value: v for c, v in parameters.salary_rates.items()}
    return data


def _bad(name: str, value: object) -> ValidationError:
    return ValidationError(
        N_("The saved scenario has an invalid value for {name}: {value!r}."),
        name=name,
        value=value,
    )


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(name, value)
    return float(value)


def _whole(name: str, value: object) -> int:
    number = _number(name, value)
    if not number.is_integer():
        raise _bad(name, value)
    return int(number)


def _code(kind: Callable[[str], E], name: str, value: object) -> E:
    try:
        return kind(str(value))
    except ValueError:
        raise _bad(name, value) from None


def _mapping(kind: Callable[[str], E], name: str, value: object) -> dict[E, float]:
    if not isinstance(value, Mapping):
        raise _bad(name, value)
    return {_code(kind, name, k): _number(f"{name}[{k}]", v) for k, v in value.items()}


def parameters_from_json(data: object) -> ScenarioParameters:
    """Parameters from stored JSON; missing keys take their defaults, bad values are refused."""
    if not isinstance(data, Mapping):
        raise _bad("parameters", data)
    values: dict[str, Any] = {}
    for name in _NUMBERS:
        if name in data:
            values[name] = _number(name, data[name])
    for name in _WHOLE_NUMBERS:
        if name in data:
            values[name] = _whole(name, data[name])
    if "standards" in data:
        values["standards"] = _standards(data["standards"])
    for name, kind in (
        ("category_allowance_percent", CoreGroup),
        ("individual_allowance_hours", CoreGroup),
        ("salary_rates", StaffCategory),
    ):
        if name in data:
            values[name] = _mapping(kind, name, data[name])
    return ScenarioParameters(**values)


def _standards(value: object) -> tuple[ActivityStandard, ...]:
    if not isinstance(value, list):
        raise _bad("standards", value)
    defaults = {(r.group, r.activity): r for r in DEFAULT_ACTIVITY_STANDARDS}
    rows: list[ActivityStandard] = []
    for index, item in enumerate(value):
        name = f"standards[{index}]"
        if not isinstance(item, Mapping):
            raise _bad(name, item)
        group = _code(CoreGroup, f"{name}.group", item.get("group"))
        activity = _code(Activity, f"{name}.activity", item.get("activity"))
        hours = _number(f"{name}.hours_per_unit", item.get("hours_per_unit"))
        default = defaults.get((group, activity))
        if default is not None and default.hours_per_unit == hours:
            rows.append(default)
        else:
            rows.append(ActivityStandard(group, activity, hours, SET_BY_MANAGER))
    return tuple(rows)


@dataclass(frozen=True)
class SavedScenario:
    """A stored scenario: its parameters, who saved it and the version to save over."""

    id: int
    name: str
    version: int
    created_by: str
    created_at: datetime
    parameters: ScenarioParameters
    summary: Mapping[str, Any]


def summarize_result(result: ScenarioResult, baseline_year: int) -> dict[str, Any]:
    """What a saved scenario records of its result, for the list and the audit trail."""
    return {
        "baseline_year": baseline_year,
        "compliant": result.compliant,
        "total": result.total_recommended,
        "by_category": {c.value: result.recommended(c) for c in StaffCategory},
        "required": {need.group.value: need.required for need in result.needs},
        "annual_cost": result.annual_cost,
    }


def _check_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean or len(clean) > SCENARIO_NAME_MAX:
        raise ValidationError(
            N_("A scenario name must be 1 to {limit} characters; {value!r} was given."),
            limit=SCENARIO_NAME_MAX,
            value=name,
        )
    return clean


def _view(row: StaffingScenario) -> SavedScenario:
    return SavedScenario(
        id=row.id,
        name=row.name,
        version=row.version,
        created_by=row.created_by,
        created_at=row.created_at,
        parameters=parameters_from_json(row.parameters),
        summary=dict(row.result or {}),
    )


def save_scenario(
    session: Session,
    *,
    actor: str,
    name: str,
    result: ScenarioResult,
    baseline_year: int,
    expected_version: int | None = None,
) -> SavedScenario:
    """Save a named scenario; ``expected_version`` is the version the person last loaded.

    ``None`` creates a new scenario: refused if the name exists. A number saves over that
    version: refused if somebody saved a newer one meanwhile (also when both save at the same
    moment, detected by the database). Either refusal is a ``ConflictError`` naming who saved.
    """
    require(load_actor(session, actor), UseCase.PLAN_STAFFING)
    clean = _check_name(name)
    center = current_center(session)
    parameters = parameters_to_json(result.parameters)
    # Who saved and when is part of the record, so every save is a new version, even unchanged.
    summary = {
        **summarize_result(result, baseline_year),
        "saved_by": actor,
        "saved_at": utcnow().isoformat(),
    }
    row = session.scalar(
        select(StaffingScenario).where(
            StaffingScenario.center_id == center.id, StaffingScenario.name == clean
        )
    )
    try:
        if row is None:
            if expected_version is not None:
                raise _conflict_gone(clean)
            row = StaffingScenario(
                center_id=center.id,
                name=clean,
                created_by=actor,
                parameters=parameters,
                result=summary,
            )
            session.add(row)
        elif expected_version is None or row.version != expected_version:
            raise _conflict_newer(row)
        else:
            row.parameters = parameters
            row.result = summary
        session.flush()
    except IntegrityError:
        raise ConflictError(
            N_(
                "Somebody else saved a scenario named {name} at the same moment; "
                "load it and save again."
            ),
            name=clean,
        ) from None
    except StaleRecordError:
        raise ConflictError(
            N_(
                "Somebody else changed scenario {name} while you were saving; "
                "load it again to see their version."
            ),
            name=clean,
        ) from None
    record_event(
        session,
        actor=actor,
        action="save_scenario",
        entity="staffing_scenario",
        entity_id=row.id,
        details={"name": clean, "version": row.version, "summary": summary},
    )
    return _view(row)


def _conflict_newer(row: StaffingScenario) -> ConflictError:
    last_saved_by = (row.result or {}).get("saved_by")
    return ConflictError(
        N_(
            "Scenario {name} is already saved (version {version}, last saved by {user}); "
            "load it to see that version, or save yours under another name."
        ),
        name=row.name,
        user=last_saved_by or row.created_by,
        version=row.version,
    )


def _conflict_gone(name: str) -> ConflictError:
    return ConflictError(N_("Scenario {name} no longer exists; save it again."), name=name)


def list_scenarios(session: Session, *, actor: str) -> list[SavedScenario]:
    """The Center's saved scenarios, by name."""
    require(load_actor(session, actor), UseCase.PLAN_STAFFING)
    center = current_center(session)
    rows = session.scalars(
        select(StaffingScenario)
        .where(StaffingScenario.center_id == center.id)
        .order_by(StaffingScenario.name)
    )
    return [_view(row) for row in rows]


def load_scenario(session: Session, *, actor: str, name: str) -> SavedScenario:
    """One saved scenario by name, with the version to save over."""
    require(load_actor(session, actor), UseCase.PLAN_STAFFING)
    center = current_center(session)
    row = session.scalar(
        select(StaffingScenario).where(
            StaffingScenario.center_id == center.id, StaffingScenario.name == _check_name(name)
        )
    )
    if row is None:
        raise NotFoundError(N_("There is no scenario named {name}."), name=name)
    return _view(row)
