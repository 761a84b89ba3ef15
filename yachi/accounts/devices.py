"""A short name for the device a token was issued to, from what its app or browser says of
itself, so that an owner can tell their phone from their tablet when revoking one."""

from django.utils.translation import gettext as _

# (what the User-Agent contains, the device it means); the first match wins.
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("HarmonyOS", "HarmonyOS"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Macintosh", "Mac"),
    ("Linux", "Linux"),
)
_APPS = (("miniProgram", "mini-program"), ("MicroMessenger", "wechat"))


def device_of(user_agent: str) -> str:
    """``<system>`` and, inside WeChat, ``/wechat`` or ``/mini-program``; empty if unknown."""
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    app = next((name for mark, name in _APPS if mark in user_agent), "")
    return f"{system}/{app}" if app else system


def device_label(device: str, label: str) -> str:
    """What the owner reads: the device, and how the token was obtained."""
    system, _slash, app = device.partition("/")
    apps = {"wechat": _("WeChat"), "mini-program": _("WeChat mini-program")}
    ways = {
        "sms-login": _("SMS code login"),
        "wechat-login": _("WeChat login"),
        "staff-login": _("staff login"),
    }
    parts = [part for part in (system or _("Unknown device"), apps.get(app, "")) if part]
    return _("%(device)s (%(way)s)") % {"device": " · ".join(parts), "way": ways.get(label, label)}
