"""The look of every app: one style sheet sent with the shell, built on JupyterLab's theme colours.

It travels inside an ``HTML`` widget rather than the Voilà template, so the apps look the same
in Voilà, in JupyterLab and in a JupyterLab preview. Controls are sized to what they hold: a
dropdown is as wide as its longest option (up to the page), a button as its label, so nothing a
person must read is cut off.
"""

from __future__ import annotations

from typing import Final

SHELL_CSS: Final = """
<style>
.pcenter-app { max-width: 1180px; margin: 0 auto; font-size: var(--jp-ui-font-size1); }
.pcenter-header { align-items: center; flex-wrap: wrap; gap: 8px;
  border-bottom: 2px solid var(--jp-brand-color1, #1976d2); padding-bottom: 6px; }
.pcenter-title h1 { font-size: 1.5em; margin: 4px 12px 4px 0; }
.pcenter-account { align-items: flex-end; margin-left: auto; }
.pcenter-lang { display: flex; align-items: center; gap: 6px; }
.pcenter-app .widget-toggle-buttons > .widget-label { align-self: center; }
.pcenter-user { color: var(--jp-ui-font-color1); }
.pcenter-demo-clock { color: #5d4037; background: #fff8e1; padding: 2px 8px; }
.pcenter-banner-error, .pcenter-banner-info, .pcenter-banner-success {
  padding: 8px 12px; margin: 6px 0; border-radius: 4px; border-left: 5px solid; }
.pcenter-banner-error { background: #fdecea; border-color: #c62828; color: #611a15; }
.pcenter-banner-info { background: #e8f4fd; border-color: #1976d2; color: #0d3c61; }
.pcenter-banner-success { background: #edf7ed; border-color: #2e7d32; color: #1e4620; }
.pcenter-help { color: var(--jp-ui-font-color2); font-style: italic; }
.pcenter-notice { padding: 12px; border: 1px solid var(--jp-border-color1); border-radius: 4px; }
.pcenter-fatal { padding: 12px; border-left: 5px solid #c62828; background: #fdecea; }
.pcenter-app a { color: #1565c0; text-decoration: underline; }
.pcenter-app a:hover { color: #0d47a1; }
.pcenter-table { border-collapse: collapse; margin: 6px 0 12px 0; }
.pcenter-table th, .pcenter-table td { border-bottom: 1px solid var(--jp-border-color2);
  padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
.pcenter-table .pcenter-num { text-align: right; }
.pcenter-table td.pcenter-num { white-space: nowrap; }
.pcenter-ok, .pcenter-conflict, .pcenter-explain { padding: 6px 10px; margin: 4px 0;
  border-left: 5px solid; }
.pcenter-ok { color: #1e4620; background: #edf7ed; border-color: #2e7d32; }
.pcenter-conflict { color: #611a15; background: #fdecea; border-color: #c62828; }
.pcenter-explain { color: #0d3c61; background: #e8f4fd; border-color: #1976d2; }
.pcenter-ok ul, .pcenter-conflict ul, .pcenter-explain ul { margin: 0; padding-left: 1.2em; }
.pcenter-note { color: var(--jp-ui-font-color2); }
.pcenter-queue-rows td:nth-child(2), .pcenter-case-file td:first-child,
.pcenter-sessions td:first-child { white-space: nowrap; }
.pcenter-critical { color: #611a15; font-weight: bold; }
.pcenter-app .widget-dropdown { width: auto; max-width: 100%; }
.pcenter-app .widget-dropdown > select { flex: 0 1 auto; width: auto; max-width: 100%;
  padding-right: 24px; }
.pcenter-app .jupyter-button { width: auto; min-width: max-content; padding: 0 12px; }
.pcenter-app .widget-toggle-buttons .jupyter-button { min-width: max-content; }
.pcenter-app .widget-datepicker { width: auto; }
.pcenter-app .widget-hslider .slider-container { flex: 1 1 auto; }
.pcenter-app .widget-tab > .lm-TabBar .lm-TabBar-tab,
.pcenter-app .widget-tab > .p-TabBar .p-TabBar-tab { flex: 0 0 auto !important;
  max-width: none !important; min-width: max-content !important; }
.pcenter-app .widget-tab .lm-TabBar-tabLabel { overflow: visible; text-overflow: clip; }
.pcenter-app .widget-label { white-space: normal; overflow: visible; text-overflow: clip;
  line-height: 1.2; }
.pcenter-app .widget-hbox { flex-wrap: wrap; column-gap: 12px; }
.pcenter-overview table { border-collapse: collapse; }
.pcenter-overview td { padding: 2px 12px 2px 0; }
.pcenter-overview td.pcenter-count { font-weight: bold; text-align: right; }
.pcenter-app-card { padding: 8px 0; border-bottom: 1px solid var(--jp-border-color2); }
.pcenter-app-card .pcenter-app-link { font-size: 1.15em; font-weight: bold; }
.pcenter-app-card .pcenter-app-link::after { content: " →"; text-decoration: none; }
.pcenter-app-card .pcenter-app-planned-title { font-size: 1.15em; font-weight: bold;
  color: var(--jp-ui-font-color2); }
.pcenter-app-planned { color: var(--jp-ui-font-color2); font-style: italic; }
.pcenter-app-rules { color: var(--jp-ui-font-color2); }
.pcenter-table caption { text-align: left; font-weight: bold; padding: 2px 0; }
.pcenter-body h2 { font-size: 1.2em; margin: 12px 0 4px 0; }
.pcenter-body h3 { font-size: 1.05em; margin: 10px 0 4px 0; }
/* Focus is always seen (WCAG 2.4.7, 1.4.11: at least 3:1 against the page): a dark blue ring
   on every control, including text inputs whose own focus is only a faint border change. */
.pcenter-app :focus-visible, .pcenter-app input:focus, .pcenter-app select:focus,
.pcenter-app textarea:focus, .pcenter-app button:focus { outline: 2px solid #0d47a1 !important;
  outline-offset: 1px; }
/* Inactive tab labels at least 4.5:1 on their grey tab (WCAG 1.4.3). */
.pcenter-app .lm-TabBar-tab, .pcenter-app .p-TabBar-tab { color: #212121 !important; }
.pcenter-app .lm-TabBar-tab.lm-mod-current, .pcenter-app .p-TabBar-tab.p-mod-current {
  color: #000 !important; }
</style>
"""
