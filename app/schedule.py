"""Scheduled publishing without a cron job: requests drive the promoter.

Each worker checks at most once per SCHEDULE_CHECK_SECONDS, with one cheap
read; only when something is due does it open a write transaction. Several
workers may promote at once safely (app.services.workflow.promote_due).
Visibility does not depend on it: the public filter honours the times.
"""

import logging
import threading
import time

from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError

from app.deps import get_database
from app.services import workflow
from app.services.api_key import Actor, act_as
from models.base import utcnow

logger = logging.getLogger("app.schedule")
SCHEDULER = Actor("scheduler")


class ScheduleGate:
    """Lets one request per interval (per process) through to the check."""

    def __init__(self, interval_seconds: float) -> None:
        self.interval = interval_seconds
        self._next = 0.0
        self._lock = threading.Lock()

    def open(self) -> bool:
        now = time.monotonic()
        with self._lock:
            if now < self._next:
                return False
            self._next = now + self.interval
            return True


def run_due_schedules(request: Request) -> None:
    gate: ScheduleGate = request.app.state.schedule
    if not gate.open():
        return
    database = get_database(request)
    now = utcnow()
    try:
        with database.transaction() as session:
            due = workflow.anything_due(session, now)
        if due:
            with database.transaction(write=True) as session:
                count = workflow.promote_due(act_as(session, SCHEDULER), now)
            logger.info("promoted %d scheduled change(s)", count)
    except SQLAlchemyError:
        # The request itself must not fail for this; the next check retries.
        logger.exception("scheduled publishing failed; will retry")
