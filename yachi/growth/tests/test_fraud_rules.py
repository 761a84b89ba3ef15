"""The anti-fraud rules alone: pure functions over plain facts, no database."""

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from yachi.growth.fraud import rules
from yachi.growth.fraud.fingerprint import DeviceSignals, canonical, network_of, signals_from

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_the_rules_and_the_fingerprint_import_nothing_but_the_standard_library():
    for name in ("rules.py", "fingerprint.py"):
        tree = ast.parse((Path(rules.__file__).parent / name).read_text())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add((node.module or "").split(".")[0])
        assert imported <= {
            "collections",
            "dataclasses",
            "datetime",
            "itertools",
            "ipaddress",
            "json",
        }, name


def test_a_family_on_one_phone_is_ordinary_a_farm_is_not():
    assert rules.many_accounts_on_device(2) is None
    assert rules.many_accounts_on_device(3).score == 40
    farm = rules.many_accounts_on_device(20)
    assert farm.rule == "device_shared" and farm.score == 60 and farm.facts == {"accounts": 20}


def test_many_accounts_behind_one_address():
    assert rules.many_accounts_on_address(4) is None
    assert rules.many_accounts_on_address(5).score == 30


def test_a_burst_is_counted_in_any_window_of_an_hour():
    spread = [NOW + timedelta(minutes=7 * i) for i in range(12)]  # 12 in 77 minutes
    assert rules.sign_up_burst(spread) is None  # never 10 within one hour
    burst = [NOW + timedelta(seconds=40 * i) for i in range(30)]
    found = rules.sign_up_burst(spread + burst)
    assert found.rule == "sign_up_burst" and found.facts["sign_ups"] >= 30


def test_self_referral_on_one_device_weighs_more_than_one_address():
    same_device = rules.self_referral(
        inviter_devices={"d1"},
        invitee_devices={"d1", "d2"},
        inviter_addresses=set(),
        invitee_addresses=set(),
    )
    same_home = rules.self_referral(
        inviter_devices={"d1"},
        invitee_devices={"d2"},
        inviter_addresses={"ip"},
        invitee_addresses={"ip"},
    )
    strangers = rules.self_referral(
        inviter_devices={"d1"},
        invitee_devices={"d2"},
        inviter_addresses={"a"},
        invitee_addresses={"b"},
    )
    assert same_device.score == 60 and same_home.score == 30 and strangers is None
    # Empty fingerprints (a device that said nothing) are not a match.
    assert (
        rules.self_referral(
            inviter_devices={""},
            invitee_devices={""},
            inviter_addresses=set(),
            invitee_addresses=set(),
        )
        is None
    )


def test_a_ring_is_a_cycle_through_the_people_concerned():
    chain = [(1, 2), (2, 3), (3, 4), (4, 5)]
    assert rules.referral_ring(chain, [1, 3]) is None
    ring = rules.referral_ring([*chain, (5, 1)], [3])
    assert ring.rule == "referral_ring" and ring.facts == {"size": 5}
    # A cycle elsewhere in the graph is not this reward's.
    assert rules.referral_ring([*chain, (7, 8), (8, 7)], [1]) is None


def test_virtual_operator_ranges():
    for prefix in ("170", "171", "162", "165", "167"):
        assert rules.virtual_operator_number(f"{prefix}12345678").facts == {"prefix": prefix}
    assert rules.virtual_operator_number("+86 170 1234 5678").score == 25
    for ordinary in ("13800000001", "18612345678", "17712345678", "1701234"):
        assert rules.virtual_operator_number(ordinary) is None


def test_check_ins_at_the_same_second_every_day_are_a_script():
    days = [datetime(2026, 11, d, 7, 30, 5, tzinfo=SHANGHAI) for d in range(1, 8)]
    scripted = rules.implausible_check_ins(days)
    assert scripted.rule == "check_in_scripted" and scripted.facts["spread_seconds"] == 0
    human = [
        datetime(2026, 11, d, h, m, tzinfo=SHANGHAI)
        for d, h, m in ((1, 7, 5), (2, 7, 48), (3, 21, 30), (4, 8, 2), (5, 22, 15), (6, 7, 20))
    ]
    assert rules.implausible_check_ins(human) is None
    # Around midnight the times of day wrap: 23:59:30 and 00:00:30 are a minute apart.
    wrap = [datetime(2026, 11, d, 23, 59, 30, tzinfo=SHANGHAI) for d in range(1, 4)] + [
        datetime(2026, 11, d, 0, 0, 30, tzinfo=SHANGHAI) for d in range(5, 7)
    ]
    assert rules.implausible_check_ins(wrap).rule == "check_in_scripted"
    night = [datetime(2026, 11, d, 3, d * 7, tzinfo=SHANGHAI) for d in range(1, 7)]
    assert rules.implausible_check_ins(night).rule == "check_in_night"
    assert rules.implausible_check_ins(days[:4]) is None  # too few to judge


def test_reward_velocity_counts_the_last_day():
    claims = [NOW - timedelta(hours=h) for h in (1, 2, 3, 30, 40)]
    assert rules.reward_velocity(claims, NOW) is None
    claims += [NOW - timedelta(minutes=m) for m in (5, 10)]
    assert rules.reward_velocity(claims, NOW).score == 30
    assert rules.reward_velocity([NOW] * 10, NOW).score == 50


def test_assess_adds_up_to_a_hundred_and_holds_from_the_threshold():
    low = rules.assess([rules.Finding("address_shared", 30), None])
    assert (low.score, low.held, low.rules) == (30, False, ("address_shared",))
    high = rules.assess([rules.Finding("a", 60), rules.Finding("b", 70)])
    assert high.score == 100 and high.held and high.rules == ("b", "a")
    assert rules.assess([rules.Finding("a", 30)], rules.Limits(hold_score=30)).held


def test_the_fingerprint_is_the_install_id_or_what_the_browser_says():
    app = signals_from(
        {"install_id": "abc", "model": "iPhone15,2"}, user_agent="UA", accept_language=""
    )
    other_browser = signals_from(
        {"install_id": "abc", "model": "iPhone15,2"}, user_agent="UA2", accept_language="en"
    )
    assert canonical(app) == canonical(other_browser)
    browser = signals_from(
        {"screen": "390x844@3", "timezone": "Asia/Shanghai"},
        user_agent="Mozilla/5.0",
        accept_language="zh-CN,zh;q=0.9",
    )
    assert '"language": "zh-CN"' in canonical(browser)
    assert canonical(DeviceSignals()) == ""
    # What the app sends is bounded and only text.
    odd = signals_from(
        {"install_id": "x" * 500, "model": {"a": 1}}, user_agent="", accept_language=""
    )
    assert len(odd.install_id) == 64 and odd.model == ""
    assert signals_from("not a dict", user_agent="", accept_language="") == DeviceSignals()


def test_networks_of_addresses():
    assert network_of("203.0.113.77") == "203.0.113.0/24"
    assert network_of("2001:db8::1") == "2001:db8::/64"
    assert network_of("nonsense") == network_of(None) == ""
