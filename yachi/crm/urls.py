"""CRM's pages and API: ``patient_patterns``, ``console_patterns`` and ``api_router``;
``yachi.web`` and ``config.api`` mount them."""

from django.urls import path
from ninja import Router

from yachi.crm.campaigns import console_views as campaigns
from yachi.crm.feedback import api as feedback_api
from yachi.crm.feedback import console_views as feedback_console
from yachi.crm.feedback import views as feedback_views
from yachi.crm.noshow import api as noshow_api
from yachi.crm.noshow import console_views as noshow_console
from yachi.crm.playbook import api as playbook_api
from yachi.crm.playbook import console_views as playbook
from yachi.crm.reports import api as reports_api
from yachi.crm.reports import console_views as reports_console
from yachi.crm.segments import console_views as segments
from yachi.crm.tags import api as tags_api
from yachi.crm.tags import console_views as tags_console

patient_patterns = [
    path("surveys/<str:appointment_id>/", feedback_views.survey_page, name="survey"),
]

_CLINIC = "clinic/<str:clinic_id>/crm/"

console_patterns = [
    *reports_console.console_patterns,
    *noshow_console.console_patterns,
    path("crm/patients/", tags_console.patient_search, name="crm_patients"),
    path("crm/patients/<str:patient_id>/", tags_console.patient_360, name="crm_patient"),
    path(
        "crm/patients/<str:patient_id>/tags/",
        tags_console.patient_tag_change,
        name="crm_patient_tags",
    ),
    path("crm/tags/", tags_console.definitions_page, name="crm_tags"),
    path("crm/complaints/", feedback_console.complaints_page, name="crm_complaints"),
    path(
        "crm/complaints/<str:complaint_id>/",
        feedback_console.complaint_page,
        name="crm_complaint",
    ),
    path(_CLINIC + "segments/", segments.segments_page, name="crm_segments"),
    path(_CLINIC + "segments/new/", segments.segment_new, name="crm_segment_new"),
    path(_CLINIC + "segments/count/", segments.segment_count, name="crm_segment_count"),
    path(_CLINIC + "segments/<str:segment_id>/", segments.segment_page, name="crm_segment"),
    path(
        _CLINIC + "segments/<str:segment_id>/export.csv",
        segments.segment_export,
        name="crm_segment_export",
    ),
    path(_CLINIC + "campaigns/", campaigns.campaigns_page, name="crm_campaigns"),
    path(
        _CLINIC + "campaigns/<str:crm_campaign_id>/", campaigns.campaign_page, name="crm_campaign"
    ),
    path(
        _CLINIC + "campaigns/<str:crm_campaign_id>/send/",
        campaigns.campaign_send,
        name="crm_campaign_send",
    ),
    path(_CLINIC + "playbook/", playbook.playbook_page, name="crm_playbook"),
    path(_CLINIC + "playbook/<str:rule_id>/", playbook.rule_page, name="crm_rule"),
    path(_CLINIC + "follow-ups/", playbook.follow_ups_page, name="crm_follow_ups"),
    path(_CLINIC + "follow-ups/<str:task_id>/", playbook.follow_up_page, name="crm_follow_up"),
]

api_router = Router()
api_router.add_router("", reports_api.router)
api_router.add_router("", tags_api.router)
api_router.add_router("", feedback_api.router)
api_router.add_router("", noshow_api.router)
api_router.add_router("", playbook_api.router)
