"""The product plus one slow route, served by uvicorn or granian in the SIGTERM test.

A test-only module, so the product never carries a route that exists only to
be slow. Settings come from the environment the test gives the process.
"""

import os
import time
from pathlib import Path

from app.config import Settings
from app.main import create_app

SLOW_SECONDS = 2.0

app = create_app(Settings(_env_file=None))  # type: ignore[call-arg]


@app.get("/slow")
def slow() -> dict[str, bool]:
    """Holds its worker thread long enough for a signal to arrive mid-request.

    Touches SLOW_MARKER first, so the test signals only once the request is
    really in flight (on a busy machine, half a second may not be enough).
    """
    marker = os.environ.get("SLOW_MARKER")
    if marker:
        Path(marker).touch()
    time.sleep(SLOW_SECONDS)
    return {"done": True}
