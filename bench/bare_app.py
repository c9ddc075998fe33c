"""The baseline: a bare Starlette app returning the product's detail bytes.

It serves the exact body the product returned for the benchmarked detail
URL (captured by run.py into the file named by BENCH_BODY_FILE), already
serialized, so the ratio product/bare shows what the framework, database
and serialization cost on top of the server itself.
"""

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BODY = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()
PATH = os.environ.get("BENCH_PATH", "/v1/treatments/immunotherapy")


async def document(request: Request) -> Response:
    return Response(BODY, media_type="application/json")


async def healthz(request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


app = Starlette(routes=[Route(PATH, document), Route("/healthz", healthz)])
