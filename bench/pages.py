"""First page against last page of each big list, rendered in-process.

Run as a script by run.py: `python bench/pages.py DATABASE_URL` prints a JSON
object {list path: [total, first-page ms, last-page ms]}, each the median of
7 renders (the response cache and the document store off, so every request
runs its queries), after one warm-up request of each. The issue's target is
pagination that does not slow down on late pages; the ratio shows it.
"""

import json
import statistics
import sys
import time
import warnings

RUNS = 7
LIMIT = 20
LISTS = [
    "/v1/faqs",
    "/v1/faqs?sort=-updated_at",
    "/v1/faqs?sort=question",
    "/v1/treatments",
    "/v1/doctors",
]


def measure(database_url: str) -> dict[str, list[float]]:
    from fastapi.testclient import TestClient

    from app.config import Settings
    from app.main import create_app

    settings = Settings(
        database_url=database_url,
        response_cache=False,
        document_store=False,
        rate_limit_enabled=False,
        _env_file=None,  # type: ignore[call-arg]
    )
    results: dict[str, list[float]] = {}
    with TestClient(create_app(settings)) as client:
        for path in LISTS:
            glue = "&" if "?" in path else "?"
            total = client.get(f"{path}{glue}limit=1").json()["meta"]["total"]
            last = max(total - LIMIT, 0)
            figures: list[float] = [float(total)]
            for offset in (0, last):
                url = f"{path}{glue}limit={LIMIT}&offset={offset}"
                client.get(url)
                times = []
                for _ in range(RUNS):
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise RuntimeError(f"{url} answered {response.status_code}")
                figures.append(statistics.median(times))
            results[path] = figures
    return results


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    print(json.dumps(measure(sys.argv[1])))
