"""The Gradient descent page's controls: each part's run bar (Play, Step, Reset) with its
settings beside it, and the worked example's learning-rate presets. Each field's widget
key is ``K.LINK.widget(field)``; a field in ``hidden`` has no control (its value stays)."""

import streamlit as st

from ui.descent import session, text
from ui.descent.config import SCHEMA
from ui.live.widgets import run_bar
from ui.state import DescentKeys as K


def example_bar(hidden: frozenset) -> None:
    """The worked example's Play, Step and Reset, its learning rate and its pace."""
    rate, speed = run_bar(
        K.ONE,
        on_step=session.example_step,
        on_reset=session.example_reset,
        step_help="Take one step",
        reset_help="Back to w = 5",
        play_help="Take a step every tick; it stops by itself at the end",
        step_disabled=session.current().example.outcome() is not None,
        extra=(3.2, 1.8),
    )
    if "learning_rate" not in hidden:
        f = SCHEMA["learning_rate"]
        rate.slider(
            f.label,
            f.low,
            f.high,
            step=f.step,
            key=K.LINK.widget("learning_rate"),
            help="A new rate starts again from w = 5",
        )
    if "steps_per_second" not in hidden:
        f = SCHEMA["steps_per_second"]
        speed.select_slider(f.label, f.values, key=K.LINK.widget("steps_per_second"))


def presets(hidden: frozenset) -> None:
    """Buttons for the rates worth trying (none when the learning rate's control is hidden)."""
    if "learning_rate" in hidden:
        return
    row = st.container(horizontal=True, vertical_alignment="center")
    row.markdown("Try:")
    for value, label in text.PRESETS:
        row.button(f"{value:g} · {label}", key=K.preset(value), on_click=session.example_preset, args=(value,))


def race_bar(hidden: frozenset) -> None:
    """The race's Play, Step and Reset, its surface, learning rate and pace."""
    surface, rate, speed = run_bar(
        K.RACE,
        on_step=session.race_step,
        on_reset=session.race_reset,
        step_help="One step of all four",
        reset_help="Back to the start",
        play_help="Step all four every tick; it stops by itself after the last step",
        extra=(2.4, 2.2, 1.8),
    )
    if "race_surface" not in hidden:
        f = SCHEMA["race_surface"]
        surface.selectbox(f.label, f.choices, key=K.LINK.widget("race_surface"), format_func=text.SURFACE_LABELS.get)
    for name, column in (("race_learning_rate", rate), ("race_steps_per_second", speed)):
        if name not in hidden:
            column.select_slider(SCHEMA[name].label, SCHEMA[name].values, key=K.LINK.widget(name))
