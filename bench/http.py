"""Yachi's hot API paths over HTTP, against a bare ASGI yardstick, in one run.

    python bench/http.py                                   # all lines, Yachi as `yachi serve`
    python bench/http.py --server serve uvicorn granian-wsgi granian-asgi --lines health refusal
    python bench/http.py --server granian-wsgi --connections 64 --threads 8 --pool-size 8
    python bench/http.py --repeat 3 --duration 10 --warmup 2 --workers 2

Needs wrk (`make bench` installs Debian's) and PostgreSQL + Redis: DATABASE_URL defaults to
postgres://postgres@127.0.0.1:5432/yachi_bench (dropped and made anew) and
REDIS_URL to redis://127.0.0.1:6379/11 (flushed).

One load generator, wrk (``--connections`` keep-alive connections, ``--wrk-threads``
threads), and ``--workers`` server processes every time. Each line runs ``--warmup``
seconds, then ``--duration`` seconds measured, and prints requests a second, p50 / p99
latency, the answers by status and how many were not the expected one (5xx and socket
errors included):

  yardstick  a bare ASGI hello (bench/hello.py) under uvicorn with httptools and uvloop
  health     GET /api/v1/health (the whole API stack, no database)
  refusal    POST /api/v1/flash-sales/{id}/reserve on a sale with no place left (409)
  reserve    the same on a sale with places enough: each request takes one (201)
  booking    POST /api/v1/appointments, each a real booking of a free time (201)

Every request of a line carries a different patient's token (and for a booking a
different time): wrk's script bench/rotate.lua sends the lines of a file the bench
writes. Then the ratios the targets are stated in: health ÷ yardstick, refusal ÷ health,
reserve ÷ health, booking ÷ health.

``--server`` names how Yachi is served, one or several in the same run:

  serve               `yachi serve --workers N` as shipped: granian, WSGI,
                      ``--threads`` threads per worker (YACHI_WEB_THREADS), the options
                      of yachi.core.server.granian_options, the pool sized to the threads
  uvicorn-h11         what `yachi serve` was until ADR 0021: uvicorn, ASGI,
                      yachi.core.server.NoDelayH11Protocol on asyncio's loop, without
                      the access log
  uvicorn             uvicorn with httptools and uvloop (ASGI)
  granian-wsgi        granian --interface wsgi, config.wsgi:application, ``--threads``
                      blocking threads per worker
  granian-asgi        granian --interface asginl, config.asgi:application
  granian-wsgi-lean   granian-wsgi with a short middleware stack for /api/
                      (bench/lean_wsgi.py); health only

Each line also prints the CPU each request cost the server's processes and the bench
database's backends (from /proc, so PostgreSQL must run on this machine), and the
ratios are printed again by that cost: on a shared machine the rates move with the
load, the CPU a request needs much less.

``--pg-waits`` samples pg_stat_activity during each Yachi line and prints what the
database's backends were doing (running, waiting for a lock, for the server's next
statement…): whether requests queue on one another's rows.

``--pool-size`` sets YACHI_DB_POOL_SIZE for the servers (the PostgreSQL connections each
worker process may hold); without it they keep the default. The load average is printed
before and after each line: the machine may be shared, so repeat (``--repeat``) and
compare lines of the same run.
"""

import sys
from pathlib import Path

# Scripts here import each other as the package ``bench``; this folder must leave the
# path, or bench/http.py would stand in for the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import timedelta  # noqa: E402
from importlib import metadata  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from bench import _common  # noqa: E402

_common.configure(
    database_url="postgres://postgres@127.0.0.1:5432/yachi_bench",
    redis_url="redis://127.0.0.1:6379/11",
)

ROOT = _common.ROOT
PYTHON = sys.executable
LINES = ["yardstick", "health", "refusal", "reserve", "booking"]
EXPECTED = {"yardstick": 200, "health": 200, "refusal": 409, "reserve": 201, "booking": 201}
TARGETS = [
    ("health", "yardstick", 0.10),
    ("refusal", "health", 0.60),
    ("reserve", "health", 0.20),
    ("booking", "health", 0.20),
]
HEALTH = "/api/v1/health"
# The last line of a traceback: "psycopg_pool.PoolTimeout: couldn't get a connection …".
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Timeout)\b.*: ")


