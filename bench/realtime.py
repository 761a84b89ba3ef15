"""Queue calls reaching screens and phones over WebSockets, on the scale-out set-up.

    python bench/realtime.py                       # 200 sockets, 20 calls, 50 dropped
    python bench/realtime.py --sockets 500 --calls 40 --drop 100 --socket-workers 2

Needs PostgreSQL + Redis and haproxy: DATABASE_URL defaults to
postgres://postgres@127.0.0.1:5432/yachi_bench (dropped and made anew) and REDIS_URL to
redis://127.0.0.1:6379/11 (flushed).

Starts the balanced deployment of deploy/balanced.py (two `yachi serve` instances, each
with ``--workers`` web processes and ``--socket-workers`` WebSocket processes, haproxy in
front routing ``/ws/``), makes a clinic with one doctor's queue of waiting tickets, and
opens ``--sockets`` sockets through the balancer on ``/ws/queues/{id}/``: the front
desk's boards and the waiting room's displays (staff and display tokens, half each).
Then:

1. **Latency.** ``--calls`` times, one after another, ``POST /api/v1/queues/{id}/call-next``
   through the balancer, and the time from sending it to each socket receiving that
   call's ``called`` event: p50 / p99 / max over every socket and call, the slowest
   socket's time per call, and the CPU the servers' processes spent per delivered event.
2. **Drop and resume.** ``--drop`` sockets are closed, ``--calls-while-down`` calls are
   made, and the dropped sockets come back (to whichever socket server the balancer
   picks) sending ``{"type":"resume","after":<last seq they saw>}``. Lost: the events
   a socket never received between its first and the last call (must be 0);
   duplicated and out of order are counted too.

The machine may be shared: the load average is printed before and after, and the CPU
figures and the counts are the firmer ones.
"""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from importlib import metadata  # noqa: E402

from bench import _common  # noqa: E402

RECEIVE_TIMEOUT = 30.0


@dataclass
class Socket:
    """One client socket: the events it received, each seq once, with the time it came."""

    path: str
    token: str
    index: int
    connection: object = None
    reader: asyncio.Task | None = None
    seen: list[int] = field(default_factory=list)
    arrived: dict[int, float] = field(default_factory=dict)
    called: dict[str, int] = field(default_factory=dict)  # ticket id → seq of its call
    duplicates: int = 0
    out_of_order: int = 0
    reconnects: int = 0
    waiters: dict[str, asyncio.Future] = field(default_factory=dict)

    @property
    def last_seq(self) -> int:
        return self.seen[-1] if self.seen else 0

    async def open(self, base: str) -> None:
        import websockets

        self.base = base
        self.dropping = False
        # Like a browser: it answers the server's pings and sends none of its own.
        self.connection = await websockets.connect(
            f"{base}{self.path}?token={self.token}",
            open_timeout=60,
            max_size=2**20,
            ping_interval=None,
        )
        await self.connection.send(json.dumps({"type": "resume", "after": self.last_seq}))
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        import websockets

        try:
            async for raw in self.connection:
                now = time.perf_counter()
                message = json.loads(raw)
                seq = message.get("seq")
                if not isinstance(seq, int):
                    continue  # pong, transient messages
                if seq in self.arrived:
                    self.duplicates += 1
                    continue
                if self.seen and seq < self.seen[-1]:
                    self.out_of_order += 1
                self.seen.append(seq)
                self.arrived[seq] = now
                if message.get("type") != "called":
                    continue
                ticket = str(message.get("ticket", {}).get("id"))
                self.called.setdefault(ticket, seq)
                waiter = self.waiters.pop(ticket, None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(now)
        except websockets.ConnectionClosed:
            pass
        if not self.dropping:
            # Closed by the other end: come back and resume, as web/realtime.js does.
            self.reconnects += 1
            await asyncio.sleep(0.5)
            await self.open(self.base)

    async def until_called(self, ticket: str, timeout: float) -> float | None:
        """When this socket received the call of ``ticket`` (None: not in ``timeout``)."""
        if ticket in self.called:
            return self.arrived[self.called[ticket]]
        waiter = self.waiters.setdefault(ticket, asyncio.get_running_loop().create_future())
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), timeout)
        except TimeoutError:
            return None

    async def drop(self) -> None:
        self.dropping = True
        await self.connection.close()
        if self.reader is not None:
            await self.reader


