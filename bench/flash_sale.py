"""Flash-sale reserves per second through the API, beside the raw Redis figures.

    python bench/flash_sale.py                 # PostgreSQL + Redis (defaults below)
    python bench/flash_sale.py --requests 4000 --clients 64 --workers 2

Defaults: DATABASE_URL=postgres://postgres@127.0.0.1:5432/yachi_flash_bench (dropped
and made anew) and REDIS_URL=redis://127.0.0.1:6379/12 (flushed). Measures:
  * POST /api/v1/flash-sales/{id}/reserve over HTTP against uvicorn (ASGI, N worker
    processes), many keep-alive connections from several load-generating processes,
    each request a different buyer:
    - places left: every request writes its reservation, order and payment intent
    - sold out: the answer most of a rush gets, refused by Redis alone
  * the reserve Lua script by EVALSHA from Python, one round trip each and pipelined
  * redis-benchmark on the same machine: SET, INCR and EVALSHA of the same script
Prints one line per figure.
"""

import sys
from pathlib import Path

# Scripts here import each other as the package ``bench``; this folder must leave the
# path, or bench/http.py would stand in for the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

from bench import _common  # noqa: E402

_common.configure(
    database_url="postgres://postgres@127.0.0.1:5432/yachi_flash_bench",
    redis_url="redis://127.0.0.1:6379/12",
)

import httpx  # noqa: E402
from django.utils import timezone  # noqa: E402

ROOT = _common.ROOT


def report(label: str, count: int, seconds: float, latencies: list[float] | None = None) -> None:
    line = f"{label:<58} n={count:<6} {count / seconds:9.0f}/s"
    if latencies:
        latencies.sort()
        p50 = statistics.median(latencies) * 1000
        p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
        line += f"   p50={p50:6.1f} ms  p95={p95:6.1f} ms"
    print(line, flush=True)


def world(buyers: int):
    clinic = _common.bench_clinic()
    tokens = [token for _, token in _common.patients_with_tokens(buyers)]

    def sale(places):
        return _common.flash_sale(clinic=clinic, places=places)

    return tokens, sale


def serve(port: int, workers: int) -> subprocess.Popen:
    # Fixed argument lists below: nothing from outside reaches a command line.
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--http",
            "yachi.core.server:NoDelayH11Protocol",
            "--log-level",
            "warning",
            "--no-access-log",
            "--lifespan",
            "off",
            "--timeout-keep-alive",
            "60",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("uvicorn did not start")


