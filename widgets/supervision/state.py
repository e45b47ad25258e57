"""What the supervision app's panels share: the child, the session and the record in hand."""

from __future__ import annotations

import traitlets

from widgets.kit import AppState


class SupervisionState(AppState):
    """Panels set these; the others watch them (the case file follows the child picked)."""

    child_id = traitlets.Int(None, allow_none=True)
    session_id = traitlets.Int(None, allow_none=True)
    record_id = traitlets.Int(None, allow_none=True)
    changed = traitlets.Int(0)  # raised after every save, so lists reload
