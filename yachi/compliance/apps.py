from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "yachi.compliance"
    label = "compliance"
    verbose_name = _("Compliance")

    def ready(self):
        from yachi.compliance import checks  # noqa: F401 (registers them)
        from yachi.compliance.keys import keyring

        # Missing or malformed keys stop the process now, with the variable's name,
        # rather than at the first patient record someone opens.
        keyring()
