"""Replay while comparing (issue 16), through AppTest: the "Replay: epoch" slider shows
runs A and B as they both were at that epoch (outputs, the loss mark, W_A − W_B, both
runs' stats), and Continue from here branches both runs from it; a run B that stopped
earlier stays where it stopped. The oracle: the same setups trained away from the page."""

import json
import re

from tests.app.conftest import button, matrix_cells, open_link, panels
from ui.playground.compare import build_b, train_both
from ui.playground.run import build_run, weight_tables
from ui.state import PlaygroundKeys as K


def slider(at):
    found = [s for s in at.select_slider if s.label == "Replay: epoch"]
    return found[0] if found else None


def stat(at, name: str) -> str | None:
    found = re.search(rf'id="stat-{name}">([^<]*)<', panels(at)[-1]["stats"])
    return found.group(1) if found else None


def chart(at, name: str) -> dict:
    return {c["id"]: c for c in panels(at)[-1]["charts"]}[name]


def figure(at, name: str) -> dict:
    return json.loads(chart(at, name)["figure"])


def pictures(at, name: str) -> list[str]:
    """The pictures a chart lays over its plot (the output's prediction and points)."""
    return [overlay["source"] for overlay in chart(at, name)["overlays"]]


def pair_at(config: dict, epochs: int):
    """Runs A and B of the same link trained ``epochs`` Steps away from the page."""
    run = build_run(config)
    for _ in range(epochs):
        train_both(run, 1)
    return run


def differences(fig: dict) -> dict[tuple[int, int, int], float]:
    """The W_A − W_B chart's cells as their hover texts give them: (layer, row, column) -> value."""
    return matrix_cells(fig, r"W(\d+)ᴬ − W\d+ᴮ ")


def test_the_slider_shows_both_runs_at_the_epoch_and_continue_branches_both():
    at = open_link({"compare": "learning_rate:0.3"})
    for _ in range(5):
        button(at, "Step").click().run()
    run = at.session_state[K.RUN]
    b = run.compare.run
    assert run.snapshots.epochs() == b.snapshots.epochs() == [0, 1, 2, 3, 4, 5]
    assert slider(at).options == ["0", "1", "2", "3", "4", "5 (now)"]
    live_b_output = pictures(at, "output_b")

    slider(at).set_value(2).run()
    assert not at.exception
    twin = pair_at(run.config, 2)
    twin_b = twin.compare.run
    assert run.replay == 2 and run.trainer.epoch == b.trainer.epoch == 5  # the runs are untouched
    assert stat(at, "replay") == "epoch 2 (replay)" and stat(at, "epoch") == "5"
    # both runs' losses are those of the networks at epoch 2 (4 decimals as shown)
    for prefix, oracle in (("", twin), ("b-", twin_b)):
        trainer = oracle.trainer
        assert (
            stat(at, f"{prefix}train-loss")
            == f"{oracle.network.loss(trainer.X_train, trainer.Y_train, trainer.loss):.4f}"
        )
        assert stat(at, f"{prefix}test-loss") == f"{trainer.history.test_loss[-1]:.4f}"
    assert stat(at, "train-loss") != stat(at, "b-train-loss")
    # B's output picture is B's at epoch 2, not the live one; the loss chart marks epoch 2
    assert pictures(at, "output_b") != live_b_output
    shapes = figure(at, "loss")["layout"]["shapes"]
    assert [(s["x0"], s["x1"]) for s in shapes] == [(2, 2)]
    # W_A − W_B is the difference of the two networks at epoch 2
    expected = [t_a - t_b for t_a, t_b in zip(weight_tables(twin.network), weight_tables(twin_b.network))]
    shown = differences(figure(at, "difference"))
    assert len(shown) == sum(d.size for d in expected)
    assert all(abs(v - expected[layer][i, j]) <= 5e-6 for (layer, i, j), v in shown.items())

    button(at, "Continue from here").click().run()
    assert not at.exception
    run = at.session_state[K.RUN]
    b = run.compare.run
    assert run.trainer.epoch == b.trainer.epoch == 2 and run.replay is None
    assert any("Continued runs A and B from epoch 2: the 3 later epochs were dropped." in i.value for i in at.info)
    assert run.network.params.tobytes() == twin.network.params.tobytes()
    assert b.network.params.tobytes() == twin_b.network.params.tobytes()
    assert list(b.trainer.history.epoch) == [0, 1, 2] and b.snapshots.epochs() == [0, 1, 2]
    button(at, "Step").click().run()  # both train on as if never trained further
    later = pair_at(run.config, 3)
    assert run.network.params.tobytes() == later.network.params.tobytes()
    assert b.network.params.tobytes() == later.compare.run.network.params.tobytes()


def test_a_run_b_that_stopped_earlier_is_shown_as_it_stopped_and_stays():
    at = open_link({"activation": "relu", "compare": "learning_rate:10"})  # B diverges at once
    for _ in range(8):
        button(at, "Step").click().run()
    run = at.session_state[K.RUN]
    b = run.compare.run
    assert b.diverged is not None and b.trainer.epoch < run.trainer.epoch == 8
    stopped = b.trainer.epoch
    later = max(e for e in slider(at).options[:-1] if int(e) >= stopped)
    slider(at).set_value(int(later)).run()
    assert not at.exception and stat(at, "replay") == f"epoch {later} (replay)"
    button(at, "Continue from here").click().run()
    run = at.session_state[K.RUN]
    assert run.trainer.epoch == int(later) and run.compare.run.trainer.epoch == stopped
    assert any(f"Run B stopped at epoch {stopped} and stays there." in i.value for i in at.info)


def test_replayed_b_is_run_b_from_the_page_not_a_rebuilt_one():
    """The oracle above (pair_at) builds B with build_b, as the page does: check it is B."""
    at = open_link({"compare": "activation:relu"})
    run = at.session_state[K.RUN]
    rebuilt = build_b(build_run(run.config)).run
    assert rebuilt.network.params.tobytes() == run.compare.run.network.params.tobytes()
