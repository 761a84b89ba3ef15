"""PostgreSQL for the test suite: the real backend, with a flush that deletes rows.

Tests on ``transactional_db`` commit for real and are cleaned up by a flush after
each one. Django flushes PostgreSQL with one ``TRUNCATE`` of every table, which
recreates each table's files: about a second per test on a small machine, while the
few rows such a test writes are deleted in milliseconds. Triggers (append-only
ledgers and audit trail, deferred foreign keys) are skipped for the cleanup by
``session_replication_role``, as TRUNCATE skips them.
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables:
            return []
        if reset_sequences:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [
            "SET LOCAL session_replication_role = replica;",
            *(f"DELETE FROM {self.quote_name(table)};" for table in tables),
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
