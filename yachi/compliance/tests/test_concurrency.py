"""The first encryptions of a new installation, at the same instant, in many threads.

Each thread has its own database connection, as separate processes would (PostgreSQL
in the PostgreSQL run of the suite). However many find no data key and create one,
exactly one becomes current and every value names it.
"""

import threading

import pytest
from django.db import IntegrityError, connection

from yachi.compliance import envelope
from yachi.compliance.models import DataKey
from yachi.compliance.tests.conftest import raw_column
from yachi.compliance.tests.models import Person

THREADS = 12


def _together(action):
    barrier = threading.Barrier(THREADS)
    results, errors = [None] * THREADS, []

    def run(index):
        try:
            barrier.wait()
            results[index] = action(index)
        except Exception as exc:  # reported below, with the thread's own traceback
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_processes_starting_together_create_exactly_one_current_data_key():
    # Straight to the database each time, as in separate processes with empty caches.
    key_ids = _together(lambda index: envelope.current_data_key_id())

    assert len(set(key_ids)) == 1
    assert list(DataKey.objects.values_list("pk", "is_current")) == [(key_ids[0], True)]


@pytest.mark.django_db(transaction=True)
def test_the_first_records_saved_at_once_all_use_the_one_data_key():
    people = _together(lambda index: Person.objects.create(phone=f"138000001{index:02d}").pk)

    key = DataKey.objects.get()
    for pk in people:
        assert raw_column(Person, "phone", pk).startswith(f"sm4gcm:v1:{key.pk}:")
    assert Person.objects.count() == THREADS


@pytest.mark.django_db
def test_the_database_itself_refuses_a_second_current_data_key():
    envelope.current_data_key_id()
    with pytest.raises(IntegrityError):
        DataKey.objects.create(master_key_id="x", wrapped_key="x", is_current=True)
