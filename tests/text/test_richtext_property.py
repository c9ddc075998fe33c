"""Property: whatever Markdown or HTML goes in, the rich-text pipeline never
lets a script, an event handler or a javascript:/vbscript:/data: URL out.

Hypothesis builds mixtures of hostile fragments (script and svg tags, event
handler attributes, entity-encoded and mixed-case schemes, control characters
inside schemes, markdown links, images and autolinks, unclosed and nested
tags) with arbitrary text between them; the rendered HTML is parsed the way a
browser's tokenizer would read it and checked element by element.
"""

import html
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.text.richtext import render

BASE = "https://content.hospital.example"
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "frame", "base"}
FORBIDDEN_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
# Browsers drop ASCII whitespace and control characters inside a URL's scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")

SCHEMES = st.sampled_from(
    [
        "javascript:",
        "JaVaScRiPt:",
        "java\tscript:",
        "java\nscript:",
        "java\x00script:",
        " javascript:",
        "&#106;avascript:",
        "&#x6A;avascript:",
        "&#0000106;avascript:",
        "javascript&colon;",
        "jav&#x09;ascript:",
        "vbscript:",
        "VBScript:",
        "data:",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:",
        "https:",
        "mailto:",
        "/relative/",
    ]
)
PAYLOADS = st.sampled_from(["alert(1)", "alert`1`", "//%0aalert(1)", "", "(sample)"])
URLS = st.builds(lambda scheme, payload: scheme + payload, SCHEMES, PAYLOADS)
TEXT = st.text(alphabet=st.sampled_from(list("ab <>\"'=/&;:#()[]!*_`\\\n\t\x00-")), max_size=12)
HANDLERS = st.sampled_from(["onerror", "onload", "ONCLICK", "onmouseover", "OnFocus"])


def _fragments() -> st.SearchStrategy[str]:
    tag = st.sampled_from(["script", "SCRIPT", "style", "iframe", "object", "embed", "svg", "img"])
    return st.one_of(
        st.builds(lambda t, body: f"<{t}>{body}</{t}>", tag, TEXT),
        st.builds(lambda t: f"<{t}>", tag),  # unclosed
        st.builds(lambda h, p: f'<img src=x {h}="{p}">', HANDLERS, PAYLOADS),
        st.builds(lambda h, p: f"<svg {h}={p}>", HANDLERS, PAYLOADS),
        st.builds(lambda h, u: f'<a href="{u}" {h}="x">link</a>', HANDLERS, URLS),
        st.builds(lambda u: f"<a href='{u}'>x</a>", URLS),
        st.builds(lambda u: f"<iframe src={u}></iframe>", URLS),
        st.builds(lambda u: f"[label]({u})", URLS),
        st.builds(lambda u: f"[label](<{u}>)", URLS),
        st.builds(lambda u: f"![alt]({u})", URLS),
        st.builds(lambda u: f"<{u}>", URLS),  # autolink
        st.builds(lambda u: f"[ref]\n\n[ref]: {u}\n", URLS),
        st.builds(lambda u, t: f"<div><p><a href={u}>{t}</div>", URLS, TEXT),
        st.builds(lambda t: f"<<script>script>{t}<</script>/script>", TEXT),
        st.builds(lambda u: f'`code`<a href="{u}">**bold**</a>', URLS),
        st.just("<style>body{background:url(javascript:alert(1))}</style>"),
        st.just("<!--<script>-->alert(1)<!---->"),
        st.just("<math><mtext><script>alert(1)</script></mtext></math>"),
        TEXT,
    )


DOCUMENTS = st.lists(_fragments(), min_size=1, max_size=6).map("".join)


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer reads them."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def _scheme_of(url: str) -> str:
    """The URL as a browser resolves its scheme: entities decoded, whitespace and
    control characters dropped, case folded."""
    return _IGNORED_IN_SCHEME.sub("", html.unescape(url)).lower()


def assert_safe(markup: str) -> None:
    for tag, attrs in Elements(markup).found:
        assert tag not in FORBIDDEN_TAGS, markup
        for name, value in attrs:
            assert not name.startswith("on"), markup
            if name in URL_ATTRIBUTES:
                assert not _scheme_of(value or "").startswith(FORBIDDEN_SCHEMES), markup


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(source=DOCUMENTS)
def test_rendered_html_never_carries_script(source: str) -> None:
    # Only `html` is markup; `text` is plain text that clients must escape, so
    # an author's literal "<script>" rightly survives there as words.
    assert_safe(render(source, BASE)["html"])


def test_the_checker_itself_catches_what_it_must() -> None:
    """Guard against a property that can never fail."""
    for bad in [
        "<script>x</script>",
        '<img src="x" onerror="y">',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="java\tscript:x">x</a>',
        '<a href="DATA:text/html,x">x</a>',
        "<svg></svg>",
    ]:
        try:
            assert_safe(bad)
        except AssertionError:
            continue
        raise AssertionError(f"checker let {bad!r} through")
