"""CRM in the demo: saved segments at the flagship, one campaign sent to one of them, and
the repurchase playbook run by its own code week by week over the year of history, so
that the playbook page shows reached, skipped and held-out patients and each rule's
effect against its holdout (the demo's bookings do not answer to the messages, so the
honest effect is near none, with its interval)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from yachi.crm.campaigns.services import campaign_create, campaign_send_batch, campaign_start
from yachi.crm.playbook.services import clinic_rules, rule_run
from yachi.crm.segments.scope import Scope
from yachi.crm.segments.services import segment_save
from yachi.messaging.services import preference_update

SEGMENTS = [
    (
        "半年未洁牙",
        {
            "match": "all",
            "groups": [
                {
                    "match": "all",
                    "criteria": [
                        {"code": "service", "value": {"codes": ["cleaning"]}},
                        {"code": "last_visit", "value": {"when": "before", "days": 180}},
                        {"code": "marketing", "value": {"accepts": "yes"}},
                    ],
                }
            ],
        },
    ),
    (
        "儿童（12 岁以下）",
        {
            "match": "all",
            "groups": [{"match": "all", "criteria": [{"code": "age", "value": {"max_age": 12}}]}],
        },
    ),
    (
        "高消费或高积分家庭",
        {
            "match": "any",
            "groups": [
                {"match": "all", "criteria": [{"code": "spend", "value": {"min_yuan": "1000"}}]},
                {"match": "all", "criteria": [{"code": "points", "value": {"min_points": 500}}]},
            ],
        },
    ),
    (
        "近 90 天到访的女性患者",
        {
            "match": "all",
            "groups": [
                {
                    "match": "all",
                    "criteria": [
                        {"code": "gender", "value": {"genders": ["female"]}},
                        {"code": "last_visit", "value": {"when": "within", "days": 90}},
                    ],
                }
            ],
        },
    ),
]


@dataclass
class CrmSummary:
    segments: int
    recipients: int
    runs: int
    reached: int
    held_out: int


def build_crm_campaigns(*, clinics, manager, owners, now: datetime) -> CrmSummary:
    flagship = clinics[0]
    # One family in twenty turned offers and news off: campaigns and the playbook skip them.
    for owner in owners[7::20]:
        preference_update(user=owner, sms=True, wechat=True, marketing=False)
    saved = [
        segment_save(actor=manager, clinic=flagship, name=name, definition=definition)
        for name, definition in SEGMENTS
    ]
    campaign = campaign_create(
        actor=manager,
        segment=saved[0],
        name="冬季护齿季",
        kind="message",
        text="冬季护齿季：预约洁牙，医生为您做一次全面口腔检查。",
        channels=["inbox"],
    )
    campaign = campaign_start(actor=manager, campaign=campaign)
    while campaign_send_batch(campaign):
        pass
    runs = reached = held_out = 0
    for clinic in clinics:
        zone = ZoneInfo(clinic.timezone)
        rules = [rule for rule in clinic_rules(clinic=clinic) if rule.active]
        people = Scope(clinic=clinic).people  # decrypted once, shared by every day's run
        today = now.astimezone(zone).date()
        for weeks in range(51, -1, -1):
            day = today - timedelta(weeks=weeks)
            scope = Scope(clinic=clinic, today=day)
            scope.__dict__["people"] = people
            moment = min(datetime.combine(day, time(10), tzinfo=zone), now)
            for rule in rules:
                result = rule_run(rule, scope=scope, now=moment)
                runs += 1
                reached += result.reached
                held_out += result.held_out
    return CrmSummary(len(saved), campaign.audience, runs, reached, held_out)
