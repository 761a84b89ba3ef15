"""No doctor and no chair is ever double-booked, whatever writes to the table.

PostgreSQL: exclusion constraints over the half-open time range ``[start, end)``.
SQLite has none, so triggers check the same rule before every insert and update;
SQLite runs one writer at a time, so the check and the write cannot interleave.
Both cover exactly the active statuses (pending, booked, arrived, in treatment).
"""

from django.db import migrations

from yachi.core.migration_ops import VendorRunSQL

ACTIVE = "('pending', 'booked', 'arrived', 'in_treatment')"


def _exclusion(name: str, column: str) -> str:
    return (
        f"ALTER TABLE booking_appointment ADD CONSTRAINT {name} EXCLUDE USING gist "
        f'({column} WITH =, tstzrange("start", "end", \'[)\') WITH &&) '
        f"WHERE (status IN {ACTIVE})"
    )


def _clash(name: str, column: str, exclude_self: bool) -> str:
    self_clause = "AND a.id <> NEW.id " if exclude_self else ""
    return (
        f"SELECT RAISE(ABORT, '{name}') WHERE EXISTS ("
        f"SELECT 1 FROM booking_appointment a WHERE a.{column} = NEW.{column} "
        f"AND a.status IN {ACTIVE} {self_clause}"
        f'AND julianday(a."end") > julianday(NEW."start") '
        f'AND julianday(a."start") < julianday(NEW."end"));'
    )


def _trigger(event: str, exclude_self: bool) -> str:
    return (
        f"CREATE TRIGGER appointment_no_overlap_{event.split()[0].lower()} "
        f"BEFORE {event} ON booking_appointment "
        f"WHEN NEW.status IN {ACTIVE} BEGIN "
        + _clash("appointment_doctor_no_overlap", "doctor_id", exclude_self)
        + " "
        + _clash("appointment_chair_no_overlap", "chair_id", exclude_self)
        + " END"
    )


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [
        VendorRunSQL(
            "postgresql",
            [
                "CREATE EXTENSION IF NOT EXISTS btree_gist",
                _exclusion("appointment_doctor_no_overlap", "doctor_id"),
                _exclusion("appointment_chair_no_overlap", "chair_id"),
            ],
            [
                "ALTER TABLE booking_appointment DROP CONSTRAINT appointment_doctor_no_overlap",
                "ALTER TABLE booking_appointment DROP CONSTRAINT appointment_chair_no_overlap",
            ],
        ),
        VendorRunSQL(
            "sqlite",
            [
                # Index the clash lookups: same doctor (or chair), active, ending later.
                "CREATE INDEX appointment_doctor_active_end ON booking_appointment "
                f'(doctor_id, julianday("end")) WHERE status IN {ACTIVE}',
                "CREATE INDEX appointment_chair_active_end ON booking_appointment "
                f'(chair_id, julianday("end")) WHERE status IN {ACTIVE}',
                _trigger("INSERT", exclude_self=False),
                _trigger(
                    'UPDATE OF doctor_id, chair_id, "start", "end", status', exclude_self=True
                ),
            ],
            [
                "DROP TRIGGER appointment_no_overlap_update",
                "DROP TRIGGER appointment_no_overlap_insert",
                "DROP INDEX appointment_chair_active_end",
                "DROP INDEX appointment_doctor_active_end",
            ],
        ),
    ]
