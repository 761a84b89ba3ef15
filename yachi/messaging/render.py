from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils import translation
from django.utils.translation import gettext as _

from yachi.messaging.kinds import kind as kind_named
from yachi.messaging.links import is_short, on_this_site


class _Params(dict):
    """A missing placeholder reads as empty rather than breaking the message."""

    def __missing__(self, key):
        return ""


@dataclass(frozen=True)
class Shown:
    """A message as the inbox shows it: the text, and its link as a button."""

    title: str
    text: str
    action: str
    link: str


def render_shown(kind: str, params: dict, language: str) -> Shown:
    definition = kind_named(kind)
    link = params.get("link", "")
    with translation.override(language):
        return Shown(
            title=str(definition.title),
            text=str(definition.body) % _Params(params),
            action=str(definition.action) if link else "",
            link=_in_the_app(link),
        )


def render(kind: str, params: dict, language: str) -> tuple[str, str]:
    """``(title, text)`` of a message in the recipient's language, as an SMS says it:
    the link (a short one) after the words of its action."""
    shown = render_shown(kind, params, language)
    if not shown.link:
        return shown.title, shown.text
    with translation.override(language):
        text = _("%(text)s %(action)s: %(link)s") % {
            "text": shown.text,
            "action": shown.action or _("Open"),
            "link": params["link"],
        }
    return shown.title, text


def _in_the_app(link: str) -> str:
    """In the app, a link to this site opens wherever the app is served now, also when
    the message was written under another address."""
    if not link:
        return ""
    path = urlsplit(link).path
    return on_this_site(link) or (path if is_short(path) else link)
