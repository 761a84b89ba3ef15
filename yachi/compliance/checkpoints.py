"""Checkpoints: the end of the audit chain, written down outside the database.

Someone who can write to the database can delete the newest entries and put back a head
row copied earlier, signature and all; the chain then ends cleanly where the copy did.
A checkpoint says, under the audit key, that entry ``seq`` had ``digest`` at ``at``, and
that it is the ``number``-th checkpoint the head counts. Each one goes to

- an append-only file, ``YACHI_AUDIT_CHECKPOINT_FILE`` (in production on another disk
  or host), one line of JSON per checkpoint;
- the log, on the ``yachi.audit.checkpoints`` logger, shipped off the machine with the
  other logs;
- a Redis list, when ``YACHI_AUDIT_CHECKPOINT_REDIS_URL`` names one.

``audit_verify`` reads them back and holds the table to what they saw (ADR 0017).
"""

import hmac
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yachi.compliance import chain
from yachi.compliance.keys import keyring

LOGGER = logging.getLogger("yachi.audit.checkpoints")


def redis_key() -> str:
    return f"{settings.YACHI_REDIS_PREFIX}:audit:checkpoints"


def __getattr__(name: str) -> str:
    # ``REDIS_KEY`` follows the deployment's prefix (YACHI_REDIS_PREFIX).
    if name == "REDIS_KEY":
        return redis_key()
    raise AttributeError(name)


REDIS_TIMEOUT_SECONDS = 5
# How every checkpoint's JSON starts, in the file, in Redis and inside a log line.
MARKER = '{"checkpoint":'
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class Checkpoint:
    number: int
    seq: int
    digest: str
    at: str  # the instant, spelled as it was signed (``chain.instant``)
    signature: str

    @classmethod
    def signed(cls, *, number: int, seq: int, digest: str, at: datetime) -> "Checkpoint":
        moment = chain.instant(at)
        signature = chain.checkpoint_signature(
            keyring().audit_key, number=number, seq=seq, digest=digest, at=moment
        )
        return cls(number, seq, digest, moment, signature)

    @classmethod
    def parse(cls, text: str) -> "Checkpoint":
        """The checkpoint in a line (a log line may have text before it); ValueError if none."""
        start = text.find(MARKER)
        if start < 0:
            raise ValueError("no checkpoint in this line")
        try:
            data, _end = json.JSONDecoder().raw_decode(text, start)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON: {exc}") from exc
        number, seq = data.get("checkpoint"), data.get("seq")
        digest, at, signature = data.get("digest"), data.get("at"), data.get("signature")
        if not all(type(value) is int and value > 0 for value in (number, seq)):
            raise ValueError("checkpoint and seq must be positive integers")
        if not (_is_hex64(digest) and _is_hex64(signature) and isinstance(at, str)):
            raise ValueError("digest, at and signature are missing or malformed")
        if datetime.fromisoformat(at).tzinfo is None:
            raise ValueError("at has no time zone")
        return cls(number, seq, digest, at, signature)

    @property
    def genuine(self) -> bool:
        expected = chain.checkpoint_signature(
            keyring().audit_key, number=self.number, seq=self.seq, digest=self.digest, at=self.at
        )
        return hmac.compare_digest(self.signature, expected)

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.at)

    def describe(self) -> str:
        local = timezone.localtime(self.when).isoformat(sep=" ", timespec="seconds")
        return f"checkpoint {self.number} ({local})"

    def line(self) -> str:
        return json.dumps(
            {
                "checkpoint": self.number,
                "seq": self.seq,
                "digest": self.digest,
                "at": self.at,
                "signature": self.signature,
            },
            separators=(",", ":"),
        )


def _is_hex64(value) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX


# --- writing ------------------------------------------------------------------------------


def checkpoint_store(checkpoint: Checkpoint) -> None:
    """Write ``checkpoint`` everywhere it is kept.

    The file comes first and must succeed: the caller counts the checkpoint in the head
    only once it is on disk. Redis is written after commit, outside the head's lock, so
    that a slow Redis never holds up the entries waiting to be appended.
    """
    line = checkpoint.line()
    append_line(settings.YACHI_AUDIT_CHECKPOINT_FILE, line)
    LOGGER.info("audit checkpoint %s", line)
    if settings.YACHI_AUDIT_CHECKPOINT_REDIS_URL:
        transaction.on_commit(lambda: _redis_push(line))


def checkpoints_counted(text: str, count: int) -> str:
    """The lines of a checkpoint file a head that counts ``count`` checkpoints has seen.

    A checkpoint reaches the file before the head counts it (``checkpoint_store``), so a
    copy of the file taken after a snapshot of the database holds every checkpoint the
    snapshot's head counts, and maybe later ones, which name entries the snapshot does not
    hold: those are left out. Lines that are not checkpoints stay, for the verification
    to judge as it would in the file itself."""
    kept = []
    for line in text.splitlines():
        try:
            number = Checkpoint.parse(line).number
        except ValueError:
            number = 0
        if number <= count:
            kept.append(line)
    return "".join(line + "\n" for line in kept)


def append_line(path: Path, line: str) -> None:
    """Append one line, whole, and make it durable.

    One ``write`` on a descriptor opened with ``O_APPEND``: the kernel puts each at the
    end of the file in one piece, so processes appending at the same moment never mix
    their lines. A file whose last line was cut short (power lost mid-write) gets a line
    break first, so that the cut line stays the only unreadable one. (Looking while
    another process's append is half copied can add a needless break: an empty line,
    which readers skip; never a split one.)
    """
    data = (line + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        size = os.fstat(descriptor).st_size
        if size and os.pread(descriptor, 1, size - 1) != b"\n":
            data = b"\n" + data
        if os.write(descriptor, data) != len(data):
            raise OSError(f"{path}: the checkpoint was only partly written (disk full?)")
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created:
        # The new file's name must survive a crash as well as its content.
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _redis_client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.YACHI_AUDIT_CHECKPOINT_REDIS_URL,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )


