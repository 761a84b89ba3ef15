"""What an archive says it holds, and the checks a restore makes of it."""

import hashlib
import json
from dataclasses import dataclass, field
from importlib import metadata

from django.db.migrations.loader import MigrationLoader

FORMAT = 1
NAME = "manifest.json"


@dataclass
class Manifest:
    vendor: str
    created_at: str
    migrations: list[tuple[str, str]]
    counts: dict[str, int]
    members: dict[str, dict] = field(default_factory=dict)  # name → size, sha256
    version: str = ""
    format: int = FORMAT
    files_included: bool = True

    def to_json(self) -> bytes:
        body = {**self.__dict__, "migrations": [list(pair) for pair in self.migrations]}
        return json.dumps(body, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> "Manifest":
        body = json.loads(raw)
        if body.get("format") != FORMAT:
            raise ValueError(f"archive format {body.get('format')!r} is not {FORMAT}")
        body["migrations"] = [tuple(pair) for pair in body["migrations"]]
        return cls(**body)


def yachi_version() -> str:
    try:
        return metadata.version("yachi")
    except metadata.PackageNotFoundError:
        return "unknown"


def migrations_unknown(applied) -> list[tuple[str, str]]:
    """Migrations of the archive this code does not have: a schema newer than the code."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(pair for pair in applied if pair not in known)


class Digest:
    """Counts and hashes what passes through, for a member's size and checksum."""

    def __init__(self):
        self.size, self._hash = 0, hashlib.sha256()

    def update(self, data: bytes) -> None:
        self.size += len(data)
        self._hash.update(data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def file_digest(path, *, chunk: int = 1024 * 1024) -> Digest:
    digest = Digest()
    with open(path, "rb") as file:
        while block := file.read(chunk):
            digest.update(block)
    return digest