def _uvicorn(app: str, http: str, extra: list[str] = ()) -> Callable:
    def command(args) -> list[str]:
        return [
            PYTHON,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--http",
            http,
            *extra,
            "--log-level",
            "warning",
            "--no-access-log",
            "--no-proxy-headers",
            "--lifespan",
            "off",
        ]

    return command


def _granian(app: str, interface: str) -> Callable:
    def command(args) -> list[str]:
        threads = []
        if interface == "wsgi" and args.threads:
            threads = ["--blocking-threads", str(args.threads)]
        return [
            str(Path(PYTHON).with_name("granian")),
            "--interface",
            interface,
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            *threads,
            "--no-ws",
            "--log-level",
            "warning",
            "--no-access-log",
            app,
        ]

    return command


def _serve(args) -> list[str]:
    return [
        PYTHON,
        "-m",
        "yachi.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
        "--no-jobs",
    ]


SERVERS = {
    "serve": _serve,
    "uvicorn-h11": _uvicorn(
        "config.asgi:application", "yachi.core.server:NoDelayH11Protocol", ["--loop", "asyncio"]
    ),
    "uvicorn": _uvicorn("config.asgi:application", "httptools", ["--loop", "uvloop"]),
    "granian-wsgi": _granian("config.wsgi:application", "wsgi"),
    "granian-asgi": _granian("config.asgi:application", "asginl"),
    "granian-wsgi-lean": _granian("bench.lean_wsgi:application", "wsgi"),
}
YARDSTICK = _uvicorn("bench.hello:app", "httptools", ["--loop", "uvloop"])
# What each server may run: the lean stack is only there to price the middleware.
HEALTH_ONLY = {"granian-wsgi-lean"}


@dataclass
class Figure:
    line: str
    server: str
    run: int
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    statuses: dict
    unexpected: int
    server_errors: int
    reused: int
    load_before: str
    load_after: str
    notes: list[str] = field(default_factory=list)
    # CPU ms per request: the server's processes, the bench database's backends.
    cpu_ms: tuple[float, float] = (0.0, 0.0)


class Server:
    """A server started in a process group of its own, stopped with the whole group."""

    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path, probe: str):
        self.name = name
        self.log = log_dir / f"{name}-{time.monotonic_ns()}.log"
        with self.log.open("wb") as log:
            # A fixed argument list built above: nothing from outside reaches a shell.
            self.process = subprocess.Popen(  # noqa: S603
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.url = f"http://127.0.0.1:{command[command.index('--port') + 1]}"
        self._wait_until_up(probe)

    def _wait_until_up(self, probe: str) -> None:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} stopped at start:\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.url + probe, timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"{self.name} did not answer {probe} within 180 s:\n{self.tail()}")

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def errors(self) -> list[str]:
        """The distinct exceptions the server logged, with how often (5xx show their cause)."""
        counts: dict[str, int] = {}
        for line in self.log.read_text(errors="replace").splitlines():
            if EXCEPTION_LINE.match(line):
                counts[line] = counts.get(line, 0) + 1
        return [f"{n} × {line}" for line, n in sorted(counts.items(), key=lambda kv: -kv[1])[:5]]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


