from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    name = "yachi.growth"
    label = "growth"
    verbose_name = _("Coupons and points")

    def ready(self):
        from yachi.compliance.facade import register_object_labels
        from yachi.growth.selectors import template_labels

        register_object_labels("growth.template", template_labels)
