"""The session's theme (light, dark, projector) and palette (default, colorblind): chosen
by a link's ``theme=`` and ``palette=`` on any page, or in the sidebar's *Display* menu,
and kept for the session across pages (``ThemeKeys``).

The charts read their colours through ``ui.charts.colors.theme()``, a ``ContextVar``:
``begin_run`` sets it at the top of every full run of a page (``PageLink.begin``). A live
fragment's run does not pass through ``begin_run`` and may run on a fresh script thread
(Streamlit starts a new thread for a run when the last one ended), whose context starts
empty: for it the resolver installed here reads this session's choice once, and the
context keeps it for the rest of that run. Each session's runs have their own thread,
so one student's dark theme never reaches another's pictures.

Streamlit (1.67) has one theme per server (``.streamlit/config.toml``) and no way to set
one per session; the dark and projector themes restyle its elements with a stylesheet
(``THEME_CSS``), as presentation mode does.
"""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.charts import colors
from ui.state import ThemeKeys as K
from ui.state import panel_memory_key

THEME_LABELS = dict(zip(colors.THEMES, ("Light", "Dark", "Projector"), strict=True))
PALETTE_LABELS = dict(zip(colors.PALETTES, ("Default", "Colour-blind safe"), strict=True))

# The dark theme: Streamlit's own dark colours, for its elements.
_DARK_CSS = """
:root { --nnp-ink: #e8eaed; --nnp-muted: #aab0b6; --nnp-rule: #4a515c; --nnp-problem: #ff8a80;
  color-scheme: dark; }
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stHeader"],
[data-testid="stBottomBlockContainer"] { background-color: #0e1117 !important; color: #fafafa !important; }
[data-testid="stSidebar"], [data-testid="stSidebarContent"] { background-color: #1b1e27 !important;
  color: #fafafa !important; }
.stApp :is(h1, h2, h3, h4, h5, h6, p, li, label, summary, th, td, strong, em, .katex),
[data-testid="stWidgetLabel"], [data-testid="stMarkdownContainer"] { color: #fafafa; }
.stApp :is([data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, small,
  [data-testid="stWidgetLabel"] small, [data-testid="stTickBarMin"], [data-testid="stTickBarMax"]) {
  color: #aab0b6 !important; }
.stApp a { color: #8ab4f8; }
.stApp hr { border-color: #3a3f4b !important; background-color: #3a3f4b !important; }
.stApp :is([data-testid="stTextInputRootElement"], [data-testid="stTextAreaRootElement"],
  [data-testid="stNumberInputContainer"], [data-testid="stSelectbox"] [role="group"],
  [data-testid="stMultiSelect"] [role="group"], [data-testid="stFileUploaderDropzone"],
  [data-testid="stNumberInputField"]) {
  background-color: #262730 !important; border-color: #4a4d57 !important; color: #fafafa !important; }
.stApp :is(input, textarea) { color: #fafafa !important; -webkit-text-fill-color: #fafafa;
  background-color: transparent !important; }
.stApp :is([data-testid="stSelectbox"], [data-testid="stMultiSelect"]) :is(span, svg, button) { color: #fafafa; }
:is([role="listbox"], [role="dialog"], [data-testid="stPopoverBody"], [data-testid="stTooltipContent"]) {
  background-color: #262730 !important; color: #fafafa !important; }
:is([role="listbox"], [role="dialog"], [data-testid="stPopoverBody"]) :is(li, p, label, span, div) {
  color: #fafafa; }
[role="option"]:hover, [role="option"][data-focused="true"], [role="option"][aria-selected="true"] {
  background-color: #3b3f4b !important; }
.stApp :is(button[kind^="secondary"], button[data-testid^="stBaseButton-secondary"],
  button[data-variant="segmented_control"], button[data-variant="pills"],
  [data-testid="stPopoverButton"], [data-testid^="stBaseLinkButton-secondary"],
  [data-testid="stNumberInputContainer"] button) {
  background-color: #1b1e27 !important; color: #fafafa !important; border-color: #4a4d57 !important; }
.stApp :is(button[data-variant="segmented_control"], button[data-variant="pills"])[data-selected="true"] {
  background-color: rgba(255, 75, 75, 0.16) !important; color: #ff8080 !important; border-color: #ff4b4b !important; }
.stApp :is(button[data-variant="segmented_control"], button[data-variant="pills"])[data-selected="true"] p {
  color: #ff8080 !important; }
.stApp button[data-testid^="stBaseButton-tertiary"], .stApp button[data-testid^="stBaseButton-tertiary"] p {
  color: #fafafa !important; }
.stApp [data-testid="stCheckbox"] label:has(input:not([role="switch"])) > div:first-of-type {
  background-color: #262730 !important; border-color: #8a9098 !important; }
.stApp [data-testid="stCheckbox"] label:has(input:not([role="switch"]):checked) > div:first-of-type {
  background-color: #ff4b4b !important; border-color: #ff4b4b !important; }
.stApp [data-testid="stExpander"] details { border-color: #3a3f4b !important; }
.stApp [data-testid="stExpander"] summary { background-color: #0e1117 !important; color: #fafafa !important; }
.stApp [data-testid="stCode"] :is(> div, div:has(> div button)) { background-color: #1b1e27 !important; }
.stApp :is([data-testid="stCode"], [data-testid="stCode"] pre, code) { background-color: #1b1e27 !important;
  color: #e8eaed !important; }
.stApp [data-testid="stCode"] span { color: #e8eaed !important; }
.stApp [data-testid="stTable"] :is(table, th, td) { border-color: #3a3f4b !important; color: #fafafa; }
.stApp [role="tablist"] { border-color: #3a3f4b !important; }
.stApp [data-testid="stAlertContainer"] { background-color: rgba(80, 90, 110, 0.35) !important; }
.stApp [data-testid^="stAlertContent"], .stApp [data-testid^="stAlertContent"] p { color: #fafafa !important; }
.stApp [data-testid="stDataFrame"] { filter: invert(0.9) hue-rotate(180deg); }  /* a canvas: no CSS reaches its cells */
.picker button { background-color: #1b1e27 !important; border-color: #3a3f4b !important; color: #fafafa !important; }
"""

