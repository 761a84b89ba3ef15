"""What one API request costs in-process, and where a sold-out refusal and /health spend it.

    python bench/api_profile.py                          # PostgreSQL + Redis (defaults below)
    python bench/api_profile.py --runs 2000 --profile-runs 500

Defaults: DATABASE_URL=postgres://postgres@127.0.0.1:5432/yachi_bench (dropped and made
anew) and REDIS_URL=redis://127.0.0.1:6379/11 (flushed), the databases of bench/http.py:
run one after the other, never both at once.

No network and no server: the request goes straight into Django's handlers, one after
another, each with a different patient's token. Prints p50 / p95 per request for
  * GET /api/v1/health through the WSGI handler with the full middleware, with the
    API's short stack (``API_MIDDLEWARE`` in bench/_common.py), with no middleware, and
    through the ASGI handler (config.asgi, where a sync view runs in a thread of its own)
  * the sold-out refusal (POST /api/v1/flash-sales/{id}/reserve, 409) the same ways
  * a reserve that takes a place, with PostgreSQL's CPU per reserve, then its SQL
    statements, Redis commands and round trips counted over 50 more
then a cProfile of the reserve, of the refusal and of /health through the WSGI handler:
the share of the time in token authentication, reading the sale, the Redis script,
writing the place, SQL, the view, and the middleware and handler around it.
"""

import sys
from pathlib import Path

# Scripts here import each other as the package ``bench``; this folder must leave the
# path, or bench/http.py would stand in for the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import pstats  # noqa: E402
from collections import Counter  # noqa: E402

from bench import _common  # noqa: E402

_common.configure(
    database_url="postgres://postgres@127.0.0.1:5432/yachi_bench",
    redis_url="redis://127.0.0.1:6379/11",
)

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

HEALTH = "/api/v1/health"

# Where the time goes: (label, file the function is in, function name). Shares are of
# the cumulative time, so nested probes overlap (the view holds the token check).
PROBES = [
    ("the view (Ninja: auth, parsing, the endpoint, the answer)", "ninja/operation.py", "run"),
    ("  token authentication", "yachi/accounts/auth.py", "authenticate"),
    ("  reading the sale (sale_by_id)", "shop/flash/selectors.py", "sale_by_id"),
    ("  flash_reserve (window check, the Redis script)", "shop/flash/services.py", "flash_reserve"),
    ("    the Redis script (store.reserve)", "shop/flash/store.py", "reserve"),
    ("    writing the place (reservation_create)", "shop/flash/services.py", "reservation_create"),
    ("  the error answer (DomainError to JSON)", "yachi/core/api_errors.py", "domain_error"),
    ("  the answer's JSON (Ninja renderer)", "ninja/renderers.py", "render"),
    ("SQL round trips (psycopg execute)", "psycopg/cursor.py", "execute"),
    ("Redis round trips (redis-py execute_command)", "redis/client.py", "execute_command"),
]


class Sequence:
    """Requests built ahead of time, one per call: building them is not what is timed."""

    def __init__(self, factory, method: str, path: str, tokens: list[str]):
        headers = lambda token: {"Authorization": f"Bearer {token}"} if token else {}  # noqa: E731
        self.environs = [
            getattr(factory, method.lower())(path, headers=headers(token)).environ
            for token in tokens
        ]
        self.method, self.path, self.tokens = method, path, tokens
        self.position = 0

    def next_environ(self) -> dict:
        environ = self.environs[self.position % len(self.environs)]
        self.position += 1
        return environ


def wsgi_call(handler, sequence: Sequence, expected: int):
    def call():
        statuses = []
        body = handler(sequence.next_environ(), lambda status, headers: statuses.append(status))
        b"".join(body)
        body.close()
        assert statuses[0].startswith(str(expected)), statuses

    return call


def asgi_call(application, sequence: Sequence, expected: int):
    loop = asyncio.new_event_loop()

    async def one(token: str):
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": sequence.method,
            "scheme": "http",
            "path": sequence.path,
            "raw_path": sequence.path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1")]
            + ([(b"authorization", f"Bearer {token}".encode())] if token else []),
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        sent = {"body": False}
        forever = loop.create_future()

        async def receive():
            if not sent["body"]:
                sent["body"] = True
                return {"type": "http.request", "body": b"", "more_body": False}
            return await forever  # the client stays connected

        status = []

        async def send(message):
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await application(scope, receive, send)
        assert status == [expected], status

    def call():
        token = sequence.tokens[sequence.position % len(sequence.tokens)]
        sequence.position += 1
        loop.run_until_complete(one(token))

    return call


