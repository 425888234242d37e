"""Every page's link, presentation mode and share panel.

The link: on a session's first visit to a page, the URL's query parameters become the
page's lasting config (``ui.live.link`` reads them through the page's schema; one notice
names what was not used); after every full run the URL is rewritten to match the config,
only when it differs, so a link copied at any moment reproduces the setup.
``<field>_hide=1`` hides a control (its value still applies), ``present=1`` opens the
page in presentation mode: no sidebar, larger type, the pictures first. ``theme=`` and
``palette=`` set the session's look on every page (``ui.live.theme``), kept in the URL too.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import streamlit as st

from ui.live import hall
from ui.live import link as codec
from ui.live import theme as look
from ui.live.places import steady_place
from ui.live.schema import Schema
from ui.live.widgets import css_class, gather, seed_widgets
from ui.state import LinkKeys

PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"] {
  display: none !important;
}
[data-testid="stMainBlockContainer"] {padding-top: 0.6rem !important; padding-bottom: 1rem !important;}
[data-testid="stMainBlockContainer"] h1 {font-size: 1.7rem !important; padding: 0 !important;}
.{leave} {position: fixed; top: 0.4rem; right: 1rem; z-index: 1000; width: auto !important;}
.live-panel .stats {margin-bottom: 0 !important;}
.live-panel .stat-label {font-size: 1.05rem !important;}
.live-panel .stat-value {font-size: 2.5rem !important; line-height: 1.1;}
.live-panel .cell-title {font-size: 1.1rem !important;}
[data-testid="stMainBlockContainer"] label p, [data-testid="stMainBlockContainer"] button p {
  font-size: 1.1rem !important;
}
</style>"""


def lesson_bar(keys: LinkKeys) -> None:
    """The lesson bar (ui/lessons/controls.py) on the page whose link keys are ``keys``.
    Imported here, when first drawn: the lessons know every page, and so import this module."""
    from ui.lessons.controls import lesson_bar as bar

    bar(keys)


def add_scene_form(keys: LinkKeys, params: dict, hide) -> None:
    """ "Add this view as a scene" (ui/lessons/controls.py), in every page's share panel."""
    from ui.lessons.controls import add_scene_form as form

    form(keys, params, hide)


def _params_now() -> dict[str, str | list[str]]:
    """The URL's query parameters (a repeated one as a list)."""
    params = {}
    for key in st.query_params:
        values = st.query_params.get_all(key)
        params[key] = values[0] if len(values) == 1 else values
    return params


