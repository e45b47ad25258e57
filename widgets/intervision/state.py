"""What the intervision panels share: the directory, the chosen session, and a change counter.

One panel plans a session or saves a part of it and sets ``session_id`` or raises ``changed``;
the others observe these traits and show the session again, at the version just saved.
"""

from __future__ import annotations

import traitlets

from pcenter_lib.i18n import localized_name
from pcenter_lib.services.intervision_sessions import Directory
from widgets.kit import AppState


class IntervisionState(AppState):
    """The chosen session (``None``: none yet) and a counter every saved change raises."""

    session_id = traitlets.Int(None, allow_none=True)
    changed = traitlets.Int(0)

    def __init__(self, directory: Directory, cases: list[tuple[int, str, str]]) -> None:
        super().__init__()
        self.directory = directory
        self.cases = cases

    def touch(self) -> None:
        """Tell every panel that something was saved."""
        self.changed += 1

    def school_options(self, lang: str) -> list[tuple[str, int]]:
        return [
            (localized_name({"kk": kk, "ru": ru}, lang), sid)
            for sid, kk, ru in self.directory.schools
        ]

    def school_name(self, school_id: int | None, lang: str) -> str:
        for sid, kk, ru in self.directory.schools:
            if sid == school_id:
                return localized_name({"kk": kk, "ru": ru}, lang)
        return ""
