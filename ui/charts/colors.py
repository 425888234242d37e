"""The playground's colours: TensorFlow Playground's orange (negative, class 0) and blue
(positive, class 1) around a middle grey, and distinct colours for k classes; per theme
(light, dark, projector) and palette (default, colorblind: Okabe–Ito).

Per session, never per process: chart builders read ``theme()``, which returns the
``Theme`` of the current context (a ``contextvars.ContextVar``). The Streamlit side
(``ui.live.theme``) sets it at the top of every full run of a page (``use``) and installs a
resolver that a run without it set (a live fragment's run on a fresh script thread, whose
context starts empty) calls once to read its session's choice. Outside Streamlit (tests,
benchmarks) it is the light theme with the default palette.
"""

import html
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

import numpy as np

THEMES = ("light", "dark", "projector")
PALETTES = ("default", "colorblind")

# TensorFlow Playground's colours (the light theme with the default palette).
ORANGE = "#f59322"
BLUE = "#0877bd"
MIDDLE = "#e8eaeb"
INK = "#202124"  # text and the training curves
# Diverging: orange for the low end, grey in the middle, blue for the high end.
DIVERGING = [[0.0, ORANGE], [0.5, MIDDLE], [1.0, BLUE]]
DEFAULT_CLASSES = (ORANGE, BLUE, "#2ca02c", "#9467bd", "#d62728")  # class 0, 1, 2, ...
FONT = {"family": "Source Sans Pro, sans-serif", "size": 13}

# Okabe & Ito (2008), "Color Universal Design": told apart with every common colour-vision
# deficiency. Classes 0 and 1 stay orange and blue, so the words naming them stay true.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
COLORBLIND_CLASSES = tuple(OKABE_ITO[n] for n in ("orange", "blue", "bluish green", "reddish purple", "vermillion"))


@dataclass(frozen=True)
class Theme:
    """Every colour and size a chart builder takes from the theme. ``health`` names the
    outline colours of dead and saturated neurons with the words a legend uses for them;
    ``optimizers`` the colour of each optimizer's path (other than sgd's, the ink)."""

    name: str = "light"
    palette: str = "default"
    dark: bool = False
    orange: str = ORANGE
    blue: str = BLUE
    middle: str = MIDDLE
    ink: str = INK  # text, frames and the training curves
    ink_name: str = "dark"  # what the words call the ink's colour
    muted: str = "#5f6368"  # secondary text and marks
    faint: str = "#9aa0a6"  # frames of nodes, guide lines
    paper: str = "#ffffff"  # the figure's background
    plot: str = "#ffffff"  # the plotting area's background
    grid: str = "#eceff1"
    zeroline: str = "#cfd4d8"
    backing: str = "rgba(255,255,255,0.85)"  # behind legends and labels drawn over a picture
    class_colors: tuple[str, ...] = DEFAULT_CLASSES
    health: dict = field(
        default_factory=lambda: {
            "dead": ("#d62728", "red"),
            "saturated": ("#9467bd", "purple"),
        }
    )
    optimizers: dict = field(default_factory=lambda: {"momentum": ORANGE, "rmsprop": "#2ca02c", "adam": "#9467bd"})
    font_size: float = 13
    line: float = 1.0  # line widths are multiplied by this
    marker: float = 1.0  # marker sizes likewise

    @property
    def diverging(self) -> list:
        """Orange (low) through the middle to blue (high), as a Plotly colorscale."""
        return [[0.0, self.orange], [0.5, self.middle], [1.0, self.blue]]

    @property
    def font(self) -> dict:
        return {"family": FONT["family"], "size": self.font_size, "color": self.ink}

    def lw(self, width: float) -> float:
        """A line width of the light theme, in this theme."""
        return round(width * self.line, 2)

    def ms(self, size: float) -> float:
        """A marker size of the light theme, in this theme."""
        return round(size * self.marker, 1)

    def axis(self, **extra) -> dict:
        """An axis's grid, zero line and tick colours."""
        return {"gridcolor": self.grid, "zerolinecolor": self.zeroline, "linecolor": self.faint, **extra}

    def key(self) -> tuple[str, str]:
        return (self.name, self.palette)


