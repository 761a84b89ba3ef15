"""The only ways a request reaches a queue or a ticket.

A ticket is its owner's (the family account's owner): anyone else, staff included, is
told it does not exist on the patient's endpoints. Staff reach queues and tickets of the
clinics where they work; elsewhere the answer is "not found" too.
"""

from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.queueing.models import Queue, Ticket


def _ticket_missing() -> NotFound:
    return NotFound(_("Queue ticket not found."), code="ticket_not_found")


def _queue_missing() -> NotFound:
    return NotFound(_("Queue not found."), code="queue_not_found")


def _tickets():
    return Ticket.objects.select_related(
        "queue", "queue__doctor", "queue__clinic", "clinic", "service"
    )


def access_own_ticket_by_id(*, actor, ticket_id) -> Ticket:
    public_id = as_public_id(ticket_id)
    if public_id is None or actor is None or not getattr(actor, "is_authenticated", False):
        raise _ticket_missing()
    ticket = _tickets().filter(public_id=public_id, owner_id=actor.pk).first()
    if ticket is None:
        raise _ticket_missing()
    return ticket


def _staff_sees(actor, clinic_id: int) -> bool:
    if actor is None or not getattr(actor, "is_clinic_staff", False):
        return False
    allowed = clinics.staff_clinic_ids(actor)
    return allowed is None or clinic_id in allowed


def access_staff_ticket_by_id(*, actor, ticket_id) -> Ticket:
    public_id = as_public_id(ticket_id)
    if public_id is None:
        raise _ticket_missing()
    ticket = _tickets().filter(public_id=public_id).first()
    if ticket is None or not _staff_sees(actor, ticket.clinic_id):
        raise _ticket_missing()
    return ticket


def access_queue_by_id(*, actor, queue_id) -> Queue:
    public_id = as_public_id(queue_id)
    if public_id is None:
        raise _queue_missing()
    queue = Queue.objects.select_related("clinic", "doctor").filter(public_id=public_id).first()
    if queue is None or not _staff_sees(actor, queue.clinic_id):
        raise _queue_missing()
    return queue
