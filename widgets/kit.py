"""The kit every app is built from: a state object, panels that observe it, and the app page.

An app is three kinds of object (the whole of a small one is in ``docs/architecture.md``):

- an :class:`AppState`, a ``traitlets.HasTraits`` holding what the panels share (the filters
  chosen, the scenario being edited, the current request). Panels never call each other: one
  sets a trait, the others observe it (as aiidalab-widgets-base does);
- :class:`Panel` subclasses, one per tab, each naming its tab title and the use case behind it
  (``domain.access.UseCase``): a role that may not perform the use case never sees the panel.
  A panel builds its widgets once in ``__init__`` and writes every text and value in ``render``,
  which runs again after a language switch, so what was typed stays;
- an :class:`App` subclass naming its code, title, help and panels, and making the state from
  the services. ``App.launch`` opens it through :func:`widgets.launch.launch_app` (the schema
  check, the configuration-error page, the language), on the :class:`widgets.shell.AppShell`.

Handlers run through the shell's guard (errors shown in the banner, never lost), and
``app.panel(ImportPanel)`` returns the panel with its own type, for tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar, Generic, TypeVar

import ipywidgets as widgets
import traitlets

from pcenter_lib.domain.access import UseCase, may
from pcenter_lib.errors import NotFoundError
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.workbench import Workbench
from widgets.launch import launch_app
from widgets.shell import AppShell


class AppState(traitlets.HasTraits):
    """What an app's panels share; panels observe its traits with :meth:`Panel.watch`."""


S = TypeVar("S", bound=AppState)
P = TypeVar("P", bound="Panel[Any]")
NO_SUCH_PANEL = N_("The panel {panel} is not shown to this user.")
NO_STATE = N_("Nobody who may open this app is signed in, so it holds no data.")


class Panel(Generic[S]):
    """One part of an app page (a tab): built once, rendered in the current language."""

    title: ClassVar[str] = ""  # the tab's title (msgid)
    use_case: ClassVar[UseCase | None] = None  # shown only to roles allowed it; None: every user
    css_class: ClassVar[str] = ""

    def __init__(self, shell: AppShell, state: S) -> None:
        self.shell = shell
        self.state = state
        self.widget = widgets.VBox()
        if self.css_class:
            self.widget.add_class(self.css_class)
        self._quiet = 0
        self._watching: list[tuple[Callable[[dict[str, Any]], None], list[str]]] = []

    @classmethod
    def shown_to(cls, roles: Sequence[str]) -> bool:
        return cls.use_case is None or may(roles, cls.use_case)

    # --- what panels read ---------------------------------------------------------------------
    @property
    def t(self) -> Translator:
        return self.shell.t

    @property
    def lang(self) -> str:
        return self.shell.lang

    @property
    def actor(self) -> str:
        return self.shell.actor

    @property
    def workbench(self) -> Workbench:
        return self.shell.workbench

    def may(self, use_case: UseCase) -> bool:
        """Whether the person may perform ``use_case`` (show its button or not)."""
        return self.shell.may(use_case)

    # --- what panels do -----------------------------------------------------------------------
    def render(self) -> None:
        """Write every text, option and value from the state in the current language."""

    def watch(self, names: str | Sequence[str], fn: Callable[[], object]) -> None:
        """Call ``fn`` (guarded) whenever one of the state's traits ``names`` changes."""
        guarded = self.shell.guard(fn)

        def handler(_change: dict[str, Any]) -> None:
            guarded()

        listed = [names] if isinstance(names, str) else list(names)
        self.state.observe(handler, names=listed)
        self._watching.append((handler, listed))

    def on_change(self, control: widgets.Widget, fn: Callable[[Any], object]) -> None:
        """Call ``fn(new value)`` (guarded) when the person changes ``control``; not while quiet."""
        guarded = self.shell.guard(fn)

        def handler(change: dict[str, Any]) -> None:
            if not self._quiet:
                guarded(change["new"])

        control.observe(handler, names="value")

    def on_click(self, button: widgets.Button, fn: Callable[[], object]) -> None:
        """Call ``fn()`` (guarded) when ``button`` is pressed."""
        guarded = self.shell.guard(fn)
        button.on_click(lambda _button: guarded())

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Set widget values without the change handlers of :meth:`on_change` firing."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def close(self) -> None:
        """Stop observing the state (the app built new panels for another user)."""
        for handler, names in self._watching:
            self.state.unobserve(handler, names=names)
        self._watching.clear()


