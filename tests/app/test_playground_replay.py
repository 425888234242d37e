"""Replay on the Playground (issue 16), driven through AppTest: Step a few epochs, move
the "Replay: epoch" slider back, and the pictures show the snapshot's weights; Continue
from here drops the later history; Play and Reset end replay."""

import json
import re

from tests.app.conftest import button, matrix_cells, open_link, panels
from ui.playground.run import build_run, train, weight_tables
from ui.state import PlaygroundKeys as K


def run_of(at):
    return at.session_state[K.RUN]


def charts(at) -> dict:
    (payload,) = panels(at)
    return {c["id"]: c for c in payload["charts"]}


def stats(at) -> str:
    (payload,) = panels(at)
    return payload["stats"]


def slider(at):
    found = [s for s in at.select_slider if s.label == "Replay: epoch"]
    return found[0] if found else None


def link_weights(at) -> list[float]:
    """The weights the network picture's links show (their hover texts, 4 decimals)."""
    figure = json.loads(charts(at)["network"]["figure"])
    texts = [t for trace in figure["data"] for t in (trace.get("text") or []) if isinstance(t, str)]
    return [float(m.group(1)) for t in texts if (m := re.search(r"weight ([-+]\d+\.\d+)", t))]


def matrix_entries(at) -> dict[tuple[int, int, int], float]:
    """The weight matrices' entries as their hover texts give them: (layer, row, column) -> value."""
    return matrix_cells(json.loads(charts(at)["weights"]["figure"]))


def expected_links(network) -> list[float]:
    return [round(float(w), 4) for W in network.W for w in W.ravel()]


def twin_at(config, epochs: int):
    """The same setup trained ``epochs`` epochs one Step at a time, away from the page."""
    twin = build_run(config)
    for _ in range(epochs):
        train(twin, 1)
    return twin


def test_the_slider_shows_the_network_as_it_was_and_continue_drops_the_later_epochs(playground):
    at = playground
    assert slider(at) is None  # nothing to go back to at epoch 0
    for _ in range(6):
        button(at, "Step").click().run()
    run = run_of(at)
    assert run.snapshots.epochs() == [0, 1, 2, 3, 4, 5, 6]
    assert slider(at).value == 6 and slider(at).options == [str(e) for e in range(6)] + ["6 (now)"]
    live_links = link_weights(at)
    assert live_links == expected_links(run.network)

    slider(at).set_value(2).run()
    assert not at.exception
    run = run_of(at)
    assert run.replay == 2 and run.trainer.epoch == 6  # the run itself is untouched
    twin = twin_at(run.config, 2)
    snapshot = run.snapshots.snapshot(2).params
    assert snapshot.tobytes() == twin.network.params.tobytes()
    # the network picture's links and the weight matrices show the snapshot's weights
    assert link_weights(at) == expected_links(twin.network) != live_links
    entries = matrix_entries(at)
    tables = weight_tables(twin.network)
    assert entries and all(abs(v - tables[layer][i, j]) <= 5e-6 for (layer, i, j), v in entries.items())
    # the stats line says so; the loss curve marks the epoch
    assert 'id="stat-replay">epoch 2 (replay)<' in stats(at)
    assert 'id="stat-epoch">6<' in stats(at)  # "Trained to epoch"
    shapes = json.loads(charts(at)["loss"]["figure"])["layout"]["shapes"]
    assert [(s["x0"], s["x1"]) for s in shapes] == [(2, 2)]

    button(at, "Continue from here").click().run()
    assert not at.exception
    run = run_of(at)
    assert run.trainer.epoch == 2 and run.replay is None
    assert list(run.trainer.history.epoch) == [0, 1, 2] and run.snapshots.epochs() == [0, 1, 2]
    assert run.network.params.tobytes() == snapshot.tobytes()
    assert any("Continued from epoch 2: the 4 later epochs were dropped." in i.value for i in at.info)
    assert 'id="stat-epoch">2<' in stats(at) and "stat-replay" not in stats(at)
    button(at, "Step").click().run()  # training on from the snapshot: as if never trained further
    assert run_of(at).network.params.tobytes() == twin_at(run.config, 3).network.params.tobytes()


def test_play_and_reset_end_replay(playground):
    at = playground
    for _ in range(3):
        button(at, "Step").click().run()
    slider(at).set_value(1).run()
    assert run_of(at).replay == 1
    button(at, "Step").click().run()  # training moves the live network on: back to it
    assert run_of(at).replay is None and slider(at).value == 4 and "stat-replay" not in stats(at)
    slider(at).set_value(0).run()
    assert 'id="stat-replay">epoch 0 (replay)<' in stats(at)
    at.toggle(key=K.LOOP.playing).set_value(True).run()
    assert not at.exception and slider(at) is None and run_of(at).replay is None
    at.toggle(key=K.LOOP.playing).set_value(False).run()
    button(at, "Reset").click().run()
    assert run_of(at).snapshots.epochs() == [0] and slider(at) is None


def test_the_health_chart_marks_the_replayed_epoch_in_every_panel():
    at = open_link({"show_health": "1"})
    for _ in range(3):
        button(at, "Step").click().run()
    slider(at).set_value(1).run()
    assert not at.exception
    layout = json.loads(charts(at)["health"]["figure"])["layout"]
    axes = [k for k in layout if k.startswith("xaxis")]
    lines = [s for s in layout["shapes"] if s["x0"] == s["x1"] == 1]
    # one line per panel, each on its own panel's axes, and the epoch named once
    assert len(axes) > 1 and sorted(s["xref"] for s in lines) == sorted("x" + k[5:] for k in axes)
    assert all(s["yref"] == layout["xaxis" + s["xref"][1:]]["anchor"] + " domain" for s in lines)
    assert [a["text"] for a in layout["annotations"] if a.get("text") == "epoch 1"] == ["epoch 1"]
    button(at, "Step").click().run()  # the live network again: no mark
    layout = json.loads(charts(at)["health"]["figure"])["layout"]
    assert not layout.get("shapes")
