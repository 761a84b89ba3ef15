"""Articles' Markdown to HTML, safely: markdown-it-py (CommonMark) with raw HTML and
pictures turned off, then nh3 (the ammonia sanitizer) keeping only the tags and link
schemes an article needs. Both steps run; either alone would be one mistake from a
script in the patient app."""

import nh3
from markdown_it import MarkdownIt

_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "blockquote",
    "code", "pre", "hr", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}}
_SCHEMES = {"http", "https", "mailto", "tel"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_markdown.disable("image")


def markdown_to_html(text: str) -> str:
    html = _markdown.render(text or "")
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def plain_text(text: str, limit: int = 120) -> str:
    """The first words of an article as plain text (a card's summary when none is written)."""
    clean = nh3.clean(_markdown.render(text or ""), tags=set())
    clean = " ".join(clean.split())
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"
