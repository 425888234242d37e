"""The Gradient descent page: one weight by hand, then four optimizers on a neuron's
(w, b) loss surface, each part with its own Play loop. Layout only: the logic lives in
ui/descent/."""

import streamlit as st

from ui.descent import controls, session, text
from ui.descent.session import LINK

session.start_full_run()
config = LINK.begin()  # a shared link's settings first, then the widgets' (drawn below)
presenting = LINK.presenting()
hidden = LINK.sidebar_hidden()  # presentation mode: no settings at all
session.sync_run(config)

LINK.heading(text.TITLE, text.CAPTION)
LINK.notice()

if presenting:
    st.subheader(text.EXAMPLE_HEADER)
else:  # the intro opens with the part's name: one heading less, the pictures above the fold at 1440×900
    st.markdown(f"**{text.EXAMPLE_HEADER}.** {text.EXAMPLE_INTRO}")
controls.example_bar(hidden)
controls.presets(hidden)
session.example_pictures()  # the pictures, then the divergence threshold and the table

st.divider()
st.subheader(text.RACE_HEADER)
if not presenting:
    st.markdown(text.RACE_INTRO)
controls.race_bar(hidden)
session.race_pictures()
if not presenting:
    with st.expander(text.RULES_TITLE):
        st.markdown(text.RULES)
    LINK.share_panel(config)