def offer(control: widgets.Widget, options: Sequence[tuple[str, object]]) -> None:
    """Replace a selector's options, keeping its value where it still exists, else the first.

    A language switch relabels the options of a dropdown without losing what was chosen.
    """
    kept = control.value
    values = [value for _label, value in options]
    if isinstance(control, widgets.SelectMultiple):
        chosen: object = tuple(v for v in kept if v in values)
    else:
        chosen = kept if kept in values else (values[0] if values else None)
    show(control, options, chosen)


def show(control: widgets.Widget, options: Sequence[tuple[str, object]], value: object) -> None:
    """Give a selector new options and its value in one message to the browser.

    Sent apart, the browser may get an index for options it does not have yet and fail to draw.
    """
    with control.hold_sync():
        control.options = options
        control.value = value


class App(Generic[S]):
    """An app page: the shell, one state, and the panels the signed-in roles may see, as tabs."""

    code: ClassVar[str]
    title: ClassVar[str]
    help_text: ClassVar[str]
    panel_types: ClassVar[tuple[type[Panel[Any]], ...]]
    style: ClassVar[str] = ""  # the app's own CSS, after the shell's

    def __init__(self, workbench: Workbench, *, environ: Mapping[str, str] | None = None) -> None:
        self.workbench = workbench
        self._state: S | None = None
        self.panels: dict[type[Panel[Any]], Panel[Any]] = {}
        self.tabs = widgets.Tab()
        self.tabs.add_class(f"pcenter-{self.code}-tabs")
        self._built_for: tuple[str, tuple[str, ...]] | None = None
        self._style = widgets.HTML(self.style)
        self.shell = AppShell(
            workbench,
            app_code=self.code,
            title=self.title,
            help_text=self.help_text,
            environ=environ,
        )
        self.widget = self.shell.widget
        self.shell.on_notice(self._forget)
        self.shell.on_render(self.render)

    @classmethod
    def launch(
        cls, workbench: Workbench | None = None, environ: Mapping[str, str] | None = None
    ) -> widgets.Widget:
        """The app's page on ``workbench`` (default: the environment's); never raises."""

        def build(opened: Workbench, env: Mapping[str, str]) -> widgets.Widget:
            return cls(opened, environ=env).widget

        return launch_app(build, workbench=workbench, environ=environ)

    @property
    def state(self) -> S:
        if self._state is None:
            raise NotFoundError(NO_STATE)
        return self._state

    def make_state(self) -> S:
        """The state for the person signed in, loaded through the services."""
        raise NotImplementedError

    def render(self) -> None:
        """Build the panels for a new user, then render every panel in the current language."""
        signed_in = (self.shell.actor, self.shell.roles)
        if signed_in != self._built_for:
            self._build()
            self._built_for = signed_in
        for panel in self.panels.values():
            self.shell.guard(panel.render)()
        self.tabs.titles = tuple(self.shell.t(panel.title) for panel in self.panels.values())
        self.shell.body.children = self.page()

    def page(self) -> tuple[widgets.Widget, ...]:
        """What the body shows: the app's style and its tabs (a lone panel without a tab bar)."""
        if len(self.panels) == 1:
            return (self._style, next(iter(self.panels.values())).widget)
        return (self._style, self.tabs)

    def panel(self, kind: type[P]) -> P:
        """The panel of type ``kind``; a clear error when this user is not shown it."""
        found = self.panels.get(kind)
        if not isinstance(found, kind):
            raise NotFoundError(NO_SUCH_PANEL, panel=kind.__name__)
        return found

    def has_panel(self, kind: type[Panel[Any]]) -> bool:
        return kind in self.panels

    def open_tab(self, kind: type[Panel[Any]]) -> None:
        self.tabs.selected_index = list(self.panels).index(kind)

    def _forget(self) -> None:
        """Nobody who may open the app is signed in: drop the panels and the state."""
        for old in self.panels.values():
            old.close()
        self.panels, self._state, self._built_for = {}, None, None
        self.tabs.children = ()

    def _build(self) -> None:
        for old in self.panels.values():
            old.close()
        self._state = self.make_state()
        roles = self.shell.roles
        self.panels = {
            kind: kind(self.shell, self._state) for kind in self.panel_types if kind.shown_to(roles)
        }
        self.tabs.children = tuple(panel.widget for panel in self.panels.values())
        self.tabs.selected_index = 0 if self.panels else None
