"""The lesson in this session: the scene open (``LessonKeys.ACTIVE``), the tasks done
(``LessonKeys.DONE``), the deck being built (``LessonKeys.MY_DECK``), and opening a
scene: its page's lasting config, hidden controls and presentation mode are set as a
link would set them, the page's run starts afresh, then the page is shown."""

from dataclasses import dataclass

import streamlit as st

from ui.lessons.builtin import builtin_deck
from ui.lessons.config import SCHEMA
from ui.lessons.run import ActiveScene, Deck, DeckError, deck_from_link, pages, scene_setup
from ui.lessons.tasks import TASKS, Check, check
from ui.live.share import PageLink
from ui.state import ApproxKeys, DescentKeys, LessonKeys, LinkKeys, LoopKeys, NeuronKeys, PlaygroundKeys

K = LessonKeys


@dataclass(frozen=True)
class PageKeys:
    """A page's keys the lessons need: its link's, its Play loops', its run's."""

    link: LinkKeys
    loops: tuple[LoopKeys, ...]
    run: str


PAGE_KEYS = {
    "playground": PageKeys(PlaygroundKeys.LINK, (PlaygroundKeys.LOOP,), PlaygroundKeys.RUN),
    "gradient-descent": PageKeys(DescentKeys.LINK, (DescentKeys.ONE, DescentKeys.RACE), DescentKeys.RUN),
    "neuron": PageKeys(NeuronKeys.LINK, (), NeuronKeys.PERCEPTRON_RUN),
    "universal-approximation": PageKeys(ApproxKeys.LINK, (ApproxKeys.LOOP,), ApproxKeys.RUN),
}


def page_of(link: LinkKeys) -> str | None:
    """The name decks use for the page whose link keys are ``link``."""
    return next((name for name, keys in PAGE_KEYS.items() if keys.link == link), None)


def active() -> ActiveScene | None:
    return st.session_state.get(K.ACTIVE)


def done() -> set:
    return st.session_state.setdefault(K.DONE, set())


def my_deck() -> Deck:
    return st.session_state.get(K.MY_DECK) or Deck("My deck")


def link_deck(config: dict) -> Deck | None:
    """The deck the Lessons page's link carries (checked when the link was read), or None."""
    if not config.get("deck"):
        return None
    try:
        return deck_from_link(config["deck"])
    except DeckError:
        return None


def open_scene(deck: Deck, index: int, presenting: bool = False) -> None:
    """Open scene ``index`` of ``deck``: its page as its link would open it (settings,
    hidden controls, presentation mode), paused, with a fresh run; then show that page
    (``st.switch_page`` ends this run)."""
    index = min(max(index, 0), len(deck) - 1)
    scene = deck.scenes[index]
    keys, info = PAGE_KEYS[scene.page], pages()[scene.page]
    setup = scene_setup(scene)
    st.session_state[keys.link.config] = dict(setup.config)
    for name in info.schema.names:  # the page's widgets are seeded from the new config
        st.session_state.pop(keys.link.widget(name), None)
    st.session_state[keys.link.hidden] = frozenset(scene.hide)
    st.session_state[keys.link.present] = presenting
    st.session_state.pop(keys.link.notice, None)
    for loop in keys.loops:
        st.session_state[loop.playing] = False
    st.session_state.pop(keys.run, None)  # the scene starts from its own start
    st.session_state[K.ACTIVE] = ActiveScene(deck, index, presenting)
    st.switch_page(info.script)


def leave() -> None:
    """Close the lesson: the page stays as it is, without the lesson bar."""
    st.session_state[K.ACTIVE] = None


def answer_of(scene) -> float | None:
    value = st.session_state.get(K.answer(scene.key))
    return None if value is None else float(value)


def check_scene(lesson: ActiveScene) -> Check | None:
    """The open scene's task checked now (None without a task); a task done is kept done
    for the session."""
    scene = lesson.scene
    if scene.task is None:
        return None
    result = check(scene.task, st.session_state, answer_of(scene))
    if result.done:
        done().add(scene.key)
    return result


def check_live(loop: LoopKeys) -> None:
    """From inside a page's live update: when the open scene is this page's and its task
    has just been done, the page is run again in full, so the lesson bar says so."""
    lesson = active()
    if lesson is None or lesson.scene.task is None or lesson.scene.key in done():
        return
    keys = PAGE_KEYS[lesson.scene.page]
    if loop not in keys.loops:
        return
    result = check(lesson.scene.task, st.session_state, answer_of(lesson.scene))
    if result.done:
        done().add(lesson.scene.key)
        st.rerun(scope="app")


def asks(scene) -> str:
    """The question's label when the scene's task wants a typed answer, else ""."""
    return TASKS[scene.task.kind].asks if scene.task is not None else ""


def begin(link) -> dict:
    """The Lessons page's full run begins: its link read (``link``: its ``PageLink``); on
    the session's first visit a link's ``scene=N`` opens scene N of its deck (the link's,
    else the built-in lesson), presented when the link says ``present=1``."""
    first = K.LINK.config not in st.session_state
    config = link.begin()
    scene = int(config.get("scene") or 0)
    if first and scene > 0:
        deck = link_deck(config) or builtin_deck()
        presenting = link.presenting()
        st.session_state[K.LINK.present] = False  # the Lessons page itself is not presented
        open_scene(deck, scene - 1, presenting)
    return config


def shown_deck(config: dict) -> tuple[str, Deck]:
    """(which, deck) the Lessons page shows: the choice made (``K.SHOWN``: "lesson", "link",
    "mine"), the link's deck when the link brings one, else the built-in lesson."""
    choice = st.session_state.get(K.SHOWN)
    linked = link_deck(config)
    if choice == "mine":
        return "mine", my_deck()
    if (choice == "link" and linked is not None) or (choice is None and linked is not None):
        return "link", linked
    return "lesson", builtin_deck()


LINK = PageLink(SCHEMA, K.LINK, reproduces="the same deck, opened at the same scene")


def deck_progress(deck: Deck) -> tuple[list[str], list[bool], list[bool]]:
    """(titles, done, has a task) of each scene, for the progress picture."""
    finished = done()
    return (
        [s.title for s in deck.scenes],
        [s.key in finished for s in deck.scenes],
        [s.task is not None for s in deck.scenes],
    )
