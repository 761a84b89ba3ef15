"""Opening and remaking archives in tests, as someone holding the backup key could."""

import io
import tarfile
from pathlib import Path

from yachi.compliance import facade as compliance
from yachi.operations.backups import archive


def members_of(path: Path, key: bytes | None = None) -> dict[str, bytes]:
    key = key or compliance.backup_key()
    with open(path, "rb") as source:
        reader = archive.Reader(source, key)
        with tarfile.open(fileobj=reader, mode="r|") as tar:
            found = {member.name: tar.extractfile(member).read() for member in tar}
        reader.finish()
    return found


def archive_of(members: dict[str, bytes], path: Path, key: bytes | None = None) -> Path:
    key = key or compliance.backup_key()
    with open(path, "wb") as out:
        writer = archive.Writer(out, key)
        with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            for name, body in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(body)
                tar.addfile(info, io.BytesIO(body))
        writer.close()
    return path
