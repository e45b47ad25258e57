# Configuration of each person's JupyterHub single-user server: Voilà apps and nothing else.
#
# JupyterHub starts `jupyterhub-singleuser` (a Jupyter server with the hub's login) for each
# person; jupyterhub_config.py points JUPYTER_CONFIG_PATH at this folder. The server must never
# become a general Jupyter server, because the app kernels hold the database credentials and the
# identity key: whoever can run code of their own in a kernel can read every child's record.
# So, as Voilà itself does when it runs on its own (voila.app, allowed_message_types):
#
# * kernels accept only widget messages (comm_*), never an execute_request from a browser;
# * the contents API is read-only (pcenter_server.hub.ReadOnlyContentsManager): nobody can upload
#   a notebook of their own into the apps folder and have Voilà run it;
# * no terminals, no JupyterLab, no classic notebook: only the Voilà extension is loaded.
#
# Kernels do not pile up (pcenter_server.kernels): a closed page ends its kernel, disconnected
# kernels are culled within about two minutes, and one person has at most PCENTER_MAX_KERNELS
# kernels at once (default 6). Memory per person is capped by the spawner (jupyterhub_config.py).
import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by the Jupyter config loader)

PROJECT_ROOT = Path(__file__).resolve().parents[2]

c.ServerApp.root_dir = str(PROJECT_ROOT / "notebooks")
c.ServerApp.default_url = "/voila/render/index.ipynb"
c.ServerApp.jpserver_extensions = {
    "voila": True,
    "jupyterlab": False,
    "notebook": False,
    "notebook_shim": False,
    "nbclassic": False,
    "jupyter_lsp": False,
    "jupyter_server_terminals": False,
}
c.ServerApp.terminals_enabled = False
c.ServerApp.contents_manager_class = "pcenter_server.hub.ReadOnlyContentsManager"
c.ContentsManager.allow_hidden = False

# Kernels: widget messages only, bounded, culled when disconnected.
c.ServerApp.kernel_manager_class = "pcenter_server.kernels.BoundedKernelManager"
c.MappingKernelManager.allowed_message_types = [
    "comm_open",
    "comm_close",
    "comm_msg",
    "comm_info_request",
    "kernel_info_request",
    "shutdown_request",
]
c.MappingKernelManager.cull_idle_timeout = 120
c.MappingKernelManager.cull_interval = 30
c.MappingKernelManager.cull_connected = False
c.MappingKernelManager.cull_busy = False
c.BoundedKernelManager.max_kernels = int(os.environ.get("PCENTER_MAX_KERNELS", "6"))

# Voilà as in `pcenter serve` (voila.json): the offline page template, no sources, no tracebacks.
c.VoilaConfiguration.template = "pcenter"
c.VoilaConfiguration.theme = "light"
c.VoilaConfiguration.allow_template_override = "NO"
c.VoilaConfiguration.allow_theme_override = "NO"
c.VoilaConfiguration.show_tracebacks = False
c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.http_header_envs = []  # identity comes from the hub, never from a header
c.VoilaExecutor.timeout = 60
c.TagRemovePreprocessor.remove_cell_tags = ["hide"]
