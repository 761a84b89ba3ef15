"""The yardstick of ``bench/http.py``: the least an ASGI app can do to answer a request.

    uvicorn bench.hello:app --http httptools --loop uvloop --workers 2

What Yachi's own paths are measured against: the same server, workers and load
generator with no framework at all in between.
"""

BODY = b'{"status": "ok"}'
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return  # no lifespan or WebSocket work to do
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
