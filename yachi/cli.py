"""The ``yachi`` command: Django's management commands with Yachi's settings.

``yachi serve``, ``yachi demo``, ``yachi jobs`` and ``yachi token`` are Yachi's own; every other
Django command (``yachi migrate``, ``yachi createsuperuser``…) works as well.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] == ["demo"]:
        # No SMS leaves a demo, so its login page shows the code instead.
        os.environ.setdefault("YACHI_SMS_ECHO", "1")
        # The desk's medical-insurance and claims screens talk to the local fakes the demo
        # runs beside the server (yachi.demo.insurance.serve_fakes).
        from yachi.demo.fakes import DEMO_ENVIRONMENT

        for name, value in DEMO_ENVIRONMENT.items():
            os.environ.setdefault(name, value)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yachi", *sys.argv[1:]])


if __name__ == "__main__":
    main()