class Requests:
    """The request lines of the bench, written to files for rotate.lua.

    Tokens (and for bookings, free times) are taken in order and never twice in a run
    where the pools are large enough: a line starts after the last one the previous
    line (or its warm-up) sent.
    """

    def __init__(self, folder: Path, threads: int, tokens, sold_out, new_sale, service_of, slots):
        self.folder = folder
        self.threads = threads  # of wrk: each needs a line of its own
        self.tokens = tokens
        self.sold_out = sold_out
        self.new_sale = new_sale
        self.service_of = service_of
        self.slots = slots
        self.token_offset = 0
        self.slot_offset = 0
        self.sale = None

    def write(self, line: str) -> Path:
        path = self.folder / f"{line}-{time.monotonic_ns()}.tsv"
        with path.open("w") as out:
            for method, target, token, body in self._lines(line):
                out.write(f"{method}\t{target}\t{token}\t{body}\n")
        return path

    def _rotated_tokens(self) -> list[str]:
        start = self.token_offset % len(self.tokens)
        return self.tokens[start:] + self.tokens[:start]

    def _lines(self, line: str):
        if line == "yardstick":
            return [("GET", "/", "", "")] * self.threads
        if line == "health":
            return [("GET", HEALTH, "", "")] * self.threads
        if line in ("refusal", "reserve"):
            sale = self.sold_out if line == "refusal" else self.sale
            target = f"/api/v1/flash-sales/{sale.public_id}/reserve"
            return [("POST", target, token, "") for token in self._rotated_tokens()]
        if line == "booking":
            lines = []
            for index in range(self.slot_offset, len(self.slots)):
                doctor, start = self.slots[index]
                body = json.dumps(
                    {
                        "doctor_id": str(doctor.public_id),
                        "service_id": str(self.service_of[doctor.pk].public_id),
                        "start": start.isoformat(),
                    }
                )
                # Patient i books times i, i + n, i + 2n…: never two at once.
                lines.append(
                    ("POST", "/api/v1/appointments", self.tokens[index % len(self.tokens)], body)
                )
                if len(lines) == len(self.tokens):
                    break
            if not lines:
                raise SystemExit("no free time left to book: raise --doctors")
            return lines
        raise ValueError(line)

    def start_line(self, line: str) -> None:
        if line == "reserve":
            self.sale = self.new_sale(len(self.tokens))

    def consumed(self, line: str, last_line: int) -> None:
        if line in ("refusal", "reserve"):
            self.token_offset += last_line
        elif line == "booking":
            self.slot_offset += last_line


def wrk(url: str, requests_file: Path, *, connections: int, threads: int, seconds: float) -> dict:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(ROOT / "bench" / "rotate.lua"),
        url,
        "--",
        f"requests={requests_file}",
        f"threads={threads}",
    ]
    done = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"wrk failed: {done.stderr.strip()}")
    out = done.stdout
    return json.loads([line for line in out.splitlines() if line.startswith("{")][-1])


# What a --py-spy profile reports, as the share of the server's busy samples whose stack
# holds a frame with this text (nested ones overlap: the view holds the token check).
PROFILE_MARKERS = [
    ("Django's handler and middleware", "django/core/handlers/"),
    ("  the view (Ninja)", "run (ninja/operation.py)"),
    ("    token authentication", "authenticate (yachi/accounts/auth.py)"),
    ("    reading the sale", "sale_by_id ("),
    ("    the Redis script", "reserve (yachi/shop/flash/store.py)"),
    ("SQL (psycopg)", "psycopg/"),
    ("Redis (redis-py)", "redis/"),
    ("asgiref's sync/async bridge (ASGI)", "asgiref/sync.py"),
]
# ... and the share whose innermost frame is in these files: threads being started,
# handed work and waited for (the thread hop of a sync view under ASGI).
THREAD_FILES = ("(threading.py)", "(concurrent/futures/thread.py)", "(queue.py)")


