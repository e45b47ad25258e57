"""Pieces of a JupyterHub single-user server that serves only the apps.

``deploy/jupyter_server_config.py`` turns ``jupyterhub-singleuser`` (a Jupyter server with the
hub's login) into a server of Voilà apps and nothing else:

* :class:`ReadOnlyContentsManager` refuses every write through the Jupyter contents API, so a
  person cannot upload a notebook of their own into the apps folder and have Voilà run it;
* :mod:`pcenter_server.request_user` tells each app kernel who asked for the page, so a hub
  administrator who opens another person's server cannot act as that person.
"""

from __future__ import annotations

from typing import Any, NoReturn

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado import web

_READ_ONLY = "The apps folder is read-only."


def _refuse() -> NoReturn:
    raise web.HTTPError(403, _READ_ONLY)


class ReadOnlyContentsManager(AsyncLargeFileManager):
    """Jupyter's file contents manager with every write refused (HTTP 403)."""

    async def save(self, model: Any, path: str = "") -> NoReturn:
        _refuse()

    async def delete_file(self, path: str) -> NoReturn:
        _refuse()

    async def rename_file(self, old_path: str, new_path: str) -> NoReturn:
        _refuse()

    async def create_checkpoint(self, path: str) -> NoReturn:
        _refuse()

    async def restore_checkpoint(self, checkpoint_id: str, path: str) -> NoReturn:
        _refuse()

    async def delete_checkpoint(self, checkpoint_id: str, path: str) -> NoReturn:
        _refuse()
