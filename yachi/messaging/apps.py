from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "yachi.messaging"
    label = "messaging"
    verbose_name = _("Messaging")

    def ready(self):
        from yachi.messaging import metrics
        from yachi.messaging.providers import check_settings

        metrics.register()

        # A template mapping with a typo, or a provider without its credentials, stops
        # the start rather than the first reminder.
        check_settings()
