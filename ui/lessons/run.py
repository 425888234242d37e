"""Lessons and lecture decks (issue 17). Pure: no Streamlit.

A ``Deck`` is a list of ``Scene``s. A scene names a page and its setup (the page's own URL
parameters, the controls to hide), says what to look at, may set a task that the app
checks live (``ui.lessons.tasks``), and may carry speaker notes (never on the projected
view). The built-in lesson (``ui.lessons.builtin``) is itself a deck; a lecturer's deck
is made on the pages ("Add this view as a scene"), and travels as a JSON file or, when
small, in a link (``deck_to_link`` / ``deck_from_link``: JSON, zlib, base64url).

Every deck that comes from outside (a file, a link) goes through ``deck_from_data``,
which checks size, keys and types and each scene's setup against its page's schema,
and raises ``DeckError`` with a sentence for the user naming what cannot be used.
"""

import base64
import binascii
import hashlib
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from ui.live.link import decode, quote
from ui.live.schema import Schema

MAX_SCENES = 40
MAX_TITLE = 80
MAX_TEXT = 700
MAX_NOTES = 1500
MAX_FILE_BYTES = 100_000  # a deck file (JSON)
MAX_LINK_CHARS = 6000  # the compact deck in a link
DECK_FORMAT = "nn-playground-deck"


class DeckError(ValueError):
    """A deck that cannot be used; the message says why, in the user's words."""


@dataclass(frozen=True, slots=True)
class PageInfo:
    """A page scenes can open: its title, the script ``st.switch_page`` takes, its address
    (``/`` for the Playground) and its settings."""

    title: str
    script: str
    path: str
    schema: Schema


def pages() -> dict[str, PageInfo]:
    """The pages a scene can open, by the name decks use (the page's address)."""
    from ui.approximation.config import SCHEMA as APPROX
    from ui.descent.config import SCHEMA as DESCENT
    from ui.neuron.config import SCHEMA as NEURON
    from ui.playground.config import SCHEMA as PLAYGROUND

    return {
        "playground": PageInfo("Playground", "pages/playground.py", "/", PLAYGROUND),
        "gradient-descent": PageInfo("Gradient descent", "pages/gradient_descent.py", "/gradient-descent", DESCENT),
        "neuron": PageInfo("The neuron", "pages/the_neuron.py", "/neuron", NEURON),
        "universal-approximation": PageInfo(
            "Universal approximation",
            "pages/universal_approximation.py",
            "/universal-approximation",
            APPROX,
        ),
    }


