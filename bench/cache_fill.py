"""Fill one worker's response cache to its bound, then read its peak memory.

The cases leave a few entries in the cache; the target is about a worker
whose cache is full. At large scale every treatment's detail (about 150 KB
of JSON, some 20 KB gzipped) is asked for once by 8 clients, so the worker
renders 1,001 distinct documents and its cache evicts down to its byte bound
(`RESPONSE_CACHE_MAX_BYTES`). The figures come from the worker's own
/metrics and /proc/<pid>/status (VmHWM).
"""

import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson

CLIENTS = 8


def _get(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _slugs(base: str) -> list[str]:
    slugs: list[str] = []
    while True:
        url = f"{base}/v1/treatments?fields=slug&limit=100&offset={len(slugs)}"
        request = urllib.request.Request(url)  # identity: the body is parsed here
        with urllib.request.urlopen(request, timeout=120) as response:
            page = orjson.loads(response.read())["data"]
        slugs += [item["slug"] for item in page]
        if len(page) < 100:
            return slugs


def _metric(base: str, name: str) -> float:
    with urllib.request.urlopen(f"{base}/metrics", timeout=30) as response:
        text = response.read().decode()
    found = re.search(rf"^{name} ([0-9.e+]+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


def fill(base: str) -> dict[str, Any]:
    """Every treatment's detail once; what the cache holds afterwards."""
    started = time.perf_counter()
    urls = [f"{base}/v1/treatments/{slug}" for slug in _slugs(base)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = [status for status, _ in pool.map(_get, urls)]
    return {
        "requests": len(urls),
        "not_200": sum(1 for status in statuses if status != 200),
        "seconds": time.perf_counter() - started,
        "entries": int(_metric(base, "response_cache_entries")),
        "cached_mb": _metric(base, "response_cache_bytes") / 1e6,
    }
