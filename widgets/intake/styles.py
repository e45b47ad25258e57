"""The intake app's few styles: tables, the direct-threat marks and the due marks (Rule 16).

Text fields line up at one width; a dropdown is at least as wide and grows to its longest
option (``widgets/styles.py``), so no channel, source or status is cut off.
"""

from __future__ import annotations

from typing import Final

INTAKE_CSS: Final = """
<style>
.pcenter-table { border-collapse: collapse; margin: 6px 0 12px 0; }
.pcenter-table th, .pcenter-table td { border-bottom: 1px solid var(--jp-border-color2);
  padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
.pcenter-threat-box { background: #fdecea; border-left: 5px solid #c62828; padding: 6px 10px; }
.pcenter-plain-box { border-left: 5px solid var(--jp-border-color1); padding: 6px 10px; }
.pcenter-threat-mark { color: #fff; background: #c62828; border-radius: 3px; padding: 0 4px; }
.pcenter-row-threat td { background: #fdecea; }
.pcenter-row-critical td { background: #fff4e5; }
.pcenter-critical-mark { color: #fff; background: #ed6c02; border-radius: 3px; padding: 0 4px; }
.pcenter-reviewed-mark { border: 1px solid #ed6c02; border-radius: 3px; padding: 0 4px; }
.pcenter-action-review, .pcenter-action-notify { font-weight: bold; color: #b71c1c; }
.pcenter-field-error { color: #b71c1c; font-size: 0.92em; }
.pcenter-field-note { margin-left: 196px; max-width: 280px; }
.pcenter-field-note .widget-html-content { line-height: 1.3; white-space: normal; }
.pcenter-concern-column { margin: 0 24px 8px 0; }
.pcenter-concern-column .widget-checkbox, .pcenter-concern-column .widget-label-basic,
.pcenter-concern-column .widget-label-basic span { width: auto !important; max-width: none !important;
  overflow: visible !important; text-overflow: clip !important; }
.pcenter-intake-hint { color: var(--jp-ui-font-color2); }
.pcenter-review .widget-radio-box label { overflow: visible; text-overflow: clip; }
.pcenter-due-overdue { color: #fff; background: #c62828; border-radius: 3px; padding: 0 4px; }
.pcenter-due-due_today { background: #ffe08a; border-radius: 3px; padding: 0 4px; }
.pcenter-due-considered { color: #1e4620; }
.pcenter-warning { background: #fff4e5; border-left: 5px solid #ed6c02; padding: 6px 10px; }
.pcenter-ok { color: #1e4620; background: #edf7ed; border-left: 5px solid #2e7d32;
  padding: 6px 10px; margin: 4px 0; }
.pcenter-notification { border-bottom: 1px solid var(--jp-border-color2); padding: 4px 0; }
.pcenter-notification-pending .pcenter-notification-text { font-weight: bold; color: #c62828; }
.pcenter-intake-picker { margin: 6px 0; }
.pcenter-intake-tabs .lm-TabBar-tab { flex: 0 0 auto !important; max-width: none !important; }
.pcenter-journal-rows td { font-size: 0.95em; }
.pcenter-journal-rows td:nth-child(2), .pcenter-journal-rows td:nth-child(3),
.pcenter-journal-rows td:nth-child(9) { white-space: nowrap; }
.pcenter-intake-form .widget-text, .pcenter-intake-form .widget-textarea,
.pcenter-intake-form .widget-select-multiple, .pcenter-intake-form .widget-datepicker,
.pcenter-child-record .widget-text, .pcenter-child-record .widget-datepicker,
.pcenter-threat .widget-text, .pcenter-threat .widget-textarea,
.pcenter-mobile .widget-text, .pcenter-mobile .widget-datepicker, .pcenter-mobile .widget-textarea,
.pcenter-journal .widget-datepicker, .pcenter-journal .widget-text,
.pcenter-correction .widget-textarea,
.pcenter-compliance .widget-datepicker, .pcenter-consent .widget-text,
.pcenter-consent .widget-datepicker { width: 460px; }
.pcenter-app .pcenter-intake-tabs .widget-dropdown { width: auto; min-width: 460px; max-width: 100%; }
.pcenter-app .pcenter-intake-tabs .widget-dropdown > select { flex: 1 1 auto; width: auto;
  min-width: max-content; }
.pcenter-journal-search { width: 460px; }
.pcenter-figures td:first-child { white-space: nowrap; }
.pcenter-intake-tabs .pcenter-intake-child-search.widget-text { width: 620px; }
.pcenter-mobile .widget-select-multiple { width: 640px; }
.pcenter-intake-tabs .widget-inline-hbox { height: auto; min-height: var(--jp-widgets-inline-height); }
.pcenter-intake-tabs .widget-inline-hbox > .widget-label { height: auto; align-self: center; }
.pcenter-intake-tabs .widget-inline-hbox > select,
.pcenter-intake-tabs .widget-inline-hbox > input { min-height: var(--jp-widgets-inline-height); }
</style>
"""
