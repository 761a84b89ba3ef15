def positive_integer(raw: str) -> int:
    """An argparse type: a batch of zero rows would silently do nothing."""
    value = int(raw)
    if value < 1:
        raise ValueError(raw)
    return value
