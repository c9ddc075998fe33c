"""A minimal HTTP/1.1 keep-alive client on asyncio streams, for the soak.

httpx spent about 10 ms of CPU per request here with 32 connections (on a
2-core machine shared with the server), capping the soak near 50 req/s;
this client costs well under 1 ms, so the server, not the client, is what
the soak loads. It speaks only what the soak needs: one request at a time
per connection, Content-Length or chunked bodies, gzip. A connection idle for
longer than IDLE_SECONDS is replaced before use, so uvicorn closing it after
its 5 s keep-alive timeout cannot race a request (a client-side error that
would otherwise count as a server failure).
"""

import asyncio
import gzip
import json
import time
from dataclasses import dataclass
from typing import Any

IDLE_SECONDS = 2.0


class ProtocolError(Exception):
    """The server's answer was not the HTTP/1.1 the client expected."""


@dataclass
class Response:
    status_code: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        data = self.body
        if self.headers.get("content-encoding") == "gzip":
            data = gzip.decompress(data)
        return json.loads(data)


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.used = time.monotonic()

    def close(self) -> None:
        self.writer.close()


class Client:
    def __init__(self, host: str, port: int, *, connections: int, timeout: float = 30.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.idle: asyncio.Queue[_Connection | None] = asyncio.Queue()
        for _ in range(connections):
            self.idle.put_nowait(None)

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
    ) -> Response:
        conn = await self.idle.get()
        try:
            if conn is not None and time.monotonic() - conn.used > IDLE_SECONDS:
                conn.close()
                conn = None
            if conn is None:
                conn = _Connection(*await asyncio.open_connection(self.host, self.port))
            response, keep = await asyncio.wait_for(
                self._exchange(conn, method, path, headers or {}, json_body), self.timeout
            )
            conn.used = time.monotonic()
            if not keep:
                conn.close()
                conn = None
            return response
        except BaseException:
            if conn is not None:
                conn.close()
                conn = None
            raise
        finally:
            self.idle.put_nowait(conn)

    async def _exchange(
        self, conn: _Connection, method: str, path: str, headers: dict[str, str], json_body: Any
    ) -> tuple[Response, bool]:
        body = b"" if json_body is None else json.dumps(json_body).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        fields = {"Accept-Encoding": "gzip", **headers}
        if json_body is not None:
            fields.setdefault("Content-Type", "application/json")
        if body or method in ("POST", "PATCH", "PUT"):
            fields["Content-Length"] = str(len(body))
        lines += [f"{name}: {value}" for name, value in fields.items()]
        conn.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await conn.writer.drain()
        head = await conn.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ProtocolError(f"bad status line {status_line!r}")
        status = int(parts[1])
        received: dict[str, str] = {}
        for line in header_lines:
            if line:
                name, _, value = line.partition(":")
                received[name.strip().lower()] = value.strip()
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            data = b""
        elif received.get("transfer-encoding", "").lower() == "chunked":
            data = await self._chunked(conn.reader)
        elif "content-length" in received:
            data = await conn.reader.readexactly(int(received["content-length"]))
        else:
            raise ProtocolError(f"{status} answer without a length")
        keep = received.get("connection", "").lower() != "close"
        return Response(status, received, data), keep

    @staticmethod
    async def _chunked(reader: asyncio.StreamReader) -> bytes:
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")  # no trailers are expected
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)

    async def aclose(self) -> None:
        while not self.idle.empty():
            conn = self.idle.get_nowait()
            if conn is not None:
                conn.close()
