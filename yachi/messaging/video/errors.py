from django.utils.translation import gettext_lazy as _

from yachi.core.errors import Conflict


class NotVideo(Conflict):
    code = "not_video"
    default_message = _("This appointment is not a video consultation.")


class TooEarly(Conflict):
    code = "too_early"
    default_message = _("The video consultation has not opened yet.")


class Ended(Conflict):
    code = "ended"
    default_message = _("This video consultation has ended.")
