"""Where the keys come from: the environment (or files, or one key file) in production,
a generated file on a development machine, and a refusal to start when they are
missing, wrong, or kept beside the data they protect."""

import base64
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from yachi.compliance.keys import backup_key, keyring, keys_export, keys_install, load_keyring
from yachi.compliance.tests.conftest import KEY_VARIABLES, new_master_key, new_secret

ROOT = Path(__file__).resolve().parents[3]


def test_a_development_machine_gets_its_keys_generated_once(no_configured_keys):
    ring = load_keyring()

    path = no_configured_keys / "keys.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert set(json.loads(path.read_text())) == {*KEY_VARIABLES, "YACHI_BACKUP_KEY"}
    assert len(ring.master_keys[ring.current_master_key_id]) == 16
    assert len(ring.index_key) == len(ring.audit_key) == 32
    again = load_keyring()
    assert dict(again.master_keys) == dict(ring.master_keys)
    assert (again.index_key, again.audit_key) == (ring.index_key, ring.audit_key)


def test_keys_in_the_environment_are_used_and_nothing_is_written(no_configured_keys, monkeypatch):
    master, index, audit = new_master_key("2026a"), new_secret(), new_secret()
    monkeypatch.setenv("YACHI_MASTER_KEYS", master)
    monkeypatch.setenv("YACHI_INDEX_KEY", index)
    monkeypatch.setenv("YACHI_AUDIT_KEY", audit)

    ring = load_keyring()

    assert list(ring.master_keys) == ["2026a"]
    assert ring.index_key != ring.audit_key
    assert not (no_configured_keys / "keys.json").exists()


def test_the_first_master_key_is_current_and_the_others_stay_accepted(
    no_configured_keys, monkeypatch, tmp_path
):
    """Master keys may come from a file (a mounted secret), one per line or comma-separated."""
    secret = tmp_path / "master_keys"
    secret.write_text(f"{new_master_key('2026b')}\n{new_master_key('2026a')}\n")
    monkeypatch.setenv("YACHI_MASTER_KEYS_FILE", str(secret))

    ring = load_keyring()

    assert list(ring.master_keys) == ["2026b", "2026a"]
    assert ring.current_master_key_id == "2026b"


def test_the_keyring_is_loaded_once_and_reloaded_on_request(use_keys):
    use_keys(new_master_key("one"))
    assert keyring() is keyring()
    use_keys(new_master_key("two"))
    assert keyring().current_master_key_id == "two"


def test_production_refuses_to_start_without_keys(no_configured_keys, settings, monkeypatch):
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured) as refused:
        load_keyring()
    for name in KEY_VARIABLES:
        assert name in str(refused.value)
    assert not (no_configured_keys / "keys.json").exists()

    monkeypatch.setenv("YACHI_MASTER_KEYS", new_master_key("prod1"))
    with pytest.raises(ImproperlyConfigured, match="YACHI_INDEX_KEY, YACHI_AUDIT_KEY required"):
        load_keyring()


BAD = "bm90IGEga2V5"  # base64 of 9 bytes


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        (
            "YACHI_MASTER_KEYS",
            "k1:%%%not-base64%%%",
            r"YACHI_MASTER_KEYS \(k1\) is not valid base64",
        ),
        ("YACHI_MASTER_KEYS", f"k1:{BAD}", r"YACHI_MASTER_KEYS \(k1\) must decode to 16 bytes"),
        ("YACHI_MASTER_KEYS", "AAAAAAAAAAAAAAAAAAAAAA==", "YACHI_MASTER_KEYS: every entry"),
        ("YACHI_MASTER_KEYS", "key one:AAAAAAAAAAAAAAAAAAAAAA==", "YACHI_MASTER_KEYS: every"),
        ("YACHI_MASTER_KEYS", "k1:AAAAAAAAAAAAAAAAAAAAAA==,k1:AQAAAAAAAAAAAAAAAAAAAA==", "twice"),
        ("YACHI_INDEX_KEY", BAD, "YACHI_INDEX_KEY must decode to 32 bytes, not 9"),
        ("YACHI_AUDIT_KEY", "***", "YACHI_AUDIT_KEY is not valid base64"),
    ],
)
def test_a_malformed_key_stops_the_start_naming_its_variable(
    no_configured_keys, monkeypatch, variable, value, complaint
):
    monkeypatch.setenv("YACHI_MASTER_KEYS", new_master_key("k0"))
    monkeypatch.setenv("YACHI_INDEX_KEY", new_secret())
    monkeypatch.setenv("YACHI_AUDIT_KEY", new_secret())
    monkeypatch.setenv(variable, value)

    with pytest.raises(ImproperlyConfigured, match=complaint) as refused:
        load_keyring()

    assert value.split(":")[-1] not in str(refused.value)


