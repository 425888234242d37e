"""Hostile and careless input on the Playground (AppTest), issue 20: degenerate CSV data,
CSV names written as Markdown or HTML, UTF-16 files, targets too large to train on, and a
weights file whose own configuration does not fit its weights. Each gets a message in the
user's words; none changes the setup or shows markup it was given."""

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine.formula import MAX_LENGTH
from tests.app.conftest import ROOT, button, open_link, panels
from ui.playground import export
from ui.state import ApproxKeys
from ui.state import PlaygroundKeys as K

IMAGE = "![pixel](http://127.0.0.1:9/pixel.png)"  # Markdown that would fetch an image
LINK = "[click](http://example.invalid/)"  # Markdown that would be a link
ANCHOR = "<a href=http://example.invalid/>a</a>"  # HTML Plotly would draw as a link
BOLD = "<b>B</b>"  # HTML Plotly would draw in bold


def with_csv(text: str | bytes, name: str = "data.csv", params: dict | None = None):
    """The Playground opened at ``?dataset=csv`` (and ``params``) with this file uploaded."""
    at = open_link({"dataset": "csv", **(params or {})})
    data = text.encode() if isinstance(text, str) else text
    at.file_uploader(key=K.CSV).set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def messages(at) -> list[str]:
    """Every message, caption and Markdown text on the page, as its Markdown source."""
    return [e.value for kind in (at.warning, at.error, at.info, at.success, at.markdown, at.caption) for e in kind]


def charts(at) -> dict:
    """The first live panel's charts by id: a figure dict, or the HTML of a note (the trace)."""
    found = {}
    for chart in panels(at)[0]["charts"]:
        figure = chart["figure"]
        try:
            found[chart["id"]] = json.loads(figure) if isinstance(figure, str) else figure
        except json.JSONDecodeError:
            found[chart["id"]] = figure  # a note's HTML
    return found


def strings(tree) -> list[str]:
    """Every string in a JSON-like tree (a figure dict, a panel's payload)."""
    if isinstance(tree, str):
        return [tree]
    if isinstance(tree, dict):
        return [s for value in tree.values() for s in strings(value)]
    if isinstance(tree, list | tuple):
        return [s for value in tree for s in strings(value)]
    return []


# ---- 1. degenerate data --------------------------------------------------------------------


def test_a_csv_whose_features_are_constant_gets_a_message_not_a_traceback():
    at = with_csv("x1,x2,label\n5,5,0\n5,5,1\n5,5,0\n5,5,1\n")
    said = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert "every feature column holds one value only ('x1', 'x2'): nothing tells the rows apart" in said
    assert at.session_state[K.RUN] is None  # nothing to train, and nothing drawn from it


def test_a_csv_with_one_constant_feature_and_a_constant_target_draws_its_pictures():
    # x2 never changes and every target is 1.5: the plane and the colour scale have one
    # side of zero width, padded rather than divided by
    rows = "\n".join(f"{i},5,1.5" for i in range(12))
    at = with_csv(f"x1,x2,y\n{rows}\n")
    assert not at.warning
    button(at, "Step").click().run()
    assert not at.exception, at.exception
    drawn = charts(at)
    assert {"network", "output", "loss", "weights"} <= set(drawn)
    output = drawn["output"]["layout"]
    assert output["xaxis"]["range"][1] > output["xaxis"]["range"][0]
    assert output["yaxis"]["range"][1] > output["yaxis"]["range"][0]


# ---- 2. user text shown as text --------------------------------------------------------------


def hostile_csv(n_features: int) -> str:
    """Feature columns named as Markdown and HTML, class labels a Markdown link and bold.
    With two features the output picture's axes are named by them; with more, the network
    picture and the weight matrices name each input by its column."""
    names = [IMAGE, ANCHOR, BOLD][:n_features]
    rows = "\n".join(
        ",".join([*(str((i * (3 + k)) % (5 + k)) for k in range(n_features)), LINK if i % 2 else BOLD])
        for i in range(24)
    )
    return ",".join([*names, "label"]) + "\n" + rows + "\n"


