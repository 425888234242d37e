"""User text shown in Streamlit's Markdown as the characters typed, never as markup."""

MARKDOWN_SPECIALS = frozenset("\\`*_{}[]<>()#+-.!|$~^&:")


def plain(text: str) -> str:
    """``text`` shown literally in Streamlit's Markdown: a formula's ``*`` and ``**`` stay
    stars (not italics and bold), its ``$`` no mathematics, a CSV header's
    ``![pixel](http://...)`` no image to fetch, a cell's ``[click](...)`` no link."""
    return "".join("\\" + c if c in MARKDOWN_SPECIALS else c for c in str(text))
