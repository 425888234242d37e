"""Themes and palettes: the colour-blind palette is Okabe–Ito's, figures built under a
theme carry its colours, the link codec reads and writes theme= and palette=, and two
sessions (two threads, two contexts) building figures at once never see each other's."""

import contextvars
import threading

import numpy as np
import pytest

from ui.charts import colors, loss_figure, network_figure, output_figure, weights_figure
from ui.charts.colors import OKABE_ITO, class_table, diverging_table, make_theme, theme, use
from ui.charts.health import health_figure
from ui.charts.network import HEALTH_OUTLINES, health_outlines
from ui.charts.previews import dataset_preview_svg
from ui.live import link as codec
from ui.playground.config import SCHEMA


def in_context(fn, *args):
    """``fn(*args)`` in a fresh context, as a new script thread starts: no theme set."""
    return contextvars.Context().run(fn, *args)


def output(n_classes: int = 2) -> dict:
    grid = np.linspace(-6, 6, 8)
    prediction = np.tanh(grid[None, :] + grid[:, None]) if n_classes == 2 else np.zeros((8, 8))
    names = tuple(f"class {k}" for k in range(n_classes))
    return output_figure(grid, grid, prediction, n_classes=n_classes, class_names=names)


def network() -> dict:
    W = [np.array([[0.5, -1.0, 2.0], [-0.3, 0.1, 0.9]]), np.array([[1.0], [-1.0], [0.2]])]
    b = [np.zeros(3), np.zeros(1)]
    images = [[np.zeros((5, 5))] * 2, [np.zeros((5, 5))] * 3, [np.zeros((5, 5))]]
    labels = [["X₁", "X₂"], ["h1", "h2", "h3"], ["ŷ"]]
    return network_figure(labels, images, W, b, ["input", "hidden", "output"])


def legend_colors(fig: dict) -> list[str]:
    return [t["marker"]["color"] for t in fig["data"] if t.get("name", "").startswith("class")]


def history() -> dict:
    return {"epoch": [0, 1, 2], "train_loss": [1.0, 0.5, 0.3], "test_loss": [1.1, 0.6, 0.4]}


# ---- the palettes and themes ----------------------------------------------------------------


def test_the_colorblind_class_colours_are_okabe_ito():
    t = make_theme("light", "colorblind")
    okabe = {v.upper() for v in OKABE_ITO.values()}
    assert all(c.upper() in okabe for c in t.class_colors)
    assert t.class_colors[:2] == ("#E69F00", "#0072B2")  # Okabe–Ito orange and blue: still orange and blue
    assert len(set(t.class_colors)) == 5  # five classes, five colours
    assert (t.orange, t.blue) == ("#E69F00", "#0072B2")  # the diverging scale's ends
    assert t.diverging[0][1] == "#E69F00" and t.diverging[-1][1] == "#0072B2"
    # the health outlines are named by the colours drawn
    assert health_outlines(t)["dead"] == (OKABE_ITO["vermillion"], "vermillion: dead (0 on every training point)")
    assert health_outlines(t)["saturated"][1].startswith("reddish purple: ")


def test_the_default_theme_is_tensorflow_playgrounds():
    t = in_context(theme)
    assert (t.name, t.palette) == ("light", "default")
    assert t.class_colors[:2] == (colors.ORANGE, colors.BLUE) and t.diverging == colors.DIVERGING
    assert health_outlines(t) == HEALTH_OUTLINES


def test_unknown_names_give_the_light_default():
    t = make_theme("purple", "rainbow")
    assert (t.name, t.palette) == ("light", "default") and t.class_colors == colors.DEFAULT_CLASSES


@pytest.mark.parametrize("name", colors.THEMES)
@pytest.mark.parametrize("palette", colors.PALETTES)
def test_figures_built_under_a_theme_carry_its_colours(name, palette):
    def build():
        t = use(name, palette)
        return t, output(2), output(3), loss_figure(history()), network()

    t, two, three, loss, net = in_context(build)
    for fig in (two, loss, net):
        assert fig["layout"]["font"]["color"] == t.ink
        assert fig["layout"]["paper_bgcolor"] == t.paper and fig["layout"]["font"]["size"] == t.font_size
    assert legend_colors(two) == list(t.class_colors[:2])
    assert legend_colors(three) == list(t.class_colors[:3])
    lines = {tr["name"]: tr["line"] for tr in loss["data"]}
    assert lines["training loss"]["color"] == t.ink and lines["test loss"]["color"] == t.orange
    assert lines["training loss"]["width"] == pytest.approx(2 * t.line, abs=0.01)
    link_colors = {tr["line"]["color"] for tr in net["data"] if tr.get("mode") == "lines"}
    assert link_colors <= {t.blue, t.orange} and link_colors


def test_the_dark_theme_is_dark_and_the_projector_larger():
    dark, light, projector = make_theme("dark"), make_theme("light"), make_theme("projector")
    luminance = lambda c: sum(colors.hex_rgb(c)) / 3
    assert luminance(dark.paper) < 40 < 200 < luminance(dark.ink)
    assert luminance(light.paper) > 200 > 60 > luminance(light.ink)
    assert projector.font_size > light.font_size and projector.line > 1 and projector.marker > 1


