"""A booking's write on PostgreSQL: one statement that reads what stands in the way,
takes the first free chair and inserts the appointment (ADR 0036).

The statement reads the doctor's, the patient's and the chairs' active appointments in
the window by the exclusion constraints' own range test, inserts only when neither
the doctor nor the patient is taken and a chair is free, and returns either the new
row's id and chair or what stood in the way. The constraints still decide the INSERT:
a booking that committed after the statement began makes it fail with their name, and
the caller runs it again (it then sees that booking) or refuses.

An appointment that takes no chair (a video consultation, ADR 0045) has its own
statement: what stands in the way is the doctor's and the patient's appointments
alone, and the row is written with no chair when neither is taken.

Written by hand and built once per process: the ORM compiled the read and the INSERT
again on every booking, about a third of the request's interpreter time.
"""

from functools import cache

from django.db import connection

from yachi.booking.choices import ACTIVE_STATUSES
from yachi.booking.models import Appointment

TABLE = Appointment._meta.db_table


def _fields():
    return [
        field
        for field in Appointment._meta.local_concrete_fields
        if not field.primary_key and field.attname != "chair_id"
    ]


@cache
def _statement(with_chair: bool = True) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _fields())
    values = ", ".join(f"%(f{index})s" for index, _field in enumerate(_fields()))
    # The statuses written out, as the constraints' partial indexes name them, so that
    # the planner can use those indexes. Names, statuses and columns are the model's own.
    statuses = ", ".join(f"'{status}'" for status in ACTIVE_STATUSES)
    if not with_chair:
        return f"""WITH way AS (
            SELECT doctor_id, patient_id, chair_id FROM {quote(TABLE)}
            WHERE status IN ({statuses})
              AND (doctor_id = %(doctor)s OR patient_id = %(patient)s)
              AND tstzrange("start", "end", '[)') && tstzrange(%(start)s, %(end)s, '[)')
        ), new AS (
            INSERT INTO {quote(TABLE)} ({columns}, chair_id)
            SELECT {values}, NULL WHERE NOT EXISTS (SELECT FROM way)
            RETURNING id, chair_id
        )
        SELECT id, chair_id, NULL::bigint, NULL::bigint FROM new
        UNION ALL
        SELECT NULL, chair_id, doctor_id, patient_id FROM way
    """  # noqa: S608
    return f"""WITH way AS (
            SELECT doctor_id, patient_id, chair_id FROM {quote(TABLE)}
            WHERE status IN ({statuses})
              AND (doctor_id = %(doctor)s OR patient_id = %(patient)s
                   OR chair_id = ANY(%(chairs)s))
              AND tstzrange("start", "end", '[)') && tstzrange(%(start)s, %(end)s, '[)')
        ), chair AS (
            SELECT free.id FROM unnest(%(chairs)s::bigint[]) WITH ORDINALITY AS free(id, place)
            WHERE free.id NOT IN (SELECT chair_id FROM way)
              AND NOT EXISTS (
                  SELECT FROM way WHERE doctor_id = %(doctor)s OR patient_id = %(patient)s
              )
            ORDER BY place LIMIT 1
        ), new AS (
            INSERT INTO {quote(TABLE)} ({columns}, chair_id)
            SELECT {values}, chair.id FROM chair
            RETURNING id, chair_id
        )
        SELECT id, chair_id, NULL::bigint, NULL::bigint FROM new
        UNION ALL
        SELECT NULL, chair_id, doctor_id, patient_id FROM way
    """  # noqa: S608


def insert(appointment: Appointment, chair_ids: list[int] | None) -> list[tuple]:
    """Insert ``appointment`` (unsaved, its chair not chosen) in the first of
    ``chair_ids`` that is free, unless its doctor or patient is taken then;
    ``chair_ids=None`` for an appointment that takes no chair.

    Returns ``[(id, chair_id, None, None)]`` when it was written (``appointment`` then
    has its id and chair), else the ``(None, chair_id, doctor_id, patient_id)`` of each
    active appointment in the way. Raises ``IntegrityError`` when the exclusion
    constraints refuse the row.
    """
    params = {
        "doctor": appointment.doctor_id,
        "patient": appointment.patient_id,
        "chairs": chair_ids,
        "start": appointment.start,
        "end": appointment.end,
    }
    for index, field in enumerate(_fields()):
        params[f"f{index}"] = field.get_db_prep_save(
            field.pre_save(appointment, add=True), connection
        )
    with connection.cursor() as cursor:
        cursor.execute(_statement(chair_ids is not None), params)
        rows = cursor.fetchall()
    written = [row for row in rows if row[0] is not None]
    if written:
        appointment.pk, appointment.chair_id = written[0][0], written[0][1]
        appointment._state.adding = False
        appointment._state.db = connection.alias
        return written
    return rows