@pytest.mark.parametrize("n_features", [2, 3])
def test_csv_names_become_no_markup_in_any_chart_or_the_trace(n_features):
    at = with_csv(hostile_csv(n_features), params={"trace": "row:3", "show_delta": "1"})
    button(at, "Step").click().run()
    assert not at.exception, at.exception
    drawn = charts(at)
    assert {"network", "weights", "trace", *(["output"] if n_features == 2 else [])} <= set(drawn)
    shown = strings(drawn) + strings(panels(at)[0]["stats"])
    for markup in (ANCHOR, BOLD, "<a ", "<b>B"):
        leaks = [s[:200] for s in shown if markup in s]
        assert not leaks, (markup, leaks)
    # ... and each name is there, as the characters typed (HTML-escaped for Plotly)
    escaped_anchor, escaped_bold = "&lt;a href=http://example.invalid/&gt;a&lt;/a&gt;", "&lt;b&gt;B&lt;/b&gt;"
    where = ["output"] if n_features == 2 else ["network", "weights", "trace"]
    for chart in where:
        assert escaped_anchor in json.dumps(drawn[chart]), chart
    assert escaped_bold in json.dumps(drawn["trace"])  # the class it predicts, by its label
    if n_features == 2:
        assert escaped_bold in json.dumps(drawn["output"])  # the legend names each class


def test_csv_names_in_messages_are_escaped_markdown():
    # a feature cell that is not a number: the message quotes the column's name and the cell
    rows = "\n".join(f"{LINK if i == 2 else i},{i},{i % 2}" for i in range(6))
    at = with_csv(f"{IMAGE},x2,label\n{rows}\n")
    said = [m for m in messages(at) if "pixel" in m]
    assert said, messages(at)
    for text in said:
        assert IMAGE not in text and LINK not in text  # as Markdown these would be an image and a link
        assert "\\!\\[pixel\\]" in text and "\\[click\\]" in text
        assert "http\\:" not in text.replace("\u2060http", "")  # no bare address for Markdown to link


def test_a_hostile_file_name_is_escaped_in_the_message():
    at = with_csv("just one line\n", name=f"{IMAGE}.csv")
    said = [w.value for w in at.warning]
    assert said and all(IMAGE not in text for text in said), said
    assert any("\\!\\[pixel\\]" in text for text in said)


# ---- 6. files in other encodings, data on another scale --------------------------------------


def test_a_utf16_csv_trains_and_is_not_called_a_workbook():
    text = "x1,x2,label\n" + "\n".join(f"{i},{(i * 3) % 5},{i % 2}" for i in range(12)) + "\n"
    at = with_csv(text.encode("utf-16"))  # what a spreadsheet saves as "Unicode text"
    assert not at.warning, [w.value for w in at.warning]
    assert at.session_state[K.RUN].user_data.feature_names == ("x1", "x2")


def test_targets_around_1e300_are_refused_as_data_not_blamed_on_the_learning_rate():
    rows = "\n".join(f"{i},{(i * i) % 7},{1e300 * i}" for i in range(20))
    at = with_csv(f"x1,x2,y\n{rows}\n")
    said = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert "a regression target may be at most 1e+150 in size" in said
    assert "divide the column by a power of ten" in said
    assert at.session_state[K.RUN] is None
    assert not any("learning rate" in m for m in messages(at) if "target" not in m)


# ---- 4. a refused import changes nothing -------------------------------------------------------


def import_file(at, name: str, data: bytes):
    """Open the share panel (its content is drawn only when open) and upload ``data``."""
    at.session_state[K.LINK.share_panel] = True
    at.run()
    at.file_uploader(key=K.IMPORT_FILE).set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    kind, text = at.session_state[K.IMPORT_MESSAGE]
    return kind, text.replace("\\", "")


