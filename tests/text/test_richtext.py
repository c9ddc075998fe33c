"""Rich text: Markdown in; sanitized, absolute-linked HTML and plain text out."""

from html.parser import HTMLParser

import pytest

from app.text.richtext import ALLOWED_TAGS, render

BASE = "https://content.hospital.example"


class Elements(HTMLParser):
    """Every start tag and its attributes, as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    @property
    def tags(self) -> set[str]:
        return {tag for tag, _ in self.found}

    @property
    def attribute_names(self) -> set[str]:
        return {name for _, attrs in self.found for name, _ in attrs}

    @property
    def hrefs(self) -> list[str]:
        return [value or "" for _, attrs in self.found for name, value in attrs if name == "href"]


HOSTILE = [
    "<script>alert(1)</script>",
    "Hello <script src=https://evil.example/x.js></script>",
    "<style>body{display:none}</style>",
    '<img src=x onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">click</a>',
    '<p onmouseover="alert(1)">hover</p>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example"></iframe>',
    '[x](https://ok.example "title" onclick=alert(1))',
]


@pytest.mark.parametrize("markdown", HOSTILE)
def test_nothing_executable_reaches_the_html(markdown: str) -> None:
    html = render(markdown, BASE)["html"]
    elements = Elements(html)

    assert elements.tags <= ALLOWED_TAGS
    assert not {"script", "style", "iframe", "img"} & elements.tags
    assert not [name for name in elements.attribute_names if name.startswith("on")]
    for href in elements.hrefs:
        assert href.startswith(("https://", "http://", "mailto:", "tel:")), href


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        ("[faqs](/v1/faqs)", f"{BASE}/v1/faqs"),
        ("[faq](faqs/how-long)", f"{BASE}/faqs/how-long"),
        ("[elsewhere](https://www.example.org/page)", "https://www.example.org/page"),
        ("[mail](mailto:desk@hospital.example)", "mailto:desk@hospital.example"),
    ],
)
def test_links_in_the_html_are_absolute(markdown: str, href: str) -> None:
    assert Elements(render(markdown, BASE)["html"]).hrefs == [href]


def test_markdown_formatting_becomes_allowed_html() -> None:
    html = render("Some **bold** and _em_.\n\n- one\n- two", BASE)["html"]

    assert Elements(html).tags == {"p", "strong", "em", "ul", "li"}


def test_text_is_plain_with_no_tags_and_bulleted_lists() -> None:
    markdown = (
        "## Heading\n\nSome **bold**, _em_ and a [link](/v1/faqs).\n\n"
        "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )

    text = render(markdown, BASE)["text"]

    assert "<" not in text
    assert ">" not in text
    assert text == "Heading Some bold, em and a link. • one • two a b 1 2"


def test_markdown_is_kept_as_authored() -> None:
    markdown = "Line with *emphasis*\n\n- item"

    assert render(markdown, BASE)["markdown"] == markdown


def test_plain_prose_skips_the_parser_and_gives_the_parsers_text() -> None:
    from random import Random

    from app.text.richtext import _text_of_markdown, is_plain, render_text

    alphabet = "ab Z09.,;:!?'\"()-=+#)/@$%\n\r\t\u00a0é"
    rng = Random(7)
    samples = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(20_000)
    ]
    samples += ["It takes 3-6 weeks (sample).", "Line one  \nline two", "Title\n===", "1. one"]
    plain = [text for text in samples if is_plain(text)]

    assert len(plain) > 1000
    for text in plain:
        assert render_text(text, BASE) == _text_of_markdown(text, BASE), repr(text)
    assert not is_plain("Title\n===") and not is_plain("1. one") and not is_plain("- item")
