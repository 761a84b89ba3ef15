"""The keys of encryption at rest, from outside the database and the repository.

``YACHI_MASTER_KEYS``
    ``key_id:base64(16 bytes)`` entries separated by commas (or new lines). The first is
    current and wraps new data keys; the others still unwrap the data keys they wrapped,
    so that a rotation never needs downtime.
``YACHI_INDEX_KEY``
    base64(32 bytes), the key of blind indexes.
``YACHI_AUDIT_KEY``
    base64(32 bytes), the key that chains audit entries.
``YACHI_BACKUP_KEY``
    base64(32 bytes), the key that backup archives are encrypted with (ADR 0039): not a
    key of the data, so an archive and this key alone still open no encrypted field.

Each may be given as a file (``NAME_FILE``), and all three in one JSON file named by
``YACHI_KEYS_FILE`` (``{"YACHI_MASTER_KEYS": "...", ...}``, the shape of the generated
file); a variable set on its own wins over the key file. Production refuses to start
without all three, and refuses keys read from a file inside the data directory or a
``keys.json`` left there: a copy of that directory (a backup, a stolen disk) would
hold the keys beside the data they protect. Outside production, whatever is not set
is generated once into the key file (``YACHI_KEYS_FILE``, by default
``$YACHI_DATA_DIR/keys.json``, mode 0600), so that a development machine encrypts for
real without any setup.
"""

import base64
import binascii
import contextlib
import fcntl
import functools
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import envstr
from yachi.compliance.sm4 import KEY_SIZE

MASTER_KEYS = "YACHI_MASTER_KEYS"
INDEX_KEY = "YACHI_INDEX_KEY"
AUDIT_KEY = "YACHI_AUDIT_KEY"
KEY_VARIABLES = (MASTER_KEYS, INDEX_KEY, AUDIT_KEY)
BACKUP_KEY = "YACHI_BACKUP_KEY"
KEYS_FILE = "YACHI_KEYS_FILE"
SECRET_SIZE = 32
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")


@dataclass(frozen=True, repr=False)
class Keyring:
    master_keys: MappingProxyType  # key id → key, the current one first
    index_key: bytes
    audit_key: bytes

    @property
    def current_master_key_id(self) -> str:
        return next(iter(self.master_keys))

    def __repr__(self) -> str:  # a keyring may end up in a log: ids only, never keys
        return f"<Keyring master keys {', '.join(self.master_keys)}>"


@functools.cache
def keyring() -> Keyring:
    """The keys of this process, loaded once; ``keyring.cache_clear()`` reloads them."""
    return load_keyring()


def load_keyring() -> Keyring:
    values = {name: envstr(name) for name in KEY_VARIABLES}
    sources = {name: name for name in values}
    files = {
        name: Path(os.environ[f"{name}_FILE"]) for name in values if os.environ.get(f"{name}_FILE")
    }
    missing = [name for name, value in values.items() if not value]
    if missing and settings.PRODUCTION and not os.environ.get(KEYS_FILE):
        raise ImproperlyConfigured(
            f"{', '.join(missing)} required in production (each may also be given as a "
            f"file, NAME_FILE, or all in one file, {KEYS_FILE}); see docs/configuration.md"
        )
    if missing:
        path = keys_file_path()
        stored = _read_keys_file(path)
        for name in missing:
            if not stored.get(name):
                raise ImproperlyConfigured(f"{path} has no {name}")
            values[name], sources[name], files[name] = stored[name], f"{name} in {path}", path
    if settings.PRODUCTION:
        _refuse_keys_beside_the_data(files)
    return Keyring(
        master_keys=MappingProxyType(
            parse_master_keys(values[MASTER_KEYS], source=sources[MASTER_KEYS])
        ),
        index_key=decode_key(values[INDEX_KEY], size=SECRET_SIZE, source=sources[INDEX_KEY]),
        audit_key=decode_key(values[AUDIT_KEY], size=SECRET_SIZE, source=sources[AUDIT_KEY]),
    )


def data_directories() -> list[Path]:
    """Where the data lives: the data directory, and the SQLite database's own."""
    places = [Path(settings.DATA_DIR).resolve()]
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        places.append(Path(database["NAME"]).resolve().parent)
    return places