LIGHT = Theme()
_DARK = dict(
    dark=True,
    orange="#f59322",
    blue="#3b9ede",  # TensorFlow's blue, lighter: it reads on a dark ground
    middle="#3a3f47",
    ink="#e8eaed",
    ink_name="light",
    muted="#aab0b6",
    faint="#6f767e",
    paper="#0e1117",  # Streamlit's dark background
    plot="#0e1117",
    grid="#2b313b",
    zeroline="#4a515c",
    backing="rgba(14,17,23,0.85)",
)
_PROJECTOR = dict(
    orange="#ef7d00",  # stronger: a projector washes colours out
    blue="#005ea8",
    middle="#f2f2f2",
    ink="#000000",
    muted="#303336",
    faint="#70757a",
    grid="#d5d9dd",
    zeroline="#9aa0a6",
    font_size=17,
    line=1.7,
    marker=1.4,
)
_COLORBLIND = dict(
    orange=OKABE_ITO["orange"],
    blue=OKABE_ITO["blue"],
    class_colors=COLORBLIND_CLASSES,
    health={
        "dead": (OKABE_ITO["vermillion"], "vermillion"),
        "saturated": (OKABE_ITO["reddish purple"], "reddish purple"),
    },
    optimizers={
        "momentum": OKABE_ITO["orange"],
        "rmsprop": OKABE_ITO["bluish green"],
        "adam": OKABE_ITO["reddish purple"],
    },
)


@cache
def make_theme(name: str = "light", palette: str = "default") -> Theme:
    """The theme ``name`` (one of ``THEMES``) with the palette ``palette`` (one of
    ``PALETTES``); unknown names give the light theme, the default palette."""
    settings = {"light": {}, "dark": _DARK, "projector": _PROJECTOR}.get(name, {})
    colours = _COLORBLIND if palette == "colorblind" else {}
    theme = replace(
        LIGHT, name=name if name in THEMES else "light", palette=palette if palette in PALETTES else "default"
    )
    return replace(theme, **{**settings, **colours})


_CURRENT: ContextVar[Theme | None] = ContextVar("nn_playground_theme", default=None)
_resolvers: list[Callable[[], Theme | None]] = []  # code, not data: installed once at import


def set_resolver(resolve: Callable[[], Theme | None]) -> None:
    """Install the function that finds the theme of a context in which none was set (the
    Streamlit side: the session's choice). Idempotent."""
    _resolvers[:] = [resolve]


def theme() -> Theme:
    """The theme of this context: set by ``use``, else found by the resolver (and kept for
    the rest of this context), else the light theme."""
    current = _CURRENT.get()
    if current is None:
        current = next((t for t in (r() for r in _resolvers) if t is not None), LIGHT)
        _CURRENT.set(current)
    return current


def use(name: str = "light", palette: str = "default") -> Theme:
    """Make ``make_theme(name, palette)`` this context's theme; returns it."""
    chosen = make_theme(name, palette)
    _CURRENT.set(chosen)
    return chosen


class _ClassColors(Sequence):
    """The current theme's class colours, read at each use (for code that imported the
    name ``CLASS_COLORS``)."""

    def __getitem__(self, index):
        return theme().class_colors[index]

    def __len__(self) -> int:
        return len(theme().class_colors)


CLASS_COLORS = _ClassColors()


def hex_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


@lru_cache(maxsize=64)
def _tables(key: tuple[str, ...], n: int) -> np.ndarray:
    positions = np.linspace(0, 1, len(key))
    colors = np.array([hex_rgb(c) for c in key], dtype=float)
    t = np.linspace(0, 1, n)
    rgb = np.column_stack([np.interp(t, positions, colors[:, k]) for k in range(3)])
    table = np.column_stack([rgb, np.full(n, 255.0)]).round().astype(np.uint8)
    table.setflags(write=False)
    return table


def diverging_table(n: int = 256) -> np.ndarray:
    """(n, 4) uint8 RGBA of the current theme's diverging scale (read-only, shared by
    every session with the same colours: keyed by the colours, not by a session)."""
    t = theme()
    return _tables((t.orange, t.middle, t.blue), n)


def class_table() -> np.ndarray:
    """(k, 4) uint8 RGBA of the current theme's class colours (read-only)."""
    key = theme().class_colors
    return _class_table(key)


@lru_cache(maxsize=16)
def _class_table(key: tuple[str, ...]) -> np.ndarray:
    table = np.array([[*hex_rgb(c), 255] for c in key], dtype=np.uint8)
    table.setflags(write=False)
    return table


def symmetric_limit(*arrays: np.ndarray) -> float:
    """max |value| over the arrays (at least 1e-6): the half-width of a colour scale
    centred at 0."""
    m = max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)
    return max(m, 1e-6)


def plotly_text(text: str) -> str:
    """``text`` shown as plain text in a Plotly label (Plotly renders a subset of HTML:
    a user's ``<b>`` or ``<a href>`` must stay characters, not markup)."""
    return html.escape(str(text), quote=False)
