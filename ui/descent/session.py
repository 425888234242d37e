"""The Gradient descent page's run in this session: kept in step with the config, the
Step and Reset callbacks of both parts, and their live updates (each part has its own
Play loop, ``K.ONE`` and ``K.RACE``)."""

import streamlit as st

from ui.descent import figures, run, text
from ui.descent.config import SCHEMA
from ui.descent.run import DescentRun, Example
from ui.live.loop import honour_pause_request, interval, new_generation, play_update, training_lock
from ui.live.panel import forget_sent
from ui.live.share import PageLink
from ui.state import DescentKeys as K

LINK = PageLink(SCHEMA, K.LINK)


def current() -> DescentRun:
    return st.session_state[K.RUN]


def _example_seconds() -> float:
    """The worked example's pace: seconds per step (one step a frame)."""
    return 1.0 / st.session_state[K.LINK.config]["steps_per_second"]


def _race_plan() -> tuple[float, int]:
    """The race's pace: (seconds per frame, steps per frame)."""
    return run.frame_plan(st.session_state[K.LINK.config]["race_steps_per_second"])


def start_full_run() -> None:
    """At the top of a full run: a live update's request to pause takes effect."""
    honour_pause_request(K.ONE)
    honour_pause_request(K.RACE)


def sync_run(config: dict) -> None:
    """Keep the session's run in step with the config (see ``run.sync``)."""
    if K.RUN not in st.session_state:
        st.session_state[K.RUN] = run.build_run(config)
        return
    example, race = current().example, current().race
    with training_lock():  # never while a live update of this session is stepping
        run.sync(current(), config)
    # A part started again: no live update asked for before trains the new one.
    if current().example is not example:
        new_generation(K.ONE)
    if current().race is not race:
        new_generation(K.RACE)


# ---- one weight ------------------------------------------------------------------------------


def example_step() -> None:
    """One step (the Step button: ``ui.live.loop.press`` pauses first)."""
    with training_lock():
        current().example.step()


def example_reset() -> None:
    """Back to w = 5 at the same rate."""
    current().example = Example(current().example.learning_rate)
    st.session_state[K.ONE.playing] = False


def example_preset(rate: float) -> None:
    """A preset's button: its rate, from w = 5 (even when the rate was already chosen)."""
    st.session_state[K.LINK.widget("learning_rate")] = rate
    current().example = Example(rate)
    new_generation(K.ONE)  # no live update asked for before trains the new example


def _example_live() -> None:
    """A step per frame while playing; the stats, both charts, the end, the divergence
    threshold (not in presentation mode: the pictures first) and the table."""
    example = current().example
    play_update(
        K.ONE,
        advance=lambda _work: example.step(),  # one step a frame: each step is the lesson
        frame=lambda _playing: figures.example_frame(example, projector=LINK.presenting()),
        grid=figures.EXAMPLE_GRID,
        frame_seconds=_example_seconds(),
    )
    ended = text.outcome_message(example)
    if ended:
        kind, words = ended
        getattr(st, kind)(words, icon=":material/warning:" if kind == "error" else None)
    if not LINK.presenting():
        st.info(text.threshold_text(), icon=":material/straighten:")
    st.markdown(text.table_heading(example.learning_rate))
    if example.rows:
        height = min(38 + 35 * len(example.rows), 460)
        st.dataframe(figures.example_table(example), hide_index=True, width="stretch", height=height)
    else:
        st.caption(text.NO_STEPS)


def example_pictures() -> None:
    """The worked example's live panel, its end and its table, updated in place."""
    forget_sent(K.ONE.panel)  # a full run: the panel may be new in the browser
    # Made a fragment in every full run: its interval follows the Play toggle and the pace.
    st.fragment(_example_live, run_every=interval(K.ONE, _example_seconds()))()


# ---- the optimizer race ----------------------------------------------------------------------


def race_step() -> None:
    """Every optimizer's step (the Step button: ``ui.live.loop.press`` pauses first)."""
    with training_lock():
        current().race.step()


def race_reset() -> None:
    """Back to the race's start (the clicked one, if any)."""
    current().race = run.restart(current().race)
    st.session_state[K.RACE.playing] = False


def _race_live() -> None:
    """Every optimizer's steps while playing; the stats, the map and the fits; a click on
    the map starts the race again from there."""
    race = current().race
    seconds, _ = _race_plan()
    steps_per_second = st.session_state[K.LINK.config]["race_steps_per_second"]
    result = play_update(
        K.RACE,
        advance=lambda work: race.play(steps_per_second, work.seconds),
        frame=lambda _playing: figures.race_frame(race, projector=LINK.presenting()),
        grid=figures.RACE_GRID,
        frame_seconds=seconds,
    )
    click = getattr(result, "click", None)
    if click and click.get("chart") == "surface":
        fresh = run.start_at(race, float(click["x"]), float(click["y"]))
        if fresh is not None:
            with training_lock():
                current().race = fresh
            st.rerun(scope="fragment")  # this run's pictures were drawn before the click was read
    diverged = race.divergence()
    if diverged:
        st.error(diverged, icon=":material/warning:")
    if race.outcome() == "limit":
        st.info(text.RACE_ENDED, icon=":material/flag:")


def race_pictures() -> None:
    """The race's live panel, updated in place."""
    forget_sent(K.RACE.panel)
    st.fragment(_race_live, run_every=interval(K.RACE, _race_plan()[0]))()
