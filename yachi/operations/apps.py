from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "yachi.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self):
        from yachi.operations.backups import metrics

        metrics.register()
