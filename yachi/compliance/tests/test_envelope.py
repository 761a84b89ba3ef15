"""Envelope encryption: the stored format, data keys, and loud failures."""

import base64

import pytest

from yachi.compliance import envelope
from yachi.compliance.errors import (
    DataKeyUnwrapFailed,
    DecryptionFailed,
    MalformedCiphertext,
    UnknownDataKey,
    UnknownMasterKey,
)
from yachi.compliance.keys import keyring
from yachi.compliance.models import DataKey
from yachi.compliance.tests.conftest import new_master_key

pytestmark = pytest.mark.django_db

CONTEXT = "patients.clinicalnote.body"


def test_a_value_is_stored_with_its_format_version_and_data_key():
    ciphertext = envelope.encrypt("左下6牙 深龋，建议充填", context=CONTEXT)

    key = DataKey.objects.get()
    scheme, version, key_id, payload = ciphertext.split(":")
    assert (scheme, version, key_id) == ("sm4gcm", "v1", str(key.pk))
    assert len(base64.b64decode(payload)) == 12 + len("左下6牙 深龋，建议充填".encode()) + 16
    assert envelope.decrypt(ciphertext, context=CONTEXT) == "左下6牙 深龋，建议充填"


def test_the_first_data_key_is_created_on_first_use_wrapped_by_the_current_master_key(use_keys):
    use_keys(f"{new_master_key('2026b')},{new_master_key('2026a')}")
    assert not DataKey.objects.exists()

    envelope.encrypt("13800000001", context=CONTEXT)
    envelope.encrypt("13800000002", context=CONTEXT)

    key = DataKey.objects.get()
    assert key.is_current and key.master_key_id == "2026b"
    assert len(envelope.unwrap(key)) == 16
    assert base64.b64decode(key.wrapped_key) != envelope.unwrap(key)


def test_any_change_to_the_stored_text_is_refused():
    """Every character of the stored form matters, down to base64's spare bits."""
    ciphertext = envelope.encrypt("13800000001", context=CONTEXT)
    prefix = len(f"sm4gcm:v1:{DataKey.objects.get().pk}:")
    for position in range(prefix, len(ciphertext)):
        for replacement in "AQgw":
            changed = ciphertext[:position] + replacement + ciphertext[position + 1 :]
            if changed != ciphertext:
                with pytest.raises((DecryptionFailed, MalformedCiphertext)):
                    envelope.decrypt(changed, context=CONTEXT)


def test_a_value_under_another_context_does_not_decrypt():
    ciphertext = envelope.encrypt("13800000001", context="accounts.user.phone")
    with pytest.raises(DecryptionFailed, match=rf"{CONTEXT} does not decrypt with data key \d+"):
        envelope.decrypt(ciphertext, context=CONTEXT)


def test_pointing_a_value_at_another_data_key_does_not_decrypt():
    ciphertext = envelope.encrypt("13800000001", context=CONTEXT)
    first = DataKey.objects.get()
    DataKey.objects.update(is_current=False)
    other = envelope.data_key_create()
    moved = ciphertext.replace(f":v1:{first.pk}:", f":v1:{other.pk}:")
    with pytest.raises(DecryptionFailed):
        envelope.decrypt(moved, context=CONTEXT)


def test_a_value_naming_a_missing_data_key_says_which_key_and_where():
    ciphertext = envelope.encrypt("13800000001", context=CONTEXT)
    DataKey.objects.all().delete()
    envelope.reset_caches()
    with pytest.raises(UnknownDataKey, match=rf"data key \d+ \(needed by {CONTEXT}\)"):
        envelope.decrypt(ciphertext, context=CONTEXT)


@pytest.mark.parametrize(
    "stored",
    ["13800000001", "sm4gcm:v1:1", "sm4gcm:v1:x:AAAA", "sm4gcm:v1:1:not base64!", "sm4gcm:v2:1:AA"],
)
def test_anything_but_a_ciphertext_is_refused_without_being_quoted(stored):
    with pytest.raises(MalformedCiphertext) as refused:
        envelope.decrypt(stored, context=CONTEXT)
    assert CONTEXT in str(refused.value)
    assert stored not in str(refused.value)


def test_a_data_key_wrapped_by_a_master_key_no_longer_configured_is_named(use_keys):
    use_keys(new_master_key("2025"))
    ciphertext = envelope.encrypt("13800000001", context=CONTEXT)
    use_keys(new_master_key("2026"))

    with pytest.raises(UnknownMasterKey, match=r"wrapped by master key '2025'.*YACHI_MASTER_KEYS"):
        envelope.decrypt(ciphertext, context=CONTEXT)


def test_a_wrong_master_key_under_the_right_id_fails_loudly(use_keys):
    use_keys(new_master_key("2026"))
    ciphertext = envelope.encrypt("13800000001", context=CONTEXT)
    use_keys(new_master_key("2026"))  # same id, other key: a typo in a deployment

    with pytest.raises(DataKeyUnwrapFailed, match=r"data key \d+ does not unwrap .*'2026'"):
        envelope.decrypt(ciphertext, context=CONTEXT)


def test_an_altered_wrapped_key_fails_loudly():
    ciphertext = envelope.encrypt("13800000001", context=CONTEXT)
    key = DataKey.objects.get()
    sealed = bytearray(base64.b64decode(key.wrapped_key))
    sealed[20] ^= 0x80
    DataKey.objects.filter(pk=key.pk).update(wrapped_key=base64.b64encode(sealed).decode())
    envelope.reset_caches()

    with pytest.raises(DataKeyUnwrapFailed):
        envelope.decrypt(ciphertext, context=CONTEXT)


def test_the_audit_key_is_loaded_for_the_audit_trail():
    assert len(keyring().audit_key) == 32
    assert keyring().audit_key not in (keyring().index_key, *keyring().master_keys.values())
