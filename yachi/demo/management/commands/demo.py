from django.core.management import call_command
from django.core.management.base import BaseCommand

from yachi.core import public_url
from yachi.demo.builder import (
    DEMO_TOTP_SECRET,
    PATIENT_COUNT,
    STAFF_PASSWORD,
    build_demo,
    demo_exists,
)
from yachi.demo.display import demo_display_link


class Command(BaseCommand):
    help = "Create the demo chain (if absent), print the demo logins, then serve."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="only create the data")

    def handle(self, *args, host, port, no_serve, **options):
        if no_serve:
            base = public_url.served_at(host=host, port=port)
        else:
            base = public_url.announce_public_url(host=host, port=port)
        call_command("migrate", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write("Demo data already present.")
        else:
            self.stdout.write("Creating the demo chain…")
            build_demo(log=self.stdout.write, out=self.stdout)
        display = demo_display_link(base)
        self.stdout.write(
            f"""
Yachi demo (牙齿口腔)
  患者端 Patient app      {base}/
  诊所控制台 Console       {base}/console/
  管理后台 Admin           {base}/admin/
  API docs                {base}/api/v1/docs
  候诊屏 Waiting room      {display or "(no manager at 静安)"}

Demo logins
  patients     13800000001 – 138{PATIENT_COUNT:08d}   SMS code is shown on the login page
  doctors      13900000001 – 13900000010   password {STAFF_PASSWORD}
  front desk   13700000001 (静安), 13700000002 (徐汇)   password {STAFF_PASSWORD}
  managers     13700000003 (manager at 静安, front desk at 徐汇), 13700000004 (徐汇)
               password {STAFF_PASSWORD}
  regional     13700000006 (regional manager over 静安 and 徐汇)   password {STAFF_PASSWORD}
  admin        13700000005   password {STAFF_PASSWORD}
  managers, regional manager and admin also need an authenticator code: add the key
               {DEMO_TOTP_SECRET} to any TOTP app (or: oathtool --totp -b {DEMO_TOTP_SECRET})
  API token    yachi token 13800000001
"""
        )
        if not no_serve:
            from yachi.demo.fakes import serve_fakes

            serve_fakes()
            call_command("serve", host=host, port=port)