@dataclass(frozen=True, slots=True)
class Task:
    """What the student is asked to do: ``text``; ``kind`` names the check
    (``ui.lessons.tasks.TASKS``), ``args`` its numbers."""

    kind: str
    text: str
    args: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Scene:
    """One scene: a title, two to four sentences, the ``page`` it opens with ``params``
    (that page's URL parameters, as text) and the controls in ``hide`` hidden, what to
    ``look`` at, an optional ``task``, and speaker ``notes`` (not on the projected view)."""

    title: str
    text: str
    page: str
    params: dict = field(default_factory=dict)
    hide: tuple[str, ...] = ()
    look: str = ""
    task: Task | None = None
    notes: str = ""

    @property
    def key(self) -> str:
        """The scene's identity for progress: the same setup and task, the same key."""
        text = json.dumps(scene_to_data(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(text.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Deck:
    title: str
    scenes: tuple[Scene, ...] = ()

    def __len__(self) -> int:
        return len(self.scenes)


# ---- a scene's setup --------------------------------------------------------------------


def scene_link(scene: Scene, *, present: bool = False) -> str:
    """The address that opens the scene's page with its setup (hidden controls included)."""
    from urllib.parse import urlencode

    info = pages()[scene.page]
    params = dict(scene.params)
    params.update({f"{name}_hide": "1" for name in scene.hide})
    if present:
        params["present"] = "1"
    query = urlencode(params, safe=",:;")
    return info.path + (f"?{query}" if query else "")


def scene_setup(scene: Scene):
    """The scene's setup as its page reads a link (``ui.live.link.Link``: config, hidden
    controls; ``notices`` for what the page could not use)."""
    link = decode(pages()[scene.page].schema, scene.params)
    return link


# ---- decks as data ----------------------------------------------------------------------


def scene_to_data(scene: Scene) -> dict:
    """A scene as JSON data; empty parts left out."""
    data: dict[str, Any] = {"title": scene.title, "text": scene.text, "page": scene.page}
    if scene.params:
        data["params"] = dict(scene.params)
    if scene.hide:
        data["hide"] = list(scene.hide)
    if scene.look:
        data["look"] = scene.look
    if scene.task is not None:
        task: dict[str, Any] = {"kind": scene.task.kind, "text": scene.task.text}
        if scene.task.args:
            task["args"] = dict(scene.task.args)
        data["task"] = task
    if scene.notes:
        data["notes"] = scene.notes
    return data


def deck_to_data(deck: Deck) -> dict:
    """A deck as the JSON a deck file holds."""
    return {"format": DECK_FORMAT, "title": deck.title, "scenes": [scene_to_data(s) for s in deck.scenes]}


def deck_to_json(deck: Deck) -> str:
    return json.dumps(deck_to_data(deck), indent=2, ensure_ascii=False)


def _text(data: dict, name: str, where: str, limit: int, *, required: bool = False) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        raise DeckError(f"{where}: {quote(name)} must be text")
    value = value.strip()
    if required and not value:
        raise DeckError(f"{where}: {quote(name)} is missing")
    if len(value) > limit:
        raise DeckError(f"{where}: {quote(name)} is longer than {limit:,} characters")
    return value


SCENE_KEYS = {"title", "text", "page", "params", "hide", "look", "task", "notes"}


def scene_from_data(data: Any, where: str) -> Scene:
    """One scene from JSON data, checked (``where`` names it in messages)."""
    from ui.lessons.tasks import TASKS  # the checks a task may name

    if not isinstance(data, dict):
        raise DeckError(f"{where} is not an object with a title, a text and a page")
    unknown = sorted(set(data) - SCENE_KEYS)
    if unknown:
        raise DeckError(f"{where}: unknown key {quote(unknown[0])}; a scene has {', '.join(sorted(SCENE_KEYS))}")
    title = _text(data, "title", where, MAX_TITLE, required=True)
    where = f"{where} ({quote(title, 40)})"
    text = _text(data, "text", where, MAX_TEXT)
    page = data.get("page")
    known = pages()
    if page not in known:
        raise DeckError(f"{where}: page {quote(page)} is not one of {', '.join(known)}")
    schema = known[page].schema
    params = data.get("params", {})
    if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
        raise DeckError(f"{where}: params must be an object of setting: value")
    if not all(isinstance(v, str | int | float | bool) for v in params.values()):
        raise DeckError(f"{where}: each setting's value must be text or a number")
    params = {k: ("1" if v is True else "0" if v is False else str(v)) for k, v in params.items()}
    link = decode(schema, params)
    if link.notices:
        raise DeckError(f"{where}: its setup cannot be used as given: {link.notices[0]}")
    if set(params) - set(schema.names):
        raise DeckError(f"{where}: params name only the page's settings (hide controls with hide)")
    hide = data.get("hide", [])
    if not isinstance(hide, list) or not all(isinstance(h, str) for h in hide):
        raise DeckError(f"{where}: hide must be a list of setting names")
    bad = [h for h in hide if h not in schema]
    if bad:
        raise DeckError(f"{where}: cannot hide {quote(bad[0])}: not a setting of {known[page].title}")
    task = None
    if data.get("task") is not None:
        raw = data["task"]
        if not isinstance(raw, dict) or not isinstance(raw.get("kind"), str):
            raise DeckError(f"{where}: task must be an object with a kind and a text")
        kind = raw["kind"]
        if kind not in TASKS:
            raise DeckError(f"{where}: task kind {quote(kind)} is not one of {', '.join(sorted(TASKS))}")
        if TASKS[kind].page != page:
            raise DeckError(f"{where}: a {quote(kind)} task is checked on {known[TASKS[kind].page].title}")
        args = raw.get("args", {})
        if not isinstance(args, dict) or not all(
            isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool) for k, v in args.items()
        ):
            raise DeckError(f"{where}: task args must be an object of name: number")
        extra = sorted(set(args) - set(TASKS[kind].defaults))
        if extra:
            raise DeckError(f"{where}: a {quote(kind)} task takes no {quote(extra[0])}")
        task = Task(kind, _text(raw, "text", where, MAX_TEXT, required=True), dict(args))
    return Scene(
        title,
        text,
        page,
        params,
        tuple(dict.fromkeys(hide)),
        _text(data, "look", where, MAX_TEXT),
        task,
        _text(data, "notes", where, MAX_NOTES),
    )


def deck_from_data(data: Any) -> Deck:
    """A deck from JSON data (a file's or a link's), checked; ``DeckError`` says what is wrong."""
    if not isinstance(data, dict):
        raise DeckError("a deck is a JSON object with a title and a list of scenes")
    if data.get("format", DECK_FORMAT) != DECK_FORMAT:
        raise DeckError(f"this is not a deck file (its format is {quote(data.get('format'))})")
    unknown = sorted(set(data) - {"format", "title", "scenes"})
    if unknown:
        raise DeckError(f"unknown key {quote(unknown[0])}; a deck has a title and scenes")
    title = _text(data, "title", "the deck", MAX_TITLE) or "A deck"
    scenes = data.get("scenes")
    if not isinstance(scenes, list) or not scenes:
        raise DeckError("the deck has no scenes (a list under the key scenes)")
    if len(scenes) > MAX_SCENES:
        raise DeckError(f"the deck has {len(scenes)} scenes; at most {MAX_SCENES}")
    return Deck(title, tuple(scene_from_data(s, f"scene {i}") for i, s in enumerate(scenes, 1)))


def deck_from_json(raw: bytes | str) -> Deck:
    """A deck from a file's bytes: at most ``MAX_FILE_BYTES``, UTF-8 JSON, then checked."""
    if len(raw) > MAX_FILE_BYTES:
        raise DeckError(f"the file is {len(raw):,} bytes; a deck file is at most {MAX_FILE_BYTES:,}")
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        data = json.loads(text)
    except UnicodeDecodeError:
        raise DeckError("the file is not text (UTF-8): is it a deck file?") from None
    except json.JSONDecodeError as error:
        raise DeckError(f"the file is not JSON: {error.msg} at line {error.lineno}") from None
    return deck_from_data(data)


# ---- decks in a link --------------------------------------------------------------------


def deck_to_link(deck: Deck) -> str:
    """The deck as one URL-safe word (JSON, zlib, base64url); ``DeckError`` when it is
    longer than a link should carry (export the file instead)."""
    text = json.dumps(deck_to_data(deck), separators=(",", ":"), ensure_ascii=False)
    word = base64.urlsafe_b64encode(zlib.compress(text.encode(), 9)).decode().rstrip("=")
    if len(word) > MAX_LINK_CHARS:
        raise DeckError(
            f"this deck needs {len(word):,} characters in a link, over the {MAX_LINK_CHARS:,} a link "
            "carries: share the deck file instead"
        )
    return word


def deck_from_link(word: str) -> Deck:
    """The deck a link carries (``deck_to_link``'s word), checked."""
    word = str(word).strip()
    if len(word) > MAX_LINK_CHARS:
        raise DeckError(f"the deck in the link is over {MAX_LINK_CHARS:,} characters")
    try:
        packed = base64.urlsafe_b64decode(word + "=" * (-len(word) % 4))
        inflater = zlib.decompressobj()
        text = inflater.decompress(packed, MAX_FILE_BYTES + 1)
        if len(text) > MAX_FILE_BYTES or inflater.unconsumed_tail:
            raise DeckError("the deck in the link is too large")
        if not inflater.eof:
            raise ValueError("cut short")
        data = json.loads(text.decode("utf-8"))
    except DeckError:
        raise
    except (binascii.Error, ValueError, zlib.error):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise DeckError("the link's deck is damaged (was the link cut short?)") from None
    return deck_from_data(data)


def normal_deck_word(word: str) -> str:
    """The deck field's check (``ui.lessons.config``): the word as it would be written
    again, or ValueError with the reason."""
    return deck_to_link(deck_from_link(word)) if word.strip() else ""


# ---- a deck being built -----------------------------------------------------------------


def with_scene(deck: Deck, scene: Scene) -> Deck:
    if len(deck.scenes) >= MAX_SCENES:
        raise DeckError(f"a deck holds at most {MAX_SCENES} scenes")
    return Deck(deck.title, (*deck.scenes, scene))


def moved(deck: Deck, index: int, by: int) -> Deck:
    """The deck with scene ``index`` moved ``by`` places (clamped to the ends)."""
    scenes = list(deck.scenes)
    target = min(max(index + by, 0), len(scenes) - 1)
    scenes.insert(target, scenes.pop(index))
    return Deck(deck.title, tuple(scenes))


def without(deck: Deck, index: int) -> Deck:
    return Deck(deck.title, tuple(s for i, s in enumerate(deck.scenes) if i != index))


def scene_from_page(page: str, params: dict, title: str, notes: str = "", hide=(), look: str = "") -> Scene:
    """The scene "Add this view as a scene" makes: the page's present link parameters
    (``ui.live.link.encode`` of its config), the title, notes and controls to hide."""
    data = {"title": title, "text": "", "page": page, "params": dict(params), "hide": list(hide), "notes": notes}
    if look:
        data["look"] = look
    return scene_from_data(data, "the new scene")


# ---- the scene open ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActiveScene:
    """The deck whose scene ``index`` (from 0) is open, and whether it is presented (the
    projected view: no speaker notes, the page in presentation mode)."""

    deck: Deck
    index: int
    presenting: bool = False

    @property
    def scene(self) -> Scene:
        return self.deck.scenes[self.index]

    @property
    def counter(self) -> str:
        return f"Scene {self.index + 1} of {len(self.deck)}"


def progress_text(deck: Deck, done: set) -> str:
    """ "4 of 11 tasks done" for the scenes of ``deck`` that set one."""
    tasks = [s for s in deck.scenes if s.task is not None]
    finished = sum(1 for s in tasks if s.key in done)
    return f"{finished} of {len(tasks)} tasks done" if tasks else "no tasks in this deck"
