"""The encrypted archive file, without Django: a stream of SM4-GCM chunks.

    header   b"YACHI-BACKUP/1\\n" · salt (16) · key id (8) · nonce prefix (7)
    chunks   SM4-GCM of 1 MiB of the tar stream each, tag appended

Each chunk's nonce is the prefix, the chunk's number and a flag that only the last chunk
carries, and each is bound to the header (the STREAM construction of Hoang, Reyhanitabar,
Rogaway and Vizár): a chunk changed, moved, dropped or an archive cut short fails to
open, and nothing read before is trusted until the end was reached. The archive's key is
derived from the backup key and the archive's salt (HKDF-SM3), so that no two archives
share a key and the nonces never repeat under one; the key id says which backup key made
the archive without revealing it.
"""

import secrets
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"YACHI-BACKUP/1\n"
SALT_SIZE, KEY_ID_SIZE, PREFIX_SIZE, TAG_SIZE = 16, 8, 7, 16
HEADER_SIZE = len(MAGIC) + SALT_SIZE + KEY_ID_SIZE + PREFIX_SIZE
CHUNK = 1024 * 1024


class ArchiveRefused(Exception):
    """Not an archive, made with another key, or altered."""


def key_id(backup_key: bytes) -> bytes:
    mac = hmac.HMAC(backup_key, hashes.SM3())
    mac.update(b"yachi backup key id")
    return mac.finalize()[:KEY_ID_SIZE]


def _archive_key(backup_key: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=16, salt=salt, info=b"yachi backup v1").derive(
        backup_key
    )


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", number, 1 if last else 0)


class Writer:
    """A binary file-like object whose writes land encrypted in ``out``."""

    def __init__(self, out, backup_key: bytes):
        salt, prefix = secrets.token_bytes(SALT_SIZE), secrets.token_bytes(PREFIX_SIZE)
        self.header = MAGIC + salt + key_id(backup_key) + prefix
        self._out, self._key, self._prefix = out, _archive_key(backup_key, salt), prefix
        self._buffer, self._number, self.closed = bytearray(), 0, False
        out.write(self.header)

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        if self._number >= 2**32 - 1:
            raise ArchiveRefused("an archive holds at most 4 PiB")
        nonce = _nonce(self._prefix, self._number, last)
        encryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(self.header)
        self._out.write(encryptor.update(plain) + encryptor.finalize() + encryptor.tag)
        self._number += 1

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        """Seal the last chunk (always one, empty if need be); ``out`` stays open."""
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self.closed = True
            self._out.flush()


class Reader:
    """A binary file-like object reading the plaintext of an archive; raises
    ``ArchiveRefused`` at the first chunk that does not open, and at an end cut short."""

    def __init__(self, source, backup_key: bytes):
        header = source.read(HEADER_SIZE)
        if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
            raise ArchiveRefused("this is not a Yachi backup archive")
        salt = header[len(MAGIC) : len(MAGIC) + SALT_SIZE]
        made_with = header[len(MAGIC) + SALT_SIZE : len(MAGIC) + SALT_SIZE + KEY_ID_SIZE]
        if not hmac_equal(made_with, key_id(backup_key)):
            raise ArchiveRefused("this archive was made with another backup key")
        self.header, self._source = header, source
        self._key, self._prefix = _archive_key(backup_key, salt), header[-PREFIX_SIZE:]
        self._number, self._plain, self._ended = 0, b"", False
        self._next = source.read(CHUNK + TAG_SIZE)

    def _open_next(self) -> None:
        sealed, self._next = self._next, self._source.read(CHUNK + TAG_SIZE)
        last = not self._next
        if len(sealed) < TAG_SIZE:
            raise ArchiveRefused("the archive is cut short")
        nonce = _nonce(self._prefix, self._number, last)
        decryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce, sealed[-TAG_SIZE:]))
        decryptor = decryptor.decryptor()
        decryptor.authenticate_additional_data(self.header)
        try:
            self._plain += decryptor.update(sealed[:-TAG_SIZE]) + decryptor.finalize()
        except InvalidTag:
            raise ArchiveRefused(
                f"part {self._number + 1} of the archive was altered or the archive is cut short"
            ) from None
        self._number += 1
        self._ended = last

    def read(self, size: int = -1) -> bytes:
        while not self._ended and (size < 0 or len(self._plain) < size):
            self._open_next()
        if size < 0:
            size = len(self._plain)
        data, self._plain = self._plain[:size], self._plain[size:]
        return data

    def finish(self) -> None:
        """Read to the last chunk: only then is everything read known to be whole."""
        while not self._ended:
            self._open_next()
            self._plain = b""


def hmac_equal(a: bytes, b: bytes) -> bool:
    return secrets.compare_digest(a, b)