def mismatched_weights(at) -> bytes:
    """The page's own 2 → 4 → 2 → 1 weights, saved with a configuration of one layer of 8."""
    run = at.session_state[K.RUN]
    config = {**run.config, "hidden": (8,), "learning_rate": 0.3}
    return export.weights_to_npz(run.network, config)


def test_weights_whose_own_configuration_does_not_fit_them_change_nothing(playground):
    at = playground
    before = dict(at.session_state[K.LINK.config])
    run_before = at.session_state[K.RUN]
    kind, said = import_file(at, "weights.npz", mismatched_weights(at))
    assert kind == "error"
    assert "do not fit" in said and "Nothing was changed." in said
    assert dict(at.session_state[K.LINK.config]) == before  # not the file's one layer of 8
    assert at.session_state[K.RUN] is run_before and tuple(run_before.network.sizes) == (2, 4, 2, 1)
    assert at.number_input(key=K.LINK.widget("learning_rate")).value == before["learning_rate"]


def test_weights_that_fit_their_configuration_are_loaded(playground):
    at = playground
    run = at.session_state[K.RUN]
    config = {**run.config, "learning_rate": 0.3}
    kind, said = import_file(at, "weights.npz", export.weights_to_npz(run.network, config))
    assert kind == "success", said
    assert at.session_state[K.LINK.config]["learning_rate"] == 0.3
    np.testing.assert_array_equal(at.session_state[K.RUN].network.W[0], run.network.W[0])


# ---- 6. a formula too long ------------------------------------------------------------------------


def test_a_formula_longer_than_200_characters_is_refused_with_a_message():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.query_params["target"] = "formula"
    at.switch_page("pages/universal_approximation.py").run()
    box = at.text_input(key=ApproxKeys.LINK.widget("formula"))
    assert box.max_chars is None or box.max_chars > MAX_LENGTH  # a box limit would drop the paste silently
    pasted = "+".join(["x"] * 130)  # 259 characters
    box.set_value(pasted).run()
    assert not at.exception, at.exception
    assert at.text_input(key=ApproxKeys.LINK.widget("formula")).value == pasted  # kept, to be shortened
    said = [e.value for e in at.sidebar.error]
    assert any("the formula is 259 characters long; at most 200" in text for text in said), said
    still = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert "Still training on f(x) = sin(3*x) + 0.5*x**2" in still


def test_csv_names_stay_text_through_every_stage_of_a_slow_step():
    at = with_csv(hostile_csv(2))
    button(at, "Slow step").click().run()
    seen_markdown, seen_charts = [], []
    for _ in range(4):  # forward, loss, backward, update
        assert not at.exception, at.exception
        seen_markdown += messages(at)
        seen_charts += [chart.proto.spec for chart in at.get("plotly_chart")]
        nexts = [b for b in at.button if b.key == K.SLOW_NEXT]
        if not nexts:
            break
        nexts[0].click().run()
    assert any("\\[click\\]" in m or "&lt;b&gt;" in m or "\\<b\\>" in m for m in seen_markdown), seen_markdown
    for text in seen_markdown:
        assert IMAGE not in text and LINK not in text and BOLD not in text, text
    for spec in seen_charts:
        assert ANCHOR not in spec and BOLD not in spec


# ---- 3. the upload limit --------------------------------------------------------------------------


def test_the_csv_uploader_takes_2_mb_and_says_its_limits():
    at = open_link({"dataset": "csv"})
    uploader = at.file_uploader(key=K.CSV)
    assert uploader.proto.max_upload_size_mb == 2  # the browser refuses a larger file (and says so)
    assert "At most 10,000 rows, 100 feature columns and 2,000,000 bytes." in uploader.help


def test_a_csv_over_the_loaders_limit_is_refused_with_its_size():
    # past the 2,000,000 bytes the loader takes but within the uploader's 2 MB of 2^20 bytes
    text = "x1,x2,label\n" + "1.000000000,2.000000000,0\n" * 80_000
    at = with_csv(text, name="big.csv")
    said = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert f"big.csv cannot be used: the file has {len(text):,} bytes; the limit is 2,000,000 bytes (2 MB)" in said
