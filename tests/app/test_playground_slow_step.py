"""The slow step on the Playground, driven through AppTest: Slow step, Next stage three
times, and the network is one training step further, bit for bit.

Needs the page's two lines: ``slow_step_button(session.current(), st)`` after the run bar
and ``slow_step_panel(run)`` after the live pictures (see ui/playground/slow_step_panel.py).
"""

import numpy as np

from tests.app.conftest import button
from ui.playground.run import build_run
from ui.state import PlaygroundKeys as K


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(parts + [h.value for h in at.subheader])


def run_of(at):
    return at.session_state[K.RUN]


def test_slow_step_walks_four_stages_and_trains_one_batch(playground):
    at = playground
    assert "Next: batch 1 of 25 of epoch 1." in texts(at)
    twin = build_run(run_of(at).config)
    button(at, "Slow step").click().run()
    assert not at.exception, at.exception
    assert "Slow step: batch 1 of 25 of epoch 1" in texts(at)
    assert "1 · Forward" in texts(at)
    assert button(at, "Slow step").disabled
    assert run_of(at).trainer.step == 0  # nothing trained yet
    button(at, "Next stage").click().run()
    assert "2 · Loss" in texts(at) and "The batch loss L is the mean over its 10 points" in texts(at)
    button(at, "Next stage").click().run()
    assert "3 · Backward" in texts(at) and "∂L/∂W" in texts(at)
    assert run_of(at).trainer.step == 0
    button(at, "Next stage").click().run()
    assert not at.exception, at.exception
    assert "4 · Update" in texts(at)
    assert "SGD: ΔW = −learning rate × ∂L/∂W = −0.03 × the gradient of stage 3" in texts(at)
    assert "Slow step: batch 1 of 25 of epoch 1" in texts(at)
    run = run_of(at)
    twin.trainer.train_batch()
    assert np.array_equal(run.network.params, twin.network.params)
    assert run.trainer.batch_position == (1, 25) and run.trainer.epoch == 0
    # Step finishes the epoch under way: Step's epoch, bit for bit.
    button(at, "Close").click().run()
    assert "Epoch 1 under way: batch 1 of 25 trained. Step finishes the epoch." in texts(at)
    button(at, "Step").click().run()
    twin.trainer.train(1)
    assert np.array_equal(run_of(at).network.params, twin.network.params)
    assert run_of(at).trainer.epoch == 1 and "Next: batch 1 of 25 of epoch 2." in texts(at)


def test_next_batch_slowly_and_cancel(playground):
    at = playground
    button(at, "Slow step").click().run()
    for _ in range(3):
        button(at, "Next stage").click().run()
    button(at, "Next batch, slowly").click().run()
    assert "Slow step: batch 2 of 25 of epoch 1" in texts(at) and "1 · Forward" in texts(at)
    button(at, "Cancel").click().run()
    assert not at.exception
    assert "Slow step:" not in texts(at)
    assert run_of(at).trainer.step == 1  # cancelled before its update: batch 2 not trained


def test_a_batch_size_change_ends_the_slow_step_and_says_why(playground):
    at = playground
    button(at, "Slow step").click().run()
    button(at, "Next stage").click().run()
    at.slider(key=K.LINK.widget("batch_size")).set_value(20).run()
    assert not at.exception
    assert "The slow step ended before its update: the batches changed (the batch size or the data)." in texts(at)
    assert "Slow step:" not in texts(at) and run_of(at).trainer.step == 0


def test_play_disables_the_slow_step_and_ends_one_under_way(playground):
    at = playground
    button(at, "Slow step").click().run()
    at.toggle(key=K.LOOP.playing).set_value(True).run()
    assert not at.exception
    assert "Slow step:" not in texts(at)
    assert "Play ended the slow step before its update" in texts(at)
    assert button(at, "Slow step").disabled and "Pause to take one step slowly." in texts(at)


def test_step_during_a_slow_step_ends_it_at_once(playground):
    at = playground
    button(at, "Slow step").click().run()
    button(at, "Next stage").click().run()
    button(at, "Step").click().run()
    assert not at.exception
    assert "The slow step ended before its update: the weights changed (Step, Play, an edit or an import)." in texts(at)
    assert not button(at, "Slow step").disabled  # in the same run, not one later
    assert "Next: batch 1 of 25 of epoch 2." in texts(at)
    assert run_of(at).trainer.epoch == 1 and run_of(at).slow_step is None


def test_after_the_update_step_closes_the_slow_step_quietly(playground):
    at = playground
    button(at, "Slow step").click().run()
    for _ in range(3):
        button(at, "Next stage").click().run()
    button(at, "Step").click().run()
    assert not at.exception
    assert "Slow step:" not in texts(at) and "ended" not in texts(at)
    assert run_of(at).trainer.epoch == 1 and run_of(at).trainer.step == 25