def profile(label: str, runs: int, call) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt
    print(f"where {label} spends its time (cProfile, {runs} requests, WSGI, full middleware):")
    print(f"  {'all of it':<58} {total / runs * 1000:6.2f} ms  100 %")
    view = 0.0
    for name, path, function in PROBES:
        cumulative = sum(
            ct
            for (file, _, func), (_, _, _, ct, _) in stats.stats.items()
            if func == function and file.endswith(path)
        )
        if not cumulative:
            continue
        if path == "ninja/operation.py":
            view = cumulative
        print(f"  {name:<58} {cumulative / runs * 1000:6.2f} ms  {cumulative / total:5.0%}")
    if view:
        rest = total - view
        label = "middleware, URL routing and the handler around the view"
        print(f"  {label:<58} {rest / runs * 1000:6.2f} ms  {rest / total:5.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1000, help="requests per timed line")
    parser.add_argument("--profile-runs", type=int, default=300)
    args = parser.parse_args()

    from config.asgi import application as asgi_application

    print(f"{_common.describe_stores()}; load average {_common.load_average()}")
    _common.empty_stores()
    clinic = _common.bench_clinic()
    # A token is never sent twice: each timed line has tokens of its own.
    patients = _common.patients_with_tokens(5 * args.runs + 2 * args.profile_runs + 60)
    fresh = iter(token for _, token in patients[1:])

    def tokens_for(count: int) -> list[str]:
        return [next(fresh) for _ in range(count)]

    sold_out = _common.sold_out_sale(clinic=clinic, buyer=patients[0][0])
    plenty = _common.flash_sale(clinic=clinic, places=args.runs + args.profile_runs + 60)
    refusal = f"/api/v1/flash-sales/{sold_out.public_id}/reserve"
    factory = RequestFactory()
    handlers = {
        "full middleware": WSGIHandler(),
        "API middleware": _common.middleware_handler(_common.API_MIDDLEWARE),
        "no middleware": _common.middleware_handler([]),
    }

    for path, method, expected, label, with_tokens in (
        (HEALTH, "GET", 200, "GET /health", False),
        (refusal, "POST", 409, "sold-out refusal", True),
    ):
        for name, handler in handlers.items():
            who = tokens_for(args.runs + 1) if with_tokens else [""]
            sequence = Sequence(factory, method, path, who)
            call = wsgi_call(handler, sequence, expected)
            call()  # the first request of a handler loads what it needs
            _common.timed(f"{label}, WSGI handler, {name}", args.runs, call)
        who = tokens_for(args.runs + 1) if with_tokens else [""]
        sequence = Sequence(factory, method, path, who)
        call = asgi_call(asgi_application, sequence, expected)
        call()
        _common.timed(f"{label}, ASGI handler, full middleware", args.runs, call)

    # The reserve's buyers: timed, then counted, then profiled, each a fresh token.
    counted = 50
    tokens = tokens_for(args.runs + counted + args.profile_runs)
    reserve = Sequence(factory, "POST", f"/api/v1/flash-sales/{plenty.public_id}/reserve", tokens)
    call = wsgi_call(handlers["full middleware"], reserve, 201)
    call()  # the first request reads the sale, which the process then remembers
    runs = args.runs - 1
    with _common.database_cpu() as database:
        _common.timed("reserve taking a place, WSGI handler, full middleware", runs, call)
    if database["ms"] is not None:
        print(f"  PostgreSQL's CPU per reserve: {database['ms'] / runs:.2f} ms", flush=True)
    with (
        CaptureQueriesContext(connection) as queries,
        _common.counting_cache() as redis_counts,
    ):
        for _ in range(counted):
            call()
    statements = Counter(q["sql"].split(None, 1)[0].upper() for q in queries.captured_queries)
    kinds = ", ".join(f"{kind} {n / counted:g}" for kind, n in statements.items())
    print(
        f"  each reserve: {statements.total() / counted:.1f} SQL statements ({kinds}),"
        f" {redis_counts.commands / counted:.1f} Redis commands"
        f" in {redis_counts.round_trips / counted:.1f} round trips",
        flush=True,
    )
    profile(
        "a reserve taking a place",
        args.profile_runs,
        call,
    )

    # The profile's refusals reuse the reserve's buyers: they hold no place in this sale.
    refusals = Sequence(factory, "POST", refusal, tokens)
    profile(
        "a sold-out refusal",
        args.profile_runs,
        wsgi_call(handlers["full middleware"], refusals, 409),
    )
    health = Sequence(factory, "GET", HEALTH, [""])
    profile(
        "GET /health", args.profile_runs * 5, wsgi_call(handlers["full middleware"], health, 200)
    )
    print(f"load average {_common.load_average()}")


if __name__ == "__main__":
    main()