def _redis_push(line: str) -> None:
    # The file already holds the checkpoint and the head counts it; a Redis that is
    # down costs this copy only, and says so in the log.
    try:
        with _redis_client() as client:
            client.rpush(redis_key(), line)
    except redis.RedisError as exc:
        LOGGER.error("audit checkpoint not stored in Redis (%s): %s", exc, line)


def checkpoints_exist() -> bool:
    """Whether a checkpoint was ever written: then a missing head was deleted."""
    try:
        if settings.YACHI_AUDIT_CHECKPOINT_FILE.stat().st_size:
            return True
    except FileNotFoundError:
        pass
    if settings.YACHI_AUDIT_CHECKPOINT_REDIS_URL:
        try:
            with _redis_client() as client:
                return bool(client.llen(redis_key()))
        except redis.RedisError:
            LOGGER.error("the audit checkpoints in Redis cannot be read", exc_info=True)
    return False


# --- reading ------------------------------------------------------------------------------


@dataclass
class Reading:
    """The genuine checkpoints of every store, and what could not be read or trusted."""

    checkpoints: set[Checkpoint] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    file_missing: bool = False
    file_read: bool = False


def checkpoints_read(*, extra_files: Iterable[Path] = ()) -> Reading:
    """Read the checkpoint file, Redis when configured, and ``extra_files``: copies of
    the file or of the log, from wherever they were shipped."""
    reading = Reading()
    path = settings.YACHI_AUDIT_CHECKPOINT_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        reading.file_missing = True
    except (OSError, UnicodeDecodeError) as exc:
        reading.problems.append(f"the checkpoint file {path} cannot be read: {exc}")
    else:
        reading.file_read = True
        _read_lines(reading, str(path), text, only_marked=False)
    if settings.YACHI_AUDIT_CHECKPOINT_REDIS_URL:
        try:
            with _redis_client() as client:
                items = client.lrange(redis_key(), 0, -1)
        except redis.RedisError as exc:
            reading.problems.append(f"the checkpoints in Redis cannot be read: {exc}")
        else:
            lines = "".join(item.decode("utf-8", "replace") + "\n" for item in items)
            _read_lines(reading, "Redis", lines, only_marked=False)
    for extra in extra_files:
        try:
            text = Path(extra).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            reading.problems.append(f"{extra} cannot be read: {exc}")
        else:
            _read_lines(reading, str(extra), text, only_marked=True)
    return reading


def _read_lines(reading: Reading, source: str, text: str, *, only_marked: bool) -> None:
    """Every line of a store is a checkpoint; in a log, only the lines that hold one."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or (only_marked and MARKER not in line):
            continue
        try:
            checkpoint = Checkpoint.parse(line)
        except ValueError:
            if line.startswith(MARKER) and "}" not in line:
                # A write cut short by a crash, before the head counted it. Such a line
                # can only add to a store, never hide a checkpoint, so it is no fault.
                continue
            reading.problems.append(f"{source} line {number} is not a checkpoint (altered?)")
            continue
        if not checkpoint.genuine:
            reading.problems.append(
                f"{source} line {number}: checkpoint {checkpoint.number} is forged or altered "
                "(its signature does not match)"
            )
            continue
        reading.checkpoints.add(checkpoint)


# --- comparing ----------------------------------------------------------------------------


def checkpoint_breaks(
    checkpoints: Iterable[Checkpoint],
    *,
    digests: dict[int, str],
    base_seq: int,
    base_digest: str,
    last_seq: int,
) -> list[chain.Break]:
    """Where the table disagrees with what the checkpoints saw.

    ``digests`` holds the table's digest of each entry a checkpoint names and
    ``last_seq`` its last entry (or ``base_seq``). A checkpoint below the (signed) purge
    starting point names an entry rightly deleted; one at it is held to the starting point.
    Since every digest covers the whole chain before it, the checkpoints that agree
    vouch for everything up to them, and the first that disagrees bounds the replacement.
    """
    confirmed, replaced, missing = base_seq, None, None
    for checkpoint in sorted(checkpoints, key=lambda c: (c.seq, c.number)):
        if checkpoint.seq < base_seq:
            continue
        found = base_digest if checkpoint.seq == base_seq else digests.get(checkpoint.seq)
        if found is None:
            missing = checkpoint  # sorted by seq: the last one missing wins
        elif found != checkpoint.digest:
            replaced = replaced or (confirmed, checkpoint)
        elif replaced is None:
            confirmed = checkpoint.seq
    breaks = []
    if replaced:
        after, checkpoint = replaced
        if after + 1 == checkpoint.seq:
            differ = f"entry #{checkpoint.seq} is not the one"
        else:
            differ = f"entries #{after + 1}–#{checkpoint.seq} are not those"
        breaks.append(
            chain.Break(after + 1, f"{differ} {checkpoint.describe()} saw: the trail was replaced")
        )
    if missing and missing.seq > last_seq:
        breaks.append(
            chain.Break(
                last_seq + 1,
                f"{chain.span(last_seq + 1, missing.seq)} missing: {missing.describe()} "
                f"saw #{missing.seq}",
            )
        )
    elif missing:
        breaks.append(
            chain.Break(missing.seq, f"entry #{missing.seq} missing: {missing.describe()} saw it")
        )
    return breaks
