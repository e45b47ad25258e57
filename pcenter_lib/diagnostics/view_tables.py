"""The tables of the diagnostics views, built once for the screen and for the exports.

A ``ViewChoice`` is what the methodologist chose (instrument, scale, top bands, filters);
``build_view`` turns the results frame into one view's ``ViewTable``: rows named in the reader's
language, figure columns with their headers. The app shows the exact figures (the data stay in
the Center); ``services.screening_exports`` suppresses small cells of the same tables before
anything leaves (Rule 14).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final

import pandas as pd

from pcenter_lib.diagnostics import views
from pcenter_lib.diagnostics.instruments import Instrument, get_instrument
from pcenter_lib.diagnostics.periods import quarter_label
from pcenter_lib.diagnostics.views import ResultFilter
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_, Translator, localized_name

VIEW_TITLES: Final[dict[str, str]] = {
    "prevalence": N_("Band prevalence"),
    "distribution": N_("Distribution"),
    "comparison": N_("Comparison of schools"),
    "trend": N_("Trend"),
    "ranking": N_("Ranking"),
}
SHARE_VIEWS: Final = ("prevalence", "comparison", "trend")  # views drawn as shares with CIs
COLUMN_LABELS: Final[dict[str, str]] = {
    "count": N_("Children"),
    "n": N_("Of"),
    "share": N_("Share"),
    "ci_low": N_("95% CI from"),
    "ci_high": N_("95% CI to"),
    "shrunk_share": N_("Adjusted share"),
    "rank": N_("Rank"),
    "standing": N_("Compared with the region"),
}
SELECTION_LABEL: Final = N_("All schools of the selection")
REGION_LABEL: Final = N_("Region")
CHART_SCHOOLS: Final = 30  # schools drawn in the comparison chart; the table lists all


@dataclass(frozen=True)
class ViewChoice:
    """What the methodologist chose; ``selection`` holds every filter, place included."""

    instrument: str
    scale: str
    top_bands: tuple[str, ...]
    selection: ResultFilter = field(default_factory=ResultFilter)

    @property
    def definition(self) -> Instrument:
        return get_instrument(self.instrument)

    def region(self) -> ResultFilter:
        """The same filter without district and school: the region to compare with."""
        return replace(self.selection, district_ids=(), school_ids=())


@dataclass(frozen=True)
class ViewTable:
    """One view: rows named for the reader, figure columns, and whether it is drawn as shares."""

    key: str
    title: str
    first: str  # header of the column that names the rows
    frame: pd.DataFrame  # index: row names; columns: codes of COLUMN_LABELS (or "count")
    headers: Mapping[str, str]  # column code → header in the reader's language
    kind: str  # "bands" (suppressed as one row of counts) or "groups" (count of n per row)
    chart_rows: int | None = None  # rows drawn in a chart (None: all)

    @property
    def shares(self) -> bool:
        return "share" in self.frame.columns


def school_names(schools: pd.DataFrame, lang: str) -> dict[int, str]:
    """School id → name in ``lang`` (the data has Kazakh and Russian names)."""
    rows = zip(schools["school_id"], schools["name_kk"], schools["name_ru"], strict=True)
    return {int(sid): localized_name({"kk": kk, "ru": ru}, lang) for sid, kk, ru in rows}


def district_names(schools: pd.DataFrame, lang: str) -> dict[int, str]:
    """District id → name in ``lang`` (English names where the data has them)."""
    unique = schools.drop_duplicates("district_id")
    rows = zip(
        unique["district_id"],
        unique["district_kk"],
        unique["district_ru"],
        unique["district_en"],
        strict=True,
    )
    return {
        int(did): localized_name({"kk": kk, "ru": ru, "en": en}, lang) for did, kk, ru, en in rows
    }


def band_label(definition: Instrument, code: object, lang: str) -> str:
    return definition.band_labels.get(str(code), {}).get(lang, str(code))


def build_view(
    key: str, results: pd.DataFrame, schools: pd.DataFrame, choice: ViewChoice, t: Translator
) -> ViewTable:
    """The table of view ``key`` for the results under ``choice``, named in ``t``'s language."""
    builders = {
        "prevalence": _prevalence,
        "distribution": _distribution,
        "comparison": _comparison,
        "trend": _trend,
        "ranking": _ranking,
    }
    if key not in builders:
        raise ValidationError(
            N_("Unknown view {view!r}; views: {known}."), view=key, known=", ".join(builders)
        )
    return builders[key](results, schools, choice, t)


