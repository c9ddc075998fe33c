"""The soak's load: public reads and editorial writes from one asyncio client.

Closed loop: `concurrency` tasks each send one request, wait for its answer,
then pick the next (a read, or with probability `write_ratio` a write).
Latency is measured in the client, so it includes the client's own overhead
on a shared machine; the report prints the client's CPU use beside it.

Writes go through the editorial API on FAQs of the seeded treatment the soak
creates itself (`soak-*` slugs), in a pool kept between MIN_ITEMS and
MAX_ITEMS live items so the database and the treatment's pages stay bounded:
create a draft, PATCH it with If-Match, review then publish, unpublish, soft
delete. Two tasks may PATCH or publish the same item with the same ETag, as
two editors would; the loser's 412 is counted apart, not as an error. An item
is deleted only when no request on it is in flight, so no write races a
delete into a 404.
"""

import asyncio
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import soakhttp

TREATMENT = "immunotherapy"
SEEDED_FAQS = [
    "how-long-will-i-get-immunotherapy",
    "what-should-i-expect-after-immunotherapy",
    "immunotherapy-vs-chemotherapy",
]
LD = {"Accept": "application/ld+json"}
MIN_ITEMS, MAX_ITEMS = 4, 24
CONDITIONAL_SHARE = 0.3
READ_OK = {200, 304}
STALE = 412

# (operation, path, headers); the list and search match the same seeded items
# all run long, whatever the writes do.
READS: list[tuple[str, str, dict[str, str]]] = [
    ("treatment detail", f"/v1/treatments/{TREATMENT}", {}),
    ("treatment json-ld", f"/v1/treatments/{TREATMENT}", LD),
    ("treatment faqs", f"/v1/treatments/{TREATMENT}/faqs", {}),
    ("faqs json-ld", f"/v1/treatments/{TREATMENT}/faqs", LD),
    ("faq list", f"/v1/faqs?treatment={TREATMENT}", {}),
    ("list filtered", "/v1/treatments?type=immunotherapy&route=intravenous&condition=cancer", {}),
    ("list sorted", "/v1/faqs?sort=-updated_at&limit=50", {}),
    ("search", "/v1/search?q=how+long+immunotherapy", {}),
    ("search", "/v1/search?q=chemo", {}),
    ("search", "/v1/search?q=soak", {}),
    *[("faq detail", f"/v1/faqs/{slug}", {}) for slug in SEEDED_FAQS],
]


@dataclass
class Stats:
    """What the load saw; one instance for the warm-up, one for the measured run."""

    started: float = field(default_factory=time.monotonic)
    ended: float | None = None
    statuses: Counter[str] = field(default_factory=Counter)
    by_operation: dict[str, Counter[str]] = field(default_factory=dict)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"read": [], "write": []})
    unexpected: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)

    def record(self, kind: str, operation: str, outcome: str, seconds: float | None) -> None:
        self.statuses[outcome] += 1
        self.by_operation.setdefault(f"{kind}: {operation}", Counter())[outcome] += 1
        if seconds is not None:
            self.latencies[kind].append(seconds)


@dataclass
class Item:
    slug: str
    etag: str
    published: bool = False
    inflight: int = 0


