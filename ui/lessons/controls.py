"""The lessons' widgets: the lesson bar every page shows while one of its scenes is open
(with the presentation's keyboard), "Add this view as a scene" in every page's share
panel, and the Lessons page's list of scenes and deck tools."""

import json

import streamlit as st

from ui.lessons import session, text
from ui.lessons.run import (
    Deck,
    DeckError,
    deck_from_json,
    deck_to_json,
    deck_to_link,
    moved,
    progress_text,
    scene_from_page,
    with_scene,
    without,
)
from ui.live.markdown import plain
from ui.live.widgets import css_class
from ui.state import LessonKeys as K
from ui.state import LinkKeys

# The presentation's keys: → and PageDown (what clickers send) for the next scene, ← and
# PageUp for the previous, Space for Play/Pause, S for Step, R for Reset. Streamlit's own
# button shortcuts cannot serve: "R" is reserved there (it reruns the app) and a button
# takes one key. One listener per browser tab, in the capture phase so that Streamlit's
# own "R" does not also fire; it acts only while a presented scene's bar is on the page,
# never while the user types in a field or moves a slider.
KEYS_JS = """
export default function (component) {
  window.__lessonKeys = JSON.parse(component.data || "{}");
  if (window.__lessonKeysOn) return;
  window.__lessonKeysOn = true;
  const find = (cls, inner) => cls ? document.querySelector(`.${cls} ${inner}`) : null;
  const press = (cls) => {
    const b = find(cls, "button");
    if (!b || b.disabled) return false;
    b.click();
    return true;
  };
  window.addEventListener("keydown", (e) => {
    const k = window.__lessonKeys;
    if (!k || !document.querySelector(`.${k.bar}`)) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    const typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (typing || (t && t.getAttribute("role") === "slider")) return;
    let done = false;
    if (e.key === "ArrowRight" || e.key === "PageDown") done = press(k.next);
    else if (e.key === "ArrowLeft" || e.key === "PageUp") done = press(k.previous);
    else if (e.key === " ") {
      const toggle = find(k.play, "input[type=checkbox]");
      if (toggle && !toggle.disabled) { toggle.click(); done = true; }
    }
    else if (e.key === "s" || e.key === "S") done = press(k.step);
    else if (e.key === "r" || e.key === "R") done = press(k.reset);
    if (done) { e.preventDefault(); e.stopImmediatePropagation(); }
  }, true);
}
"""
_keys_component = st.components.v2.component("lesson_keys", js=KEYS_JS)

BAR_CSS = """<style>
.{bar} {background: rgba(123, 31, 162, 0.04);}
.{bar} .lesson-counter {color: #7b1fa2; font-weight: 600;}
.{bar} p {margin-bottom: 0.25rem;}
</style>"""


def _keyboard(page: str, counter: str) -> None:
    keys = session.PAGE_KEYS[page]
    loop = keys.loops[0] if keys.loops else None
    data = {
        "scene": counter,  # the scene the listener serves (tests wait for it)
        "bar": css_class(K.ACTIVE),
        "next": css_class(K.NEXT),
        "previous": css_class(K.PREVIOUS),
        "play": css_class(loop.play_box) if loop else None,
        "step": css_class(loop.step) if loop else None,
        "reset": css_class(loop.reset) if loop else None,
    }
    _keys_component(key=K.KEYS, data=json.dumps(data))


def _task(lesson) -> None:
    scene = lesson.scene
    if scene.task is None:
        return
    question = session.asks(scene)
    if question:
        box, _ = st.columns([1, 2])
        box.number_input(question, key=K.answer(scene.key), value=None, format="%.3f", step=0.001)
    result = session.check_scene(lesson)
    if scene.key in session.done():
        st.success(f"**Task** ✓ {plain(scene.task.text)}  \n{plain(result.detail)}", icon=":material/task_alt:")
    else:
        st.info(f"**Task:** {plain(scene.task.text)}  \n*Now:* {plain(result.detail)}", icon=":material/flag:")


