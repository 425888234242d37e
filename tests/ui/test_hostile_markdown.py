"""User text in Streamlit's Markdown (issue 20): shown as the characters typed. Markdown's
images, links and emphasis, and GitHub's bare-address links, never form from it."""

import pytest

from ui.live.markdown import WORD_JOINER, plain


def shown(markdown: str) -> str:
    """The text a reader sees: escapes resolved, word joiners invisible."""
    out, escaped = [], False
    for c in markdown:
        if escaped or c != "\\":
            out.append(c)
            escaped = False
        else:
            escaped = True
    return "".join(out).replace(WORD_JOINER, "")


@pytest.mark.parametrize(
    "text",
    [
        "![pixel](http://127.0.0.1:9/pixel.png)",
        "[click](http://example.invalid/)",
        "<a href=http://example.invalid/>a</a>",
        "**bold** _it_ `code` $x^2$ ~~gone~~",
        "x**2 + 3*x",
        "# heading",
        "see https://example.invalid/path and www.example.invalid",
        "mail me: someone@example.invalid",
    ],
)
def test_user_text_reads_as_typed(text):
    assert shown(plain(text)) == text


@pytest.mark.parametrize(
    "address", ["http://127.0.0.1:9/pixel.png", "HTTPS://example.invalid", "www.example.invalid", "a@example.invalid"]
)
def test_a_bare_address_is_kept_from_becoming_a_link(address):
    # GitHub's autolinks start only after a space, punctuation or the start; an address's
    # name is letters, digits and -.+_: a word joiner before it, or before the @, breaks both
    marked = plain(address)
    at = marked.index(WORD_JOINER)
    assert marked[at + 1 :].lower().startswith(("http", "www", "@"))


def test_every_markdown_special_is_escaped():
    assert plain("![a](b)") == "\\!\\[a\\]\\(b\\)"
