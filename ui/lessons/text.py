"""The Lessons page's words."""

TITLE = "Lessons"
CAPTION = (
    "A first lecture on neural networks, scene by scene: each opens a page with the right setup and "
    "the distracting controls hidden, says what to look at, and sets a task the app checks as you work "
    "(✓ when done). Lecturers: build your own deck with “Add this view as a scene” in any page's share "
    "panel, then present it."
)
DECK_NAMES = {"lesson": "The built-in lesson", "link": "The deck in the link", "mine": "My deck"}
EMPTY_DECK = (
    "This deck has no scenes yet. On any page, set it up, open “Share a link” under the pictures and "
    "press “Add to my deck”: the page's setup and the controls you chose to hide become a scene."
)
PRESENT_HELP = (
    "Open the first scene in presentation mode. Keys: → or PageDown next scene, ← or PageUp previous, "
    "Space Play/Pause, S Step, R Reset. Speaker notes stay on this page."
)
LEAVE_HELP = "Close the lesson (the page stays as it is)"
ADD_SCENE = "Add this view as a scene of my deck"
UNTITLED = "Untitled scene"
LINK_CAPTION = "The deck as a link (it opens the first scene; put it on a course page):"

PAGE_TITLES = {
    "playground": "Playground",
    "gradient-descent": "Gradient descent",
    "neuron": "The neuron",
    "universal-approximation": "Universal approximation",
}


def page_title(page: str) -> str:
    return PAGE_TITLES.get(page, page)


def my_deck_caption(n: int) -> str:
    scenes = "1 scene" if n == 1 else f"{n} scenes"
    return f"My deck has {scenes}: open Lessons (in the menu) to reorder, present or export it."


def imported(deck) -> str:
    n = len(deck)
    return f"Imported “{deck.title}”: {n} scene{'s' if n != 1 else ''}, now shown as My deck."
