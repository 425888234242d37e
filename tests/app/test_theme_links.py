"""Every page opened with ``?theme=dark&palette=colorblind``: no exception, the URL keeps
both after every run, the dark stylesheet is drawn and the live pictures are dark and in
Okabe–Ito's colours; a bad value gives the page's one notice; the sidebar's Display menu
changes the theme, the URL follows, and the choice holds on every page of the session."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import panels, url
from ui.charts.colors import make_theme
from ui.state import ThemeKeys

ROOT = Path(__file__).resolve().parents[2]
PAGES = {  # page script: a button on it that makes a full run
    "pages/playground.py": "Step",
    "pages/gradient_descent.py": None,
    "pages/the_neuron.py": None,
    "pages/universal_approximation.py": "Step",
    "pages/lessons.py": None,
}
DARK_BLIND = {"theme": "dark", "palette": "colorblind"}


def open_page(page: str, params: dict) -> AppTest:
    """A new session lands on the app, then opens ``page`` at ``?params`` (the Playground,
    the app's first page, directly at its link)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=40)
    if page == "pages/playground.py":
        at.query_params.update(params)
        at.run()
    else:
        at.run()
        at.switch_page(page)
        at.query_params.clear()
        at.query_params.update(params)
        at.run()
    assert not at.exception, at.exception
    return at


def stylesheets(at) -> str:
    return "".join(e.proto.body for e in at.get("html"))


def figures(at) -> list[dict]:
    return [json.loads(c["figure"]) for p in panels(at) for c in p["charts"] if c.get("kind") != "html" and c["figure"]]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_opens_dark_and_colourblind_and_keeps_them(page):
    at = open_page(page, DARK_BLIND)
    dark = make_theme("dark", "colorblind")
    assert {k: url(at).get(k) for k in DARK_BLIND} == DARK_BLIND
    assert at.session_state[ThemeKeys.THEME] == "dark" and at.session_state[ThemeKeys.PALETTE] == "colorblind"
    assert "--nnp-ink: #e8eaed" in stylesheets(at)  # the dark stylesheet
    assert not [w for w in at.warning if "link" in w.value]  # no notice: both were good
    drawn = figures(at)
    assert drawn or page == "pages/lessons.py", "the page's live panels show figures"
    for fig in drawn:
        font = fig["layout"].get("font", {})
        assert font.get("color") == dark.ink, (page, fig["layout"].get("font"))
    # after another full run, the URL still has them
    label = PAGES[page]
    if label:
        next(b for b in at.button if b.label == label).click().run()
    else:
        at.run()
    assert not at.exception, at.exception
    assert {k: url(at).get(k) for k in DARK_BLIND} == DARK_BLIND


def test_the_playgrounds_output_legend_is_okabe_ito():
    at = open_page("pages/playground.py", {**DARK_BLIND, "dataset": "blobs4"})
    output = next(json.loads(c["figure"]) for p in panels(at) for c in p["charts"] if c["id"] == "output")
    markers = [t["marker"]["color"] for t in output["data"] if t.get("name", "").startswith("class")]
    assert markers == ["#E69F00", "#0072B2", "#009E73", "#CC79A7"]
    assert output["layout"]["paper_bgcolor"] == make_theme("dark").paper or output["layout"]["paper_bgcolor"] == (
        "rgba(0,0,0,0)"  # the live panel makes a figure with a picture below it see-through
    )


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_bad_theme_or_palette_gives_one_notice_and_is_ignored(page):
    at = open_page(page, {"theme": "purple", "palette": "rainbow"})
    notices = [w.value for w in at.warning if "link" in w.value]
    assert len(notices) == 1, [w.value for w in at.warning]
    assert "`theme`: `purple` is not one of light, dark, projector" in notices[0] and "`palette`" in notices[0]
    assert "theme" not in url(at) and "palette" not in url(at)
    assert at.session_state[ThemeKeys.THEME] == "light" if ThemeKeys.THEME in at.session_state else True
    assert "--nnp-ink" not in stylesheets(at)


def test_the_display_menu_sets_the_theme_for_every_page_and_the_url_follows():
    at = open_page("pages/playground.py", {})
    assert "theme" not in url(at)
    theme = next(w for w in at.radio if w.label == "Theme")
    theme.set_value("projector").run()
    assert not at.exception, at.exception
    assert url(at).get("theme") == "projector" and at.session_state[ThemeKeys.THEME] == "projector"
    assert ".live-panel .stat-value { font-size: 2.1rem !important; }" in stylesheets(at)  # the projector's
    palette = next(w for w in at.radio if w.label == "Colours")
    palette.set_value("colorblind").run()
    assert url(at).get("palette") == "colorblind"
    # another page of the same session: the same look, in its URL too
    at.switch_page("pages/the_neuron.py")
    at.query_params.clear()
    at.run()
    assert not at.exception, at.exception
    assert url(at).get("theme") == "projector" and url(at).get("palette") == "colorblind"
    for fig in figures(at):
        assert fig["layout"]["font"]["size"] == make_theme("projector").font_size
    # back to light: the parameters leave the URL
    next(w for w in at.radio if w.label == "Theme").set_value("light").run()
    assert "theme" not in url(at) and url(at).get("palette") == "colorblind"
