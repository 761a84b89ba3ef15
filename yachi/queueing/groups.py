"""The channel-layer groups of queue sockets, and the doorbell rung after a commit.

A queue's group (its staff screens, and the displays the display tokens open), a
clinic's group (every display of the clinic's board) and a ticket's group (its owner's
phone). The durable log is the truth; ringing only tells a socket to read it.
"""

from yachi.core import realtime


def queue_group(queue_public_id) -> str:
    return realtime.group_name("queue", str(queue_public_id))


def clinic_group(clinic_public_id) -> str:
    return realtime.group_name("queue-clinic", str(clinic_public_id))


def ticket_group(ticket_public_id) -> str:
    return realtime.group_name("queue-ticket", str(ticket_public_id))


def ring(groups) -> None:
    for group in dict.fromkeys(groups):
        realtime.publish(group)
