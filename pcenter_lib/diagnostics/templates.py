"""The upload a school fills in: its columns, and a downloadable template per instrument (kk/ru).

A row is one child's answer sheet: who (an anonymous school student code, or the IIN when the
school provides it — it is hashed on arrival and never stored in clear), grade, age, sex and
the answers ``item_1`` … ``item_n``. Headers are written as ``<label> [<code>]`` in the
template's language (``Сынып [grade]``); the importer accepts the code alone, the bracketed
form, or the label in Kazakh, Russian or English, so a school may retype headers in its
language. The XLSX template has a second sheet explaining every column, with item texts only
where the instrument's licence allows them (not for the SDQ).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Final, Literal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from pcenter_lib.diagnostics.instruments import Instrument
from pcenter_lib.i18n import N_, SUPPORTED_LANGUAGES, Translator
from pcenter_lib.spreadsheets import append_row, write_csv

TemplateKind = Literal["xlsx", "csv"]
AGE_RANGE: Final = (5, 21)  # pre-school class to the end of college (Center setting)
GRADE_RANGE: Final = (0, 12)  # grade 0 (pre-school class) to 12
CODE_MAX_LENGTH: Final = 40  # ScreeningResult.student_code
# ``[item_1]``, or ``[phq9.item_1]``: an answer column names its instrument, so that a file made
# from another instrument's template is recognised however alike the two look.
BRACKETED: Final = re.compile(r"\[\s*(?:([A-Za-z0-9_]+)\.)?([A-Za-z0-9_]+)\s*\]\s*\Z")

# Words accepted for sex, compared case-insensitively; the template shows the first pair.
SEX_WORDS: Final[dict[str, str]] = {
    **dict.fromkeys(("male", "m", "boy", "м", "муж", "мужской", "мальчик", "ұл", "ер"), "male"),
    **dict.fromkeys(
        ("female", "f", "girl", "ж", "жен", "женский", "девочка", "қыз", "әйел"), "female"
    ),
}
SEX_SHOWN: Final[dict[str, tuple[str, str]]] = {
    "kk": ("ұл", "қыз"),
    "ru": ("м", "ж"),
    "en": ("male", "female"),
}


@dataclass(frozen=True)
class UploadColumn:
    """One column of the upload: code, label (msgid), whether it must be filled, allowed values."""

    code: str
    label: str
    hint: str
    required: bool
    number: int | None = None
    instrument: str | None = None  # answer columns carry their instrument's code

    @property
    def tag(self) -> str:
        """The code written in brackets: ``phq9.item_1`` for an answer, ``age`` otherwise."""
        return f"{self.instrument}.{self.code}" if self.instrument else self.code

    def label_in(self, lang: str) -> str:
        t = Translator(lang)
        return t(self.label, number=self.number) if self.number is not None else t(self.label)

    def header(self, lang: str) -> str:
        """What the template writes: ``<label> [<tag>]``."""
        return f"{self.label_in(lang)} [{self.tag}]"

    def accepted_names(self) -> set[str]:
        """Header texts (normalised) that mean this column (older templates without the tag too)."""
        names = {self.code, self.tag}
        for lang in SUPPORTED_LANGUAGES:
            names.add(self.label_in(lang))
            names.add(self.header(lang))
            names.add(f"{self.label_in(lang)} [{self.code}]")
        return {normalise_header(name) for name in names}


def normalise_header(text: str) -> str:
    """Header text compared without case, extra spaces or a byte-order mark."""
    return " ".join(str(text).replace("\ufeff", "").split()).casefold()


IDENTITY_COLUMNS: Final = (
    UploadColumn(
        "student_code",
        N_("Student code"),
        N_("The school's code for the student (no names); needed when no IIN is given."),
        required=False,
    ),
    UploadColumn(
        "iin",
        N_("IIN"),
        N_("12 digits, optional; hashed on arrival and never stored in clear."),
        required=False,
    ),
    UploadColumn(
        "grade", N_("Grade"), N_("A whole number from 0 to 12, or empty."), required=False
    ),
    UploadColumn(
        "age", N_("Age (full years)"), N_("A whole number of years from 5 to 21."), required=True
    ),
    UploadColumn("sex", N_("Sex"), N_("male or female (м / ж, ұл / қыз)."), required=True),
)


def upload_columns(instrument: Instrument) -> list[UploadColumn]:
    """Every column of an upload for ``instrument``, in template order."""
    items = [
        UploadColumn(
            item.id,
            N_("Question {number}"),
            N_("One of {values}, or empty if not answered."),
            required=False,
            number=number,
            instrument=instrument.code,
        )
        for number, item in enumerate(instrument.items, start=1)
    ]
    return [*IDENTITY_COLUMNS, *items]


def template_filename(instrument: Instrument, lang: str, kind: TemplateKind) -> str:
    return f"{instrument.code}_{lang}_template.{kind}"


def build_template(instrument: Instrument, *, lang: str, kind: TemplateKind) -> bytes:
    """The template file's bytes: CSV (UTF-8 with BOM, so Excel reads Cyrillic) or XLSX."""
    columns = upload_columns(instrument)
    if kind == "csv":
        return write_csv([[c.header(lang) for c in columns]])
    return _xlsx_template(instrument, columns, lang)


def _xlsx_template(instrument: Instrument, columns: list[UploadColumn], lang: str) -> bytes:
    t = Translator(lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("Results")[:31]
    append_row(sheet, [c.header(lang) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for position, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=position).column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.header(lang)) + 2)
        if column.code in {"iin", "student_code"}:
            # the whole column is text, so an IIN keeps its leading zeros in every row typed
            # (a column style, ECMA-376 Part 1, 18.3.1.13 ``col@style``): no empty rows to write
            sheet.column_dimensions[letter].number_format = "@"
        choices = _choices(instrument, column, lang)
        if choices:
            rule = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
            rule.add(f"{letter}2:{letter}100000")
            sheet.add_data_validation(rule)
    guide = book.create_sheet(t("Instructions")[:31])
    append_row(guide, [instrument.name.get(lang, instrument.name["en"]), instrument.version])
    append_row(guide, [t("One row per child. Do not write names. Keep the first row as it is.")])
    if not instrument.item_text_allowed:
        append_row(guide, [t("The licence of this instrument does not allow its questions here.")])
    append_row(guide, [])
    append_row(guide, [t("Column"), t("Required"), t("What to write"), t("Question")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    items = {item.id: item for item in instrument.items}
    for column in columns:
        item = items.get(column.code)
        values = ", ".join(map(str, item.values)) if item else ""
        text = ""
        if item is not None and instrument.item_text_allowed:
            text = item.text.get(lang) or item.text.get("en", "")
        append_row(guide,
            [
                column.header(lang),
                t("yes") if column.required else t("no"),
                t(column.hint, values=values) if item else t(column.hint),
                text,
            ]
        )
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["C"].width = 60
    guide.column_dimensions["D"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _choices(instrument: Instrument, column: UploadColumn, lang: str) -> list[str]:
    if column.code == "sex":
        return list(SEX_SHOWN.get(lang, SEX_SHOWN["en"]))
    for item in instrument.items:
        if item.id == column.code:
            return [str(value) for value in item.values]
    return []
