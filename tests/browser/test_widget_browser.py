"""The FAQ widget in a real headless Chromium, against the app served by uvicorn.

Uses Debian's `chromium` binary (never a browser download). Where none is
installed the module is skipped with the reason; under CI it must be there
(`.ci/snippets/install-chromium.sh`), so a missing browser fails instead.
"""

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import uvicorn
from playwright.sync_api import Browser, Locator, Page, Request, Route, expect, sync_playwright

from app.config import Settings
from app.db import Database
from app.main import create_app
from tests.support.factories import make

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
)
if CHROMIUM is None:
    message = (
        "no Chromium: install Debian's chromium package "
        "(.ci/snippets/install-chromium.sh) to run the widget browser tests"
    )
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI must run the browser tests, but there is {message}", pytrace=False)
    pytest.skip(message, allow_module_level=True)

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SEEDED_QUESTIONS = [
    "How long will I get immunotherapy?",
    "What should I expect after immunotherapy?",
    "What\u2019s the difference between immunotherapy and chemotherapy?",
]
# Hostile markup as an attacker would author it, and as a broken or
# compromised API might send it; each payload would set window.__pwned.
HOSTILE_MARKDOWN = (
    'Sample answer.\n\n<img src=x onerror="window.__pwned=1">\n\n[x](javascript:window.__pwned=2)'
)
HOSTILE_HTML = (
    '<p>Sample <a href="javascript:window.__pwned=3">js link</a> '
    '<a href="https://example.org/" onclick="window.__pwned=4">click</a></p>'
    '<img src=x onerror="window.__pwned=5"><script>window.__pwned=6</script>'
    '<svg><image href=x onerror="window.__pwned=7"></image></svg>'
    '<iframe srcdoc="<script>parent.__pwned=8</script>"></iframe>'
    '<details open ontoggle="window.__pwned=9"><summary>s</summary></details>'
    '<p style="color:red" onmouseover="window.__pwned=10">hover me</p>'
)


