"""The archive's encryption, without Django: what was written opens with its key, and
nothing else does."""

import io
import secrets

import pytest

from yachi.operations.backups import archive

KEY = secrets.token_bytes(32)


def sealed(plain: bytes, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    writer = archive.Writer(out, key)
    for start in range(0, len(plain), 100_000):
        writer.write(plain[start : start + 100_000])
    writer.close()
    return out.getvalue()


def opened(blob: bytes, key: bytes = KEY) -> bytes:
    reader = archive.Reader(io.BytesIO(blob), key)
    data = reader.read()
    reader.finish()
    return data


@pytest.mark.parametrize("size", [0, 1, archive.CHUNK, archive.CHUNK + 1, 3 * archive.CHUNK - 7])
def test_what_is_written_reads_back_the_same_across_chunk_edges(size):
    plain = secrets.token_bytes(size)
    assert opened(sealed(plain)) == plain


def test_the_archive_holds_no_plaintext():
    plain = "13800000001 张妈妈 ".encode() * 1000
    assert b"13800000001" not in sealed(plain)


def test_another_backup_key_is_named_as_such():
    with pytest.raises(archive.ArchiveRefused, match="another backup key"):
        opened(sealed(b"data"), key=secrets.token_bytes(32))


def test_one_changed_byte_is_refused():
    blob = bytearray(sealed(secrets.token_bytes(2 * archive.CHUNK)))
    blob[archive.HEADER_SIZE + archive.CHUNK + 100] ^= 1
    with pytest.raises(archive.ArchiveRefused, match="part 2"):
        opened(bytes(blob))


def test_an_archive_cut_at_a_chunk_edge_is_refused():
    blob = sealed(secrets.token_bytes(2 * archive.CHUNK + 10))
    whole_chunks = archive.HEADER_SIZE + 2 * (archive.CHUNK + archive.TAG_SIZE)
    with pytest.raises(archive.ArchiveRefused):
        opened(blob[:whole_chunks])


def test_chunks_in_another_order_are_refused():
    blob = sealed(secrets.token_bytes(2 * archive.CHUNK + 10))
    size = archive.CHUNK + archive.TAG_SIZE
    header, first, second = (
        blob[: archive.HEADER_SIZE],
        blob[archive.HEADER_SIZE : archive.HEADER_SIZE + size],
        blob[archive.HEADER_SIZE + size : archive.HEADER_SIZE + 2 * size],
    )
    rest = blob[archive.HEADER_SIZE + 2 * size :]
    with pytest.raises(archive.ArchiveRefused):
        opened(header + second + first + rest)


def test_a_file_that_is_not_an_archive_is_named_as_such():
    with pytest.raises(archive.ArchiveRefused, match="not a Yachi backup"):
        opened(b"PGDMP" + secrets.token_bytes(100))


def test_two_archives_of_the_same_data_differ():
    assert sealed(b"same") != sealed(b"same")