def test_the_keyring_never_shows_its_keys(use_keys):
    use_keys(new_master_key("k1"))
    shown = repr(keyring()) + str(keyring())
    assert "k1" in shown
    for key in (keyring().master_keys["k1"], keyring().index_key, keyring().audit_key):
        assert str(key) not in shown and key.hex() not in shown


def _key_file(path: Path, **keys) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(keys))
    return path


def _all_keys() -> dict[str, str]:
    return {
        "YACHI_MASTER_KEYS": new_master_key("prod1"),
        "YACHI_INDEX_KEY": new_secret(),
        "YACHI_AUDIT_KEY": new_secret(),
    }


def test_production_takes_the_three_keys_from_one_file_outside_the_data_directory(
    no_configured_keys, settings, monkeypatch, tmp_path_factory
):
    settings.PRODUCTION = True
    keys = _all_keys()
    path = _key_file(tmp_path_factory.mktemp("etc-yachi") / "keys.json", **keys)
    monkeypatch.setenv("YACHI_KEYS_FILE", str(path))

    ring = load_keyring()

    assert list(ring.master_keys) == ["prod1"]
    assert base64.b64encode(ring.index_key).decode() == keys["YACHI_INDEX_KEY"]
    assert list(no_configured_keys.iterdir()) == []  # nothing written beside the data


def test_a_key_set_on_its_own_wins_over_the_key_file(no_configured_keys, monkeypatch, tmp_path):
    path = _key_file(tmp_path / "elsewhere" / "keys.json", **_all_keys())
    monkeypatch.setenv("YACHI_KEYS_FILE", str(path))
    monkeypatch.setenv("YACHI_MASTER_KEYS", new_master_key("override"))

    assert list(load_keyring().master_keys) == ["override"]


def test_a_development_machine_generates_its_keys_into_the_configured_key_file(
    no_configured_keys, monkeypatch, tmp_path_factory
):
    path = tmp_path_factory.mktemp("home") / "yachi-keys.json"
    monkeypatch.setenv("YACHI_KEYS_FILE", str(path))

    ring = load_keyring()

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["YACHI_MASTER_KEYS"].startswith(ring.current_master_key_id)
    assert not (no_configured_keys / "keys.json").exists()


@pytest.mark.parametrize("where", ["key file", "variable file", "link to the data directory"])
def test_production_refuses_keys_read_from_inside_the_data_directory(
    no_configured_keys, settings, monkeypatch, tmp_path_factory, where
):
    """A copy of the data directory (a backup, a stolen disk) must not open the data."""
    settings.PRODUCTION = True
    keys = _all_keys()
    if where == "key file":
        monkeypatch.setenv(
            "YACHI_KEYS_FILE", str(_key_file(no_configured_keys / "secrets" / "keys.json", **keys))
        )
    elif where == "variable file":
        for name, value in keys.items():
            monkeypatch.setenv(name, value)
        inside = no_configured_keys / "index_key"
        inside.write_text(keys["YACHI_INDEX_KEY"])
        monkeypatch.delenv("YACHI_INDEX_KEY")
        monkeypatch.setenv("YACHI_INDEX_KEY_FILE", str(inside))
    else:
        real = _key_file(no_configured_keys / "keys.prod", **keys)
        link = tmp_path_factory.mktemp("etc") / "keys.json"
        link.symlink_to(real)
        monkeypatch.setenv("YACHI_KEYS_FILE", str(link))

    with pytest.raises(ImproperlyConfigured, match="where the data lives") as refused:
        load_keyring()

    for value in keys.values():
        assert value.split(":")[-1] not in str(refused.value)


