"""What the reports app's panels share: how many reports were written, so the register redraws."""

from __future__ import annotations

import traitlets

from widgets.kit import AppState


class ReportsState(AppState):
    """``written`` rises each time a panel registers a report; the register watches it."""

    written = traitlets.Int(0)
