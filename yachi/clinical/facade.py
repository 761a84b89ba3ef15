"""What other contexts may use of clinical.

CRM's patient 360 lists a patient's open treatment-plan items with ``open_plan_items``
(the caller checks who may see the patient). An imaging context adds its evidence to the
caries-risk heat map with ``register_risk_marks`` (a provider of ``RiskMark``s per patient).
Imaging's 3D arch reads the chart under the chart's own access rules: ``chart_access``
(404 for whoever may not see it), then ``chart_read`` (audited for staff) and
``plans_read`` (the plans that reader may see); a doctor records a plan's aligner setup
after ``plan_write_access`` (404 unseen, 403 for whoever may not change the plan) and
finds the clinics where a doctor may record with ``chart_write_access``.
Financing quotes instalments on ``plan_summary`` (access-checked, staff reads audited).
"""

from yachi.clinical.access import (
    ChartAccess,
    chart_access,
    chart_write_access,
    plan_write_access,
)
from yachi.clinical.risk_marks import RiskMark, register_risk_marks
from yachi.clinical.selectors import (
    ChartView,
    FindingRow,
    OpenPlanItem,
    diagnoses_of,
    open_plan_items,
)
from yachi.clinical.services import chart_read, plans_read
from yachi.clinical.summaries import PlanSummary, plan_summary

# An insurance claim's diagnosis certificate states ``diagnoses_of`` a patient.
__all__ = [
    "ChartAccess",
    "ChartView",
    "FindingRow",
    "OpenPlanItem",
    "PlanSummary",
    "RiskMark",
    "chart_access",
    "chart_read",
    "chart_write_access",
    "diagnoses_of",
    "open_plan_items",
    "plan_summary",
    "plan_write_access",
    "plans_read",
    "register_risk_marks",
]
