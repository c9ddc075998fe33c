"""A few asynchronous PostgreSQL connections for document-store lookups.

A lookup is one indexed SELECT; run through the threadpool it paid a thread
hop, a pool checkout with its pre-ping round trip, and the GIL hand-offs of
a blocking driver call, and at 64 connections it queued behind them (618
req/s, p99 347 ms on the benchmark machine). Here psycopg's async driver runs
it on the event loop itself: the loop keeps serving while the query is on
the wire, and nothing else is spent. The connections are the store's own
(autocommit, a connect timeout), outside the SQLAlchemy pool whose capacity
the threadpool is sized to, and are opened on demand up to `size`; a
connection that fails is dropped and the error goes to the caller, which
treats it as a miss.
"""

import asyncio
import weakref
from typing import Any

import psycopg
from sqlalchemy import make_url


def _finish(connections: set[psycopg.AsyncConnection[Any]]) -> None:
    """Close idle connections without a loop (`pgconn.finish()` is synchronous)."""
    for conn in list(connections):
        conn.pgconn.finish()
    connections.clear()


class PostgresReader:
    def __init__(self, database_url: str, *, size: int, connect_timeout: int) -> None:
        self.conninfo = (
            make_url(database_url)
            .set(drivername="postgresql")
            .render_as_string(hide_password=False)
        )
        self.size = size
        self.connect_timeout = connect_timeout
        self._idle: list[psycopg.AsyncConnection[Any]] = []
        self._opened = 0
        # Every open connection: closed when the reader goes, even if no
        # lifespan ever called `close` (an app used without its lifespan).
        self._open: set[psycopg.AsyncConnection[Any]] = set()
        weakref.finalize(self, _finish, self._open)
        self._freed: asyncio.Condition | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def fetch_one(self, sql: str, params: tuple[Any, ...]) -> Any:
        conn = await self._take()
        try:
            cursor = await conn.execute(sql, params)
            row = await cursor.fetchone()
        except BaseException:
            self._opened -= 1
            self._open.discard(conn)
            await self._notify()
            await conn.close()
            raise
        self._idle.append(conn)
        await self._notify()
        return row

    async def _take(self) -> psycopg.AsyncConnection[Any]:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (tests run several): start afresh
            _finish(self._open)
            self._loop, self._idle, self._opened = loop, [], 0
            self._freed = asyncio.Condition()
        assert self._freed is not None
        while True:
            if self._idle:
                return self._idle.pop()
            if self._opened < self.size:
                self._opened += 1
                try:
                    conn = await psycopg.AsyncConnection.connect(
                        self.conninfo, autocommit=True, connect_timeout=self.connect_timeout
                    )
                except BaseException:
                    self._opened -= 1
                    raise
                self._open.add(conn)
                return conn
            async with self._freed:
                await self._freed.wait()

    async def _notify(self) -> None:
        if self._freed is not None:
            async with self._freed:
                self._freed.notify()

    async def close(self) -> None:
        idle, self._idle, self._opened = self._idle, [], 0
        for conn in idle:
            self._open.discard(conn)
            await conn.close()
