"""kill -9 in the middle of a burst of editorial writes loses nothing that was
acknowledged and leaves nothing half-written.

The real server (`treatments serve`) runs against the
run's database; several threads create, change (with If-Match), translate,
review and publish treatments, recording every answer. Once enough writes are
acknowledged the whole process group is killed with SIGKILL, so no shutdown
code runs. After a restart on the same database every acknowledged write must
be there exactly as acknowledged, each write in flight must be all there or
not at all, and the database must pass its integrity checks.
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select, text

from app.db import Database
from models import AuditEvent, ChangeLog, Revision, SearchDocument, Translation, Treatment
from tests.support.editorial import REVIEWER, auth
from tests.support.integrity import violations
from tests.support.servers import SERVER, free_port

pytestmark = [pytest.mark.slow, pytest.mark.server]

TREATMENTS = Path(sys.executable).parent / "treatments"
THREADS = 6
KILL_AFTER_ACKS = 45  # enough for every kind of step to be acknowledged, and some in flight
STEPS = ("create", "patch", "translate", "review", "publish")


@dataclass
class Write:
    """One request of the burst; `answer` stays None when the server died first."""

    slug: str
    step: str
    expected: dict[str, Any]  # what the item shows if this write applied
    status: int | None = None
    answer: dict[str, Any] | None = None

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _serve(database_url: str, cwd: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = cwd / f"server-{port}.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "test",
        "RATE_LIMIT_ENABLED": "false",
        "WEBHOOK_WORKER_ENABLED": "false",
        "SCHEDULE_CHECK_SECONDS": "3600",
    }
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [str(TREATMENTS), "serve", "--port", str(port), "--no-access-log", "--server", SERVER],
            env=env,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # its own process group: the kill reaches every worker
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    _kill(process)
    pytest.fail("the server did not start: " + log.read_text(errors="replace")[-2000:])


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Servers the test starts; whatever is still running at the end is killed."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            _kill(process)


class Burst:
    def __init__(self, base: str, keys: dict[str, str]) -> None:
        self.base, self.keys = base, keys
        self.writes: list[Write] = []
        self.lock = threading.Lock()
        self.acks = 0

    def _send(self, http: httpx.Client, write: Write, method: str, path: str, **kw: Any) -> str:
        with self.lock:
            self.writes.append(write)
        answer = http.request(method, path, **kw)  # a TransportError ends the thread
        write.status = answer.status_code
        assert write.acknowledged, f"{write.step} {write.slug}: {answer.status_code} {answer.text}"
        write.answer = answer.json()["data"]
        with self.lock:
            self.acks += 1
        return answer.headers["ETag"]

    def run_thread(self, number: int) -> None:
        editor, publisher = self.keys["editor"], self.keys["publisher"]
        with httpx.Client(base_url=self.base, timeout=30) as http:
            for item in range(1000):
                slug = f"crash-{number}-{item}"
                title = f"Crash {number}-{item} (sample)"
                try:
                    etag = self._send(
                        http,
                        Write(slug, "create", {"version": 1, "title": title, "status": "draft"}),
                        "POST",
                        "/v1/treatments",
                        json={"slug": slug, "title": title, "summary": "Sample text."},
                        headers=auth(editor),
                    )
                    changed = {"title": f"{title} v2", "summary": "Changed text."}
                    etag = self._send(
                        http,
                        Write(slug, "patch", {"version": 2, **changed}),
                        "PATCH",
                        f"/v1/treatments/{slug}",
                        json=changed,
                        headers=auth(editor, etag),
                    )
                    etag = self._send(
                        http,
                        Write(slug, "translate", {"hi": f"{title} hi"}),
                        "PATCH",
                        f"/v1/treatments/{slug}?locale=hi",
                        json={"title": f"{title} hi"},
                        headers=auth(editor, etag),
                    )
                    etag = self._send(
                        http,
                        Write(slug, "review", {"reviewed_by": REVIEWER}),
                        "POST",
                        f"/v1/treatments/{slug}/review",
                        json={"reviewed_by": REVIEWER},
                        headers=auth(editor, etag),
                    )
                    self._send(
                        http,
                        Write(slug, "publish", {"status": "published"}),
                        "POST",
                        f"/v1/treatments/{slug}/publish",
                        headers=auth(publisher, etag),
                    )
                except httpx.TransportError:
                    return  # the server is gone: this thread's last write is in flight


def _row_invariants(engine: Engine) -> list[str]:
    """What one transaction per write promises, checked on every treatment row."""
    problems: list[str] = []
    with engine.connect() as conn:
        treatments = {row.id: row for row in conn.execute(select(Treatment.__table__))}
        revisions = conn.execute(
            select(
                Revision.item_id,
                func.max(Revision.version),
                func.count(),
                func.max(Revision.number),
            )
            .where(Revision.kind == "treatment")
            .group_by(Revision.item_id)
        ).all()
        by_item = {item_id: (version, count, top) for item_id, version, count, top in revisions}
        audited = {tuple(r) for r in conn.execute(select(AuditEvent.item_id, AuditEvent.version))}
        revised = {
            tuple(r)
            for r in conn.execute(
                select(Revision.item_id, Revision.version).where(Revision.kind == "treatment")
            )
        }
        logged = set(conn.scalars(select(ChangeLog.item_id).where(ChangeLog.kind == "treatment")))
        indexed = set(
            conn.scalars(select(SearchDocument.item_id).where(SearchDocument.kind == "treatment"))
        )
        translated = set(
            conn.scalars(select(Translation.item_id).where(Translation.kind == "treatment"))
        )
    for item_id, row in treatments.items():
        version, count, top = by_item.get(item_id, (None, 0, 0))
        if version != row.version:
            problems.append(f"{row.slug}: version {row.version}, latest revision {version}")
        if count != top:
            problems.append(f"{row.slug}: {count} revisions numbered up to {top}")
        if row.status == "published" and item_id not in logged:
            problems.append(f"{row.slug}: published without a change-log row")
    for item_id, version in revised:
        if (item_id, version) not in audited:
            problems.append(f"revision {item_id} v{version} has no audit event")
    for name, ids in (("revision", set(by_item)), ("change_log", logged),
                      ("search_document", indexed), ("translation", translated)):  # fmt: skip
        strays = ids - set(treatments)
        if strays:
            problems.append(f"{name} rows for missing treatments: {sorted(strays)}")
    return problems


def _integrity(engine: Engine) -> list[str]:
    problems = violations(engine)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            checked = conn.execute(text("PRAGMA integrity_check")).scalars().all()
            if checked != ["ok"]:
                problems.append(f"integrity_check: {checked}")
            broken = conn.execute(text("PRAGMA foreign_key_check")).all()
            if broken:
                problems.append(f"foreign_key_check: {broken}")
    return problems


def _translation(engine: Engine, slug: str) -> str | None:
    with engine.connect() as conn:
        data = conn.scalar(
            select(Translation.data)
            .join(Treatment, Translation.item_id == Treatment.id)
            .where(Treatment.slug == slug, Translation.locale == "hi")
        )
    if data is None:
        return None
    title = data.get("title")
    return str(title) if title is not None else None


def _shows(stored: dict[str, Any] | None, hi: str | None, write: Write) -> bool:
    """Whether the stored item is in the state `write` leaves it in."""
    if stored is None:
        return False
    for name, value in write.expected.items():
        if (hi if name == "hi" else stored.get(name)) != value:
            return False
    if write.answer is not None:
        return bool(stored["version"] == write.answer["version"])
    return True


def test_kill_9_mid_burst_keeps_every_acknowledged_write_and_no_half_write(
    server: list[subprocess.Popen[bytes]],
    database: Database,
    database_url: str,
    keys: dict[str, str],
    tmp_path: Path,
) -> None:
    process, base = _serve(database_url, tmp_path)
    server.append(process)
    burst = Burst(base, keys)
    threads = [threading.Thread(target=burst.run_thread, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while burst.acks < KILL_AFTER_ACKS and any(t.is_alive() for t in threads):
        assert time.monotonic() < deadline, f"only {burst.acks} writes acknowledged in 30 s"
        time.sleep(0.01)
    _kill(process)
    for thread in threads:
        thread.join(timeout=30)
    in_flight = [w for w in burst.writes if w.status is None]
    assert burst.acks >= KILL_AFTER_ACKS
    assert in_flight, "the kill should land with writes in flight"

    process, base = _serve(database_url, tmp_path)
    server.append(process)
    engine = database.engine
    assert _integrity(engine) == []
    assert _row_invariants(engine) == []

    last: dict[str, Write] = {}
    for write in burst.writes:
        last[write.slug] = write  # each thread writes one slug at a time, in order
    acknowledged = {w.slug: w for w in burst.writes if w.acknowledged}
    translations = {w.slug: w.expected["hi"] for w in burst.writes if w.step == "translate"}
    with httpx.Client(base_url=base, timeout=10) as http:
        for slug, final in last.items():
            answer = http.get(f"/v1/editorial/treatments/{slug}", headers=auth(keys["editor"]))
            stored = answer.json()["data"] if answer.status_code == 200 else None
            assert answer.status_code in (200, 404), answer.text
            hi = _translation(engine, slug)
            acked = acknowledged.get(slug)
            if final.acknowledged:
                assert _shows(stored, hi, final), (slug, final, stored)
            else:
                # In flight at the kill: all of it, or exactly the last acknowledged state.
                before = _shows(stored, hi, acked) if acked else stored is None
                assert before or _shows(stored, hi, final), (slug, final, acked, stored)
            if acked is not None and STEPS.index(acked.step) >= STEPS.index("translate"):
                assert hi == translations[slug], (slug, hi)

        published = [w.slug for w in burst.writes if w.step == "publish" and w.acknowledged]
        assert published, "some publish should be acknowledged before the kill"
        public = http.get(f"/v1/treatments/{published[0]}")
        assert public.status_code == 200, public.text
        fresh = http.post(
            "/v1/treatments",
            json={"slug": "after-the-crash", "title": "After (sample)"},
            headers=auth(keys["editor"]),
        )
        assert fresh.status_code == 201, fresh.text
