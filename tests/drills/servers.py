"""Real servers for the fault drills: a PostgreSQL cluster, a Redis server, `yachi serve`
and job workers of their own, each on a free port, stopped and killed for real."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from conftest import unused_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def wait_until(check, *, timeout: float = 60, what: str = "the condition", process=None):
    """``check()``'s first true value; fails after ``timeout`` or when ``process`` ends.

    The timeout only bounds a hang: the wait ends as soon as the check holds. It is long
    enough for a Python process to start and set Django up on a busy machine (a worker
    started beside the suite's other workers took more than 15 s at a load of 7)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if process is not None and process.poll() is not None:
            output = process.stdout.read().decode(errors="replace")
            raise AssertionError(f"the process ended before {what}:\n{output}")
        if time.monotonic() > deadline:
            said = f":\n{kill(process)}" if process is not None else ""
            raise AssertionError(f"timed out waiting for {what}{said}")
        time.sleep(0.05)


class Postgres:
    """A cluster of its own (initdb), started, stopped and started again with pg_ctl."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.data = directory / "data"
        self.port = unused_port()

    def _run(self, *command: str) -> None:
        # initdb and the server refuse to run as root.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)  # noqa: S603

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.directory / "log"), "-w", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def copy_database(self, source_url: str, name: str) -> None:
        """A copy of ``source_url`` (schema and rows) as ``name`` in this cluster."""
        self._run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
                  "postgres", name)  # fmt: skip
        dump = subprocess.run(  # noqa: S603
            [str(PG_BIN / "pg_dump"), "-Fc", "--no-owner", "-d", source_url],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        subprocess.run(  # noqa: S603
            [str(PG_BIN / "pg_restore"), "--no-owner", "-d", self.url(name)],
            input=dump.stdout, check=True, capture_output=True, timeout=120,
        )  # fmt: skip


@contextmanager
def own_postgres():
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL binaries in {PG_BIN}")
    directory = Path(tempfile.mkdtemp(prefix="yachi-drill-pg-"))
    cluster = Postgres(directory)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        with suppress(subprocess.CalledProcessError):  # not running
            cluster.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


class RedisServer:
    """``redis-server`` without persistence, as the embedded set-up runs it."""

    def __init__(self):
        self.port = unused_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("no redis-server on this machine")
        self.process = subprocess.Popen(  # noqa: S603
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self._answers, what="redis-server to start")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()


def python_env(**variables: str) -> dict:
    """The environment of a Yachi process started by a drill: the real settings."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **variables}
    env.pop("YACHI_JOBS_IMMEDIATE", None)
    env.pop("YACHI_DB_POOL_SIZE", None)
    return env


def start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "yachi.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill(process: subprocess.Popen) -> str:
    """SIGKILL: no handler, no clean-up, no acknowledgement sent on the way out.
    Returns what the process printed (for a failing drill's message)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return process.stdout.read().decode(errors="replace")


@contextmanager
def yachi_serve(env: dict):
    port = unused_port()
    process = start(["serve", "--port", str(port), "--no-jobs"], env)
    try:
        deadline = time.monotonic() + 120  # a busy machine starts slowly
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/api/v1/health")
                assert probe.getresponse().status == 200
                probe.close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    kill(process)
                    raise AssertionError(process.stdout.read().decode()) from None
                time.sleep(0.3)
        yield port
    finally:
        kill(process)  # a drill's server keeps nothing worth a graceful stop