def _refuse_keys_beside_the_data(files: dict[str, Path]) -> None:
    """Production keys never sit where a copy of the data would take them along."""
    places = data_directories()
    for name, path in files.items():
        resolved = path.resolve()
        for place in places:
            if resolved.is_relative_to(place):
                raise ImproperlyConfigured(
                    f"{name} is read from {path}, inside {place}, where the data lives: a "
                    "copy of that directory would hold the keys with the data they protect. "
                    f"Keep the keys elsewhere (e.g. {KEYS_FILE}=/etc/yachi/keys.json); see "
                    "docs/security.md"
                )
    leftover = Path(settings.DATA_DIR) / "keys.json"
    if leftover.exists():
        raise ImproperlyConfigured(
            f"{leftover} holds encryption keys beside the data: move it out of the data "
            f"directory (and point {KEYS_FILE} at its new place) or delete it if its keys "
            "are not in use; see docs/security.md"
        )


def parse_master_keys(raw: str, *, source: str) -> dict[str, bytes]:
    keys = {}
    for entry in re.split(r"[,\s]+", raw.strip()):
        key_id, separator, encoded = entry.partition(":")
        if not separator or not _KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(
                f"{source}: every entry must be key_id:base64, the key id being 1 to 32 "
                "letters, digits, '_', '.' or '-'"
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"{source}: master key id {key_id!r} appears twice")
        keys[key_id] = decode_key(encoded, size=KEY_SIZE, source=f"{source} ({key_id})")
    return keys


def decode_key(value: str, *, size: int, source: str) -> bytes:
    try:
        key = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{source} is not valid base64") from exc
    if len(key) != size:
        raise ImproperlyConfigured(f"{source} must decode to {size} bytes, not {len(key)}")
    return key


# --- the backup key and the keys' export --------------------------------------------------


def backup_key() -> bytes | None:
    """``YACHI_BACKUP_KEY``, or the key file's; outside production one is added to the
    key file the first time it is asked for. None in production when it is not given."""
    value, path = envstr(BACKUP_KEY), None
    if os.environ.get(f"{BACKUP_KEY}_FILE"):
        path = Path(os.environ[f"{BACKUP_KEY}_FILE"])
    if not value:
        path = keys_file_path()
        if path.exists() or not settings.PRODUCTION:
            value = _read_keys_file(path).get(BACKUP_KEY)
            if not value and not settings.PRODUCTION:
                value = _backup_key_add(path)
    if not value:
        return None
    if settings.PRODUCTION and path is not None:
        _refuse_keys_beside_the_data({BACKUP_KEY: path})
    return decode_key(value, size=SECRET_SIZE, source=BACKUP_KEY)


