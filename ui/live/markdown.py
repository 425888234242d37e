"""User text shown in Streamlit's Markdown as the characters typed, never as markup."""

import re

MARKDOWN_SPECIALS = frozenset("\\`*_{}[]<>()#+-.!|$~^&:")
WORD_JOINER = "\u2060"  # invisible, neither space nor punctuation

# GitHub-flavoured Markdown (Streamlit's) turns a bare address into a link after escapes are
# resolved: http://, https://, www. and name@host. Such a link starts only after a space,
# punctuation or the start of the text, and an address's name is made of letters, digits and
# -.+_ : an invisible word joiner before it (or before the @) leaves no link to find.
_AUTOLINK_STARTS = re.compile(r"(?i)(?=https?:|www\.|@)")


def plain(text: str) -> str:
    """``text`` shown literally in Streamlit's Markdown: a formula's ``*`` and ``**`` stay
    stars (not italics and bold), its ``$`` no mathematics, a CSV header's
    ``![pixel](http://...)`` no image to fetch, a cell's ``[click](...)`` no link, and a
    bare ``http://...``, ``www....`` or ``name@host`` no link either (a word joiner, which
    shows as nothing, goes before each)."""
    joined = _AUTOLINK_STARTS.sub(WORD_JOINER, str(text))
    return "".join("\\" + c if c in MARKDOWN_SPECIALS else c for c in joined)
