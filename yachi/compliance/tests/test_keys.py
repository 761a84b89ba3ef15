"""Where the keys come from: the environment (or files) in production, a generated
file on a development machine, and a refusal to start when they are missing or wrong."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from yachi.compliance.keys import keyring, load_keyring
from yachi.compliance.tests.conftest import KEY_VARIABLES, new_master_key, new_secret

ROOT = Path(__file__).resolve().parents[3]


def test_a_development_machine_gets_its_keys_generated_once(no_configured_keys):
    ring = load_keyring()

    path = no_configured_keys / "keys.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert set(json.loads(path.read_text())) == set(KEY_VARIABLES)
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


def _check(environment: dict) -> subprocess.CompletedProcess:
    """``manage.py check`` in a fresh process: the whole start-up, settings to apps."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(KEY_VARIABLES) and key != "DJANGO_SETTINGS_MODULE"
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


def test_a_production_process_refuses_to_start_without_keys_and_starts_with_them(tmp_path):
    production = {
        "YACHI_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "clinic.example.cn",
        "YACHI_DATA_DIR": str(tmp_path),
    }

    refused = _check(production)
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "YACHI_MASTER_KEYS" in refused.stderr

    keys = {
        "YACHI_MASTER_KEYS": new_master_key("prod1"),
        "YACHI_INDEX_KEY": new_secret(),
        "YACHI_AUDIT_KEY": new_secret(),
    }
    started = _check({**production, **keys})
    assert started.returncode == 0, started.stderr
    assert not (tmp_path / "keys.json").exists()
