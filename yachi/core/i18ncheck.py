"""``python -m yachi.core.i18ncheck``: Chinese first, checked.

Fails when a message in the code has no zh-Hans translation, when a translation is
fuzzy or empty, or when the compiled catalogue (.mo) is older than its source (.po).
Fix with ``make messages`` and translate what it adds.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _catalogue(entries) -> dict:
    return {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in entries
        if not e.obsolete and e.msgid
    }


def _extracted_msgids() -> set | None:
    """What makemessages finds in the code now (None when gettext is not installed)."""
    if not shutil.which("xgettext"):
        return None
    original = PO.read_bytes()
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "zh_Hans",
                "--ignore=.venv",
                "--ignore=.tools",
                "--ignore=var",
                "--ignore=tests",
                "--no-obsolete",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**os.environ},
        )
        return {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)) if not e.obsolete}
    finally:
        PO.write_bytes(original)


def problems() -> list[str]:
    found = []
    po = polib.pofile(str(PO))
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags or not entry.translated():
            found.append(f"not translated: {entry.msgid!r}")
    if _catalogue(polib.mofile(str(MO))) != _catalogue(po):
        found.append(f"{MO.relative_to(ROOT)} is out of date: run `make messages`")
    extracted = _extracted_msgids()
    if extracted is not None:
        known = {(e.msgctxt, e.msgid) for e in po if not e.obsolete}
        found += [
            f"missing from the catalogue: {msgid!r}" for _, msgid in sorted(extracted - known)
        ]
    return found


if __name__ == "__main__":
    issues = problems()
    for issue in issues:
        print(issue, file=sys.stderr)
    sys.exit(1 if issues else 0)