class Load:
    def __init__(
        self, client: soakhttp.Client, *, editor: str, publisher: str, write_ratio: float
    ) -> None:
        self.client = client
        self.editor = {"Authorization": f"Bearer {editor}"}
        self.publisher = {"Authorization": f"Bearer {publisher}"}
        self.write_ratio = write_ratio
        self.stats = Stats()
        self.items: dict[str, Item] = {}
        self.etags: dict[tuple[str, str], str] = {}
        self.sync_cursor: str | None = None
        self.rng = random.Random(6)

    async def send(
        self, kind: str, operation: str, method: str, path: str, **kwargs: Any
    ) -> soakhttp.Response | None:
        stats = self.stats
        began = time.perf_counter()
        try:
            response = await self.client.request(method, path, **kwargs)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, soakhttp.ProtocolError) as exc:
            stats.record(kind, operation, f"error: {type(exc).__name__}", None)
            if len(stats.error_samples) < 10:
                stats.error_samples.append(f"{method} {path}: {type(exc).__name__}: {exc}")
            return None
        stats.record(kind, operation, str(response.status_code), time.perf_counter() - began)
        expected = READ_OK if kind == "read" else {200, 201, 204, STALE}
        if response.status_code not in expected and response.status_code < 500:
            stats.unexpected[f"{method} {path} -> {response.status_code}"] += 1
        return response

    async def run(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.rng.random() < self.write_ratio:
                await self.write()
            else:
                await self.read()

    async def read(self) -> None:
        if self.rng.random() < 0.08:
            await self.sync()
            return
        operation, path, headers = self.rng.choice(READS)
        key = (path, headers.get("Accept", ""))
        etag = self.etags.get(key)
        if etag and self.rng.random() < CONDITIONAL_SHARE:
            operation, headers = f"{operation} (If-None-Match)", {**headers, "If-None-Match": etag}
        response = await self.send("read", operation, "GET", path, headers=headers)
        if response is not None and response.status_code == 200 and "etag" in response.headers:
            self.etags[key] = response.headers["etag"]

    async def sync(self) -> None:
        """The delta feed as an offline client reads it: full once, then by cursor."""
        query = {"kinds": "faqs"} | ({"cursor": self.sync_cursor} if self.sync_cursor else {})
        operation = "sync (cursor)" if self.sync_cursor else "sync (full)"
        path = f"/v1/sync?{urlencode(query)}"
        response = await self.send("read", operation, "GET", path)
        if response is not None and response.status_code == 200:
            self.sync_cursor = response.json()["meta"].get("next_cursor") or self.sync_cursor

    async def write(self) -> None:
        live = len(self.items)
        if live < MIN_ITEMS:
            await self.create()
            return
        if live >= MAX_ITEMS:
            await self.delete()
            return
        action = self.rng.choices(
            [self.create, self.patch, self.publish, self.unpublish, self.delete],
            weights=[15, 45, 20, 10, 10],
        )[0]
        await action()

    async def create(self) -> None:
        slug = f"soak-{uuid.uuid4().hex[:12]}"
        body = {
            "slug": slug,
            "treatment": TREATMENT,
            "position": 100,
            "tags": ["soak"],
            "question": f"Soak test question {slug}? (synthetic)",
            "answer": "Synthetic answer written by the soak test. It is short.",
        }
        response = await self.send(
            "write", "create faq draft", "POST", "/v1/faqs", json_body=body, headers=self.editor
        )
        if response is not None and response.status_code == 201:
            self.items[slug] = Item(slug, response.headers["etag"])

    async def _on_item(
        self, item: Item, operation: str, method: str, path: str, headers: dict[str, str], **kw: Any
    ) -> bool:
        """One If-Match write; keeps the item's ETag current whatever the answer."""
        item.inflight += 1
        try:
            response = await self.send(
                "write", operation, method, path, headers={**headers, "If-Match": item.etag}, **kw
            )
        finally:
            item.inflight -= 1
        if response is None:
            return False
        if "etag" in response.headers:
            item.etag = response.headers["etag"]
        return response.status_code in (200, 201, 204)

    def _pick(self, *, published: bool | None = None) -> Item | None:
        choices = [
            item for item in self.items.values() if published is None or item.published == published
        ]
        return self.rng.choice(choices) if choices else None

    async def patch(self) -> None:
        item = self._pick()
        if item is None:
            return
        body = {"answer": f"Synthetic answer, revision {uuid.uuid4().hex[:8]}. It is short."}
        headers = {**self.editor, "Content-Type": "application/merge-patch+json"}
        path = f"/v1/faqs/{item.slug}"
        await self._on_item(item, "patch faq (If-Match)", "PATCH", path, headers, json_body=body)

    async def publish(self) -> None:
        item = self._pick()
        if item is None:
            return
        path = f"/v1/faqs/{item.slug}"
        review = {"reviewed_by": "Soak Reviewer (synthetic)"}
        reviewed = await self._on_item(
            item, "review faq", "POST", f"{path}/review", self.editor, json_body=review
        )
        if reviewed and await self._on_item(
            item, "publish faq", "POST", f"{path}/publish", self.publisher
        ):
            item.published = True

    async def unpublish(self) -> None:
        item = self._pick(published=True)
        if item is None:
            return
        path = f"/v1/faqs/{item.slug}/unpublish"
        if await self._on_item(item, "unpublish faq", "POST", path, self.publisher):
            item.published = False

    async def delete(self) -> None:
        idle = [item for item in self.items.values() if item.inflight == 0]
        if not idle:
            return
        item = self.rng.choice(idle)
        del self.items[item.slug]  # no await since the check: nothing else can start on it
        path = f"/v1/faqs/{item.slug}"
        await self._on_item(item, "soft-delete faq", "DELETE", path, self.publisher)


async def run(
    base_url: str,
    *,
    editor: str,
    publisher: str,
    concurrency: int,
    write_ratio: float,
    warmup: float,
    seconds: float,
    on_measuring: Any,
) -> tuple[Stats, Stats]:
    """Warm up, `await on_measuring(stats)`, load for `seconds` into stats; both Stats."""
    address = urlsplit(base_url)
    client = soakhttp.Client(
        address.hostname or "127.0.0.1", address.port or 80, connections=concurrency
    )
    try:
        load = Load(client, editor=editor, publisher=publisher, write_ratio=write_ratio)
        warm = load.stats
        await asyncio.gather(*(load.run(time.monotonic() + warmup) for _ in range(concurrency)))
        warm.ended = time.monotonic()
        measured = Stats()
        await on_measuring(measured)
        measured.started = time.monotonic()
        load.stats = measured
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(load.run(deadline) for _ in range(concurrency)))
        measured.ended = time.monotonic()
    finally:
        await client.aclose()
    return warm, measured
