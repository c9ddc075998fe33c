"""Request bodies over MAX_BODY_BYTES are refused with a 413 problem.

A declared Content-Length over the limit is refused before the app runs. A
body without one (chunked) is counted as it streams: the chunk that crosses
the limit ends it: the 413 goes out, and the app's read raises an
HTTPException (the signal FastAPI passes through from middleware), so the
app unwinds quietly and the rest of the body is never read, let alone held
in memory. Whatever the app answers after that is dropped. A declared
length within the limit needs no counting: the server enforces the framing.
"""

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import BadRequest, PayloadTooLarge
from app.http.problem import send_problem


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"The request body exceeds the limit of {self.max_bytes} bytes.")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        chunked = scope.get("http_version") == "2"  # HTTP/2 frames bodies without a length
        for name, value in scope["headers"]:
            if name == b"content-length":
                declared = value
                break
            if name == b"transfer-encoding":
                chunked = True
        if declared is not None:
            if not declared.isdigit():
                await send_problem(scope, receive, send, BadRequest("Invalid Content-Length."))
            elif int(declared) > self.max_bytes:
                await send_problem(scope, receive, send, self._too_large())
            else:
                await self.app(scope, receive, send)
            return
        if not chunked:  # HTTP/1.1 without Content-Length or Transfer-Encoding: no body
            await self.app(scope, receive, send)
            return
        await self._counted(scope, receive, send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        refused = started = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                raise HTTPException(413)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = True
                    if not started:
                        await send_problem(scope, receive, send, self._too_large())
                    raise HTTPException(413)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer; drop whatever the app says next
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except HTTPException:
            if not refused:
                raise
