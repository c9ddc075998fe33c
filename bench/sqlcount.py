"""SQL statements per request, measured in-process with the response cache off.

Run as a script by run.py (with RESPONSE_CACHE=off in its environment):
`python bench/sqlcount.py DATABASE_URL PATH...` prints a JSON object
{path: [status, render statements, store-hit statements]}:

- render: the document store off too, so every request renders; each path
  is requested once to warm imports and caches of the ORM, then once more
  with the counter reset;
- store hit: the document store on; the first request renders and stores,
  the second is counted. The SQLite lookup runs on the store's own
  connection, outside the engine, so its statements are traced there too;
  PostgreSQL's run on the store's async connections and are counted by it.
"""

import json
import sys
import warnings
from typing import Any

from sqlalchemy import event


def count(database_url: str, paths: list[str], *, store: bool) -> dict[str, list[int]]:
    from fastapi.testclient import TestClient

    from app import wiring
    from app.config import Settings
    from app.db import Database, make_engine
    from app.main import create_app

    settings = Settings(database_url=database_url, document_store=store, _env_file=None)
    database = Database(make_engine(settings))
    wiring.connect(database)
    statements = [0]

    def _count(*_args: Any) -> None:
        statements[0] += 1

    event.listen(database.engine, "before_cursor_execute", _count)
    results: dict[str, list[int]] = {}
    app = create_app(settings, database)
    with TestClient(app) as client:
        document_store = app.state.document_store
        if document_store is not None and document_store.sqlite_path is not None:
            document_store.sqlite_connection().set_trace_callback(_count)
        for path in paths:
            client.get(path)
            statements[0] = 0
            lookups = document_store.pg_lookups if document_store is not None else 0
            status = client.get(path).status_code
            if document_store is not None:  # PostgreSQL lookups use the store's own connections
                statements[0] += document_store.pg_lookups - lookups
            results[path] = [status, statements[0]]
    database.dispose()
    return results


def main(database_url: str, paths: list[str]) -> dict[str, list[int]]:
    warnings.simplefilter("ignore")
    render = count(database_url, paths, store=False)
    hit = count(database_url, paths, store=True)
    return {path: [*render[path], hit[path][1]] for path in paths}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2:])))
