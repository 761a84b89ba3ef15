from django.utils import translation

from yachi.messaging.kinds import kind as kind_named


class _Params(dict):
    """A missing placeholder reads as empty rather than breaking the message."""

    def __missing__(self, key):
        return ""


def render(kind: str, params: dict, language: str) -> tuple[str, str]:
    """``(title, text)`` of a message in the recipient's language."""
    definition = kind_named(kind)
    with translation.override(language):
        return str(definition.title), str(definition.body) % _Params(params)