def spy(server: Server, seconds: float, output: Path, mode: str) -> subprocess.Popen:
    """py-spy sampling every process of the server, for the measured part of a line.

    A thread blocked in a socket, or waiting for the GIL, counts as busy in ``threads``
    mode (where requests wait as well as work); ``gil`` keeps only the thread that holds
    the GIL (where the interpreter's time goes).
    """
    command = [
        str(Path(PYTHON).with_name("py-spy")),
        "record",
        *(["--gil"] if mode == "gil" else []),
        "--pid",
        str(server.process.pid),
        "--subprocesses",
        "--nonblocking",
        "--nolineno",
        "--format",
        "raw",
        "--duration",
        str(max(1, round(seconds))),
        "--output",
        str(output),
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


def spy_summary(output: Path) -> list[str]:
    """The shares of PROFILE_MARKERS and the functions most often innermost."""
    total, threads, innermost = 0, 0, {}
    inside = dict.fromkeys((text for _, text in PROFILE_MARKERS), 0)
    for record in output.read_text(errors="replace").splitlines():
        stack, _, count = record.rpartition(" ")
        leaf = stack.rsplit(";", 1)[-1]
        if not count.isdigit() or leaf.startswith(("process ", "thread ")):
            continue  # not a sample, or a thread with no Python frame (the server's own)
        count = int(count)
        total += count
        for text in inside:
            if text in stack:
                inside[text] += count
        if leaf.endswith(THREAD_FILES):
            threads += count
        innermost[leaf] = innermost.get(leaf, 0) + count
    if not total:
        return ["py-spy collected no sample"]
    lines = [f"py-spy: {total} busy samples with Python frames, in the server's processes"]
    lines += [f"  {label:<36} {inside[text] / total:5.0%}" for label, text in PROFILE_MARKERS]
    lines.append(f"  {'innermost in thread hand-over':<36} {threads / total:5.0%}")
    top = sorted(innermost.items(), key=lambda item: -item[1])[:5]
    lines += [f"  innermost: {leaf} {n / total:.0%}" for leaf, n in top]
    return lines


class DatabaseWaits:
    """What the bench database's backends were doing while a line ran: pg_stat_activity
    sampled every 50 ms from a thread of the bench, each active backend counted under its
    wait event ("running" when it waited for nothing). Lock waits (``Lock:…``) would show
    bookings queueing on one another's rows; ``Client:ClientRead`` is a backend waiting
    for the server's next statement."""

    def __init__(self):
        import threading

        self.counts: dict[str, int] = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psycopg

        url = os.environ["DATABASE_URL"]
        with psycopg.connect(url, autocommit=True) as conn:
            while not self._stop.wait(0.05):
                rows = conn.execute(
                    "SELECT state, wait_event_type, wait_event FROM pg_stat_activity"
                    " WHERE datname = current_database() AND backend_type = 'client backend'"
                    " AND pid <> pg_backend_pid()"
                ).fetchall()
                self.samples += 1
                for state, kind, event in rows:
                    if state == "idle":
                        key = "idle"
                    elif kind is None:
                        key = f"{state}: running"
                    else:
                        key = f"{state}: {kind}:{event}"
                    self.counts[key] = self.counts.get(key, 0) + 1

    def stop(self) -> list[str]:
        self._stop.set()
        self._thread.join(timeout=5)
        if not self.samples:
            return ["pg_stat_activity: no sample"]
        top = sorted(self.counts.items(), key=lambda kv: -kv[1])[:6]
        return [f"pg_stat_activity, {self.samples} samples, backends per sample:"] + [
            f"  {key:<40} {n / self.samples:6.2f}" for key, n in top
        ]


def cpu_ticks(server: Server) -> tuple[int, dict[int, int]]:
    """The CPU the server has used so far (every process of its session: the workers and
    their threads) and that of each backend of the bench database, in clock ticks."""
    used = _common.session_ticks({server.process.pid})
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        pids = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchall()
    return used, {pid: _common.process_ticks(pid) for (pid,) in pids}


def cpu_per_request(before, after, requests: int) -> tuple[float, float]:
    """Server and database CPU ms per request between two ``cpu_ticks``."""
    tick = 1000 / os.sysconf("SC_CLK_TCK")
    server = (after[0] - before[0]) * tick
    database = (
        sum((t - before[1].get(pid, t)) for pid, t in after[1].items() if t is not None) * tick
    )
    return server / max(1, requests), database / max(1, requests)


def measure(line: str, server_name: str, run: int, server: Server, requests: Requests, args):
    requests.start_line(line)
    load = {"connections": args.connections, "threads": args.wrk_threads}
    if args.warmup > 0:
        warm = wrk(server.url, requests.write(line), seconds=args.warmup, **load)
        requests.consumed(line, warm["last_line"])
    before = _common.load_average()
    requests_file = requests.write(line)
    spying = None
    if args.py_spy and line != "yardstick":
        profile = requests.folder / f"{server.name}-{line}-{run}.py-spy.txt"
        spying = spy(server, args.duration, profile, args.py_spy)
    waits = DatabaseWaits() if args.pg_waits and line != "yardstick" else None
    cpu_before = cpu_ticks(server)
    result = wrk(server.url, requests_file, seconds=args.duration, **load)
    cpu_after = cpu_ticks(server)
    waits_lines = waits.stop() if waits is not None else []
    after = _common.load_average()
    requests.consumed(line, result["last_line"])
    statuses = {int(k): v for k, v in sorted(result["statuses"].items())}
    socket_errors = sum(result["errors"].values())
    expected = statuses.get(EXPECTED[line], 0)
    figure = Figure(
        line=line,
        server=server_name,
        run=run,
        rate=result["requests"] / (result["duration_us"] / 1e6),
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        requests=result["requests"],
        statuses=statuses,
        unexpected=result["requests"] - expected + socket_errors,
        server_errors=sum(v for k, v in statuses.items() if k >= 500),
        reused=result["reused"] if line not in ("yardstick", "health") else 0,
        load_before=before,
        load_after=after,
    )
    figure.cpu_ms = cpu_per_request(cpu_before, cpu_after, result["requests"])
    if not result["requests"]:
        figure.notes.append("no answer within the line: each took longer than --duration")
    if socket_errors:
        figure.notes.append(f"socket errors {result['errors']}")
    if figure.reused:
        figure.notes.append(f"{figure.reused} requests reused a token: raise --patients")
    if figure.server_errors:
        figure.notes += [f"server log: {message}" for message in server.errors()]
    print_figure(figure)
    for text in waits_lines:
        print(f"           {text}", flush=True)
    if spying is not None:
        spying.wait(timeout=args.duration + 60)
        for text in spy_summary(profile):
            print(f"           {text}", flush=True)
    return figure


def print_figure(f: Figure) -> None:
    answers = " ".join(f"{status}×{count}" for status, count in f.statuses.items())
    print(
        f"{f.line:<10} {f.server:<18} {f.rate:9.0f} req/s  p50 {f.p50_ms:7.1f} ms  "
        f"p99 {f.p99_ms:7.1f} ms  n={f.requests:<7} unexpected={f.unexpected:<5} "
        f"[{answers}]  load {f.load_before} → {f.load_after}",
        flush=True,
    )
    server_cpu, database_cpu = f.cpu_ms
    print(
        f"           CPU per request: server {server_cpu:.2f} ms, PostgreSQL {database_cpu:.2f} ms",
        flush=True,
    )
    for note in f.notes:
        print(f"           {note}", flush=True)


def cpu_ratios(figures: list[Figure], server: str, run: int) -> list[str]:
    """The targets' ratios as CPU cost: what ``/health`` costs (server + database CPU per
    request) over what the line costs. Where both lines are bound by the same cores, this
    is the ratio of their rates that a quiet machine would show; a loaded one changes the
    rates far more than the CPU a request needs."""
    cost = {f.line: sum(f.cpu_ms) for f in figures if f.server == server and f.run == run}
    parts = []
    for line, base, target in TARGETS:
        if base == "yardstick" or not cost.get(line) or not cost.get(base):
            continue
        share = cost[base] / cost[line]
        mark = "meets" if share >= target else "below"
        parts.append(f"{line}/{base} {share:6.1%} ({mark} ≥ {target:.0%})")
    return parts


def ratios(figures: list[Figure], yardstick: float, server: str, run: int) -> list[str]:
    rate = {f.line: f.rate for f in figures if f.server == server and f.run == run}
    rate["yardstick"] = yardstick
    parts = []
    for line, base, target in TARGETS:
        if line in rate and base in rate and rate[base]:
            share = rate[line] / rate[base]
            mark = "meets" if share >= target else "below"
            parts.append(f"{line}/{base} {share:6.1%} ({mark} ≥ {target:.0%})")
    return parts


def machine() -> str:
    cpu = "?"
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for package in ("django", "uvicorn", "granian", "httptools", "uvloop", "psycopg"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} missing")
    wrk_version = subprocess.run([shutil.which("wrk"), "-v"], capture_output=True, text=True)  # noqa: S603
    wrk_version = wrk_version.stdout.split(" [")[0]
    return (
        f"{os.cpu_count()} cores {cpu}; Python {platform.python_version()}; {wrk_version}; "
        + ", ".join(versions)
    )


def build_world(args):
    from django.utils import timezone

    from yachi.clinics.models import Service

    begin = time.perf_counter()
    _common.empty_stores()
    clinics, doctors = [], []
    for index in range(0, args.doctors, 6):
        clinic = _common.bench_clinic(
            name=f"门店{index // 6 + 1}", chairs=6, chain=clinics[0].chain if clinics else None
        )
        clinics.append(clinic)
        doctors += _common.rostered_doctors(
            clinic=clinic, count=min(6, args.doctors - index), first=index + 1
        )
    patients = _common.patients_with_tokens(args.patients)
    tokens = [token for _, token in patients]
    sold_out = _common.sold_out_sale(clinic=clinics[0], buyer=patients[0][0])
    service_of = {}
    for doctor in doctors:
        service_of[doctor.pk] = Service.objects.get(
            clinic__in=doctor.clinics.all(), code="cleaning"
        )
    if args.patients < 13 * len(doctors):
        raise SystemExit("--patients must be at least 13 × --doctors: nobody books twice at once")
    # Doctors of different clinics in turn: bookings sent together need different chairs.
    doctors = sorted(doctors, key=lambda d: (doctors.index(d) % 6, doctors.index(d)))
    zone = ZoneInfo(clinics[0].timezone)
    tomorrow = timezone.now().astimezone(zone).date() + timedelta(days=1)
    # Patients book up to 14 days ahead: 13 whole days from tomorrow stay inside.
    slots = _common.free_starts(doctors=doctors, first_day=tomorrow, days=13, zone=zone)
    print(
        f"set-up: {len(tokens)} patients with tokens, {len(doctors)} doctors in {len(clinics)} "
        f"clinics, {len(slots)} free times, a sold-out sale, in {time.perf_counter() - begin:.0f} s",
        flush=True,
    )

    def new_sale(places):
        return _common.flash_sale(clinic=clinics[0], places=places)

    return tokens, sold_out, new_sale, service_of, slots


def server_env(args) -> dict:
    env = os.environ.copy()
    if args.pool_size is not None:
        env["YACHI_DB_POOL_SIZE"] = str(args.pool_size)
    if args.threads:
        env["YACHI_WEB_THREADS"] = str(args.threads)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", nargs="+", choices=list(SERVERS), default=["serve"])
    parser.add_argument("--lines", nargs="+", choices=LINES, default=LINES)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10, help="seconds measured per line")
    parser.add_argument("--warmup", type=float, default=2, help="seconds before each line")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument(
        "--threads",
        type=int,
        default=8,
        help="granian WSGI blocking threads per worker, `serve`'s YACHI_WEB_THREADS too "
        "(0: granian's default, and `serve`'s)",
    )
    parser.add_argument("--pool-size", type=int, help="YACHI_DB_POOL_SIZE for the servers")
    parser.add_argument("--repeat", type=int, default=1, help="runs of every line")
    parser.add_argument("--patients", type=int, default=10000, help="patients with tokens")
    parser.add_argument("--doctors", type=int, default=24, help="doctors with free times to book")
    parser.add_argument("--port", type=int, default=8780)
    parser.add_argument(
        "--py-spy",
        nargs="?",
        const="threads",
        choices=["threads", "gil"],
        help="profile the server's processes during each Yachi line (py-spy, root or ptrace): "
        "every thread that is not idle (threads), or only the one holding the GIL (gil)",
    )
    parser.add_argument(
        "--pg-waits",
        action="store_true",
        help="sample what the database's backends wait for during each Yachi line "
        "(pg_stat_activity): lock waits would show requests queueing on the same rows",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make bench` installs it (apt-get install wrk)")

    from django.conf import settings

    if settings.DATABASE_VENDOR == "sqlite" or not settings.REDIS_URL:
        raise SystemExit(
            "bench/http.py measures PostgreSQL + Redis: set DATABASE_URL and REDIS_URL"
        )
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}; {machine()}")
    print(
        f"{_common.describe_stores()}; connections {args.connections}, wrk threads "
        f"{args.wrk_threads}, server workers {args.workers}, granian WSGI threads {args.threads}, "
        f"pool size {args.pool_size or 'default (YACHI_DB_POOL_SIZE)'}; {args.warmup:g} s warm-up "
        f"+ {args.duration:g} s per line; load average {_common.load_average()}",
        flush=True,
    )
    folder = Path(tempfile.mkdtemp(prefix="yachi-http-bench-"))
    requests = Requests(folder, args.wrk_threads, *build_world(args))
    env = server_env(args)
    figures: list[Figure] = []
    yardsticks: dict[int, float] = {}
    yachi_lines = [line for line in args.lines if line != "yardstick"]
    for run in range(1, args.repeat + 1):
        if args.repeat > 1:
            print(f"-- run {run} of {args.repeat}", flush=True)
        if "yardstick" in args.lines or "health" in args.lines:
            server = Server("yardstick", YARDSTICK(args), env, folder, "/")
            try:
                figure = measure("yardstick", "uvicorn-hello", run, server, requests, args)
                figures.append(figure)
                yardsticks[run] = figure.rate
            finally:
                server.stop()
        for name in args.server:
            lines = [line for line in yachi_lines if name not in HEALTH_ONLY or line == "health"]
            if not lines:
                continue
            server = Server(name, SERVERS[name](args), env, folder, HEALTH)
            try:
                for line in lines:
                    figures.append(measure(line, name, run, server, requests, args))
            finally:
                server.stop()
    print(f"ratios (targets in brackets); load average {_common.load_average()}")
    for run in range(1, args.repeat + 1):
        for name in args.server:
            parts = ratios(figures, yardsticks.get(run, 0), name, run)
            if parts:
                print(f"  run {run} {name:<18} " + "; ".join(parts))
            parts = cpu_ratios(figures, name, run)
            if parts:
                print(f"  run {run} {name:<18} by CPU per request: " + "; ".join(parts))
    if len(args.server) > 1:
        first = args.server[0]
        print(f"each server against {first} in the same run:")
        for run in range(1, args.repeat + 1):
            base = {f.line: f.rate for f in figures if f.server == first and f.run == run}
            for name in args.server[1:]:
                parts = [
                    f"{f.line} ×{f.rate / base[f.line]:.2f}"
                    for f in figures
                    if f.server == name and f.run == run and base.get(f.line)
                ]
                if parts:
                    print(f"  run {run} {name:<18} " + ", ".join(parts))
    if args.repeat > 1:
        print("medians over the runs:")
        keys = sorted(
            {(f.line, f.server) for f in figures}, key=lambda k: (k[1], LINES.index(k[0]))
        )
        for line, name in keys:
            rates = [f.rate for f in figures if f.line == line and f.server == name]
            print(
                f"  {line:<10} {name:<18} {statistics.median(rates):9.0f} req/s  (runs: {', '.join(f'{r:.0f}' for r in rates)})"
            )
    failed = sum(f.server_errors for f in figures)
    if failed:
        print(f"{failed} answers were 5xx: see the notes above")


if __name__ == "__main__":
    main()
