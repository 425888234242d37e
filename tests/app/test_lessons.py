"""The Lessons page and the lesson bar, through AppTest: every built-in scene opens its page
with the setup its text describes (the page's config, its hidden controls) and the bar;
each scene's task is completed as a student would (sliders, Step, Slow step, an answer
typed) and the bar shows ✓; Previous and Next move through the deck; a link's scene=N
opens that scene; decks are built from a page's share panel, reordered, removed,
exported and imported (a bad file is refused, nothing changed)."""

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine import trace_point
from tests.app.conftest import ROOT, button
from ui.lessons.builtin import builtin_deck
from ui.lessons.run import deck_from_json, deck_to_json, deck_to_link, pages, scene_setup
from ui.lessons.session import PAGE_KEYS
from ui.live.cadence import FrameWork
from ui.live.markdown import plain
from ui.playground.run import train
from ui.playground.trace import traced
from ui.state import ApproxKeys, DescentKeys, LessonKeys, NeuronKeys, PlaygroundKeys

DECK = builtin_deck()


def lessons(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in (params or {}).items():
        at.query_params[name] = value
    at.switch_page("pages/lessons.py")
    at.run()
    assert not at.exception, at.exception
    return at


def follow(at: AppTest) -> AppTest:
    """After a run that switched pages (st.switch_page), AppTest's next run is of the page
    it was told: tell it the page the open scene is on, as the browser would be."""
    lesson = at.session_state[LessonKeys.ACTIVE]
    at.switch_page(pages()[lesson.scene.page].script)
    return at


def click(at: AppTest, label: str) -> AppTest:
    """Press a lesson-bar button (it opens another page) and follow it."""
    button(at, label).click().run()
    assert not at.exception, at.exception
    return follow(at)


def open_scene(at: AppTest, index: int) -> AppTest:
    [b for b in at.button if b.label == "Open"][index].click().run()
    assert not at.exception, at.exception
    return follow(at)


def bar(at) -> str:
    return " ".join(m.value for m in at.markdown if "lesson-counter" in m.value)


def task_done(at) -> bool:
    return any("Task** ✓" in s.value for s in at.success)


def task_text(at) -> str:
    return " ".join(e.value for e in [*at.info, *at.success] if "Task" in e.value)


def widget(at, key: str):
    """The widget with session-state key ``key``, whatever its kind."""
    for kind in ("slider", "select_slider", "number_input", "selectbox", "radio", "segmented_control"):
        try:
            return getattr(at, kind)(key=key)
        except (KeyError, AttributeError):
            continue
    raise KeyError(key)


def run_until_done(at, press: str, most: int) -> int:
    for n in range(1, most + 1):
        button(at, press).click().run()
        if task_done(at):
            return n
    raise AssertionError(f"not done after {most} presses of {press}: {task_text(at)}")


def test_the_lessons_page_lists_every_scene_with_its_task():
    at = lessons()
    titles = " ".join(m.value for m in at.markdown)
    for i, scene in enumerate(DECK.scenes, 1):
        assert f"**{i}. {plain(scene.title)}**" in titles
    assert any(f"0 of {len(DECK)} tasks done" in c.value for c in at.caption)
    assert [b.label for b in at.button].count("Open") == len(DECK)


@pytest.mark.parametrize("index", range(len(DECK)))
def test_every_scene_opens_its_page_with_its_setup(index):
    scene = DECK.scenes[index]
    at = open_scene(lessons(), index)
    keys = PAGE_KEYS[scene.page]
    setup = scene_setup(scene)
    assert at.session_state[keys.link.config] == setup.config
    assert at.session_state[keys.link.hidden] == frozenset(scene.hide)
    assert f"Scene {index + 1} of {len(DECK)}" in bar(at) and plain(scene.title) in bar(at)
    assert scene.task.text.split(" ")[0] in task_text(at) and not task_done(at)
    for name in scene.hide:  # the controls the scene hides are not drawn
        with pytest.raises(KeyError):
            widget(at, keys.link.widget(name))


def test_scene_1_a_neuron_done_with_the_bias_slider():
    at = open_scene(lessons(), 0)
    widget(at, NeuronKeys.LINK.widget("b")).set_value(2.0).run()  # z = 1.5 − 1 + 2 = 2.5
    assert task_done(at) and plain("a = sigmoid(z) = 0.924") in task_text(at)


def test_scene_2_the_weight_matrix_done_by_an_edited_weight():
    at = open_scene(lessons(), 1)
    run = at.session_state[PlaygroundKeys.RUN]
    assert run.network.sizes == (2, 3, 1)
    # The weight editor's table is a data editor, which AppTest cannot type into; it writes
    # the cell into the network as below (its own tests: tests/app/test_playground.py).
    run.network.W[0][0, 1] = 1.5
    at.run()
    assert task_done(at) and plain("W1[0, 1] is 1.500") in task_text(at)


def test_scene_3_forward_propagation_done_with_the_traced_output_typed():
    scene = DECK.scenes[2]
    at = open_scene(lessons(), 2)
    for _ in range(3):
        button(at, "Step").click().run()
    run = at.session_state[PlaygroundKeys.RUN]
    point, _ = traced(run)
    a = float(trace_point(run.network, point.inputs).layers[-1].a[0])
    at.number_input(key=LessonKeys.answer(scene.key)).set_value(round(a, 3) + 0.2).run()
    assert not task_done(at) and "look again" in task_text(at)
    at.number_input(key=LessonKeys.answer(scene.key)).set_value(round(a, 3)).run()
    assert task_done(at)


def test_scene_4_activations_done_with_tanh_and_a_negative_bias():
    at = open_scene(lessons(), 3)
    widget(at, NeuronKeys.LINK.widget("b")).set_value(-3.0).run()
    assert not task_done(at)  # step: 0 or 1, never negative
    widget(at, NeuronKeys.LINK.widget("activation")).set_value("tanh").run()
    assert task_done(at)


def test_scene_5_depth_needs_non_linearity_done_by_changing_the_activation():
    at = open_scene(lessons(), 4)
    for _ in range(5):
        button(at, "Step").click().run()
    assert not task_done(at)
    widget(at, PlaygroundKeys.LINK.widget("activation")).set_value("tanh").run()
    steps = run_until_done(at, "Step", 80)
    assert at.session_state[PlaygroundKeys.RUN].trainer.epoch == steps


def test_scene_6_xor_done_with_three_hidden_neurons():
    at = open_scene(lessons(), 5)
    button(at, "+").click().run()  # a hidden layer (of 4)
    run = at.session_state[PlaygroundKeys.RUN]
    assert run.network.sizes == (2, 4, 1)
    next(b for b in at.button if b.key == PlaygroundKeys.neurons_button(0, "minus")).click().run()
    run = at.session_state[PlaygroundKeys.RUN]
    assert run.network.sizes == (2, 3, 1) and not task_done(at)
    train(run, 599)  # Play's work, done here: AppTest does not tick the live fragment
    button(at, "Step").click().run()
    assert task_done(at) and "3 hidden neurons" in task_text(at)


def test_scene_7_loss_done_with_a_confident_wrong_prediction():
    at = open_scene(lessons(), 6)
    widget(at, NeuronKeys.LINK.widget("loss_prediction")).set_value(0.01).run()
    assert task_done(at) and plain("cross-entropy 4.61, quadratic 0.49") in task_text(at)


def test_scene_8_gradient_descent_done_in_eleven_steps():
    at = open_scene(lessons(), 7)
    assert run_until_done(at, "Step", 20) == 11
    assert at.session_state[DescentKeys.RUN].example.rows[0].new_w == pytest.approx(4.2)


def test_scene_9_the_learning_rate_done_at_one_half():
    at = open_scene(lessons(), 8)
    widget(at, DescentKeys.LINK.widget("learning_rate")).set_value(0.5).run()
    assert run_until_done(at, "Step", 5) == 5
    assert plain("learning rate 0.5, 5 steps, w = 1") in task_text(at)


def test_scene_10_backpropagation_done_through_the_slow_step():
    at = open_scene(lessons(), 9)
    button(at, "Slow step").click().run()
    for _ in range(2):
        button(at, "Next stage").click().run()
        assert not task_done(at)
    button(at, "Next stage").click().run()
    assert task_done(at)


def test_scene_11_universal_approximation_done_by_growing():
    from ui.approximation.run import advance

    at = open_scene(lessons(), 10)
    run = at.session_state[ApproxKeys.RUN]
    assert run.network.sizes[1] == 1 and run.config["grow"] == "add"
    while run.errors()[0] >= 0.05 and run.trainer.epoch < 200_000:
        advance(
            run, FrameWork(budget=0.05, seconds=0.025)
        )  # Play's frames, done here: AppTest does not tick the live fragment
    at.session_state[ApproxKeys.GREW] = True  # as the live update that grew it says
    at.run()
    assert task_done(at) and f"with {run.network.sizes[1]} neurons" in task_text(at)


def test_next_and_previous_move_through_the_deck_and_progress_is_kept():
    at = open_scene(lessons(), 0)
    widget(at, NeuronKeys.LINK.widget("b")).set_value(2.0).run()
    assert task_done(at)
    click(at, "Next").run()
    assert "Scene 2 of" in bar(at) and not task_done(at)
    click(at, "Previous").run()
    assert "Scene 1 of" in bar(at)
    assert task_done(at)  # done in this session: stays done (the scene starts afresh)
    button(at, "All scenes").click().run()
    at.switch_page("pages/lessons.py")
    assert any(f"1 of {len(DECK)} tasks done" in c.value for c in at.caption)
    assert any(m.value.startswith("**1. A neuron** ✓") for m in at.markdown)


def test_a_link_with_scene_opens_that_scene():
    at = follow(lessons({"scene": "8"})).run()
    assert "Scene 8 of" in bar(at) and at.session_state[DescentKeys.RUN] is not None
    assert at.session_state[DescentKeys.LINK.config]["learning_rate"] == 0.1


def test_a_deck_in_a_link_is_shown_and_opened():
    deck = json.loads(deck_to_json(DECK))
    deck["title"] = "Two scenes"
    deck["scenes"] = deck["scenes"][7:9]
    word = deck_to_link(deck_from_json(json.dumps(deck)))
    at = follow(lessons({"deck": word, "scene": "2"})).run()
    assert "Scene 2 of 2" in bar(at) and "The learning rate" in bar(at)
    assert at.session_state[DescentKeys.LINK.config]["learning_rate"] == 0.02
    bad = lessons({"deck": word[:-30]})
    assert any("deck" in w.value and "damaged" in w.value for w in bad.warning)
    assert any("A first lecture" in m.value for m in bad.markdown)  # the built-in lesson instead


def test_a_lecturer_builds_a_deck_from_the_pages_and_exports_it():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["dataset"] = "xor"
    at.run()
    at.session_state[PlaygroundKeys.LINK.share_panel] = True
    at.run()
    at.multiselect(key=PlaygroundKeys.LINK.share_hide).set_value(["noise"]).run()
    at.text_input(key=LessonKeys.NEW_TITLE).set_value("XOR <b>bold</b>").run()
    at.text_input(key=LessonKeys.NEW_NOTES).set_value("ask: why?").run()
    button(at, "Add to my deck").click().run()
    assert not at.exception
    at.switch_page("pages/gradient_descent.py").run()
    at.session_state[DescentKeys.LINK.share_panel] = True
    at.run()
    at.text_input(key=LessonKeys.NEW_TITLE).set_value("Descent").run()
    button(at, "Add to my deck").click().run()
    assert any("My deck has 2 scenes" in c.value for c in at.caption)
    deck = at.session_state[LessonKeys.MY_DECK]
    assert [s.title for s in deck.scenes] == ["XOR <b>bold</b>", "Descent"]
    assert deck.scenes[0].params == {"dataset": "xor"} and deck.scenes[0].hide == ("noise",)
    assert deck.scenes[0].notes == "ask: why?"

    at.switch_page("pages/lessons.py").run()
    widget(at, LessonKeys.SHOWN).set_value("mine").run()
    assert any("**1. XOR \\<b\\>bold\\</b\\>**" in m.value for m in at.markdown)  # shown as typed
    assert any("Speaker notes: ask" in c.value for c in at.caption)
    button_ = next(b for b in at.button if b.key == LessonKeys.scene_button("down", 0))
    button_.click().run()
    assert [s.title for s in at.session_state[LessonKeys.MY_DECK].scenes] == ["Descent", "XOR <b>bold</b>"]
    next(b for b in at.button if b.key == LessonKeys.scene_button("remove", 0)).click().run()
    assert [s.title for s in at.session_state[LessonKeys.MY_DECK].scenes] == ["XOR <b>bold</b>"]
    open_scene(at, 0)
    assert at.session_state[PlaygroundKeys.LINK.config]["dataset"] == "xor"
    assert at.session_state[PlaygroundKeys.LINK.hidden] == frozenset({"noise"})
    assert "Scene 1 of 1" in bar(at)
    assert not any("ask: why" in m.value for m in [*at.markdown, *at.caption])  # notes: not on the page
    assert np.isfinite(at.session_state[PlaygroundKeys.RUN].network.params).all()


def scene_index(kind: str) -> int:
    return next(i for i, s in enumerate(DECK.scenes) if s.task.kind == kind)


def test_scene_more_data_done_by_measuring_the_curve():
    at = open_scene(lessons(), scene_index("more_data"))
    assert at.session_state[PlaygroundKeys.LINK.config]["noise"] == 25
    at.session_state[PlaygroundKeys.DATA_CURVE_PANEL] = True  # unfold "More data"
    at.run()
    assert not task_done(at)
    button(at, "Measure the curve").click().run()
    assert not at.exception
    curve = at.session_state[PlaygroundKeys.RUN].data_curve
    last = curve.points[-1]
    assert task_done(at) and plain(f"{last.test_loss:.3g} with {last.n_train:,}") in task_text(at)


def test_scene_depth_versus_width_done_by_training_side_by_side():
    from ui.approximation.run import depth_outcome

    at = open_scene(lessons(), scene_index("depth_beats_width"))
    config = at.session_state[ApproxKeys.LINK.config]
    assert (config["target"], config["teeth"], config["budget"], config["n_samples"]) == ("sawtooth", 4, 200, 1000)
    assert not task_done(at)
    button(at, "Train side by side").click().run()
    assert not at.exception
    outcome = depth_outcome(at.session_state[ApproxKeys.DEPTH])
    assert task_done(at) and outcome.wins
    assert plain(f"one hidden layer RMSE {outcome.shallow.rmse:.3f}, {outcome.deep.depth} hidden layers") in task_text(
        at
    )
