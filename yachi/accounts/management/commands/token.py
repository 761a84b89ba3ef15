from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yachi.accounts.models import User
from yachi.accounts.phones import normalize_phone
from yachi.accounts.services import token_issue
from yachi.core.errors import DomainError


class Command(BaseCommand):
    help = "Print a new API token for each user, one per line, in the order given."

    def add_arguments(self, parser):
        parser.add_argument("phones", nargs="+", metavar="PHONE")
        parser.add_argument("--days", type=int, default=None, help="validity (default 30 days)")
        parser.add_argument("--label", default="cli", help="what the token is for")

    def handle(self, *args, phones, days, label, **options):
        users = []
        for raw in phones:
            try:
                phone = normalize_phone(raw)
            except DomainError as exc:
                raise CommandError(f"{raw}: {exc.message}") from exc
            user = User.objects.by_phone(phone).filter(is_active=True).first()
            if user is None:
                raise CommandError(f"{phone}: no active user with this mobile number")
            users.append(user)
        with transaction.atomic():
            try:
                tokens = [token_issue(user=user, label=label[:32], ttl_days=days) for user in users]
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
        for token in tokens:
            self.stdout.write(token)
