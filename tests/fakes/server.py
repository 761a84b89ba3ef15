"""The HTTP plumbing the fakes share: a threaded server on a free port of 127.0.0.1,
requests handed to the fake as plain values, and scripted misbehaviour."""

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    raw_query: str
    headers: dict[str, list[str]]  # lower-case names, every value as received
    body: bytes

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(self.raw_query, keep_blank_values=True))

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower(), [])
        return values[0] if values else ""

    def json(self):
        return json.loads(self.body)


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait before answering, after the request has been processed: the
    # message is out, and the client's read timeout fires first.
    delay: float = 0.0

    @classmethod
    def json(cls, data, *, status: int = 200, content_type: str = "application/json"):
        body = json.dumps(data, ensure_ascii=False).encode()
        return cls(status=status, body=body, content_type=content_type)


class FakeServer:
    """Subclasses implement ``handle(request) -> Response``."""

    def __init__(self):
        self._lock = threading.Lock()
        self._script: deque[str] = deque()
        self._delays: deque[float] = deque()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.received: list[Request] = []  # every request, as it arrived

    # --- life cycle -----------------------------------------------------------------

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._dispatch()

            def do_POST(self):
                self._dispatch()

            def _dispatch(self):
                parts = urlsplit(self.path)
                headers: dict[str, list[str]] = {}
                for name, value in self.headers.items():
                    headers.setdefault(name.lower(), []).append(value)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    raw_query=parts.query,
                    headers=headers,
                    body=self.rfile.read(length) if length else b"",
                )
                with fake._lock:
                    fake.received.append(request)
                response = fake.handle(request)
                if response.delay and fake._stopping.wait(response.delay):
                    return  # shutting down: the client gave up long ago
                try:
                    self.send_response(response.status)
                    self.send_header("Content-Type", response.content_type)
                    self.send_header("Content-Length", str(len(response.body)))
                    for name, value in response.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(response.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and closed its end

            def log_message(self, format, *args):  # quiet: tests read what the fake recorded
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    # --- scripted misbehaviour -------------------------------------------------------

    def fail_next(self, kind: str, times: int = 1) -> None:
        """The next ``times`` requests that pass authentication get the failure
        ``kind`` (each fake names its own: "throttle", "server_error"…)."""
        with self._lock:
            self._script.extend([kind] * times)

    def delay_next(self, seconds: float) -> None:
        """The next request is processed, then answered only after ``seconds``."""
        with self._lock:
            self._delays.append(seconds)

    def scripted_failure(self) -> str | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    def scripted_delay(self) -> float:
        with self._lock:
            return self._delays.popleft() if self._delays else 0.0

    def handle(self, request: Request) -> Response:
        raise NotImplementedError
