"""Server-side pieces: who may be evicted, who asked for a page, and a read-only apps folder."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from tornado import web

from pcenter_server.hub import ReadOnlyContentsManager
from pcenter_server.kernels import evictable_kernels, with_requesting_user

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
GRACE = timedelta(seconds=20)


def test_only_disconnected_kernels_idle_past_the_grace_may_go_oldest_first() -> None:
    activity = {
        "open-page": NOW - timedelta(hours=2),  # connected: a person is looking at it
        "rendering": NOW - timedelta(seconds=3),  # no connection yet, but busy right now
        "crashed-old": NOW - timedelta(minutes=30),
        "crashed-new": NOW - timedelta(minutes=1),
    }
    connections = {"open-page": 1, "rendering": 0, "crashed-old": 0, "crashed-new": 0}
    assert evictable_kernels(activity, connections, now=NOW, grace=GRACE) == [
        "crashed-old", "crashed-new"
    ]


def test_the_requester_comes_from_the_servers_authentication_only() -> None:
    handler = SimpleNamespace(current_user=SimpleNamespace(username="analyst1"))
    forged = {"PCENTER_REQUEST_USER": "supervisor1", "QUERY_STRING": "x=1"}
    assert with_requesting_user(forged, handler)["PCENTER_REQUEST_USER"] == "analyst1"
    without_user = with_requesting_user(forged, SimpleNamespace(current_user=None))
    assert "PCENTER_REQUEST_USER" not in without_user  # an inherited value never survives
    assert without_user["QUERY_STRING"] == "x=1"


@pytest.mark.parametrize(
    "attempt",
    [
        lambda m: m.save({"type": "file", "format": "text", "content": "x"}, "evil.ipynb"),
        lambda m: m.delete_file("index.ipynb"),
        lambda m: m.rename_file("index.ipynb", "gone.ipynb"),
        lambda m: m.create_checkpoint("index.ipynb"),
    ],
)
def test_the_apps_folder_cannot_be_written_through_the_contents_api(
    tmp_path: Path, attempt: object
) -> None:
    (tmp_path / "index.ipynb").write_text("{}", encoding="utf-8")
    manager = ReadOnlyContentsManager(root_dir=str(tmp_path))
    with pytest.raises(web.HTTPError) as refused, ThreadPoolExecutor(1) as own_loop_thread:
        # its own thread and event loop: another test may have left a loop running in this one
        own_loop_thread.submit(asyncio.run, attempt(manager)).result()  # type: ignore[operator]
    assert refused.value.status_code == 403
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.ipynb"]