def test_production_refuses_to_start_while_a_generated_keys_json_lies_in_the_data_directory(
    no_configured_keys, settings, monkeypatch
):
    load_keyring()  # a development start generated $YACHI_DATA_DIR/keys.json
    settings.PRODUCTION = True
    for name, value in _all_keys().items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=r"keys\.json holds encryption keys"):
        load_keyring()


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("not json", "is not valid JSON"),
        ('["a list"]', "must be a JSON object"),
        ('{"YACHI_MASTER_KEY": "typo"}', "names YACHI_MASTER_KEY; it may hold only"),
    ],
)
def test_a_malformed_key_file_stops_the_start(
    no_configured_keys, monkeypatch, tmp_path, content, complaint
):
    path = tmp_path / "keys" / "keys.json"
    path.parent.mkdir()
    path.write_text(content)
    monkeypatch.setenv("YACHI_KEYS_FILE", str(path))

    with pytest.raises(ImproperlyConfigured, match=complaint):
        load_keyring()


def test_production_refuses_a_key_file_that_is_not_there(no_configured_keys, settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.setenv("YACHI_KEYS_FILE", "/nonexistent/yachi/keys.json")
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        load_keyring()
    assert not Path("/nonexistent/yachi/keys.json").exists()


def _check(environment: dict) -> subprocess.CompletedProcess:
    """``manage.py check`` in a fresh process: the whole start-up, settings to apps."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith((*KEY_VARIABLES, "YACHI_KEYS_FILE"))
        and key != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.long
def test_a_production_process_refuses_keys_missing_or_beside_the_data_and_starts_with_a_key_file(
    tmp_path,
):
    data = tmp_path / "data"
    production = {
        "YACHI_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "clinic.example.cn",
        "YACHI_DATA_DIR": str(data),
    }

    refused = _check(production)
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "YACHI_MASTER_KEYS" in refused.stderr

    inside = _key_file(data / "keys.json", **_all_keys())
    beside = _check({**production, "YACHI_KEYS_FILE": str(inside)})
    assert beside.returncode != 0
    assert "where the data lives" in beside.stderr

    outside = tmp_path / "etc" / "keys.json"
    outside.parent.mkdir()
    inside.rename(outside)
    started = _check({**production, "YACHI_KEYS_FILE": str(outside)})
    assert started.returncode == 0, started.stderr
    assert not (data / "keys.json").exists()


# --- the backup key and the keys' export (ADR 0039) -------------------------------------------


def test_a_key_file_from_before_backups_gains_one_backup_key_and_keeps_it(no_configured_keys):
    path = no_configured_keys / "keys.json"
    old = {"YACHI_MASTER_KEYS": new_master_key("k1"), "YACHI_INDEX_KEY": new_secret()}
    old["YACHI_AUDIT_KEY"] = new_secret()
    path.write_text(json.dumps(old))

    first = backup_key()

    stored = json.loads(path.read_text())
    assert len(first) == 32 and base64.b64decode(stored["YACHI_BACKUP_KEY"]) == first
    assert {name: stored[name] for name in old} == old
    assert backup_key() == first


def test_a_production_without_a_backup_key_has_none(no_configured_keys, settings, use_keys):
    use_keys(new_master_key("env"))
    settings.PRODUCTION = True
    assert backup_key() is None
    assert "YACHI_BACKUP_KEY" not in keys_export()


def test_the_export_spells_every_key_as_the_key_file_does(no_configured_keys):
    exported = keys_export()

    path = no_configured_keys / "exported.json"
    path.write_text(json.dumps(exported))
    os.environ["YACHI_KEYS_FILE"] = str(path)
    try:
        ring = load_keyring()
    finally:
        del os.environ["YACHI_KEYS_FILE"]
    assert dict(ring.master_keys) == dict(keyring().master_keys)
    assert (ring.index_key, ring.audit_key) == (keyring().index_key, keyring().audit_key)


def test_installing_keys_that_the_environment_contradicts_is_refused(no_configured_keys, use_keys):
    use_keys(new_master_key("env"))
    exported = keys_export()
    other = {**exported, "YACHI_AUDIT_KEY": new_secret()}

    with pytest.raises(ImproperlyConfigured, match="YACHI_AUDIT_KEY in the environment differ"):
        keys_install(other)
    assert keys_install(exported) == no_configured_keys / "keys.json"  # the backup key's file


def test_installed_keys_replace_a_fresh_installs_generated_ones(no_configured_keys):
    generated = keys_export()
    restored = {
        "YACHI_MASTER_KEYS": new_master_key("restored"),
        "YACHI_INDEX_KEY": new_secret(),
        "YACHI_AUDIT_KEY": new_secret(),
        "YACHI_BACKUP_KEY": new_secret(),
    }

    written = keys_install(restored)

    assert json.loads(written.read_text()) == restored
    assert list(keyring().master_keys) == ["restored"] and keys_export() != generated
