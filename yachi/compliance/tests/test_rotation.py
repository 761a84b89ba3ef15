"""Rotating keys without downtime: ``yachi rotate_master_key`` and ``yachi rotate_data_key``."""

import base64
import json

import pytest
from django.core.management import CommandError, call_command

from yachi.compliance import envelope, sm4
from yachi.compliance.blindindex import blind_index
from yachi.compliance.envelope import reset_caches
from yachi.compliance.errors import UnknownMasterKey
from yachi.compliance.models import DataKey
from yachi.compliance.tests.conftest import new_master_key, raw_column, write_raw_column
from yachi.compliance.tests.models import Note, Person

pytestmark = pytest.mark.django_db

PHONES = [f"138000000{i:02d}" for i in range(12)]


def _records():
    people = [Person.objects.create(phone=phone, notes=f"病历{phone}") for phone in PHONES]
    notes = [Note.objects.create(person=person, body=f"复诊 {person.phone}") for person in people]
    return people, notes


def _readable():
    return sorted(Person.objects.values_list("phone", "notes")), sorted(
        Note.objects.values_list("body", flat=True)
    )


def _key_ids():
    """The data key each stored value names."""
    stored = [
        raw_column(Person, field, p.pk)
        for p in Person.objects.all()
        for field in ("phone", "notes")
    ]
    stored += [raw_column(Note, "body", note.pk) for note in Note.objects.all()]
    return {int(value.split(":")[2]) for value in stored}


def test_after_a_master_key_rotation_the_old_master_key_can_go(use_keys, capsys):
    old, new = new_master_key("2025"), new_master_key("2026")
    use_keys(old)
    _records()
    call_command("rotate_data_key")  # two data keys, both wrapped by the old master key
    Person.objects.create(phone="13900000001")
    before = _readable()

    use_keys(f"{new},{old}")  # step 1: every process knows the new key, first
    call_command("rotate_master_key", batch_size=1)
    output = capsys.readouterr().out
    assert "2 data key(s) re-wrapped with master key 2026" in output
    assert "2025" in output.splitlines()[-1]  # may now be removed
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {"2026"}

    use_keys(new)  # step 3: the old key is gone
    assert _readable() == before

    call_command("rotate_master_key")
    assert "0 data key(s) re-wrapped" in capsys.readouterr().out


def test_removing_a_master_key_before_rotating_is_caught_by_the_rotation(use_keys):
    old, new = new_master_key("2025"), new_master_key("2026")
    use_keys(old)
    _records()

    use_keys(new)
    with pytest.raises(CommandError, match="master key '2025', which is not in YACHI_MASTER_KEYS"):
        call_command("rotate_master_key")
    with pytest.raises(UnknownMasterKey):
        _readable()

    use_keys(f"{new},{old}")
    call_command("rotate_master_key")
    use_keys(new)
    assert len(_readable()[0]) == len(PHONES)


def test_a_development_machine_generates_its_next_master_key(no_configured_keys, capsys):
    people, _ = _records()

    call_command("rotate_master_key", generate=True)

    stored = json.loads((no_configured_keys / "keys.json").read_text())
    new_id, old_id = (entry.split(":")[0] for entry in stored["YACHI_MASTER_KEYS"].split(","))
    assert f"Master key {new_id} added" in capsys.readouterr().out
    assert DataKey.objects.get().master_key_id == new_id != old_id
    reset_caches()
    assert Person.objects.get(pk=people[0].pk).phone == PHONES[0]


def test_production_master_keys_are_never_generated(use_keys, settings):
    use_keys(new_master_key("prod1"))
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="YACHI_MASTER_KEYS"):
        call_command("rotate_master_key", generate=True)


def test_a_data_key_rotation_leaves_stored_values_on_the_key_they_have(capsys):
    _records()
    first = DataKey.objects.get()

    call_command("rotate_data_key")

    first.refresh_from_db()
    second = DataKey.objects.get(is_current=True)
    assert not first.is_current and first.retired_at is not None
    assert _key_ids() == {first.pk}
    person = Person.objects.create(phone="13900000001", notes="新病历")
    assert raw_column(Person, "notes", person.pk).startswith(f"sm4gcm:v1:{second.pk}:")
    assert len(_readable()[0]) == len(PHONES) + 1
    assert (
        f"Data key {first.pk} retired.\nData key {second.pk} is current" in capsys.readouterr().out
    )


def test_reencrypting_puts_every_value_of_every_model_under_the_new_key(capsys):
    people, _ = _records()
    before = _readable()
    indexes = sorted(Person.objects.values_list("phone_index", flat=True))
    old_phone = raw_column(Person, "phone", people[0].pk)

    call_command("rotate_data_key", reencrypt=True, batch_size=5)

    current = DataKey.objects.get(is_current=True)
    assert _key_ids() == {current.pk}
    assert _readable() == before
    assert sorted(Person.objects.values_list("phone_index", flat=True)) == indexes
    assert raw_column(Person, "phone", people[0].pk) != old_phone
    output = capsys.readouterr().out
    assert f"compliance_tests.person: {len(PHONES)} of {len(PHONES)} row(s)" in output
    assert f"compliance_tests.note: {len(PHONES)} of {len(PHONES)} row(s)" in output


def test_resuming_reencrypts_only_what_is_still_under_a_retired_key(capsys):
    people, _ = _records()
    call_command("rotate_data_key", reencrypt=True)
    # A process that had not yet switched writes under the retired key.
    retired = DataKey.objects.get(is_current=False)
    write_raw_column(Person, "notes", people[3].pk, _under(retired, "迟到的写入"))
    capsys.readouterr()

    call_command("rotate_data_key", resume=True)

    output = capsys.readouterr().out
    assert "retired" not in output
    assert f"compliance_tests.person: 1 of {len(PHONES)} row(s) re-encrypted" in output
    assert "compliance_tests.note: 0 of" in output
    assert len(_key_ids()) == 1
    assert Person.objects.get(pk=people[3].pk).notes == "迟到的写入"
    assert Person.objects.filter(phone_index=blind_index("phone", PHONES[3])).exists()


def _under(key: DataKey, plaintext: str) -> str:
    """What a process still holding ``key`` as current would have written."""
    header = f"{envelope.PREFIX}{key.pk}:"
    sealed = sm4.seal(
        envelope.data_key(key.pk),
        plaintext.encode(),
        associated_data=f"{header}compliance_tests.person.notes".encode(),
    )
    return header + base64.b64encode(sealed).decode()
