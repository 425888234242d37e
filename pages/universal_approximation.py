"""Universal approximation: one hidden layer can approximate any continuous function on an
interval. Add neurons and watch the fit; sweep the width; compare width with depth.
Layout only: the logic lives in ui/approximation/."""

import streamlit as st

from ui.approximation import controls, session, text
from ui.approximation.session import LINK
from ui.live.markdown import plain
from ui.live.places import steady_place
from ui.state import ApproxKeys as K

session.start_full_run()
config = LINK.begin(controls.sidebar)  # a shared link's settings first, then the widgets
presenting, hidden = LINK.presenting(), LINK.hidden()
session.sync_run(config)

LINK.heading(text.TITLE, text.CAPTION)
LINK.notice()
run = session.current()
problem = st.session_state.get(K.BUILD_ERROR)
if run is None:
    st.warning(plain(problem or "Nothing to train yet."), icon=":material/front_hand:")
else:
    controls.run_bar(run, hidden)
    if not presenting:  # presenting: under the pictures, which then fit a projector's screen
        controls.play_settings(hidden)
    with steady_place():  # what is drawn only sometimes: the live pictures after it keep their place
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