def _client_process(port, method, path, tokens, threads, results):
    """One load-generating process: ``threads`` keep-alive connections share its tokens."""
    import http.client
    import threading

    queue = list(tokens)
    lock = threading.Lock()
    statuses: dict = {}
    latencies: list[float] = []

    def one_connection():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not queue:
                    break
                token = queue.pop()
            begin = time.perf_counter()
            try:
                connection.request(method, path, headers={"Authorization": f"Bearer {token}"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__  # counted, never retried
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                latencies.append(time.perf_counter() - begin)
                statuses[status] = statuses.get(status, 0) + 1

    workers = [threading.Thread(target=one_connection) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put((statuses, latencies))


def hammer(port: int, method: str, path: str, tokens: list[str], clients: int, processes: int):
    """``clients`` keep-alive connections spread over ``processes`` processes, so that the
    load generator's own interpreter lock is not what the figure measures."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    threads = max(1, clients // processes)
    children = [
        context.Process(
            target=_client_process,
            args=(port, method, path, tokens[index::processes], threads, results),
        )
        for index in range(processes)
    ]
    begin = time.perf_counter()
    for child in children:
        child.start()
    collected = [results.get() for _ in children]
    elapsed = time.perf_counter() - begin
    for child in children:
        child.join()
    statuses: dict = {}
    latencies: list[float] = []
    for part_statuses, part_latencies in collected:
        latencies.extend(part_latencies)
        for status, count in part_statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    return statuses, latencies, elapsed


def _final_lines(out: str) -> list[str]:
    """redis-benchmark's summary lines, without its progress updates."""
    lines = [part.strip() for line in out.splitlines() for part in line.split("\r")]
    return [line for line in lines if "requests per second" in line]


def lua_figures(runs: int) -> None:
    from yachi.shop.flash import store as flash_store

    r = flash_store.client()
    sale_id = 987654
    meta, held, buyers = flash_store.keys(sale_id)
    r.hset(
        meta,
        mapping={"places": 10**9, "limit": 1, "starts": 0, "ends": 2**50, "active": 1},
    )
    script = r.register_script(flash_store.RESERVE)
    now = flash_store.ms(timezone.now())
    keys = [meta, held, buyers, flash_store.STREAM]
    begin = time.perf_counter()
    for i in range(runs):
        script(keys=keys, args=[i, f"t{i}", now, sale_id])
    report("Lua reserve, EVALSHA one at a time (Python)", runs, time.perf_counter() - begin)
    begin = time.perf_counter()
    pipe = r.pipeline(transaction=False)
    for i in range(runs, 2 * runs):
        script(keys=keys, args=[i, f"t{i}", now, sale_id], client=pipe)
        if i % 100 == 99:
            pipe.execute()
    pipe.execute()
    report("Lua reserve, EVALSHA pipelined by 100 (Python)", runs, time.perf_counter() - begin)
    r.hset(meta, "places", 0)
    begin = time.perf_counter()
    for i in range(runs):
        script(keys=keys, args=[10**8 + i, f"s{i}", now, sale_id])
    report(
        "Lua reserve refused sold out, one at a time (Python)", runs, time.perf_counter() - begin
    )
    if not shutil.which("redis-benchmark"):
        print("redis-benchmark not installed: its figures are skipped")
        return
    r.hset(meta, "places", 10**9)
    sha = script.sha
    db = os.environ["REDIS_URL"].rsplit("/", 1)[1]
    common = ["redis-benchmark", "-q", "--dbnum", db, "-c", "50"]
    out = subprocess.run(  # noqa: S603
        [*common, "-n", "100000", "-t", "set,incr"], capture_output=True, text=True, check=True
    ).stdout
    for line in _final_lines(out):
        print(f"redis-benchmark {line}")
    for pipeline in ("1", "16"):
        out = subprocess.run(  # noqa: S603
            [
                *common,
                "-n",
                "100000",
                "-r",
                "100000000",
                "-P",
                pipeline,
                "evalsha",
                sha,
                "4",
                *keys,
                "__rand_int__",
                "b__rand_int__",
                str(now),
                str(sale_id),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        figure = _final_lines(out)[-1].split(": ", 1)[-1]
        print(f"redis-benchmark -P {pipeline:<2} EVALSHA of the reserve script: {figure}")
    r.delete(meta, held, buyers, flash_store.STREAM)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--processes", type=int, default=8, help="load-generating processes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--lua-runs", type=int, default=20000)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    from django.conf import settings

    from yachi.shop.flash import store as flash_store

    print(
        f"database: {settings.DATABASES['default']['NAME']}; redis: {settings.REDIS_URL}; "
        f"flash sales through Redis: {flash_store.enabled()}; uvicorn workers: {args.workers}; "
        f"clients: {args.clients}"
    )
    _common.empty_stores()
    begin = time.perf_counter()
    tokens, new_sale = world(args.requests)
    print(f"set-up: {len(tokens)} buyers with tokens in {time.perf_counter() - begin:.1f} s")
    plenty = new_sale(args.requests * 2)
    scarce = new_sale(100)

    server = serve(args.port, args.workers)
    try:
        load = {"clients": args.clients, "processes": args.processes}
        statuses, latencies, elapsed = hammer(
            args.port, "POST", f"/api/v1/flash-sales/{plenty.public_id}/reserve", tokens, **load
        )
        report(
            "API reserve, places left (order + payment written)", len(latencies), elapsed, latencies
        )
        print(f"  answers: {statuses}")
        statuses, latencies, elapsed = hammer(
            args.port, "POST", f"/api/v1/flash-sales/{scarce.public_id}/reserve", tokens, **load
        )
        report(
            "API reserve, rush on 100 places (mostly sold out)", len(latencies), elapsed, latencies
        )
        print(f"  answers: {statuses}")
        statuses, latencies, elapsed = hammer(args.port, "GET", "/api/v1/health", tokens, **load)
        report(
            "API GET /health (the stack's floor, no database)", len(latencies), elapsed, latencies
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    scarce.refresh_from_db()
    print(
        f"rush check: database remaining {scarce.remaining}, Redis remaining "
        f"{flash_store.remaining(scarce.pk)}, reservations {scarce.reservations.count()}"
    )
    lua_figures(args.lua_runs)


if __name__ == "__main__":
    main()
