"""How long the patient tags of the demo chain take to compute (ADR 0050).

    python bench/crm_tags.py                    # SQLite in a temporary directory
    python bench/crm_tags.py --families 2000    # the full demo chain (the default)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yachi_bench python bench/crm_tags.py

Builds the demo chain (``yachi demo``'s code, ``--families`` accounts) into an empty
database, then runs the refresh of every patient's computed tags three times: the first
after the demo's own refresh has been undone (every tag is new), then twice with
nothing changed. Prints, per run, the seconds in all and in each step (reading through
the facades, the pure computation, the writes), and how many tags changed.
"""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='yachi-bench-crm-')}/bench.sqlite3"
)

from bench import _common  # noqa: E402

_common.configure()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=2000)
    args = parser.parse_args()
    if connection.vendor == "postgresql":
        _common.recreate_database(os.environ["DATABASE_URL"])
        connection.close()
    call_command("migrate", verbosity=0)

    from yachi.crm.tags.models import PatientTag, TagSource
    from yachi.crm.tags.services import tags_refresh
    from yachi.demo.builder import build_demo
    from yachi.patients.models import Patient

    started = time.monotonic()
    build_demo(families=args.families, log=lambda line: None)
    print(
        f"demo chain: {args.families} families, {Patient.objects.count()} patients, "
        f"built in {time.monotonic() - started:.0f} s ({connection.vendor})"
    )
    PatientTag.objects.filter(source=TagSource.COMPUTED).delete()
    for run in range(3):
        marks = [("start", time.monotonic())]

        def mark(step, marks=marks):
            marks.append((step, time.monotonic()))

        done = tags_refresh(progress=mark)
        steps = ", ".join(
            f"{name} {1000 * (at - marks[i][1]):.0f} ms" for i, (name, at) in enumerate(marks[1:])
        )
        print(
            f"run {run + 1}: {done.seconds:.2f} s for {done.patients} patients, "
            f"{done.total_changed} tags changed ({done.added} added) — {steps}"
        )


if __name__ == "__main__":
    main()
