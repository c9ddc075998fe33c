"""Every route an app serves, with FastAPI's included routers flattened.

FastAPI keeps an included router as one nested entry (`original_router`);
the 405 handler, the OpenAPI tidy-up and the route-table tests all need the
leaf routes behind it.
"""

from collections.abc import Iterable, Iterator

from starlette.routing import BaseRoute


def leaf_routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            yield from leaf_routes(nested.routes)
        else:
            yield route
