"""A save that meets a busy database: the intake app waits and repeats it, the person sees none of it.

The attack: another person's long save holds SQLite's single writer lock past the busy timeout
while an operator registers a request or a specialist records a notification. Before, the
operator read "busy, try again" and the request was not registered; now the unit of work is
repeated after a pause (``run_in_transaction``) and saved exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select

from pcenter_lib.models import Notification, Request
from tests.intake.world import IntakeWorld
from tests.locks import writer_lock_held
from tests.widgets.conftest import open_intake_app as open_app
from tests.widgets.test_intake_widgets import count, fill_form
from widgets.intake.threat import DirectThreatPanel

LOCK_SECONDS = 0.6  # longer than the short busy timeout below, shorter than the retry pauses


@pytest.fixture
def impatient(world: IntakeWorld) -> Iterator[IntakeWorld]:
    """The app's connections wait only 50 ms for the lock (10 s in production), so a lock of
    0.6 s makes a save fail with "database is locked" unless it is repeated."""

    def short_wait(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout = 50")

    event.listen(world.bench.engine, "checkout", short_wait)
    yield world
    event.remove(world.bench.engine, "checkout", short_wait)


def test_a_registration_during_anothers_long_save_is_saved_once(impatient: IntakeWorld) -> None:
    app = open_app(impatient, "operator1", "ru")
    form = fill_form(app)
    with writer_lock_held(impatient.bench, LOCK_SECONDS):
        form.save_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert "2026/000001" in app.shell.banner.text
    assert count(impatient, Request) == 1


def test_a_notification_recorded_during_anothers_long_save_is_saved(
    impatient: IntakeWorld,
) -> None:
    done = impatient.register(impatient.draft(direct_threat=True))
    app = open_app(impatient, "specialist1", "kk")
    app.state.request_id = done.id
    row = app.panel(DirectThreatPanel).rows[0]
    row.channel.value = "phone"
    row.recipient.value = "Дежурная часть"
    with writer_lock_held(impatient.bench, LOCK_SECONDS):
        row.send_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    with impatient.bench.sessions() as session:
        sent = session.scalar(
            select(func.count()).select_from(Notification).where(Notification.sent_at.is_not(None))
        )
    assert sent == 1
