"""A steady place on the page for what is drawn only sometimes above a live panel.

Streamlit places each element by its index among those drawn before it in its container.
A notice, a warning or the replay bar drawn in one run and not the next moves every element
after it one place up or down, the live panel among them. The browser then shows the panel
at its new place and keeps the old copy, faded, until the run ends: two panels on the page,
for seconds on a busy server (seen after Reset on the Playground, the replay bar gone).
Drawn inside a container that every run draws, such elements change that container's
contents only: the panel after it keeps its place (tests/app/test_live_panel_place.py).
"""

import streamlit as st


def steady_place():
    """A container drawn in every run, for elements drawn only sometimes: use it as a
    context manager (``with steady_place(): ...``) or call its methods (``.info(...)``)."""
    return st.container()