@dataclass(frozen=True)
class PageLink:
    """One page's link: its schema, its keys, and what a link to it reproduces (said in
    the share panel: only what is true of this page's links)."""

    schema: Schema
    keys: LinkKeys
    reproduces: str = "the same settings"

    def read_once(self) -> dict:
        """The page's lasting config. On the session's first run of the page, before any
        widget is seeded, the link's settings become that config, its hidden controls and
        presentation mode the page's."""
        hall.say_if_session_lost()  # a browser whose session this process lost is told so, once
        if self.keys.config not in st.session_state:
            link = codec.decode(self.schema, _params_now())
            st.session_state[self.keys.config] = link.config
            st.session_state[self.keys.hidden] = link.hidden
            st.session_state[self.keys.present] = link.present
            look.adopt(link.theme, link.palette)  # the session's look, on every page
            if link.notices:
                st.session_state[self.keys.notice] = codec.summary(link.notices)
        return st.session_state[self.keys.config]

    def begin(
        self,
        controls: Callable[[frozenset[str]], None] | None = None,
        settle: Callable[[dict, dict], dict] | None = None,
    ) -> dict:
        """The top of every full run of the page: the link read once, the widgets seeded
        from the lasting config, ``controls(hidden)`` drawn (the sidebar's widgets; the
        fields in ``hidden`` get none), the config gathered from the widgets through the
        schema (and ``settle(old, new)`` when the page's fields must agree with its run)
        and kept, the URL made to follow it. Returns the config."""
        old = self.read_once()
        look.begin_run(menu=not self.presenting())  # this run's theme for its pictures; the Display menu
        seed_widgets(self.keys, old)
        if controls is not None:
            controls(self.sidebar_hidden())
        config = gather(self.schema, self.keys, old)
        if settle is not None:
            config = settle(old, config)
        st.session_state[self.keys.config] = config
        self.write(config)
        return config

    def replace(self, config: dict) -> None:
        """From another page (a button's callback): this page opens next with ``config``.
        The lasting config is replaced and its widgets forgotten, so they are seeded
        from it; the page's run then follows the config as after any change."""
        st.session_state[self.keys.config] = dict(config)
        for name in self.schema.names:
            st.session_state.pop(self.keys.widget(name), None)

    def hidden(self) -> frozenset[str]:
        """Fields whose controls the opening link hid."""
        return st.session_state.get(self.keys.hidden, frozenset())

    def sidebar_hidden(self) -> frozenset[str]:
        """Fields whose controls the sidebar leaves out: every one in presentation mode
        (which shows no sidebar), else those the link hid."""
        return frozenset(self.schema.names) if self.presenting() else self.hidden()

    def presenting(self) -> bool:
        return bool(st.session_state.get(self.keys.present))

    def write(self, config: dict) -> None:
        """Make the URL match ``config`` (and the hidden controls, presentation mode, the
        theme and palette); a run that changed nothing leaves the URL alone."""
        wanted = codec.encode(self.schema, config, self.hidden(), self.presenting(), *look.chosen())
        if _params_now() != wanted:
            st.query_params.from_dict(wanted)

    def notice(self) -> None:
        """The one notice about the opening link's parameters, shown once."""
        text = st.session_state.pop(self.keys.notice, None)
        place = steady_place()  # shown once: the elements after it keep their places
        if text:
            place.warning(text, icon=":material/link:")

    def presentation_header(self) -> None:
        """In presentation mode: no sidebar or Streamlit header, larger type, a way out."""
        if not self.presenting():
            return
        st.html(PRESENTATION_CSS.replace("{leave}", css_class(self.keys.leave_present)))

        def leave() -> None:
            st.session_state[self.keys.present] = False

        st.button(
            "Leave presentation mode",
            key=self.keys.leave_present,
            on_click=leave,
            type="tertiary",
            icon=":material/close:",
        )

    def heading(self, title: str, caption: str) -> None:
        """The top of every page: presentation mode's header (when on), the title, the
        caption (not in presentation mode: the pictures come first there), and the lesson
        bar when a scene of a lesson is open on this page (ui/lessons/). In one steady place:
        whatever of it is drawn, the elements after it keep their places."""
        with steady_place():
            self.presentation_header()
            st.title(title)
            if not self.presenting():
                st.caption(caption)
            lesson_bar(self.keys)  # a scene of a lesson open on this page: its bar

    def link_tab(self, config: dict) -> None:
        """The link to this setup, with the lecture options: controls to hide, presentation."""
        keys = self.keys
        order = list(self.schema.names)
        st.session_state.setdefault(keys.share_hide, sorted(self.hidden(), key=order.index))
        st.session_state.setdefault(keys.share_present, self.presenting())
        hide, present = st.columns([3, 1], vertical_alignment="bottom")
        hide.multiselect(
            "For a lecture: hide these controls for whoever opens the link",
            order,
            key=keys.share_hide,
            format_func=lambda name: self.schema[name].label,
            placeholder="none hidden",
        )
        present.checkbox("Presentation mode", key=keys.share_present, help="Only the run bar and the pictures, larger")
        params = codec.encode(
            self.schema,
            config,
            st.session_state[keys.share_hide],
            st.session_state[keys.share_present],
            *look.chosen(),  # the link opens in the theme and palette this page shows
        )
        base = st.context.url or ""
        if base and not urlsplit(base).path:
            base += "/"
        url = f"{base}?{codec.query_string(params)}" if params else base or "(the page's address, as it is)"
        st.caption(f"The link to this setup: whoever opens it gets {self.reproduces}.")
        st.code(url, language=None, wrap_lines=True)
        if base:
            st.link_button("Open the link in a new tab", url, icon=":material/open_in_new:")
        add_scene_form(keys, codec.encode(self.schema, config), st.session_state[keys.share_hide])

    def share_panel(
        self, config: dict, more: Sequence[tuple[str, Callable[[], None]]] = (), *, title: str = "Share a link"
    ) -> None:
        """The folded panel under the pictures: the link, then the page's ``more`` tabs
        (title, draw). Its content is sent only when unfolded (a lazy expander: folded
        content still costs the browser a re-render in every live update)."""
        panel = st.expander(title, icon=":material/share:", key=self.keys.share_panel, on_change="rerun")
        if not panel.open:
            return
        with panel:
            if not more:
                self.link_tab(config)
                return
            # A tab picked is kept by the server (a rerun): a later rerun, e.g. after an import, keeps it open.
            tabs = st.tabs(["Share a link", *(name for name, _ in more)], key=self.keys.share_tab, on_change="rerun")
            with tabs[0]:
                self.link_tab(config)
            for tab, (_, draw) in zip(tabs[1:], more):
                with tab:
                    draw()
