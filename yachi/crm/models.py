"""CRM's tables, each defined in its sub-package and gathered here for Django."""

from yachi.crm.campaigns.models import Campaign, Recipient
from yachi.crm.feedback.models import Complaint, ComplaintStatus, Survey
from yachi.crm.noshow.models import ConfirmationCall, NoShowModel, NoShowPolicy, NoShowScore
from yachi.crm.playbook.models import FollowUpTask, Rule, RuleRun, Touch
from yachi.crm.segments.models import Segment
from yachi.crm.tags.models import PatientTag, TagDefinition, TagKind, TagSource

__all__ = [
    "Campaign",
    "Complaint",
    "ComplaintStatus",
    "ConfirmationCall",
    "FollowUpTask",
    "NoShowModel",
    "NoShowPolicy",
    "NoShowScore",
    "PatientTag",
    "Recipient",
    "Rule",
    "RuleRun",
    "Segment",
    "Survey",
    "TagDefinition",
    "TagKind",
    "TagSource",
    "Touch",
]
