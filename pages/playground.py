"""The Playground page: pick data, features and a network, press Play, watch it learn.
Layout only: the logic lives in ui/playground/."""

import streamlit as st

from ui.live.markdown import plain
from ui.live.places import steady_place
from ui.playground import compare_panel, controls, health_panel, panels, session, share, text
from ui.playground.data_curve_panel import data_curve_panel
from ui.playground.replay_panel import replay_bar
from ui.playground.share import LINK
from ui.playground.slow_step_panel import slow_step_panel
from ui.state import PlaygroundKeys as K

session.start_full_run()
config = LINK.begin(controls.sidebar)  # a shared link's settings first, then the widgets
presenting, hidden = LINK.presenting(), LINK.hidden()
session.sync_run(config)
share.load_pending_weights()

LINK.heading(text.TITLE, text.CAPTION)
controls.run_bar(hidden, presenting)
LINK.notice()
run = session.current()
comparing = run is not None and compare_panel.comparing(run)  # run B beside run A: no clicks, slow steps or edits
with steady_place():  # what is drawn only sometimes: the live pictures after it keep their place
    notice = st.session_state.pop(K.NOTICE, None)
    if notice:
        st.info(notice, icon=":material/restart_alt:")
    if run is None:
        st.warning(plain(st.session_state.get(K.BUILD_ERROR) or "Nothing to train yet."), icon=":material/front_hand:")
    else:
        if not presenting:
            controls.display_controls(st.container(horizontal=True), compare_panel.display_hidden(run, hidden))
            if comparing:
                compare_panel.compare_bar(run)
            else:
                panels.click_controls(run, hidden)
        health_panel.find_converging_rate(run)  # after a divergence, once: a rate that trains
        replay_bar(run)  # paused: the timeline back through training (both runs when comparing), "Continue from here"
if run is not None:
    session.live_pictures()
    if not presenting:
        health_panel.failure_presets(run)
        if not comparing:
            slow_step_panel(run)
        panels.explanations()
        data_curve_panel(run)  # More data: test loss against the number of points (folded)
        if not comparing:
            panels.weight_editor(run)
if not presenting:
    share.share_panel(run, config)
