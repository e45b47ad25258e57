"""Finding widgets in an app's tree by the CSS hook classes the shell and apps put on them."""

from __future__ import annotations

import ipywidgets as widgets


def find_by_class(root: widgets.Widget, css_class: str) -> list[widgets.Widget]:
    """Every widget under ``root`` (itself included) that carries ``css_class``."""
    found = [root] if css_class in getattr(root, "_dom_classes", ()) else []
    for child in getattr(root, "children", ()):
        found.extend(find_by_class(child, css_class))
    return found


def only_by_class(root: widgets.Widget, css_class: str) -> widgets.Widget:
    """The one widget under ``root`` carrying ``css_class``; fails when there are none or more."""
    found = find_by_class(root, css_class)
    assert len(found) == 1, f"expected one .{css_class}, found {len(found)}"
    return found[0]


def displayed_by_class(root: widgets.Widget, css_class: str) -> bool:
    """Whether a widget carrying ``css_class`` is under ``root`` and neither it nor any box
    around it is hidden (``layout.display == "none"``): what a person would actually see."""
    if getattr(getattr(root, "layout", None), "display", None) == "none":
        return False
    if css_class in getattr(root, "_dom_classes", ()):
        return True
    return any(displayed_by_class(child, css_class) for child in getattr(root, "children", ()))