def lesson_bar(link: LinkKeys) -> None:
    """The open scene's bar on its own page: the counter and title, Previous and Next,
    the text, what to look at, the task with its live check (✓ when done); presented,
    the keyboard too. Speaker notes are never shown here (this is the projected view)."""
    lesson = session.active()
    page = session.page_of(link)
    if lesson is None or page is None or lesson.scene.page != page:
        return
    scene, deck, index = lesson.scene, lesson.deck, lesson.index
    st.html(BAR_CSS.replace("{bar}", css_class(K.ACTIVE)))
    with st.container(border=True, key=K.ACTIVE):
        back, title, ahead, everything, close = st.columns([1.2, 4.6, 1.1, 1.5, 0.45], vertical_alignment="center")
        if back.button("Previous", key=K.PREVIOUS, icon=":material/arrow_back:", disabled=index == 0, width="stretch"):
            session.open_scene(deck, index - 1, lesson.presenting)
        title.markdown(
            f'<span class="lesson-counter">{lesson.counter}</span> · **{plain(scene.title)}**',
            unsafe_allow_html=True,
        )
        last = index == len(deck) - 1
        if ahead.button("Next", key=K.NEXT, icon=":material/arrow_forward:", disabled=last, width="stretch"):
            session.open_scene(deck, index + 1, lesson.presenting)
        if everything.button("All scenes", key=K.ALL, icon=":material/list:", width="stretch"):
            st.switch_page("pages/lessons.py")
        close.button("", key=K.LEAVE, icon=":material/close:", help=text.LEAVE_HELP, on_click=session.leave)
        # Presented, the words are smaller: the pictures below are what the room looks at.
        say = st.caption if lesson.presenting else st.markdown
        if scene.text:
            say(plain(scene.text))
        if scene.look:
            say(f"*Look at:* {plain(scene.look)}")
        _task(lesson)
    if lesson.presenting:
        _keyboard(page, lesson.counter)


# ---- "Add this view as a scene" (every page's share panel) ---------------------------------------


def add_scene_form(link: LinkKeys, params: dict, hide) -> None:
    """In a page's share panel: this page's setup (``params``, the link's parameters) and
    the controls chosen to hide become a scene of the session's deck."""
    page = session.page_of(link)
    if page is None:
        return
    st.markdown(f"**{text.ADD_SCENE}**")
    title, notes = st.columns([2, 3])
    title.text_input("Scene title", key=K.NEW_TITLE, max_chars=80, placeholder="e.g. tanh versus relu")
    notes.text_input("Speaker notes (not shown on the projected view)", key=K.NEW_NOTES, max_chars=1500)
    if st.button("Add to my deck", key=K.NEW_ADD, icon=":material/playlist_add:"):
        name = (st.session_state.get(K.NEW_TITLE) or "").strip() or text.UNTITLED
        try:
            scene = scene_from_page(page, params, name, st.session_state.get(K.NEW_NOTES) or "", hide)
            st.session_state[K.MY_DECK] = with_scene(session.my_deck(), scene)
        except DeckError as error:
            st.error(plain(f"Not added: {error}."), icon=":material/error:")
            return
    deck = session.my_deck()
    if len(deck):
        st.caption(text.my_deck_caption(len(deck)))


# ---- the Lessons page ---------------------------------------------------------------------------


def deck_choice(config: dict) -> tuple[str, Deck]:
    """Which deck the page shows: the built-in lesson, the link's deck, the session's own."""
    which, _ = session.shown_deck(config)
    options = ["lesson", *(["link"] if session.link_deck(config) is not None else []), "mine"]
    if st.session_state.get(K.SHOWN) != which:
        st.session_state[K.SHOWN] = which  # before the control is drawn
    st.segmented_control(
        "Deck",
        options,
        key=K.SHOWN,
        format_func=text.DECK_NAMES.get,
        selection_mode="single",
        label_visibility="collapsed",
    )
    return session.shown_deck(config)


