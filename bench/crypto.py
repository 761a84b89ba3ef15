"""Field encryption costs: SM4-GCM envelopes and HMAC-SM3 blind indexes.

    python bench/crypto.py            # embedded default (SQLite) for the data key table
    DATABASE_URL=postgres://… python bench/crypto.py

Prints, in-process and single-threaded:
  * throughput of encryption and decryption for 1 MB values (MB/s), for the bare
    SM4-GCM core and for the stored text form (base64, UTF-8, associated data)
  * the cost per value of an 11-digit phone number (µs), keys cached in memory
  * the cost of a data key's first use in a process (read and unwrap)
  * the cost of a blind index, with and without the phone normalization
AES-256-GCM through the same library is printed for comparison only.
"""

import sys
from pathlib import Path

# Scripts here import each other as the package ``bench``; this folder must leave the
# path, or bench/http.py would stand in for the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

from bench import _common  # noqa: E402

_common.configure()

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from django.core.management import call_command  # noqa: E402

from yachi.compliance import envelope, sm4  # noqa: E402
from yachi.compliance.blindindex import blind_index, register  # noqa: E402
from yachi.compliance.keys import keyring  # noqa: E402

MB = 1024 * 1024
PHONE = "13800000001"
CONTEXT = "patients.patient.phone"


def per_call(action, runs: int, rounds: int = 5) -> float:
    """Median seconds per call over ``rounds`` rounds of ``runs`` calls."""
    samples = []
    for _ in range(rounds):
        begin = time.perf_counter()
        for _ in range(runs):
            action()
        samples.append((time.perf_counter() - begin) / runs)
    return statistics.median(samples)


def throughput(label: str, action, size: int) -> None:
    seconds = per_call(action, runs=10)
    print(f"{label:<52} {size / MB / seconds:8.0f} MB/s  ({seconds * 1000:6.2f} ms per MB)")


def cost(label: str, action, runs: int) -> None:
    print(f"{label:<52} {per_call(action, runs) * 1e6:8.1f} µs")


def main() -> None:
    call_command("migrate", verbosity=0)
    key, aad = sm4.new_key(), CONTEXT.encode()
    blob = os.urandom(MB)
    text = "病历" * (MB // 6)  # 1 MB of UTF-8
    text_size = len(text.encode())

    sealed = sm4.seal(key, blob, associated_data=aad)
    throughput("SM4-GCM core, encrypt 1 MB", lambda: sm4.seal(key, blob, associated_data=aad), MB)
    throughput(
        "SM4-GCM core, decrypt 1 MB",
        lambda: sm4.unseal(key, sealed, associated_data=aad),
        MB,
    )
    stored = envelope.encrypt(text, context=CONTEXT)
    throughput(
        "stored text, encrypt 1 MB", lambda: envelope.encrypt(text, context=CONTEXT), text_size
    )
    throughput(
        "stored text, decrypt 1 MB",
        lambda: envelope.decrypt(stored, context=CONTEXT),
        text_size,
    )
    aes, nonce = AESGCM(os.urandom(32)), os.urandom(12)
    throughput(
        "(AES-256-GCM, encrypt 1 MB, for comparison)", lambda: aes.encrypt(nonce, blob, aad), MB
    )

    phone = envelope.encrypt(PHONE, context=CONTEXT)
    cost("phone (11 digits), encrypt", lambda: envelope.encrypt(PHONE, context=CONTEXT), 20000)
    cost("phone (11 digits), decrypt", lambda: envelope.decrypt(phone, context=CONTEXT), 20000)
    key_id, first_uses = envelope.current_data_key_id(), []
    for _ in range(500):
        envelope.reset_caches()
        keyring()  # loaded at start-up, not at a data key's first use
        begin = time.perf_counter()
        envelope.data_key(key_id)
        first_uses.append(time.perf_counter() - begin)
    label = "data key, first use in a process (read + unwrap)"
    print(f"{label:<52} {statistics.median(first_uses) * 1e6:8.1f} µs")

    index_key = keyring().index_key
    register(purpose="phone", normalize="yachi.accounts.phones.normalize_phone", owner="bench")
    cost(
        "blind index of a phone, HMAC-SM3 only",
        lambda: sm4.hmac_sm3(index_key, b"phone:" + PHONE.encode()),
        20000,
    )
    cost("blind index of a phone, with normalization", lambda: blind_index("phone", PHONE), 20000)
    print(f"stored phone: {len(phone)} characters ({phone[:24]}…)")


if __name__ == "__main__":
    main()
