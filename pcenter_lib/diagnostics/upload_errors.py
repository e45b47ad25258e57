"""What an upload may be, and the refusal that lists every problem of a file (row-level).

``ImportRejectedError`` carries ``Problem``s (row, column, value, what is expected) that a person
reads in their language; nothing of a refused file is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from pcenter_lib.diagnostics.answer_sheets import Problem
from pcenter_lib.errors import PcenterError
from pcenter_lib.formats import FileSize
from pcenter_lib.i18n import N_, NP_, Translator, ngettext

STAGE_READING: Final = N_("Reading the file")
ProgressCallback = Callable[[float, str], None]


@dataclass(frozen=True)
class ImportLimits:
    """How large an upload may be (Center settings; a school's round is a few thousand rows)."""

    max_file_bytes: int = 100 * 2**20
    max_unpacked_bytes: int = 512 * 2**20
    max_rows: int = 1_048_575  # what one Excel sheet holds below its header
    max_problems: int = 500  # problems listed; the count covers all


DEFAULT_LIMITS: Final = ImportLimits()


REJECTED: Final = NP_(
    "The file was not imported: {count} problem was found. Nothing was written; correct the "
    "file and upload it again.",
    "The file was not imported: {count} problems were found. Nothing was written; correct the "
    "file and upload it again.",
)


class ImportRejectedError(PcenterError, ValueError):
    """The upload was refused; ``problems`` says where and why, and nothing was written."""

    def __init__(self, problems: list[Problem], *, total: int | None = None) -> None:
        self.problems = problems
        self.total = len(problems) if total is None else total
        super().__init__(REJECTED[1], count=self.total)
        self.args = (self.localized("en"),)

    def localized(self, lang: str) -> str:
        """The summary in ``lang``, the count in its plural form."""
        return ngettext(*REJECTED, self.total, lang).format(count=self.total)

    def report(self, lang: str) -> pd.DataFrame:
        """The problems as a table in ``lang``: row, column, value, what is expected."""
        t = Translator(lang)
        return pd.DataFrame(
            [problem.localized(lang) for problem in self.problems],
            columns=[t("Row"), t("Column"), t("Value"), t("What is expected")],
        )


def refuse(msgid: str, /, **params: Any) -> ImportRejectedError:
    return ImportRejectedError([Problem(None, None, None, msgid, params)])


def format_size(size: int) -> FileSize:
    """A size for a refusal's message: written in its reader's language when read
    (``Problem.localized``: ``1,5 МБ`` in kk and ru, ``1.5 MB`` in English)."""
    return FileSize(size)
