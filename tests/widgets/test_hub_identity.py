"""Under JupyterHub the app trusts the hub-confirmed name, and nothing a client can send.

``hub`` is a stand-in for JupyterHub's REST API on a free loopback port: ``GET /hub/api/user``
with ``Authorization: token <t>`` answers the owner of ``t`` the way JupyterHub does (the
real hub is exercised end to end by ``tests/deploy``). Each attack below is a way somebody could
try to become another person: a header, a query parameter, the variable alone without a hub,
a token of another user, a hub that is down.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pcenter_lib.workbench import Workbench
from widgets.hub_identity import confirmed_hub_user
from widgets.identity import identify_user
from widgets.shell import AppShell

TOKENS = {"token-of-analyst1": "analyst1", "token-of-stranger": "stranger"}


class _HubApi(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("token ")
        owner = TOKENS.get(token)
        if self.path != "/hub/api/user" or owner is None:
            self.send_response(403)
            self.end_headers()
            return
        body = json.dumps({"kind": "user", "name": owner, "scopes": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def hub_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HubApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hub/api"
    server.shutdown()
    server.server_close()


def hub_env(api: str, user: str, token: str, **extra: str) -> dict[str, str]:
    """A kernel's environment in ``user``'s server, for a page ``user`` asked for."""
    return {
        "JUPYTERHUB_USER": user,
        "JUPYTERHUB_API_TOKEN": token,
        "JUPYTERHUB_API_URL": api,
        "PCENTER_REQUEST_USER": user,
        **extra,
    }


def home_shell(workbench: Workbench, environ: dict[str, str]) -> AppShell:
    return AppShell(workbench, app_code="index", title="t", help_text="h", environ=environ)


def test_the_hub_confirmed_user_is_signed_in(production_workbench: Workbench, hub_api: str) -> None:
    sign_in = identify_user(production_workbench, hub_env(hub_api, "analyst1", "token-of-analyst1"))
    assert sign_in.user is not None and sign_in.user.username == "analyst1"
    assert not sign_in.demo_picker


def test_a_forwarded_user_header_cannot_replace_the_hub_user(
    production_workbench: Workbench, hub_api: str
) -> None:
    environ = hub_env(
        hub_api,
        "analyst1",
        "token-of-analyst1",
        HTTP_X_FORWARDED_USER="supervisor1",
        HTTP_JUPYTERHUB_USER="supervisor1",
    )
    sign_in = identify_user(production_workbench, environ)
    assert sign_in.user is not None and sign_in.user.username == "analyst1"


def test_a_query_parameter_cannot_replace_the_hub_user_nor_pick_a_demo_role(
    people_workbench: Workbench, hub_api: str
) -> None:
    query = "JUPYTERHUB_USER=supervisor1&demo_role=supervisor&lang=en"
    environ = hub_env(hub_api, "analyst1", "token-of-analyst1", QUERY_STRING=query)
    shell = home_shell(people_workbench, environ)  # demo mode on: still no role picker
    assert shell.actor == "analyst1" and not shell.demo
    assert shell.role_picker.layout.display == "none"


def test_the_name_without_a_hub_signs_nobody_in(production_workbench: Workbench) -> None:
    """``pcenter serve`` started where JUPYTERHUB_USER lingers: nobody is that person."""
    for environ in (
        {"JUPYTERHUB_USER": "supervisor1"},
        {"JUPYTERHUB_USER": "supervisor1", "JUPYTERHUB_API_TOKEN": "guess"},
        hub_env("http://127.0.0.1:9/hub/api", "supervisor1", "guess"),  # nothing listens there
        hub_env("file:///etc/passwd", "supervisor1", "guess"),
    ):
        sign_in = identify_user(production_workbench, environ)
        assert sign_in.user is None, environ
        assert sign_in.problem is not None and "JupyterHub" in sign_in.problem


def test_the_name_without_a_hub_signs_nobody_in_even_in_demo_mode(
    people_workbench: Workbench,
) -> None:
    environ = {"JUPYTERHUB_USER": "supervisor1", "QUERY_STRING": "demo_role=supervisor"}
    sign_in = identify_user(people_workbench, environ)
    assert sign_in.user is None and not sign_in.demo_picker


def test_a_token_of_another_user_is_refused(production_workbench: Workbench, hub_api: str) -> None:
    environ = hub_env(hub_api, "supervisor1", "token-of-analyst1")
    assert confirmed_hub_user(environ) is None
    assert identify_user(production_workbench, environ).user is None


def test_an_unknown_token_is_refused(hub_api: str) -> None:
    assert confirmed_hub_user(hub_env(hub_api, "analyst1", "forged")) is None


def test_a_hub_admin_opening_another_persons_server_sees_nothing(
    production_workbench: Workbench, hub_api: str
) -> None:
    """JupyterHub lets its admins open any server; the page must not let them act as its owner."""
    environ = hub_env(
        hub_api,
        "analyst1",
        "token-of-analyst1",
        PCENTER_REQUEST_USER="hubadmin",
        QUERY_STRING="lang=en",
    )
    shell = home_shell(production_workbench, environ)
    assert shell.user is None and not shell.allowed
    assert "belongs to the workspace of analyst1, but you are signed in as hubadmin" in (
        shell.body.children[0].value
    )


def test_a_page_without_the_servers_word_on_who_asked_shows_nothing(
    production_workbench: Workbench, hub_api: str
) -> None:
    environ = hub_env(hub_api, "analyst1", "token-of-analyst1")
    del environ["PCENTER_REQUEST_USER"]
    assert identify_user(production_workbench, environ).user is None


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("kk", "stranger пайдаланушысы жұмыс орнында тіркелмеген"),
        ("ru", "Пользователь stranger не зарегистрирован"),
        ("en", "The user stranger is not registered in the workbench"),
    ],
)
def test_a_hub_user_without_a_users_row_sees_a_clear_page(
    production_workbench: Workbench, hub_api: str, lang: str, expected: str
) -> None:
    environ = hub_env(hub_api, "stranger", "token-of-stranger", QUERY_STRING=f"lang={lang}")
    shell = home_shell(production_workbench, environ)
    shell.on_render(lambda: pytest.fail("nothing may be built for an unregistered user"))
    assert shell.user is None and not shell.allowed
    assert expected in shell.body.children[0].value


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("kk", "JupyterHub сіздің кім"), ("ru", "JupyterHub не подтвердил"), ("en", "JupyterHub did")],
)
def test_an_unconfirmed_hub_name_is_explained_in_the_page_language(
    production_workbench: Workbench, lang: str, expected: str
) -> None:
    environ = {"JUPYTERHUB_USER": "supervisor1", "QUERY_STRING": f"lang={lang}"}
    shell = home_shell(production_workbench, environ)
    assert shell.user is None
    assert expected in shell.body.children[0].value
