"""The width-versus-depth scene (issue 17, scene 12), driven through Streamlit's AppTest:
the preset's link opens the sawtooth with the comparison ready; pressing *Train side by
side* trains the four networks, and the page says depth won, with the numbers the
engine computes for the same settings; the zigzag built by hand sits under it."""

import re

from streamlit.testing.v1 import AppTest

from engine.approximation import fit, make_target
from tests.app.conftest import ROOT
from ui.approximation.run import DepthComparison, depth_wins, preset_config, preset_url, settings_of
from ui.state import ApproxKeys as K


def open_url(url: str) -> AppTest:
    """The app's first page, then the page at ``url`` (its path and query)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    path, query = url.split("?")
    assert path == "/universal-approximation"
    for pair in query.split("&"):
        name, value = pair.split("=")
        at.query_params[name] = value
    at.switch_page("pages/universal_approximation.py").run()
    assert not at.exception, at.exception
    return at


def click(at, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def texts(at) -> list[str]:
    return [m.value for m in at.markdown]


def test_the_link_opens_the_sawtooth_and_the_page_says_depth_won_with_the_engine_s_numbers():
    at = open_url(preset_url())
    run = at.session_state[K.RUN]
    assert run.config == preset_config() and run.target.key == "sawtooth" and len(run.target.data) == 1000
    assert at.select_slider(key=K.LINK.widget("teeth")).value == 4
    assert at.select_slider(key=K.LINK.widget("budget")).value == 200
    assert at.selectbox(key=K.LINK.widget("depth_epochs")).value == 3000
    assert not any(b.label == "Open a sawtooth where depth wins" for b in at.button)  # already open
    assert K.DEPTH not in at.session_state
    assert not [t for t in texts(at) if "Trained," in t]

    click(at, "Train side by side")
    comparison = at.session_state[K.DEPTH]
    assert isinstance(comparison, DepthComparison)
    assert (comparison.target, comparison.teeth, comparison.budget, comparison.epochs, comparison.seed) == (
        "sawtooth",
        4,
        200,
        3000,
        0,
    )
    assert [r.depth for r in comparison.results] == [1, 2, 3, 4] and depth_wins(comparison)
    (verdict,) = [t for t in texts(at) if "Trained," in t]
    assert verdict.startswith("**Trained, depth won.** After 3,000 epochs each,")

    # The engine, on its own, for the two networks the verdict names: the same numbers.
    numbers = re.search(r"RMSE of \*\*([\d.]+)\*\* against \*\*([\d.]+)\*\* for one hidden layer of (\d+)", verdict)
    deep_rmse, shallow_rmse, width = float(numbers[1]), float(numbers[2]), int(numbers[3])
    config = preset_config()
    target, settings = make_target("sawtooth", 1000, 0.0, 0), settings_of(config)
    shallow = fit(target, [width], 3000, settings)
    sizes = re.search(r"\((1-[\d-]+-1), (\d+) parameters\)", verdict)
    deep = fit(target, [int(n) for n in sizes[1].split("-")[1:-1]], 3000, settings)
    assert shallow.sizes == (1, 66, 1) and int(sizes[2]) == deep.n_params
    assert (deep_rmse, shallow_rmse) == (round(deep.rmse, 4), round(shallow.rmse, 4))
    assert deep.rmse < shallow.rmse
    assert f"{shallow.rmse / deep.rmse:.2f} times lower" in verdict
    assert f"Max error: {deep.max_error:.4f} deep, {shallow.max_error:.4f} with one layer" in verdict

    # The table shows the same runs, and the zigzag built by hand follows the verdict.
    (table,) = at.table
    assert list(table.value["RMSE"]) == [round(r.rmse, 4) for r in comparison.results]
    order = texts(at)
    zigzag = next(i for i, t in enumerate(order) if t.startswith("**What depth can do**"))
    assert order.index(verdict) < zigzag
    assert "25 parameters in 4 layers of 2 relu neurons make 16 straight pieces" in verdict


def test_the_preset_button_opens_the_measured_setup():
    at = open_url("/universal-approximation?target=sin")
    (caption,) = [c.value for c in at.caption if "Its link:" in c.value]
    assert preset_url() in caption and "1,000 points" in caption and "200 parameters" in caption
    click(at, "Open a sawtooth where depth wins")
    assert at.session_state[K.RUN].config == preset_config()
    assert at.select_slider(key=K.LINK.widget("budget")).value == 200
    params = {k: (v if isinstance(v, str) else v[-1]) for k, v in at.query_params.items()}
    assert params == {"target": "sawtooth", "n_samples": "1000", "budget": "200"}
    assert any("width-versus-depth measurement" in i.value for i in at.info)
    assert not any(b.label == "Open a sawtooth where depth wins" for b in at.button)