def _selected(results: pd.DataFrame, choice: ViewChoice) -> pd.DataFrame:
    return views.filter_results(results, choice.selection)


def _headers(t: Translator, columns: Sequence[str]) -> dict[str, str]:
    return {column: t(COLUMN_LABELS[column]) for column in columns}


def _prevalence(
    results: pd.DataFrame, schools: pd.DataFrame, choice: ViewChoice, t: Translator
) -> ViewTable:
    table = views.band_prevalence(_selected(results, choice), choice.scale)
    definition = choice.definition
    table.index = pd.Index([band_label(definition, b, t.lang) for b in table.index])
    columns = ["count", "n", "share", "ci_low", "ci_high"]
    return ViewTable(
        "prevalence", t(VIEW_TITLES["prevalence"]), t("Band"), table[columns],
        _headers(t, columns), "bands",
    )  # fmt: skip


def _distribution(
    results: pd.DataFrame, schools: pd.DataFrame, choice: ViewChoice, t: Translator
) -> ViewTable:
    scale = choice.definition.scale(choice.scale)
    counts = views.score_distribution(
        _selected(results, choice), choice.scale, scale.low, scale.high
    )
    table = counts.to_frame("count")
    table.index = pd.Index([str(score) for score in table.index])
    return ViewTable(
        "distribution", t(VIEW_TITLES["distribution"]), t("Score"), table,
        {"count": t("Children")}, "bands",
    )  # fmt: skip


def _comparison(
    results: pd.DataFrame, schools: pd.DataFrame, choice: ViewChoice, t: Translator
) -> ViewTable:
    """Each school of the selection, highest share first, then the selection and the region."""
    selected = _selected(results, choice)
    region = views.filter_results(results, choice.region())
    table = views.compare_schools(selected, region, scale=choice.scale, top_bands=choice.top_bands)
    names = school_names(schools, t.lang)
    totals = {"selection": t(SELECTION_LABEL), "region": t(REGION_LABEL)}
    table.index = pd.Index(
        [totals[str(i)] if str(i) in totals else names.get(int(i), str(i)) for i in table.index]
    )
    columns = ["count", "n", "share", "ci_low", "ci_high"]
    schools_shown = len(table) - len(totals)
    return ViewTable(
        "comparison", t(VIEW_TITLES["comparison"]), t("School"), table[columns],
        _headers(t, columns), "groups", chart_rows=min(schools_shown, CHART_SCHOOLS),
    )  # fmt: skip


def _trend(
    results: pd.DataFrame, schools: pd.DataFrame, choice: ViewChoice, t: Translator
) -> ViewTable:
    table = views.quarter_trend(
        _selected(results, choice), scale=choice.scale, top_bands=choice.top_bands
    )
    table.index = pd.Index([quarter_label(str(p), t.lang) for p in table.index])
    columns = ["count", "n", "share", "ci_low", "ci_high"]
    return ViewTable(
        "trend", t(VIEW_TITLES["trend"]), t("Quarter"), table[columns], _headers(t, columns),
        "groups",
    )  # fmt: skip


def _ranking(
    results: pd.DataFrame, schools: pd.DataFrame, choice: ViewChoice, t: Translator
) -> ViewTable:
    selected = _selected(results, choice)
    columns = ["rank", "count", "n", "share", "ci_low", "ci_high", "shrunk_share", "standing"]
    if selected.empty:
        table = pd.DataFrame(columns=columns)
    else:
        ranked = views.rank_schools(selected, scale=choice.scale, top_bands=choice.top_bands)
        names = school_names(schools, t.lang)
        ranked.index = pd.Index([names.get(int(s), str(s)) for s in ranked.index])
        ranked["standing"] = [t(views.STANDING_LABELS[str(s)]) for s in ranked["standing"]]
        table = ranked[columns].copy()
        table.attrs["region_share"] = ranked.attrs["region_share"]
    return ViewTable(
        "ranking", t(VIEW_TITLES["ranking"]), t("School"), table, _headers(t, columns), "groups"
    )
