"""Widgets every page shares: the configuration's widgets seeded from the lasting config
and read back through the page's schema, and the run bar (Play, Step, Reset).

Widget values vanish when their page is not shown, so each page's lasting configuration
lives under its ``LinkKeys.config`` and seeds the widgets whenever they are missing.
"""

import re
from collections.abc import Callable

import streamlit as st

from ui.live.loop import new_generation, next_draw, press
from ui.live.schema import Schema
from ui.state import LinkKeys, LoopKeys


def widget_value(value):
    """A configuration value as a widget holds it (widgets hold lists, not tuples)."""
    return list(value) if isinstance(value, tuple) else value


def seed_widgets(keys: LinkKeys, config: dict) -> None:
    """Give every field's widget the lasting config's value unless it already has one."""
    for name, value in config.items():
        st.session_state.setdefault(keys.widget(name), widget_value(value))


def set_widgets(keys: LinkKeys, config: dict) -> None:
    """Every field's widget takes ``config``'s value (from a callback: an import, a preset)."""
    for name, value in config.items():
        st.session_state[keys.widget(name)] = widget_value(value)


def gather(schema: Schema, keys: LinkKeys, config: dict) -> dict:
    """The configuration the widgets now show, made valid by the schema; a field without a
    widget keeps its value, and one whose widget holds what the field cannot take (no
    input feature chosen at all, say) keeps its last value and puts it back in the widget."""
    new = dict(config)
    for name in schema.names:
        key = keys.widget(name)
        value = st.session_state.get(key)
        if value is None:
            continue
        try:
            new[name] = schema.coerce(name, tuple(value) if isinstance(value, list) else value)
        except ValueError:
            st.session_state[key] = widget_value(config[name])
    return new


# Play is the page's main action: on a projector the pale track of a switched-off toggle
# vanished. The Play toggle gets a larger, darker switch and a bold label.
PLAY_CSS = """<style>
.{box} [data-testid="stWidgetLabel"] p {{ font-size: 1.15rem; font-weight: 700; }}
.{box} label > div:first-of-type {{ transform: scale(1.3); transform-origin: left center; margin-right: 0.55rem; }}
.{box} label:has(input:not(:checked)) > div:first-of-type {{ background-color: #5f6368; }}
</style>"""


def css_class(key: str) -> str:
    """The CSS class Streamlit gives a container made with ``key``."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def run_bar(
    loop: LoopKeys,
    *,
    on_step: Callable[[], None],
    on_reset: Callable[[], None],
    step_help: str = "Train one epoch",
    reset_help: str = "Back to the start, with the same initial weights",
    play_help: str = "Train continuously; switch off to pause",
    step_disabled: bool = False,
    extra: tuple[float, ...] = (2.2, 3.0),
) -> list:
    """Play, Step and Reset, in that order, on one row; returns the row's further columns
    (of relative widths ``extra``) for the page's own controls, such as its speed.

    Step and Reset pause, and each click of them is served once (``ui.live.loop.press``):
    no live update asked for before the click trains after it."""
    columns = st.columns([1.35, 0.9, 0.9, *extra], vertical_alignment="center")
    with columns[0].container(key=loop.play_box):
        st.html(PLAY_CSS.format(box=css_class(loop.play_box)))
        # Play and Pause move the run's generation on too: an update asked for before a
        # Pause never trains after it, even if the Pause's full run is cut short.
        st.toggle("Play", key=loop.playing, help=play_help, on_change=new_generation, args=(loop,))
    drawn = next_draw(loop)
    columns[1].button(
        "Step",
        key=loop.step,
        on_click=press,
        args=(loop, loop.step, drawn, on_step),
        help=step_help,
        disabled=step_disabled,
        width="stretch",
    )
    columns[2].button(
        "Reset",
        key=loop.reset,
        on_click=press,
        args=(loop, loop.reset, drawn, on_reset),
        help=reset_help,
        width="stretch",
    )
    return columns[3:]


def set_button(container, label: str, *, key: str, setting: str, value, **button_options) -> bool:
    """A button in ``container`` that sets session-state key ``setting`` to ``value``,
    worked out now, as the button is drawn (e.g. the neurons it shows plus one), never
    from the session's value when clicked. While Play is on, Streamlit may dispatch one
    click twice (in a live fragment's run whose request carried it, then in the click's own
    full run: see ``ui.live.loop``); a callback that added one to the session's value added
    two (8 of 44 "+" clicks on the Playground while playing), one that sets a value drawn
    with the button sets the same value twice."""
    return container.button(label, key=key, on_click=_set_setting, args=(setting, value), **button_options)


def _set_setting(setting: str, value) -> None:
    st.session_state[setting] = value
