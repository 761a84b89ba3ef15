"""What other contexts may use of clinical.

CRM's patient 360 lists a patient's open treatment-plan items with ``open_plan_items``
(the caller checks who may see the patient). An imaging context adds its evidence to the
caries-risk heat map with ``register_risk_marks`` (a provider of ``RiskMark``s per patient).
"""

from yachi.clinical.risk_marks import RiskMark, register_risk_marks
from yachi.clinical.selectors import FindingRow, OpenPlanItem, diagnoses_of, open_plan_items

# An insurance claim's diagnosis certificate states ``diagnoses_of`` a patient.
__all__ = [
    "FindingRow",
    "OpenPlanItem",
    "RiskMark",
    "diagnoses_of",
    "open_plan_items",
    "register_risk_marks",
]
