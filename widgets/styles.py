"""The look of every app: one style sheet sent with the shell, built on JupyterLab's theme colours.

It travels inside an ``HTML`` widget rather than the Voilà template, so the apps look the same
in Voilà, in JupyterLab and in a JupyterLab preview.
"""

from __future__ import annotations

from typing import Final

SHELL_CSS: Final = """
<style>
.pcenter-app { max-width: 1100px; margin: 0 auto; font-size: var(--jp-ui-font-size1); }
.pcenter-header { align-items: center; flex-wrap: wrap; gap: 8px;
  border-bottom: 2px solid var(--jp-brand-color1, #1976d2); padding-bottom: 6px; }
.pcenter-title h1 { font-size: 1.5em; margin: 4px 12px 4px 0; }
.pcenter-account { align-items: flex-end; margin-left: auto; }
.pcenter-lang { display: flex; align-items: center; gap: 6px; }
.pcenter-user { color: var(--jp-ui-font-color1); }
.pcenter-banner-error, .pcenter-banner-info, .pcenter-banner-success {
  padding: 8px 12px; margin: 6px 0; border-radius: 4px; border-left: 5px solid; }
.pcenter-banner-error { background: #fdecea; border-color: #c62828; color: #611a15; }
.pcenter-banner-info { background: #e8f4fd; border-color: #1976d2; color: #0d3c61; }
.pcenter-banner-success { background: #edf7ed; border-color: #2e7d32; color: #1e4620; }
.pcenter-help { color: var(--jp-ui-font-color2); font-style: italic; }
.pcenter-notice { padding: 12px; border: 1px solid var(--jp-border-color1); border-radius: 4px; }
.pcenter-fatal { padding: 12px; border-left: 5px solid #c62828; background: #fdecea; }
.pcenter-overview table { border-collapse: collapse; }
.pcenter-overview td { padding: 2px 12px 2px 0; }
.pcenter-overview td.pcenter-count { font-weight: bold; text-align: right; }
.pcenter-app-card { padding: 8px 0; border-bottom: 1px solid var(--jp-border-color2); }
.pcenter-app-card a { font-size: 1.15em; font-weight: bold; }
.pcenter-app-rules { color: var(--jp-ui-font-color2); }
</style>
"""
