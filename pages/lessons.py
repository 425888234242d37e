"""The Lessons page: the built-in lesson and lecturers' decks, scene by scene; open or
present a scene, export, import and share a deck. Layout only: the logic lives in ui/lessons/."""

import streamlit as st

from ui.lessons import controls, figures, session, text
from ui.lessons.session import LINK
from ui.state import LessonKeys as K

config = session.begin(LINK)  # a link's scene=N opens that scene on the session's first visit
LINK.heading(text.TITLE, text.CAPTION)
LINK.notice()

which, deck = controls.deck_choice(config)
if len(deck):
    st.plotly_chart(
        figures.progress_figure(*session.deck_progress(deck)),
        config={"displayModeBar": False},
        key=K.PROGRESS,
    )
controls.scene_list(which, deck)
controls.deck_tools(which, deck, st.context.url or "")
LINK.share_panel(config, title="Share this page's link")
