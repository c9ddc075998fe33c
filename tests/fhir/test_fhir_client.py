"""A real FHIR client (fhirpy) pages through a real server.

The app runs under uvicorn on a free 127.0.0.1 port in a daemon thread, with
that address as its PUBLIC_BASE_URL (links are made under it, never from the
request), so the client follows the Bundle's absolute `next` links over HTTP
exactly as it would against any FHIR server.
"""

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fhir.resources.R4B.practitioner import Practitioner
from fhirpy import SyncFHIRClient

from app.db import Database
from tests.support.apps import SettingsApp
from tests.support.factories import make


@pytest.fixture
def server_url(settings_app: SettingsApp, database: Database) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = settings_app(public_base_url=f"http://127.0.0.1:{port}")
    config = uvicorn.Config(app, log_level="warning", ws="none", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/fhir/r4"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.mark.slow
def test_fhirpy_pages_through_every_practitioner_exactly_once(
    seeded: Database, server_url: str
) -> None:
    for n in range(1, 26):
        make(seeded, "doctors", slug=f"sample-doctor-{n:02d}", name=f"Sample Doctor {n:02d}")
    client = SyncFHIRClient(server_url)

    first_page = client.resources("Practitioner").limit(10).fetch()
    seen = []
    for resource in client.resources("Practitioner").limit(10):
        Practitioner.model_validate(resource.serialize())
        seen.append(resource["name"][0]["text"])

    assert len(first_page) == 10
    assert len(seen) == 26
    assert sorted(seen) == sorted(set(seen))
    assert "Dr. Ragesh Nair" in seen
    assert {f"Sample Doctor {n:02d}" for n in range(1, 26)} <= set(seen)


@pytest.mark.slow
def test_fhirpy_reads_a_practitioner_and_filters_by_name(seeded: Database, server_url: str) -> None:
    client = SyncFHIRClient(server_url)

    [found] = client.resources("Practitioner").search(name="nair").fetch()
    read = client.reference("Practitioner", found.id).to_resource()

    Practitioner.model_validate(read.serialize())
    assert read.serialize() == found.serialize()
