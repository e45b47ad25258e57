"""The deployment's configuration files say what docs/deployment.md promises.

The files are loaded the way JupyterHub and the Jupyter server load them (traitlets'
``PyFileConfigLoader``) under the environment of each documented switch. Runs in
``make deploy-test`` (which installs JupyterHub); skipped where JupyterHub is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

pytest.importorskip("jupyterhub")
pytest.importorskip("nativeauthenticator")

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
APP_URL = "postgresql+psycopg://pcenter_app:x@127.0.0.1/pcenter"
OWNER_URL = "postgresql+psycopg://pcenter_owner:y@127.0.0.1/pcenter"


@pytest.fixture
def site_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for name in ("PCENTER_HUB_AUTH", "PCENTER_HUB_SPAWNER", "PCENTER_HUB_ADMIN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PCENTER_DATABASE_URL", APP_URL)
    monkeypatch.setenv("PCENTER_OWNER_DATABASE_URL", OWNER_URL)
    monkeypatch.setenv("PCENTER_SECRET_KEY_FILE", "/etc/pcenter/secret.key")
    yield monkeypatch


def hub_config() -> Config:
    return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


def test_production_defaults_native_sign_in_systemd_limits_and_culler(
    site_env: pytest.MonkeyPatch,
) -> None:
    site_env.setenv("PCENTER_HUB_ADMIN", "hubadmin")
    config = hub_config()
    assert config.JupyterHub.authenticator_class == "nativeauthenticator.NativeAuthenticator"
    assert config.NativeAuthenticator.open_signup is False
    assert config.Authenticator.admin_users == {"hubadmin"}
    assert config.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert config.SystemdSpawner.dynamic_users is True
    assert config.Spawner.mem_limit == "1.5G" and config.Spawner.cpu_limit == 1.0
    assert config.JupyterHub.bind_url.startswith("http://127.0.0.1:")  # nginx is the way in
    culler = config.JupyterHub.services[0]
    assert culler["name"] == "idle-culler" and "--timeout=3600" in culler["command"]
    role = config.JupyterHub.load_roles[0]
    assert role["services"] == ["idle-culler"] and "delete:servers" in role["scopes"]
    assert "access:servers" not in role["scopes"]


def test_the_apps_get_the_application_role_never_the_owner(site_env: pytest.MonkeyPatch) -> None:
    environment = hub_config().Spawner.environment
    assert environment["PCENTER_DATABASE_URL"] == APP_URL
    assert OWNER_URL not in environment.values()
    assert "PCENTER_OWNER_DATABASE_URL" not in environment
    assert environment["PCENTER_DEMO"] == "off"
    assert environment["JUPYTER_CONFIG_PATH"] == str(DEPLOY / "singleuser")


@pytest.mark.parametrize(
    ("auth", "authenticator"),
    [
        ("ldap", "ldapauthenticator.LDAPAuthenticator"),
        ("oauth", "oauthenticator.generic.GenericOAuthenticator"),
    ],
)
def test_a_directory_can_replace_native_sign_in(
    site_env: pytest.MonkeyPatch, auth: str, authenticator: str
) -> None:
    site_env.setenv("PCENTER_HUB_AUTH", auth)
    assert hub_config().JupyterHub.authenticator_class == authenticator


@pytest.mark.parametrize(
    ("spawner", "spawner_class"),
    [
        ("local", "jupyterhub.spawner.LocalProcessSpawner"),
        ("simple", "jupyterhub.spawner.SimpleLocalProcessSpawner"),
    ],
)
def test_spawner_switch(site_env: pytest.MonkeyPatch, spawner: str, spawner_class: str) -> None:
    site_env.setenv("PCENTER_HUB_SPAWNER", spawner)
    assert hub_config().JupyterHub.spawner_class == spawner_class


@pytest.mark.parametrize(("name", "value"), [("PCENTER_HUB_AUTH", "pam"), ("PCENTER_HUB_SPAWNER", "docker")])
def test_an_unknown_switch_stops_the_hub_with_a_clear_error(
    site_env: pytest.MonkeyPatch, name: str, value: str
) -> None:
    site_env.setenv(name, value)
    with pytest.raises(ValueError, match=value):
        hub_config()


def test_single_user_servers_serve_apps_only() -> None:
    config = PyFileConfigLoader(
        "jupyter_server_config.py", path=str(DEPLOY / "singleuser")
    ).load_config()
    assert config.MappingKernelManager.allowed_message_types == [
        "comm_open", "comm_close", "comm_msg", "comm_info_request", "kernel_info_request",
        "shutdown_request",
    ]
    assert "execute_request" not in config.MappingKernelManager.allowed_message_types
    assert config.ServerApp.contents_manager_class == "pcenter_server.hub.ReadOnlyContentsManager"
    assert config.ServerApp.kernel_manager_class == "pcenter_server.kernels.BoundedKernelManager"
    extensions = config.ServerApp.jpserver_extensions
    assert extensions["voila"] is True
    assert not any(on for name, on in extensions.items() if name != "voila")
    assert config.ServerApp.terminals_enabled is False
    assert config.VoilaConfiguration.http_header_envs == []
    culling = config.MappingKernelManager
    assert culling.cull_connected is False and culling.cull_idle_timeout <= 120