@pytest.fixture(scope="module")
def server(settings: Settings, database: Database) -> Iterator[str]:
    """An app of its own (for the module, so not `settings_app`) on a free loopback
    port, in a daemon thread: a server runs the app on its own event loop."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings, database), log_level="warning", ws="none", access_log=False
    )
    uv_server = uvicorn.Server(config)
    thread = threading.Thread(target=uv_server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv_server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start", pytrace=False)
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    uv_server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Script errors and CSP violations, not HTTP statuses (tests assert those).
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def host_page(page: Page, server: str, body: str) -> None:
    """Open a page on the server's origin with no CSP, so only the widget's
    own sanitizing stands between hostile HTML and execution."""
    url = f"{server}/embed/test-host"
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<script src="/embed/treatment-faqs.js"></script></head><body>{body}</body></html>'
    )

    def fulfill(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    page.route(url, fulfill)
    page.goto(url)


def items(page: Page) -> Locator:
    return page.locator("treatment-faqs details[part=item]")


def summaries(page: Page) -> Locator:
    return items(page).locator(":scope > summary")


def assert_not_pwned(page: Page) -> None:
    page.wait_for_timeout(300)  # lets a load error or toggle event fire, if any would
    assert page.evaluate("window.__pwned") is None


def test_demo_renders_the_seeded_faqs_in_order_with_json_ld(
    seeded: Database, server: str, page: Page
) -> None:
    response = page.goto(f"{server}/embed/demo")

    assert response is not None
    assert "default-src 'none'" in response.headers["content-security-policy"]
    expect(summaries(page)).to_have_count(3)
    assert summaries(page).all_inner_texts() == SEEDED_QUESTIONS
    json_ld = page.locator('treatment-faqs > script[type="application/ld+json"]')
    document = json.loads(json_ld.text_content() or "")
    assert document["@type"] == "FAQPage"
    assert [q["@type"] for q in document["mainEntity"]] == ["Question"] * 3
    assert [q["name"] for q in document["mainEntity"]] == SEEDED_QUESTIONS
    assert document["mainEntity"][1]["acceptedAnswer"]["text"].startswith("Unlike chemotherapy")
    assert page.errors == []  # type: ignore[attr-defined]  # includes CSP violations


def test_click_and_keyboard_open_and_close_an_answer(
    seeded: Database, server: str, page: Page
) -> None:
    page.goto(f"{server}/embed/demo")
    expect(summaries(page)).to_have_count(3)
    first, second = items(page).nth(0), summaries(page).nth(1)

    summaries(page).first.click()
    expect(first).to_have_attribute("open", "")
    expect(first.locator("[part=answer] li")).to_have_count(3)

    second.focus()
    page.keyboard.press("Enter")
    expect(items(page).nth(1)).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(items(page).nth(1)).not_to_have_attribute("open", "")


def test_hostile_answer_from_the_database_never_executes(
    seeded: Database, server: str, page: Page
) -> None:
    make(
        seeded,
        "faqs",
        slug="sample-hostile-answer",
        question="Sample question: is this hostile answer inert?",
        answer=HOSTILE_MARKDOWN,
        treatment="immunotherapy",
        position=4,
    )
    host_page(page, server, '<treatment-faqs treatment="immunotherapy"></treatment-faqs>')

    expect(summaries(page)).to_have_count(4)
    summaries(page).nth(3).click()
    answer = items(page).nth(3).locator("[part=answer]")
    expect(answer).to_contain_text("Sample answer.")
    assert answer.locator("img").count() == 0
    for link in answer.locator("a").all():
        assert not (link.get_attribute("href") or "").startswith("javascript:")
        link.click()
    assert_not_pwned(page)


def test_widget_strips_hostile_html_even_if_the_api_sent_it(server: str, page: Page) -> None:
    faq = {
        "slug": "sample-hostile",
        "question": "Sample hostile question",
        "answer": {"markdown": "", "html": HOSTILE_HTML, "text": "Sample"},
        "position": 1,
        "locale": "en",
    }

    def hostile_api(route: Route) -> None:
        route.fulfill(status=200, json={"data": [faq], "meta": {}, "links": {}})

    page.route("**/v1/treatments/*/faqs*", hostile_api)
    host_page(page, server, '<treatment-faqs treatment="immunotherapy"></treatment-faqs>')
    # The harness itself can see execution: an inline handler here does run.
    page.evaluate("""document.body.insertAdjacentHTML(
        'beforeend', '<img src=x onerror="window.__control=1">')""")
    page.wait_for_function("window.__control === 1")

    expect(summaries(page)).to_have_count(1)
    summaries(page).first.click()
    answer = page.locator("treatment-faqs [part=answer]")
    elements = answer.evaluate(
        "el => [...el.querySelectorAll('*')].map(e => [e.localName, e.getAttributeNames()])"
    )
    assert {tag for tag, _ in elements} == {"p", "a"}
    assert {name for _, names in elements for name in names} == {"href", "rel"}
    assert answer.locator("a[href]").evaluate_all("links => links.map(a => a.href)") == [
        "https://example.org/"
    ]
    expect(answer).to_contain_text("hover me")
    answer.get_by_text("js link").click()
    answer.get_by_text("hover me").hover()
    assert_not_pwned(page)


def test_language_is_asked_for_by_query_and_header(
    seeded: Database, server: str, page: Page
) -> None:
    faq_requests: list[Request] = []
    page.on("request", lambda r: faq_requests.append(r) if "/faqs" in r.url else None)
    host_page(
        page,
        server,
        '<div lang="hi"><treatment-faqs treatment="immunotherapy"></treatment-faqs></div>',
    )

    expect(summaries(page)).to_have_count(3)
    first = faq_requests[0]
    assert parse_qs(urlsplit(first.url).query) == {"limit": ["100"], "locale": ["hi"]}
    assert first.headers["accept-language"] == "hi"


def test_attribute_changes_re_render_and_errors_are_announced_politely(
    seeded: Database, server: str, page: Page
) -> None:
    page.goto(f"{server}/embed/demo")
    expect(summaries(page)).to_have_count(3)
    status = page.locator("treatment-faqs [part=status]")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    widget = page.locator("treatment-faqs")
    set_treatment = "(element, slug) => element.setAttribute('treatment', slug)"

    widget.evaluate(set_treatment, "no-such-treatment")
    expect(status).to_have_text("The questions could not be loaded.")
    expect(summaries(page)).to_have_count(0)
    assert page.locator('treatment-faqs > script[type="application/ld+json"]').count() == 0

    widget.evaluate(set_treatment, "immunotherapy")
    expect(summaries(page)).to_have_count(3)
    expect(status).to_have_text("")
