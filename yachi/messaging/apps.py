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
        from yachi.compliance.facade import register_personal_data
        from yachi.messaging.chat.privacy import PERSONAL_DATA as CHAT

        register_personal_data(CHAT)

        # A template mapping with a typo, or a provider without its credentials, stops
        # the start rather than the first reminder.
        check_settings()
