"""Universal approximation: one hidden layer can approximate any continuous function on an
interval. Add neurons and watch the fit; sweep the width; compare width with depth.
Layout only: the logic lives in ui/approximation/."""

import streamlit as st

from ui.approximation import controls, session, text
from ui.approximation.config import SCHEMA
from ui.approximation.session import LINK
from ui.live.markdown import plain
from ui.live.widgets import gather, seed_widgets
from ui.state import ApproxKeys as K

config = LINK.read_once()  # a shared link's settings become the config before any widget is seeded
presenting = LINK.presenting()
hidden = LINK.hidden()
seed_widgets(K.LINK, config)
session.start_full_run()
controls.sidebar(LINK.sidebar_hidden())
config = gather(SCHEMA, K.LINK, config)
st.session_state[K.LINK.config] = config
LINK.write(config)  # the URL follows every change
session.sync_run(config)

LINK.presentation_header()
st.title(text.TITLE)
if not presenting:
    st.caption(text.CAPTION)
LINK.notice()
run = session.current()
problem = st.session_state.get(K.BUILD_ERROR)
if run is None:
    st.warning(plain(problem or "Nothing to train yet."), icon=":material/front_hand:")
else:
    controls.run_bar(run, hidden)
    if not presenting:  # presenting: under the pictures, which then fit a projector's screen
        controls.play_settings(hidden)
    notice = st.session_state.pop(K.NOTICE, None)
    if notice:
        st.info(notice, icon=":material/restart_alt:")
    if problem:
        st.warning(
            f"Still training on {plain(run.target.label)}: {plain(problem)}",
            icon=":material/front_hand:",
        )
    session.live_pictures()
    if presenting:
        controls.play_settings(hidden)
    else:
        controls.notes(run)
        controls.sweep_section(run.config, hidden)
        controls.depth_section(run, run.config, hidden)
        with st.expander(text.EXPLANATION_TITLE):
            st.markdown(text.EXPLANATION)
if not presenting:
    LINK.share_panel(config)
