"""Compare, pure: the compare text (parsed, checked, in lasting form), run B's settings
and start, lockstep, and the compare panel's pictures."""

import numpy as np
import pytest

from ui.live.cadence import FrameWork
from ui.live.link import decode, encode
from ui.playground import compare
from ui.playground.config import DEFAULTS, SCHEMA
from ui.playground.run import build_run


def run_for(text: str, **settings):
    return build_run({**DEFAULTS, "n_samples": 200, **settings, "compare": text})


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("learning_rate:0.3", "learning_rate:0.3"),
        (" activation:RELU , hidden:8;8 ", "hidden:8;8,activation:relu"),
        ("hidden:none", "hidden:none"),
        ("optimizer:adam,learning_rate:1e-2", "optimizer:adam,learning_rate:0.01"),
        ("regularization:l2,regularization_rate:0.01", "regularization:l2,regularization_rate:0.01"),
        ("", ""),
    ],
)
def test_the_compare_text_in_its_lasting_form(text, normal):
    assert compare.normal_compare(text) == normal
    assert compare.normal_compare(normal) == normal  # stable


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("foo:1", "cannot change"),
        ("dataset:xor", "cannot change"),  # the data is A's
        ("learning_rate", "setting:value"),
        ("learning_rate:abc", "not a number"),
        ("learning_rate:50", "outside"),
        ("activation:nope", "choices"),
        ("hidden:8,8", "hidden:8;8"),
        ("learning_rate:0.1,learning_rate:0.2", "twice"),
        ("learning_rate:0.1" + ",x" * 100, "longer"),
    ],
)
def test_a_bad_compare_text_says_why(text, says):
    with pytest.raises(ValueError, match=says):
        compare.normal_compare(text)


def test_the_link_reads_and_writes_compare_with_a_notice_for_bad_values():
    link = decode(SCHEMA, {"compare": "activation:relu,hidden:8;8"})
    assert link.config["compare"] == "hidden:8;8,activation:relu" and not link.notices
    assert encode(SCHEMA, link.config) == {"compare": "hidden:8;8,activation:relu"}
    bad = decode(SCHEMA, {"compare": "learning_rate:oops<b>"})
    assert bad.config["compare"] == "" and len(bad.notices) == 1
    assert "compare" in bad.notices[0] and "<b>" not in bad.notices[0]  # no markup from the link


def test_run_b_is_run_a_with_its_settings_and_the_same_start():
    run = run_for("learning_rate:0.3,optimizer:momentum,regularization:l2,regularization_rate:0.01")
    b = compare.run_b(run)
    assert b.trainer.learning_rate == 0.3 and b.trainer.optimizer.name == "momentum" and b.trainer.l2 == 0.01
    assert run.trainer.learning_rate == 0.03 and run.trainer.optimizer.name == "sgd"
    assert b.config["compare"] == "" and b.config["dataset"] == run.config["dataset"]
    np.testing.assert_array_equal(run.network.params, b.network.params)  # bit-identical start
    np.testing.assert_array_equal(run.trainer.train_index, b.trainer.train_index)
    assert b.dataset is run.dataset and b.grid is run.grid


def test_identical_settings_stay_bit_identical_in_lockstep():
    run = run_for("learning_rate:0.03")  # A's own value: B is the same run
    for epochs in (1, 2, 7):
        compare.train_both(run, epochs)
        assert compare.weights_equal(run)
    assert run.trainer.epoch == compare.run_b(run).trainer.epoch == 10
    assert run.trainer.history.train_loss == compare.run_b(run).trainer.history.train_loss


def test_lockstep_within_a_budget_trains_both_the_same_epochs():
    run = run_for("learning_rate:0.3", speed="max")
    for _ in range(3):
        assert not compare.advance_both(run, FrameWork(budget=0.01, seconds=0.025))
    b = compare.run_b(run)
    assert run.trainer.epoch == b.trainer.epoch > 0
    assert run.trainer.history.train_loss[-1] != b.trainer.history.train_loss[-1]


