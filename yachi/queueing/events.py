"""What each socket is sent of the clinic's logged events (pure)."""


def touches_queue(event: dict, queue_id: str) -> bool:
    return event.get("queue_id") == queue_id or event.get("from_queue_id") == queue_id


def touches_ticket(event: dict, ticket_id: str) -> bool:
    return event["ticket"]["id"] == ticket_id or any(
        place["id"] == ticket_id for place in event.get("waiting", ())
    )


def for_ticket(ticket_id: str, event: dict) -> dict:
    """What the owner's phone is sent of an event that touches their ticket."""
    ticket_id = str(ticket_id)
    if event["ticket"]["id"] == ticket_id:
        return {key: value for key, value in event.items() if key not in ("waiting", "reason")}
    mine = next(place for place in event["waiting"] if place["id"] == ticket_id)
    return {
        "seq": event["seq"],
        "type": "position",
        "queue_id": event["queue_id"],
        "ticket": {**mine, "status": "waiting"},
        "time": event["time"],
    }
