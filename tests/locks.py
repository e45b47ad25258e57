"""Another connection holding SQLite's single writer lock, as a long save by somebody else does."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from pcenter_lib.workbench import Workbench


@contextmanager
def writer_lock_held(bench: Workbench, seconds: float) -> Iterator[None]:
    """Another connection takes the writer lock and keeps it for ``seconds``."""
    path = str(bench.engine.url.database)
    taken = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE users SET lang = lang")
            taken.set()
            time.sleep(seconds)
            other.execute("ROLLBACK")
        finally:
            other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(10)
    try:
        yield
    finally:
        thread.join()
