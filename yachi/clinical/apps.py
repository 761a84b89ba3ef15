from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicalConfig(AppConfig):
    name = "yachi.clinical"
    label = "clinical"
    verbose_name = _("Clinical record")

    def ready(self):
        from yachi.clinical import handlers  # noqa: F401  (a completed visit completes its procedures)
        from yachi.clinical.milestones import chart_milestones
        from yachi.patients import facade as patients

        # Eruption and shedding on the chart feed the children's milestone reminders.
        patients.register_milestone_source(chart_milestones)

        from yachi.clinical.labels import chart_entry_labels, plan_labels
        from yachi.compliance.facade import register_object_labels

        # The audit console names the findings and plans its entries are about.
        register_object_labels("chart_entry", chart_entry_labels)
        register_object_labels("treatment_plan", plan_labels)

        from yachi.clinical.privacy import PERSONAL_DATA
        from yachi.compliance.facade import register_personal_data

        register_personal_data(PERSONAL_DATA)

        from yachi.clinical.privacy import latest_records
        from yachi.patients import facade as patients_facade

        # Whoever has a finding or an X-ray keeps their name in the record after erasure.
        patients_facade.register_record_source(latest_records)
