""""There is no request with id …" is said in one place: ``services.records.load``.

Each aggregate's not-found message lives in ``records.MISSING``; a service that loads a record
by id calls ``load`` rather than repeating the check and its words.
"""

from __future__ import annotations

from pathlib import Path

import pcenter_lib
from pcenter_lib.services.records import MISSING

LIBRARY = Path(pcenter_lib.__file__).parent


def test_every_not_found_message_is_written_only_in_records() -> None:
    elsewhere = [
        f"{path.relative_to(LIBRARY)}: {message}"
        for path in sorted(LIBRARY.rglob("*.py"))
        if path.name != "records.py"
        for message in MISSING.values()
        if f'"{message}"' in path.read_text(encoding="utf-8")
    ]
    assert elsewhere == []
