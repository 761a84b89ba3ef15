"""The SM4-GCM and HMAC-SM3 core, without Django or a database."""

import pytest

from yachi.compliance import sm4

KEY = bytes(range(16))


def test_a_sealed_value_opens_with_its_key_and_associated_data():
    sealed = sm4.seal(KEY, "左下6牙 深龋".encode(), associated_data=b"notes")
    assert sm4.unseal(KEY, sealed, associated_data=b"notes").decode() == "左下6牙 深龋"


def test_sealing_the_same_value_twice_gives_unrelated_bytes():
    first = sm4.seal(KEY, b"13800000001", associated_data=b"phone")
    second = sm4.seal(KEY, b"13800000001", associated_data=b"phone")
    assert first[: sm4.NONCE_SIZE] != second[: sm4.NONCE_SIZE]
    assert first != second
    assert len(first) == sm4.NONCE_SIZE + len(b"13800000001") + sm4.TAG_SIZE


@pytest.mark.parametrize("position", [0, sm4.NONCE_SIZE, -1])
def test_a_single_flipped_bit_anywhere_is_detected(position):
    sealed = bytearray(sm4.seal(KEY, b"13800000001", associated_data=b"phone"))
    sealed[position] ^= 0x01
    with pytest.raises(sm4.AuthenticationFailed):
        sm4.unseal(KEY, bytes(sealed), associated_data=b"phone")


def test_other_associated_data_or_another_key_does_not_open_it():
    sealed = sm4.seal(KEY, b"13800000001", associated_data=b"phone")
    with pytest.raises(sm4.AuthenticationFailed):
        sm4.unseal(KEY, sealed, associated_data=b"notes")
    with pytest.raises(sm4.AuthenticationFailed):
        sm4.unseal(sm4.new_key(), sealed, associated_data=b"phone")


def test_truncated_bytes_are_refused():
    with pytest.raises(sm4.AuthenticationFailed):
        sm4.unseal(KEY, b"short", associated_data=b"")


def test_an_empty_value_seals_too():
    sealed = sm4.seal(KEY, b"", associated_data=b"x")
    assert sm4.unseal(KEY, sealed, associated_data=b"x") == b""


def test_hmac_sm3_is_stable_keyed_and_64_hex_characters():
    digest = sm4.hmac_sm3(KEY, b"phone:13800000001")
    assert digest == sm4.hmac_sm3(KEY, b"phone:13800000001")
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert digest != sm4.hmac_sm3(bytes(16), b"phone:13800000001")
    assert digest != sm4.hmac_sm3(KEY, b"phone:13800000002")


def test_hmac_sm3_matches_the_standard_construction():
    """HMAC (RFC 2104) over SM3 as OpenSSL's hashlib computes it, where available."""
    import hashlib
    import hmac

    if "sm3" not in hashlib.algorithms_available:
        pytest.skip("this OpenSSL has no SM3 in hashlib")
    expected = hmac.new(KEY, b"phone:13800000001", "sm3").hexdigest()
    assert sm4.hmac_sm3(KEY, b"phone:13800000001") == expected
