"""A pure ASGI middleware that adds headers chosen by a dependency.

Routes that return a Response directly drop headers a dependency sets on
FastAPI's `Response` parameter; a preview must still say `no-store`, so the
dependency leaves them in `request.state.response_headers` and this adds
them (replacing any of the same name) as the response starts.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATE_KEY = "response_headers"


class ResponseHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra: dict[str, str] = scope.get("state", {}).get(STATE_KEY) or {}
                if extra:
                    names = {name.lower().encode("latin-1") for name in extra}
                    headers = [(k, v) for k, v in message.get("headers", []) if k not in names]
                    headers += [
                        (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()
                    ]
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
