"""Markdown in, `{markdown, html, text}` out, with HTML cleaned by an allow-list.

Raw HTML in Markdown is rendered as escaped text (markdown-it `html=False`),
and the rendered HTML still goes through nh3 (ammonia), so neither a markdown
trick nor a library bug can let a script, an event handler or a `javascript:`
URL reach a client. Relative links are made absolute so the HTML can be
embedded on any site.
"""

import html as html_lib
import re
from functools import lru_cache
from urllib.parse import urljoin

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_whitespace = re.compile(r"\s+")
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]<>&|~]")
_BLOCK_START = re.compile(r"(?:\A|[\r\n])[ \t]*(?:[#>+=-]|\d{1,9}[.)])")


def _absolute_links(base_url: str):  # type: ignore[no-untyped-def]
    def _filter(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            return urljoin(base_url.rstrip("/") + "/", value)
        return value

    return _filter


# Memos of both renders: a re-render after one FAQ changes finds every other
# answer here. Each entry keeps the Markdown, the HTML and the text alive, so
# a larger bound held megabytes per worker once many FAQs were rendered
# (figures: bench/README.md, "Measurements behind bounds in the code").
MEMO_SIZE = 2048


@lru_cache(maxsize=MEMO_SIZE)
def render_html(markdown: str, base_url: str) -> str:
    raw = _markdown.render(markdown)
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_absolute_links(base_url),
        strip_comments=True,
    ).strip()


def is_plain(markdown: str) -> bool:
    """No inline markup and no line that could open a block: it renders to itself."""
    return not _INLINE_MARKUP.search(markdown) and not _BLOCK_START.search(markdown)


def _text_of_markdown(markdown: str, base_url: str) -> str:
    cleaned = nh3.clean(render_html(markdown, base_url).replace("<li>", "<li> • "), tags=set())
    return _whitespace.sub(" ", html_lib.unescape(cleaned)).strip()


@lru_cache(maxsize=MEMO_SIZE)
def render_text(markdown: str, base_url: str) -> str:
    # Plain prose skips the parser: indexing a bulk import renders every answer once.
    if is_plain(markdown):
        return _whitespace.sub(" ", markdown).strip()
    return _text_of_markdown(markdown, base_url)


def render(markdown: str, base_url: str) -> dict[str, str]:
    return {
        "markdown": markdown,
        "html": render_html(markdown, base_url),
        "text": render_text(markdown, base_url),
    }
