"""The suite's flush: every table emptied but the content types and permissions.

A test that commits for real (``transactional_db``, ``live_server``) ends with a flush,
and Django's flush then sends ``post_migrate`` so that contenttypes and auth write their
rows again, one content type and four permissions a model: about 60 ms of CPU on SQLite
and 90 ms on PostgreSQL after each such test, twenty times what emptying the tables costs.
Those rows are the same every time, so this flush leaves them where they are and sends no
signal — as long as they are still all there (counted, and their highest id, against what
the first full flush of this process left). If a test changed them, or the caller asks
for anything but the tests' plain flush, Django's own flush runs.
"""

from django.core.management.color import no_style
from django.core.management.commands import flush
from django.db import connections

KEPT = ("django_content_type", "auth_permission")

# Per database alias: the kept tables' (count, highest id) after a full flush.
_complete: dict[str, tuple] = {}


def _kept_rows(connection) -> tuple:
    with connection.cursor() as cursor:
        found = []
        for table in KEPT:
            cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {connection.ops.quote_name(table)}")
            found.append(tuple(cursor.fetchone()))
    return tuple(found)


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        plain = not (
            options["interactive"]
            or options.get("reset_sequences", True)
            or options.get("allow_cascade", False)
            or options.get("inhibit_post_migrate", False)
        )
        if plain and _complete.get(connection.alias) == _kept_rows(connection):
            tables = [
                table
                for table in connection.introspection.django_table_names(
                    only_existing=True, include_views=False
                )
                if table not in KEPT
            ]
            connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
            return
        if options.get("reset_sequences", True):
            from tests.db import snapshot

            snapshot.forget()
        super().handle(**options)
        if not options.get("inhibit_post_migrate", False):
            _complete[connection.alias] = _kept_rows(connection)
