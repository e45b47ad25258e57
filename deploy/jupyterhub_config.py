# JupyterHub for a Psychological Support Center: every person signs in and gets their own
# single-user server of Voilà apps (deploy/singleuser/jupyter_server_config.py).
#
#   jupyterhub -f deploy/jupyterhub_config.py       (systemd: deploy/systemd/pcenter-hub.service)
#
# Everything a site changes is an environment variable (deploy/hub.env.example lists them):
#
# | variable                  | meaning                                                        | default |
# |---------------------------|----------------------------------------------------------------|---------|
# | PCENTER_HUB_BIND_URL      | where the hub's proxy listens; nginx (TLS) forwards to it      | http://127.0.0.1:8000 |
# | PCENTER_HUB_API_PORT      | the hub's internal API port on 127.0.0.1                       | 8081 |
# | PCENTER_HUB_PROXY_API_PORT| configurable-http-proxy's API port on 127.0.0.1                | 8001 |
# | PCENTER_HUB_STATE_DIR     | the hub's own database and cookie secret                       | /var/lib/pcenter-hub |
# | PCENTER_HUB_AUTH          | native (NativeAuthenticator), ldap or oauth                    | native |
# | PCENTER_HUB_ADMIN         | the hub account that authorizes sign-ups (native)              | (none) |
# | PCENTER_HUB_SPAWNER       | systemd (production), local (system accounts), simple (tests)  | systemd |
# | PCENTER_HUB_MEM_LIMIT     | memory cap of one person's server and its kernels              | 1.5G |
# | PCENTER_HUB_CPU_LIMIT     | CPU cap of one person's server (cores)                         | 1.0 |
# | PCENTER_HUB_IDLE_TIMEOUT  | seconds without activity before the culler stops a server      | 3600 |
# | PCENTER_MAX_KERNELS       | app pages one person may have open at once                     | 6 |
# | PCENTER_DATABASE_URL, PCENTER_SECRET_KEY_FILE, PCENTER_LANG: handed to the apps (the
# |                             application database role, never the owner role)              |
#
# Identity: each person's server runs with JUPYTERHUB_USER set by the hub; the apps confirm it
# with the hub's API and look the person up in the workbench's own `users` table (roles live
# there, `pcenter users add`). A hub account without a `users` row sees a page saying so.
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub's config loader)

DEPLOY = Path(__file__).resolve().parent
PROJECT_ROOT = DEPLOY.parent
BIN = Path(sys.executable).parent
env = os.environ.get

# --- network: everything on 127.0.0.1; nginx terminates TLS in front (deploy/nginx) ----------
c.JupyterHub.bind_url = env("PCENTER_HUB_BIND_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("PCENTER_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('PCENTER_HUB_PROXY_API_PORT', '8001')}"
# configurable-http-proxy comes from npm (deploy/package.json, `make hub-install`), not globally
local_proxy = DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(local_proxy) if local_proxy.exists() else "configurable-http-proxy"]

state_dir = Path(env("PCENTER_HUB_STATE_DIR", "/var/lib/pcenter-hub"))
c.JupyterHub.db_url = env("PCENTER_HUB_DB_URL", f"sqlite:///{state_dir / 'jupyterhub.sqlite'}")
c.JupyterHub.cookie_secret_file = str(state_dir / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state_dir / "jupyterhub-proxy.pid")
c.JupyterHub.cleanup_servers = True  # a hub restart stops the servers it started
c.JupyterHub.redirect_to_server = True
c.JupyterHub.shutdown_on_logout = True  # signing out ends the person's kernels too
c.JupyterHub.allow_named_servers = False

# --- authentication ------------------------------------------------------------------------
auth = env("PCENTER_HUB_AUTH", "native")
if auth == "native":
    # NativeAuthenticator: people sign up at /hub/signup; the hub account named in
    # PCENTER_HUB_ADMIN authorizes each sign-up at /hub/authorize. Its own list of authorized
    # accounts is the allow list, so every authorized account may sign in.
    import nativeauthenticator

    c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
    c.JupyterHub.template_paths = [str(Path(nativeauthenticator.__file__).parent / "templates")]
    c.NativeAuthenticator.open_signup = False
    c.NativeAuthenticator.minimum_password_length = 10
    c.NativeAuthenticator.check_common_password = True
    c.NativeAuthenticator.allowed_failed_logins = 5
    c.NativeAuthenticator.seconds_before_next_try = 600
    c.NativeAuthenticator.allow_all = True
elif auth == "ldap":
    # LDAP / Active Directory (jupyterhub-ldapauthenticator): a bind as the person checks the
    # password; PCENTER_LDAP_BIND_DN_TEMPLATE is like "uid={username},ou=people,dc=center,dc=kz".
    c.JupyterHub.authenticator_class = "ldapauthenticator.LDAPAuthenticator"
    c.LDAPAuthenticator.server_address = env("PCENTER_LDAP_SERVER", "")
    c.LDAPAuthenticator.server_port = int(env("PCENTER_LDAP_PORT", "636"))
    c.LDAPAuthenticator.tls_strategy = "on_connect"
    c.LDAPAuthenticator.bind_dn_template = [env("PCENTER_LDAP_BIND_DN_TEMPLATE", "")]
    c.LDAPAuthenticator.allow_all = True  # the workbench's `users` table decides who sees data
