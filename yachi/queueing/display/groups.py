"""The channel-layer group of one display token's sockets: told when it is revoked."""

from yachi.core import realtime


def display_group(token_public_id) -> str:
    return realtime.group_name("display", str(token_public_id))
