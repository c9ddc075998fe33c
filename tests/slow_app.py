"""The product plus one slow route, served by uvicorn in the SIGTERM test.

A test-only module, so the product never carries a route that exists only to
be slow. Settings come from the environment the test gives the process.
"""

import time

from app.config import Settings
from app.main import create_app

SLOW_SECONDS = 2.0

app = create_app(Settings(_env_file=None))  # type: ignore[call-arg]


@app.get("/slow")
def slow() -> dict[str, bool]:
    """Holds its worker thread long enough for a signal to arrive mid-request."""
    time.sleep(SLOW_SECONDS)
    return {"done": True}
