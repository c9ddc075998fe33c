"""SQL statements per request, measured in-process on a cold response cache.

Run as a script by run.py (with RESPONSE_CACHE=off in its environment):
`python bench/sqlcount.py DATABASE_URL PATH...` prints a JSON object
{path: [status, statements]}. Each path is requested once to warm imports
and caches of the ORM, then once more with the counter reset.
"""

import json
import sys
import warnings
from typing import Any

from sqlalchemy import event


def count(database_url: str, paths: list[str]) -> dict[str, list[int]]:
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

    from app.config import Settings
    from app.db import Database, make_engine
    from app.main import create_app

    settings = Settings(database_url=database_url, _env_file=None)
    database = Database(make_engine(settings))
    statements = [0]

    @event.listens_for(database.engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        statements[0] += 1

    results: dict[str, list[int]] = {}
    with TestClient(create_app(settings, database)) as client:
        for path in paths:
            client.get(path)
            statements[0] = 0
            status = client.get(path).status_code
            results[path] = [status, statements[0]]
    database.dispose()
    return results


if __name__ == "__main__":
    print(json.dumps(count(sys.argv[1], sys.argv[2:])))