elif auth == "oauth":
    # Any OAuth2 / OpenID Connect provider (oauthenticator's GenericOAuthenticator).
    c.JupyterHub.authenticator_class = "oauthenticator.generic.GenericOAuthenticator"
    c.GenericOAuthenticator.client_id = env("PCENTER_OAUTH_CLIENT_ID", "")
    c.GenericOAuthenticator.client_secret = env("PCENTER_OAUTH_CLIENT_SECRET", "")
    c.GenericOAuthenticator.oauth_callback_url = env("PCENTER_OAUTH_CALLBACK_URL", "")
    c.GenericOAuthenticator.authorize_url = env("PCENTER_OAUTH_AUTHORIZE_URL", "")
    c.GenericOAuthenticator.token_url = env("PCENTER_OAUTH_TOKEN_URL", "")
    c.GenericOAuthenticator.userdata_url = env("PCENTER_OAUTH_USERDATA_URL", "")
    c.GenericOAuthenticator.username_claim = env("PCENTER_OAUTH_USERNAME_CLAIM", "preferred_username")
    c.GenericOAuthenticator.scope = ["openid", "profile"]
    c.GenericOAuthenticator.allow_all = True  # the workbench's `users` table decides who sees data
else:
    raise ValueError(f"PCENTER_HUB_AUTH must be native, ldap or oauth, not {auth!r}")
admin = env("PCENTER_HUB_ADMIN", "").strip()
# A hub admin can open anybody's server (JupyterHub's admin role cannot be narrowed); the apps
# then show nothing (widgets.hub_identity). Keep it one account used only to authorize sign-ups.
c.Authenticator.admin_users = {admin} if admin else set()

# --- each person's server: Voilà apps only --------------------------------------------------
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/voila/render/index.ipynb"
c.Spawner.disable_user_config = True  # a person's ~/.jupyter cannot loosen the server config
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
c.Spawner.mem_limit = env("PCENTER_HUB_MEM_LIMIT", "1.5G")
c.Spawner.cpu_limit = float(env("PCENTER_HUB_CPU_LIMIT", "1.0"))
APP_SETTINGS = ("PCENTER_DATABASE_URL", "PCENTER_SECRET_KEY_FILE", "PCENTER_LANG", "PCENTER_MAX_KERNELS")
c.Spawner.environment = {
    **{name: os.environ[name] for name in APP_SETTINGS if name in os.environ},
    "PCENTER_DEMO": "off",
    "JUPYTER_CONFIG_PATH": str(DEPLOY / "singleuser"),
    "JUPYTER_PATH": str(PROJECT_ROOT / "share" / "jupyter"),
    "PATH": f"{BIN}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
}

spawner = env("PCENTER_HUB_SPAWNER", "systemd")
if spawner == "systemd":
    # Production: each server is a transient systemd unit (jupyterhub-systemdspawner) under a
    # dynamic system user, with MemoryMax/CPUQuota from mem_limit/cpu_limit, its own /tmp and no
    # devices. The key file is readable by the group pcenter-app only.
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = True
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.isolate_devices = True
    c.SystemdSpawner.disable_user_sudo = True
    c.SystemdSpawner.user_workingdir = str(PROJECT_ROOT)
    c.SystemdSpawner.unit_extra_properties = {"SupplementaryGroups": "pcenter-app"}
elif spawner == "local":
    # One system account per person (useradd); memory limits are NOT enforced by this spawner.
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    c.LocalProcessSpawner.notebook_dir = str(PROJECT_ROOT / "notebooks")
elif spawner == "simple":
    # Tests only (make deploy-test in a container without systemd): servers run as the hub's own
    # user, each in its own process with its own hub login and environment.
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(state_dir / "home" / "{username}")
    if os.geteuid() == 0:  # CI runs as root; Jupyter refuses that unless told
        c.SimpleLocalProcessSpawner.args = ["--ServerApp.allow_root=True"]
else:
    raise ValueError(f"PCENTER_HUB_SPAWNER must be systemd, local or simple, not {spawner!r}")

# --- the idle culler: a server nobody used for PCENTER_HUB_IDLE_TIMEOUT seconds is stopped ---
idle_timeout = int(env("PCENTER_HUB_IDLE_TIMEOUT", "3600"))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable, "-m", "jupyterhub_idle_culler",
            f"--timeout={idle_timeout}", f"--cull-every={max(60, idle_timeout // 6)}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "description": "Stop servers nobody used for a while (jupyterhub-idle-culler)",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