def machine() -> str:
    cpu = "?"
    for text in Path("/proc/cpuinfo").read_text().splitlines():
        if text.startswith("model name"):
            cpu = text.split(":", 1)[1].strip()
            break
    versions = ", ".join(
        f"{p} {metadata.version(p)}"
        for p in ("channels", "channels-redis", "redis", "uvicorn", "websockets", "granian")
    )
    return f"{os.cpu_count()} cores {cpu}; Python {platform.python_version()}; {versions}"


def server_ticks(balanced) -> int:
    """CPU clock ticks used so far by every process of the instances' sessions (web
    workers, socket servers, the job consumer)."""
    return _common.session_ticks({p.pid for p in balanced.processes[:-1]})  # the last is haproxy


def build_world(args):
    """A clinic, a doctor's queue of today with ``calls + calls_while_down`` waiting
    tickets and a spare, a front-desk member's token and display tokens."""
    from bench import realtime_world

    return realtime_world.build(
        waiting=args.calls + args.calls_while_down + 1, displays=max(1, args.sockets // 2)
    )


async def call_next(client, world) -> dict:
    answer = await client.post(
        f"/api/v1/queues/{world.queue_id}/call-next",
        headers={"Authorization": f"Bearer {world.staff_token}"},
    )
    if answer.status_code != 200:
        raise SystemExit(f"call-next answered {answer.status_code}: {answer.text[:300]}")
    return answer.json()


async def run(args, balanced, world) -> dict:
    import httpx

    base = balanced.realtime_url
    sockets = [
        Socket(path=f"/ws/queues/{world.queue_id}/", token=token, index=n)
        for n, token in enumerate(world.socket_tokens(args.sockets))
    ]
    begin = time.perf_counter()
    for first in range(0, len(sockets), 50):
        await asyncio.gather(*(s.open(base) for s in sockets[first : first + 50]))
    connected = time.perf_counter() - begin
    print(f"{len(sockets)} sockets open through the balancer in {connected:.1f} s", flush=True)

    latencies: list[float] = []
    slowest: list[float] = []
    async with httpx.AsyncClient(base_url=balanced.url, timeout=30) as client:
        # One call first, not measured: every socket's first read of the log is behind it.
        await call_next(client, world)
        await asyncio.sleep(1)
        ticks_before = server_ticks(balanced)
        for _ in range(args.calls):
            sent = time.perf_counter()
            ticket = (await call_next(client, world))["id"]
            got = await asyncio.gather(*(s.until_called(ticket, RECEIVE_TIMEOUT) for s in sockets))
            missing = sum(1 for t in got if t is None)
            if missing:
                print(f"call of {ticket}: {missing} sockets did not receive it", flush=True)
            times = [(t - sent) * 1000 for t in got if t is not None]
            latencies += times
            slowest.append(max(times))
        ticks = server_ticks(balanced) - ticks_before
        deliveries = len(latencies)

        # Drop and resume.
        dropped = sockets[: args.drop]
        await asyncio.gather(*(s.drop() for s in dropped))
        called_while_down = []
        for _ in range(args.calls_while_down):
            called_while_down.append((await call_next(client, world))["id"])
        await asyncio.gather(*(s.open(base) for s in dropped))
        await asyncio.gather(
            *(s.until_called(t, RECEIVE_TIMEOUT) for s in sockets for t in called_while_down)
        )

    # Every event any socket received; each socket must have all of them from its first on.
    every = set().union(*(s.seen for s in sockets))
    lost = sum(len({q for q in every if q >= s.seen[0]} - set(s.seen)) for s in sockets)
    never = sum(1 for s in sockets if not s.seen)
    latencies.sort()
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    return {
        "sockets": len(sockets),
        "connect_seconds": connected,
        "calls": args.calls,
        "deliveries": deliveries,
        "p50": _common.percentile(latencies, 0.50),
        "p99": _common.percentile(latencies, 0.99),
        "max": latencies[-1],
        "slowest_socket_p50": _common.percentile(sorted(slowest), 0.50),
        "cpu_ms_per_delivery": ticks * tick_ms / max(1, deliveries),
        "cpu_ms_per_call": ticks * tick_ms / max(1, args.calls),
        "dropped": len(dropped),
        "calls_while_down": args.calls_while_down,
        "lost": lost,
        "never_received": never,
        "events": len(every),
        "duplicates": sum(s.duplicates for s in sockets),
        "out_of_order": sum(s.out_of_order for s in sockets),
        "reconnects": sum(s.reconnects for s in sockets),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=200)
    parser.add_argument("--calls", type=int, default=20, help="calls measured")
    parser.add_argument("--drop", type=int, default=50, help="sockets dropped and resumed")
    parser.add_argument("--calls-while-down", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="web processes per instance")
    parser.add_argument(
        "--socket-workers", type=int, default=1, help="WebSocket processes per instance"
    )
    args = parser.parse_args()
    if args.drop > args.sockets:
        parser.error("--drop may not exceed --sockets")
    _common.configure(
        database_url="postgres://postgres@127.0.0.1:5432/yachi_bench",
        redis_url="redis://127.0.0.1:6379/11",
    )
    from django.conf import settings

    if settings.DATABASE_VENDOR == "sqlite" or not settings.REDIS_URL:
        raise SystemExit("the scale-out set-up needs PostgreSQL and Redis")
    from deploy import balanced as balanced_setup

    print(machine(), flush=True)
    print(_common.describe_stores(), flush=True)
    print(f"load average before: {_common.load_average()}", flush=True)
    world = build_world(args)
    directory = Path(tempfile.mkdtemp(prefix="yachi-bench-realtime-"))
    running = balanced_setup.start(
        database_url=os.environ["DATABASE_URL"],
        redis_url=settings.REDIS_URL,
        port=_common.free_port(),
        instance_ports=[_common.free_port(), _common.free_port()],
        directory=directory,
        environment={
            "YACHI_KEYS_FILE": str(settings.DATA_DIR / "keys.json"),
            "YACHI_REDIS_PREFIX": settings.YACHI_REDIS_PREFIX,
            "LOG_LEVEL": "WARNING",
        },
        workers=args.workers,
        socket_workers=args.socket_workers,
        timeout=180,
        say=lambda line: print(line, flush=True),
    )
    try:
        figures = asyncio.run(run(args, running, world))
    finally:
        running.stop()
    print(f"load average after: {_common.load_average()}", flush=True)
    print(
        f"{figures['sockets']} sockets ({args.socket_workers} socket process(es) per instance,"
        f" 2 instances), {figures['calls']} calls: call-next to each socket"
        f" p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms, max {figures['max']:.1f} ms;"
        f" to the last socket p50 {figures['slowest_socket_p50']:.1f} ms;"
        f" servers' CPU {figures['cpu_ms_per_call']:.1f} ms a call,"
        f" {figures['cpu_ms_per_delivery']:.3f} ms a delivery",
        flush=True,
    )
    print(
        f"dropped {figures['dropped']} sockets, {figures['calls_while_down']} calls while down,"
        f" resumed: {figures['events']} events in all, lost {figures['lost']}"
        f" (sockets that received nothing: {figures['never_received']}),"
        f" duplicated {figures['duplicates']}, closed by the server and resumed"
        f" {figures['reconnects']},"
        f" out of order {figures['out_of_order']}",
        flush=True,
    )
    if any(figures[k] for k in ("lost", "never_received", "duplicates", "out_of_order")):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
