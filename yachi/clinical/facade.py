"""What other contexts may use of clinical.

CRM's patient 360 lists a patient's open treatment-plan items with ``open_plan_items``
(the caller checks who may see the patient). An imaging context adds its evidence to the
caries-risk heat map with ``register_risk_marks`` (a provider of ``RiskMark``s per patient).
Financing quotes instalments on ``plan_summary`` (access-checked, staff reads audited).
"""

from yachi.clinical.risk_marks import RiskMark, register_risk_marks
from yachi.clinical.selectors import OpenPlanItem, open_plan_items
from yachi.clinical.summaries import PlanSummary, plan_summary

__all__ = [
    "OpenPlanItem",
    "PlanSummary",
    "RiskMark",
    "open_plan_items",
    "plan_summary",
    "register_risk_marks",
]