def test_another_architecture_draws_from_the_same_seed_and_has_no_difference_picture():
    run = run_for("hidden:8;8,activation:relu")
    b = compare.run_b(run)
    assert b.network.sizes == (2, 8, 8, 1) and b.network.hidden_activation_names == ["relu", "relu"]
    assert not compare.same_architecture(run.network, b.network)
    np.testing.assert_array_equal(run.trainer.next_batch().rows, b.trainer.next_batch().rows)
    figures = compare.compare_figures(run, compare.EVERY, hover=True)
    assert figures["difference"] is None
    cells = {c["id"]: c for c in compare.frame(run, playing=False).charts}
    assert "another shape" in cells["difference"]["figure"]


def test_a_diverging_run_stops_alone_and_says_so():
    run = run_for("learning_rate:10", activation="relu", n_samples=500)  # B diverges at epoch 1
    for _ in range(30):
        compare.train_both(run, 20)
        if compare.run_b(run).diverged:
            break
    b = compare.run_b(run)
    assert b.diverged and run.diverged is None
    stopped_at = b.trainer.epoch
    compare.train_both(run, 5)
    assert b.trainer.epoch == stopped_at and not compare.stopped(run)
    assert any(m.startswith("Run B: Training diverged") and m.endswith("Run A goes on.") for m in compare.messages(run))


def test_a_b_that_cannot_train_says_why():
    run = run_for("loss:binary_cross_entropy,output_activation:tanh")
    assert compare.run_b(run) is None and "cross-entropy" in run.compare.problem


def test_the_pictures_two_outputs_two_loss_groups_and_the_difference():
    run = run_for("learning_rate:0.3")
    compare.train_both(run, 3)
    frame = compare.frame(run, playing=False)
    cells = {c["id"]: c for c in frame.charts}
    assert set(cells) == {"output", "output_b", "loss", "difference"}
    assert "Run A</b>: learning rate 0.03" in cells["output"]["title"]
    assert "Run B</b>: learning rate 0.3" in cells["output_b"]["title"]
    figures = compare.compare_figures(run, compare.EVERY, hover=True)
    traces = figures["loss"]["data"]
    assert [t["legendgrouptitle"]["text"] for t in traces] == ["A: learning rate 0.03"] * 2 + [
        "B: learning rate 0.3"
    ] * 2
    assert [t["line"]["dash"] for t in traces] == ["solid", "solid", "dash", "dash"]
    assert [t["name"] for t in traces] == ["training loss", "test loss"] * 2
    notes = [a["text"] for a in figures["difference"]["layout"]["annotations"]]
    assert any("W1ᴬ − W1ᴮ" in t for t in notes) and not any(t.startswith("<b>W1</b>") for t in notes)
    assert 'id="stat-epoch">3<' in frame.stats and 'id="stat-b-epoch">3<' in frame.stats
    assert 'id="stat-b-train-loss"' in frame.stats and 'id="stat-b-test-accuracy"' in frame.stats
    assert "train-accuracy" not in frame.stats  # one line for both runs


def test_the_difference_is_zero_at_the_start_and_live_pictures_while_playing():
    run = run_for("optimizer:adam")
    figures = compare.compare_figures(run, compare.EVERY, hover=True)
    assert np.nanmax(np.abs(np.asarray(figures["difference"]["data"][0]["z"], dtype=float))) == 0
    playing = compare.compare_figures(run, compare.EVERY, hover=False)
    assert playing["difference"]["layout"]["images"]  # one picture while playing


def test_live_settings_of_a_follow_to_b_but_not_those_b_changes():
    from ui.playground.run import apply_live_settings

    run = run_for("learning_rate:0.3")
    new = {**run.config, "learning_rate": 0.1, "batch_size": 20}
    apply_live_settings(run, new)
    compare.follow_live_settings(run)
    b = compare.run_b(run)
    assert b.trainer.learning_rate == 0.3 and b.trainer.batch_size == 20