# The projector: larger reading type (not the controls': the run bar must keep its row at
# 1280×720), black text, darker secondary text and rules.
_PROJECTOR_CSS = """
:root { --nnp-ink: #000000; --nnp-muted: #303336; --nnp-rule: #5f6368; }
.stApp { color: #000000; }
.stMain [data-testid="stMarkdown"] :is(p, li) { font-size: 1.12rem; }
.stApp :is([data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, [data-testid="stWidgetLabel"] p) {
  color: #202124 !important; }
.stApp [data-testid="stCaptionContainer"] p { font-size: 0.98rem; }
.live-panel .stat-label { font-size: 1rem !important; }
.live-panel .stat-value { font-size: 2.1rem !important; }
.live-panel .cell-title { font-size: 1.08rem !important; }
.live-panel .live-note { font-size: 1rem !important; }
.stApp hr { border-color: #9aa0a6 !important; }
"""

THEME_CSS = {"light": "", "dark": _DARK_CSS, "projector": _PROJECTOR_CSS}


def legend_marks_css(theme: colors.Theme) -> str:
    """Legend marks that a page built once, at import, in the light theme's colours (the
    universal-approximation panel's titles, ``legend_html`` in ui/charts/approximation.py)
    drawn in this theme's: each light colour the theme changes is swapped on the marks'
    borders and fills, so a mark has the colour of the line it names."""
    light = colors.LIGHT
    pairs = {
        light.ink: theme.ink,
        light.muted: theme.muted,
        light.faint: theme.faint,
        light.blue: theme.blue,
        light.orange: theme.orange,
    }
    rules = []
    for old, new in pairs.items():
        if old.lower() != new.lower():
            mark = f'.live-panel .cell-title span[style*="{old}"]'
            rules.append(f"{mark} {{ border-color: {new} !important; }}")
            rules.append(f'.live-panel .cell-title span[style*="background:{old}"] {{ background: {new} !important; }}')
    return "\n".join(rules)


def chosen() -> tuple[str, str]:
    """This session's (theme, palette)."""
    state = st.session_state
    return state.get(K.THEME, "light"), state.get(K.PALETTE, "default")


def adopt(theme: str | None, palette: str | None) -> None:
    """A link's choice (each None when the link did not name it) becomes the session's."""
    if theme is not None:
        st.session_state[K.THEME] = theme
    if palette is not None:
        st.session_state[K.PALETTE] = palette


def _resolve() -> colors.Theme | None:
    """The theme of the session whose script thread this is (None outside a script run)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return None
    state = ctx.session_state
    return colors.make_theme(
        state[K.THEME] if K.THEME in state else "light", state[K.PALETTE] if K.PALETTE in state else "default"
    )


colors.set_resolver(_resolve)


def _forget_sent() -> None:
    """After a change of theme: every live panel of the session forgets what it sent, and
    sends every figure and picture again. (What it remembers are digests of what it sent,
    so a picture of another theme would not have matched anyway; this makes it plain.)"""
    suffix = panel_memory_key("")
    for key in [k for k in st.session_state if str(k).endswith(suffix)]:
        st.session_state.pop(key, None)


def _changed() -> None:
    """The Display menu's callback: the session takes the widgets' values."""
    theme = st.session_state.get(K.THEME_WIDGET) or "light"
    palette = st.session_state.get(K.PALETTE_WIDGET) or "default"
    if (theme, palette) != chosen():
        adopt(theme, palette)
        _forget_sent()


def control() -> None:
    """The Display menu at the top of the sidebar, the same on every page: theme and palette."""
    theme, palette = chosen()
    st.session_state[K.THEME_WIDGET] = theme
    st.session_state[K.PALETTE_WIDGET] = palette
    with st.sidebar.popover("Display", icon=":material/contrast:", key=K.MENU, width="stretch"):
        st.radio(
            "Theme",
            list(THEME_LABELS),
            format_func=THEME_LABELS.get,
            horizontal=True,
            key=K.THEME_WIDGET,
            on_change=_changed,
            help="Projector: larger type, thicker lines, stronger contrast, for 1280×720. "
            "In the page's address: `theme=dark`, `theme=projector`.",
        )
        st.radio(
            "Colours",
            list(PALETTE_LABELS),
            format_func=PALETTE_LABELS.get,
            horizontal=True,
            key=K.PALETTE_WIDGET,
            on_change=_changed,
            help="Colour-blind safe: Okabe and Ito's colours for the classes and for positive and negative. "
            "In the page's address: `palette=colorblind`.",
        )


def begin_run(menu: bool = True) -> colors.Theme:
    """The top of every full run of a page: the session's theme becomes this run's (the
    charts read it), its stylesheet is drawn, and (``menu``: not in presentation mode,
    which shows no sidebar) the Display menu."""
    theme = colors.use(*chosen())
    css = THEME_CSS[theme.name] + legend_marks_css(theme)
    if css:
        st.html(f"<style>{css}</style>")
    if menu:
        control()
    return theme
