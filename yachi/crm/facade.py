"""What the composition root (web, demo) and CRM's own sub-packages may use of CRM
(nothing below CRM imports it).

``register_nps_source``: where the dashboards' NPS comes from (satisfaction surveys
register their bulk figure, ``feedback.selectors.nps_figure``; ``reports/nps.py`` says what
it returns). ``nps(clinic_ids=, date_from=, date_to=)`` gives each clinic's net promoter
score over a range of days in one query (``Nps``: answers, promoters, passives,
detractors, ``score``); ``tags_of_patients(patient_ids)`` and ``patients_with_tag(code=)``
read the tags in bulk; ``tags_refresh`` recomputes them. ``register_arrears_source``: money
owed that a context above CRM knows of (overdue instalments) counts for the arrears tag.

No-show risk (ADR 0051): ``models_train`` and ``scores_refresh`` (the demo and the jobs),
``policy_save``, ``models_of_clinic``.

``register_criterion`` adds a criterion to the segment builder (a ``Criterion``: code,
label, form, and a function from a value to the matching patient ids; patient tags
register theirs in ``CrmConfig.ready``); ``playbook_run`` and ``rules_seed`` (ADR 0052).
"""

from yachi.crm.feedback.selectors import Nps, nps
from yachi.crm.noshow.models import NoShowModel, NoShowPolicy
from yachi.crm.noshow.selectors import models_of_clinic
from yachi.crm.noshow.services import models_train, policy_save, scores_refresh
from yachi.crm.playbook.services import playbook_run, rules_seed
from yachi.crm.reports.nps import NpsFigure, register_nps_source
from yachi.crm.segments.registry import Criterion, CriterionForm, register_criterion
from yachi.crm.tags.arrears import Owed, register_arrears_source
from yachi.crm.tags.selectors import ShownTag, patients_with_tag, tags_of_patients
from yachi.crm.tags.services import tags_refresh

__all__ = [
    "Criterion",
    "CriterionForm",
    "NoShowModel",
    "NoShowPolicy",
    "Nps",
    "NpsFigure",
    "Owed",
    "ShownTag",
    "models_of_clinic",
    "models_train",
    "nps",
    "patients_with_tag",
    "playbook_run",
    "policy_save",
    "register_arrears_source",
    "register_criterion",
    "register_nps_source",
    "rules_seed",
    "scores_refresh",
    "tags_of_patients",
    "tags_refresh",
]