def _open(deck: Deck, index: int, presenting: bool) -> None:
    session.open_scene(deck, index, presenting)


def scene_list(which: str, deck: Deck) -> None:
    """Every scene: its number, title, ✓ when its task is done, text and task, speaker
    notes (this is the lecturer's view), Open; on the session's own deck, move and remove."""
    done = session.done()
    st.markdown(f"### {plain(deck.title)}")
    st.caption(progress_text(deck, done))
    if not len(deck):
        st.info(text.EMPTY_DECK, icon=":material/playlist_add:")
        return
    top = st.container(horizontal=True)
    if top.button("Start", key=K.scene_button("start", 0), icon=":material/play_lesson:", type="primary"):
        _open(deck, 0, False)
    if top.button("Present", key=K.scene_button("present", 0), icon=":material/slideshow:", help=text.PRESENT_HELP):
        _open(deck, 0, True)
    for i, scene in enumerate(deck.scenes):
        with st.container(border=True):
            head, buttons = st.columns([5, 2], vertical_alignment="center")
            mark = " ✓" if scene.key in done else ""
            head.markdown(f"**{i + 1}. {plain(scene.title)}**{mark} · *{text.page_title(scene.page)}*")
            row = buttons.columns(4 if which == "mine" else 1)
            if row[0].button("Open", key=K.scene_button("open", i), icon=":material/open_in_new:"):
                _open(deck, i, False)
            if which == "mine":
                if row[1].button("", key=K.scene_button("up", i), icon=":material/arrow_upward:", disabled=i == 0):
                    st.session_state[K.MY_DECK] = moved(deck, i, -1)
                    st.rerun()
                last = i == len(deck) - 1
                if row[2].button("", key=K.scene_button("down", i), icon=":material/arrow_downward:", disabled=last):
                    st.session_state[K.MY_DECK] = moved(deck, i, 1)
                    st.rerun()
                if row[3].button("", key=K.scene_button("remove", i), icon=":material/delete:", help="Remove"):
                    st.session_state[K.MY_DECK] = without(deck, i)
                    st.rerun()
            if scene.text:
                st.markdown(plain(scene.text))
            if scene.task is not None:
                st.markdown(f"*Task:* {plain(scene.task.text)}")
            if scene.notes:
                st.caption(f"Speaker notes: {plain(scene.notes)}")


def deck_tools(which: str, deck: Deck, base_url: str) -> None:
    """Export the deck shown (a JSON file, and a link when it is small), import a deck file
    (it becomes the session's own deck)."""
    message = st.session_state.pop(K.MESSAGE, None)
    if message:
        getattr(st, message[0])(plain(message[1]))
    with st.expander("Export, import and share a deck", icon=":material/ios_share:"):
        if len(deck):
            st.download_button(
                "Export this deck (JSON)",
                deck_to_json(deck),
                file_name="deck.json",
                mime="application/json",
                icon=":material/download:",
            )
            try:
                word = deck_to_link(deck)
                st.caption(text.LINK_CAPTION)
                st.code(f"{base_url}?deck={word}&scene=1", language=None, wrap_lines=True)
            except DeckError as error:
                st.caption(plain(str(error)))
        upload = st.file_uploader("Import a deck (JSON)", type=["json"], key=K.IMPORT_FILE)
        if upload is not None and st.session_state.get(K.IMPORTED) != upload.file_id:
            st.session_state[K.IMPORTED] = upload.file_id  # each file is read once
            try:
                imported = deck_from_json(upload.getvalue())
            except DeckError as error:
                st.error(plain(f"Not imported: {error}. Nothing was changed."), icon=":material/error:")
            else:
                st.session_state[K.MY_DECK] = imported
                st.session_state[K.SHOWN] = "mine"
                st.session_state[K.MESSAGE] = ("success", text.imported(imported))
                st.rerun()
