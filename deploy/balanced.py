"""Several `yachi serve` instances behind haproxy on one machine, sharing one PostgreSQL
and one Redis: the scale-out set-up of docs/deployment.md, small enough for a laptop and
for the tests that spread races over instances (tests/test_balanced.py).

    python deploy/balanced.py --database-url postgres://… --redis-url redis://…/0 \\
        --port 8080 --instance-ports 8081,8082 --socket-ports 8083,8084

The instances share what every host of a deployment shares: the database, Redis, the
encryption keys (``YACHI_KEYS_FILE``), the secret key, the audit checkpoint file, the
Redis prefix and the uploaded files (one data directory, as hosts would mount one shared
directory or use object storage). Each has its own metrics directory, as each host has,
and its own WebSocket server (`--socket-port`), to which the balancer sends `/ws/`.
The first instance runs the job consumer (with the scheduler of periodic jobs), the
others none. The balancer is haproxy with deploy/haproxy.cfg as it stands. Ctrl-C stops
everything.
"""

import argparse
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
# deploy/haproxy.cfg names this many servers (YACHI_WEB_1 …).
INSTANCES_IN_CONFIG = 2


@dataclass
class Balanced:
    port: int
    instance_ports: list[int]
    directory: Path
    socket_ports: list[int] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def instance_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.instance_ports[index]}"

    @property
    def realtime_url(self) -> str:
        """Where clients open WebSockets: the balancer, which routes /ws/."""
        return f"ws://127.0.0.1:{self.port}"

    def socket_url(self, index: int) -> str:
        return f"ws://127.0.0.1:{self.socket_ports[index]}"

    def log(self, name: str) -> str:
        path = self.directory / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self, grace: float = 5) -> None:
        """Ctrl-C to every process at once; what has not stopped after ``grace`` seconds
        is killed (granian can wait long for a worker whose connections stay open)."""
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
        deadline = time.monotonic() + grace
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _answers(port: int, path: str) -> bool:
    try:
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        probe.request("GET", path)
        ok = probe.getresponse().status == 200
        probe.close()
    except OSError:
        return False
    return ok


