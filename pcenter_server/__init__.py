"""What runs inside the Jupyter server process that serves the apps (never inside a kernel).

``pcenter_server.kernels`` keeps app kernels from piling up; ``pcenter_server.hub`` holds the
pieces ``deploy/jupyterhub_config.py`` and ``deploy/jupyter_server_config.py`` are built from.
Kernel-side code (the apps) lives in ``widgets``; the library ``pcenter_lib`` imports neither.
"""
