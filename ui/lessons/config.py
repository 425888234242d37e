"""The Lessons page's settings as a schema (see ``ui.live.schema``): which deck a link
brings (the compact deck of ``ui.lessons.run.deck_to_link``; empty: the built-in lesson)
and the scene it opens."""

from ui.lessons.run import MAX_LINK_CHARS, MAX_SCENES, normal_deck_word
from ui.live.schema import Field, Schema

SCHEMA = Schema(
    [
        # A lecturer's deck in the link (base64url of zlib'd JSON), checked like a deck file.
        Field("deck", "", "text", high=MAX_LINK_CHARS, label="Deck", check=normal_deck_word),
        # The scene the link opens, from 1 (0: the list of scenes).
        Field("scene", 0, "int", low=0, high=MAX_SCENES, label="Scene"),
    ]
)