def test_pictures_take_the_themes_lookup_tables():
    def tables(name, palette):
        use(name, palette)
        return diverging_table(256), class_table()

    default, _ = in_context(tables, "light", "default")
    blind, blind_classes = in_context(tables, "light", "colorblind")
    dark, _ = in_context(tables, "dark", "default")
    assert tuple(default[0, :3]) == colors.hex_rgb(colors.ORANGE)
    assert tuple(blind[0, :3]) == colors.hex_rgb("#E69F00") and tuple(blind[-1, :3]) == colors.hex_rgb("#0072B2")
    assert tuple(blind_classes[2, :3]) == colors.hex_rgb(OKABE_ITO["bluish green"])
    assert tuple(dark[128, :3]) != tuple(default[128, :3])  # the dark theme's middle is dark
    assert not default.flags.writeable  # shared by every session: nobody may paint on it


def test_cached_previews_never_take_a_sessions_palette():
    """The dataset previews are cached for every session: their colours are an argument."""
    X, y = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]), np.array([0, 1, 2])
    plain = in_context(lambda: dataset_preview_svg(X, y, 3))
    blind = in_context(lambda: (use("dark", "colorblind"), dataset_preview_svg(X, y, 3))[1])
    assert plain == blind and "#2ca02c" in plain


# ---- one session's theme never reaches another's ---------------------------------------------


def test_two_sessions_build_figures_at_once_each_in_its_own_theme():
    """Two script threads (as two students' sessions), each with its own context and
    theme, build figures interleaved step by step: each gets its own colours only."""
    barrier = threading.Barrier(2)
    results: dict[str, list] = {}
    errors = []

    def session(name: str, palette: str) -> None:
        try:
            use(name, palette)
            got = []
            for _ in range(20):
                barrier.wait(timeout=10)  # both have set their theme; now both build
                fig, loss = output(3), loss_figure(history())
                got.append((fig["layout"]["paper_bgcolor"], tuple(legend_colors(fig)), loss["layout"]["font"]["color"]))
                got.append(("health", health_figure([0, 1], {}, [])["layout"]["paper_bgcolor"]))
            results[name] = got
        except Exception as e:  # reported below, in the test's thread
            errors.append(e)

    threads = [threading.Thread(target=session, args=args) for args in (("dark", "colorblind"), ("light", "default"))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert not errors, errors
    dark, light = make_theme("dark", "colorblind"), make_theme("light", "default")
    assert set(results["dark"]) == {(dark.paper, dark.class_colors[:3], dark.ink), ("health", dark.paper)}
    assert set(results["light"]) == {(light.paper, light.class_colors[:3], light.ink), ("health", light.paper)}


def test_a_context_without_a_theme_asks_the_resolver_once():
    """A live fragment's run on a fresh script thread: no theme set, the resolver (the
    session's choice) gives it, and the context keeps it."""
    calls = []

    def resolver():
        calls.append(1)
        return make_theme("projector", "colorblind")

    saved = list(colors._resolvers)
    colors.set_resolver(resolver)
    try:
        first, second = in_context(lambda: (theme(), theme()))
        assert (first.name, first.palette) == ("projector", "colorblind") and second is first
        assert len(calls) == 1
        colors.set_resolver(lambda: None)  # outside a script run: the light default
        assert in_context(theme).name == "light"
    finally:
        colors._resolvers[:] = saved


def test_the_weights_picture_follows_the_theme():
    W = [np.array([[0.5, -0.5]])]

    def build(palette):
        use("light", palette)
        return weights_figure(W, [["X₁"]], [["h1", "h2"]], hover=False)["layout"]["images"][0]["source"]

    assert in_context(build, "default") != in_context(build, "colorblind")


# ---- the link ----------------------------------------------------------------------------------


def test_a_link_names_theme_and_palette():
    link = codec.decode(SCHEMA, {"theme": "Dark", "palette": "colorblind"})
    assert (link.theme, link.palette, link.notices) == ("dark", "colorblind", ())
    assert codec.decode(SCHEMA, {}).theme is None  # not named: the session keeps its own


def test_a_bad_theme_or_palette_is_noticed_and_ignored():
    link = codec.decode(SCHEMA, {"theme": "purple", "palette": "<b>x</b>"})
    assert (link.theme, link.palette) == (None, None)
    assert len(link.notices) == 2 and "`theme`: `purple` is not one of light, dark, projector" in link.notices[0]
    assert "<b>" not in link.notices[1]


def test_encode_writes_theme_and_palette_when_not_the_default():
    config = SCHEMA.defaults()
    assert codec.encode(SCHEMA, config) == {}
    assert codec.encode(SCHEMA, config, theme="projector", palette="colorblind") == {
        "theme": "projector",
        "palette": "colorblind",
    }
    params = codec.encode(SCHEMA, config, theme="dark")
    assert codec.decode(SCHEMA, params).theme == "dark"


def test_the_loss_explanation_names_the_training_curve_in_its_drawn_colour():
    """The training curve is drawn in the theme's ink; the words call it by that colour."""
    from ui.playground.text import explanation

    for name, words in (("light", "The dark line"), ("dark", "The light line")):
        assert words in explanation("loss", make_theme(name).ink_name)
    ctx = contextvars.copy_context()

    def built_in_dark():
        use("dark")
        figure = loss_figure({"epoch": [0, 1], "train_loss": [1.0, 0.5], "test_loss": [1.0, 0.6]}, log_scale=False)
        return figure["data"][0]["line"]["color"], theme().ink, theme().ink_name

    drawn, ink, ink_name = ctx.run(built_in_dark)
    assert drawn == ink and ink_name == "light"
