"""CRM: what the clinic knows of its patients and does with it — patient tags with their
reasons, the patient 360 page, satisfaction and complaints, no-show risk, segments and
campaigns, the repurchase playbook and the managers' dashboards. It reads the contexts
below it through their facades and owns only what it computes and what staff add."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "yachi.crm"
    label = "crm"
    verbose_name = _("CRM")

    def ready(self):
        from yachi.compliance.facade import register_personal_data
        from yachi.crm import (
            handlers,  # noqa: F401  (a completed visit invites to the survey)
            tasks,  # noqa: F401  (the nightly jobs)
        )
        from yachi.crm.feedback.selectors import nps_figure
        from yachi.crm.privacy import PERSONAL_DATA
        from yachi.crm.reports.nps import register_nps_source

        register_personal_data(PERSONAL_DATA)
        # The managers' dashboards take their NPS from the satisfaction surveys.
        register_nps_source(nps_figure)

        from yachi.booking import facade as booking
        from yachi.crm.noshow import selectors, services

        # Booking asks CRM, never imports it (ADR 0051).
        booking.no_show_scorer_register(
            deposit_for=services.deposit_for,
            deposit_clinics=services.deposit_clinics,
            risks_of=selectors.risks_of,
        )

        from yachi.crm.segments.criteria import register_builtin_criteria
        from yachi.crm.tags.criterion import register_tag_criterion

        register_builtin_criteria()
        register_tag_criterion()
