"""Scheduled publishing without a cron job: each worker runs the promoter.

A background thread per worker, and every request that reaches routing,
check at most once per SCHEDULE_CHECK_SECONDS with one cheap read; only when
something is due does it open a write transaction. The thread matters
because cache hits never reach routing: without it a fully cached site
would keep serving pre-schedule bytes until some request missed. Several
workers may promote at once safely (app.services.editorial.workflow.promote_due).
Visibility does not depend on it: the public filter honours the times.
"""

import logging
import threading
import time

from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError

from app.db import Database
from app.deps import get_database
from app.services.api_key import Actor, act_as
from app.services.editorial import workflow
from models.base import utcnow

logger = logging.getLogger("app.jobs.scheduler")
SCHEDULER = Actor("scheduler")


class ScheduleGate:
    """Lets one request per interval (per process) through to the check."""

    def __init__(self, interval_seconds: float) -> None:
        self.interval = interval_seconds
        # Closed for the first interval: start-up is not a reason to check.
        self._next = time.monotonic() + interval_seconds
        self._lock = threading.Lock()

    def open(self) -> bool:
        now = time.monotonic()
        with self._lock:
            if now < self._next:
                return False
            self._next = now + self.interval
            return True


def run_due_schedules(request: Request) -> None:
    check_schedules(get_database(request), request.app.state.schedule)


class ScheduleThread:
    """Wakes every interval and runs the same gated check as requests do."""

    def __init__(self, database: Database, gate: ScheduleGate) -> None:
        self._database, self._gate = database, gate
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="schedule", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self._gate.interval):
            check_schedules(self._database, self._gate)


def check_schedules(database: Database, gate: ScheduleGate) -> None:
    if not gate.open():
        return
    now = utcnow()
    try:
        with database.transaction() as session:
            due = workflow.anything_due(session, now=now)
        if due:
            with database.transaction(write=True) as session:
                count = workflow.promote_due(act_as(session, actor=SCHEDULER), now=now)
            logger.info("promoted %d scheduled change(s)", count)
    except SQLAlchemyError:
        # The request itself must not fail for this; the next check retries.
        logger.exception("scheduled publishing failed; will retry")
