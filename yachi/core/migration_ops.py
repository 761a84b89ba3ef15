from django.db import migrations


class VendorRunSQL(migrations.RunSQL):
    """Raw SQL that runs only on one database vendor.

    Used for guarantees each engine expresses in its own way (an exclusion constraint
    on PostgreSQL, a trigger on SQLite) so that both migrate from the same history.
    """

    def __init__(self, vendor: str, sql, reverse_sql=None, **kwargs):
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Raw SQL for {self.vendor}"