def _wait(port: int, path: str, processes: list[subprocess.Popen], deadline: float) -> None:
    while not _answers(port, path):
        dead = [p for p in processes if p.poll() is not None]
        if dead or time.monotonic() > deadline:
            raise RuntimeError(f"127.0.0.1:{port}{path} did not answer 200")
        time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def start(
    *,
    database_url: str,
    redis_url: str,
    port: int,
    instance_ports: list[int],
    directory: Path,
    socket_ports: list[int] | None = None,
    environment: dict[str, str] | None = None,
    workers: int = 2,
    socket_workers: int = 1,
    threads: int = 4,
    timeout: float = 90,
    say=lambda line: None,
) -> Balanced:
    """Start the instances, wait until each is ready, then the balancer in front."""
    if len(instance_ports) != INSTANCES_IN_CONFIG:
        raise ValueError(f"deploy/haproxy.cfg names {INSTANCES_IN_CONFIG} instances")
    directory.mkdir(parents=True, exist_ok=True)
    shared = directory / "shared"
    shared.mkdir(exist_ok=True)
    secret = shared / "secret_key"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(50))
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY_FILE": str(secret),
        "YACHI_KEYS_FILE": str(shared / "keys.json"),
        "YACHI_AUDIT_CHECKPOINT_FILE": str(shared / "audit-checkpoints.jsonl"),
        "YACHI_TRUSTED_PROXIES": "127.0.0.1",
        "YACHI_WEB_WORKERS": str(workers),
        "YACHI_WEB_THREADS": str(threads),
        "PYTHONUNBUFFERED": "1",
        **(environment or {}),
    }
    base.pop("YACHI_DB_POOL_SIZE", None)  # sized to the threads, as shipped
    socket_ports = list(socket_ports or [_free_port() for _ in instance_ports])
    if len(socket_ports) != len(instance_ports):
        raise ValueError("one socket port for each instance")
    balanced = Balanced(
        port=port,
        instance_ports=list(instance_ports),
        directory=directory,
        socket_ports=socket_ports,
    )
    deadline = time.monotonic() + timeout
    try:
        for index, instance_port in enumerate(instance_ports):
            env = {
                **base,
                "YACHI_DATA_DIR": str(directory / "data"),
                "YACHI_METRICS_DIR": str(directory / f"instance-{index + 1}" / "metrics"),
                "YACHI_PUBLIC_URL": balanced.url,
            }
            command = [
                sys.executable,
                "-m",
                "yachi.cli",
                "serve",
                "--port",
                str(instance_port),
                "--socket-port",
                str(socket_ports[index]),
                "--socket-workers",
                str(socket_workers),
            ]
            if index:
                command.append("--no-jobs")  # one consumer, one scheduler of periodic jobs
            say(f"[{index + 1}/{len(instance_ports) + 1}] instance {index + 1} on :{instance_port}")
            balanced.processes.append(_start(command, env, directory / f"instance-{index + 1}.log"))
            if index == 0:
                # The first migrates and collects the static files before the others start.
                _wait(instance_port, "/api/v1/ready", balanced.processes, deadline)
        for instance_port in [*instance_ports, *socket_ports]:
            _wait(instance_port, "/api/v1/ready", balanced.processes, deadline)
        env = {
            **os.environ,
            "YACHI_BALANCER_BIND": f"127.0.0.1:{port}",
            **{
                f"YACHI_WEB_{index + 1}": f"127.0.0.1:{instance_port}"
                for index, instance_port in enumerate(instance_ports)
            },
            **{
                f"YACHI_SOCKETS_{index + 1}": f"127.0.0.1:{socket_port}"
                for index, socket_port in enumerate(socket_ports)
            },
        }
        say(f"[{len(instance_ports) + 1}/{len(instance_ports) + 1}] haproxy on :{port}")
        balanced.processes.append(
            _start(["haproxy", "-db", "-f", str(HAPROXY_CONFIG)], env, directory / "haproxy.log")
        )
        _wait(port, "/api/v1/ready", balanced.processes, deadline)
    except BaseException:
        balanced.stop()
        raise
    return balanced


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"), required=False)
    parser.add_argument("--port", type=int, default=8080, help="the balancer's port")
    parser.add_argument(
        "--instance-ports", default="8081,8082", help="the instances' ports, comma-separated"
    )
    parser.add_argument(
        "--socket-ports",
        default="8083,8084",
        help="the instances' WebSocket servers' ports, comma-separated",
    )
    parser.add_argument("--directory", type=Path, help="data directories and logs (a new one)")
    parser.add_argument("--workers", type=int, default=2, help="processes per instance")
    args = parser.parse_args()
    if not args.database_url or not args.redis_url:
        parser.error(
            "several instances share PostgreSQL and Redis: give --database-url and --redis-url"
        )
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("instances share PostgreSQL (SQLite serves the processes of one instance)")
    directory = args.directory or Path(tempfile.mkdtemp(prefix="yachi-balanced-"))
    balanced = start(
        database_url=args.database_url,
        redis_url=args.redis_url,
        port=args.port,
        instance_ports=[int(p) for p in args.instance_ports.split(",")],
        socket_ports=[int(p) for p in args.socket_ports.split(",")],
        directory=directory,
        workers=args.workers,
        say=lambda line: print(line, flush=True),
    )
    print(
        f"Yachi behind haproxy on {balanced.url}/ (instances: "
        f"{', '.join(balanced.instance_url(i) for i in range(len(balanced.instance_ports)))}; "
        f"logs in {directory})",
        flush=True,
    )
    try:
        while all(p.poll() is None for p in balanced.processes):
            time.sleep(1)
        print("a process stopped; stopping the others", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        balanced.stop()


if __name__ == "__main__":
    main()
