from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicalConfig(AppConfig):
    name = "yachi.clinical"
    label = "clinical"
    verbose_name = _("Clinical record")

    def ready(self):
        from yachi.clinical.milestones import chart_milestones
        from yachi.patients import facade as patients

        # Eruption and shedding on the chart feed the children's milestone reminders.
        patients.register_milestone_source(chart_milestones)
