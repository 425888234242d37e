"""The Playground page: pick data, features and a network, press Play, watch it learn.
Layout only: the logic lives in ui/playground/."""

import streamlit as st

from ui.live.markdown import plain
from ui.live.widgets import gather, seed_widgets
from ui.playground import controls, panels, session, share, text
from ui.playground.config import SCHEMA
from ui.playground.share import LINK
from ui.state import PlaygroundKeys as K

config = LINK.read_once()  # a shared link's settings become the config before any widget is seeded
presenting = LINK.presenting()
hidden = LINK.hidden()
seed_widgets(K.LINK, config)
session.start_full_run()
controls.data_controls(LINK.sidebar_hidden())
controls.network_controls(LINK.sidebar_hidden())
controls.training_controls(LINK.sidebar_hidden())
config = gather(SCHEMA, K.LINK, config)
st.session_state[K.LINK.config] = config
LINK.write(config)  # the URL follows every change
session.sync_run(config)
share.load_pending_weights()

LINK.presentation_header()
st.title(text.TITLE)
if not presenting:
    st.caption(text.CAPTION)
controls.run_bar(hidden)
LINK.notice()
notice = st.session_state.pop(K.NOTICE, None)
if notice:
    st.info(notice, icon=":material/restart_alt:")
run = session.current()
if run is None:
    st.warning(plain(st.session_state.get(K.BUILD_ERROR) or "Nothing to train yet."), icon=":material/front_hand:")
else:
    if not presenting:
        toggles, draw = st.columns([3, 2])
        controls.display_controls(toggles.container(horizontal=True), hidden)
        panels.draw_controls(run, draw)
    session.live_pictures()
    if not presenting:
        panels.explanations()
        panels.weight_editor(run)
if not presenting:
    share.share_panel(run, config)