def _backup_key_add(path: Path) -> str:
    """A key file made before backups existed gains a backup key, once: two processes
    asking at the same instant take turns, and the second finds the first one's."""
    with open(path.with_name(f".{path.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stored = _read_keys_file(path)
        if not stored.get(BACKUP_KEY):
            stored[BACKUP_KEY] = _new_secret(SECRET_SIZE)
            _write(path, stored, replace=True)
        return stored[BACKUP_KEY]


def keys_export() -> dict[str, str]:
    """Every key of the installation as the key file spells it: what a restore needs
    besides the archive, and what must never be inside it."""
    ring = keyring()
    key = backup_key()
    exported = {
        MASTER_KEYS: ",".join(
            f"{key_id}:{base64.b64encode(value).decode()}"
            for key_id, value in ring.master_keys.items()
        ),
        INDEX_KEY: base64.b64encode(ring.index_key).decode(),
        AUDIT_KEY: base64.b64encode(ring.audit_key).decode(),
    }
    if key is not None:
        exported[BACKUP_KEY] = base64.b64encode(key).decode()
    return exported


def keys_file_write(path: Path, values: dict[str, str]) -> None:
    """A key file readable by this user only, written whole or not at all."""
    _write(path, values, replace=True)


def keys_read(path: Path) -> dict[str, str]:
    """The keys of an exported key file, checked as the keyring checks its own."""
    stored = _read_keys_file(path)
    for name in (*KEY_VARIABLES, BACKUP_KEY):
        if not stored.get(name):
            raise ImproperlyConfigured(f"{path} has no {name}")
    parse_master_keys(stored[MASTER_KEYS], source=f"{MASTER_KEYS} in {path}")
    for name in (INDEX_KEY, AUDIT_KEY, BACKUP_KEY):
        decode_key(stored[name], size=SECRET_SIZE, source=f"{name} in {path}")
    return stored


def keys_install(values: dict[str, str]) -> Path | None:
    """Make ``values`` this installation's keys, for a restore into an empty place.

    Keys the environment names must already be these (a running deployment's keys are
    its operator's to change); the rest go into the key file, replacing the one a
    development install generated for data that does not exist yet. Returns the key
    file written, or None when the environment holds them all.
    """
    from yachi.compliance.envelope import reset_caches

    given = {name: envstr(name) for name in (*KEY_VARIABLES, BACKUP_KEY) if envstr(name)}
    differing = [name for name, value in given.items() if value.strip() != values[name].strip()]
    if differing:
        raise ImproperlyConfigured(
            f"{', '.join(differing)} in the environment differ from the backup's keys: "
            "set them to the exported values and run the restore again"
        )
    written = None
    if len(given) < len(values):
        written = keys_file_path()
        if settings.PRODUCTION and not os.environ.get(KEYS_FILE):
            raise ImproperlyConfigured(
                f"set {KEYS_FILE} to where this deployment keeps its keys (outside the data "
                "directory), or give every key in the environment"
            )
        _write(written, {name: values[name] for name in values if name not in given}, replace=True)
    reset_caches()
    keyring()
    return written


# --- the key file ---------------------------------------------------------------------------


def keys_file_path() -> Path:
    """``YACHI_KEYS_FILE``, or outside production the generated ``$YACHI_DATA_DIR/keys.json``."""
    configured = os.environ.get(KEYS_FILE)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "keys.json"


def development_master_key_add() -> str:
    """Put a new master key first in the key file; the others stay listed."""
    if settings.PRODUCTION or envstr(MASTER_KEYS):
        raise ImproperlyConfigured(
            f"master keys come from {MASTER_KEYS} here: add the new key there, first"
        )
    path = keys_file_path()
    stored = _read_keys_file(path)
    key_id = f"dev-{secrets.token_hex(4)}"
    stored[MASTER_KEYS] = f"{key_id}:{_new_secret(KEY_SIZE)},{stored[MASTER_KEYS]}"
    _write(path, stored, replace=True)
    keyring.cache_clear()
    return key_id


def _read_keys_file(path: Path) -> dict[str, str]:
    """The keys of the key file; outside production, one is generated if there is none."""
    if not path.exists() and not settings.PRODUCTION:
        generated = {
            MASTER_KEYS: f"dev-{secrets.token_hex(4)}:{_new_secret(KEY_SIZE)}",
            INDEX_KEY: _new_secret(SECRET_SIZE),
            AUDIT_KEY: _new_secret(SECRET_SIZE),
            BACKUP_KEY: _new_secret(SECRET_SIZE),
        }
        _write(path, generated, replace=False)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImproperlyConfigured(f"{KEYS_FILE}={path} cannot be read: {exc}") from exc
    except ValueError as exc:
        raise ImproperlyConfigured(f"{path} is not valid JSON") from exc
    if not isinstance(stored, dict) or not all(isinstance(v, str) for v in stored.values()):
        raise ImproperlyConfigured(f"{path} must be a JSON object of key names to strings")
    unknown = sorted(set(stored) - {*KEY_VARIABLES, BACKUP_KEY})
    if unknown:
        raise ImproperlyConfigured(
            f"{path} names {', '.join(unknown)}; it may hold only "
            f"{', '.join((*KEY_VARIABLES, BACKUP_KEY))}"
        )
    return stored


def _new_secret(size: int) -> str:
    return base64.b64encode(secrets.token_bytes(size)).decode()


def _write(path: Path, data: dict[str, str], *, replace: bool) -> None:
    """Write whole or not at all, readable by this user only.

    The web server and the job consumer may start at the same instant; without
    ``replace`` the first one to link its file wins and the other reads those keys,
    so no process ever encrypts with keys that are not on disk.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(data, file, indent=2)
        file.write("\n")
    try:
        if replace:
            os.replace(temporary, path)
        else:
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
