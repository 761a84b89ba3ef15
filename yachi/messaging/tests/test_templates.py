"""Reading the template mappings from the environment, and fitting values to WeChat's
keyword types (pure functions, no Django)."""

import pytest

from yachi.messaging.providers.templates import (
    TencentTemplate,
    aliyun_templates,
    fit_value,
    subscribe_data,
    tencent_templates,
    wechat_templates,
)


def test_mappings_become_plain_values():
    assert aliyun_templates({"login_code": " SMS_1 "}, source="A") == {"login_code": "SMS_1"}
    assert tencent_templates(
        {"login_code": {"id": "123", "params": ["code", "minutes"]}}, source="T"
    ) == {"login_code": TencentTemplate(id="123", params=("code", "minutes"))}
    [reminder] = wechat_templates(
        {"appointment_reminder": {"id": "abc", "fields": {"thing1": "service"}}}, source="W"
    ).values()
    assert (reminder.id, reminder.fields) == ("abc", {"thing1": "service"})


@pytest.mark.parametrize(
    ("reader", "mapping", "complaint"),
    [
        (aliyun_templates, {"login_code": 123}, r"A\['login_code'\] must be a non-empty string"),
        (aliyun_templates, {"login_code": ""}, r"A\['login_code'\] must be a non-empty string"),
        (tencent_templates, {"login_code": "123"}, r"A\['login_code'\] must be a JSON object"),
        (tencent_templates, {"login_code": {"id": "1", "params": "code"}}, "must be a list"),
        (tencent_templates, {"login_code": {"id": "1", "order": []}}, "unknown keys \\['order'\\]"),
        (wechat_templates, {"r": {"id": "x", "fields": {"title": "service"}}}, "'title' is not"),
        (wechat_templates, {"r": {"id": "x", "fields": ["thing1"]}}, r"\['fields'\] must be"),
        (wechat_templates, {"r": {"fields": {}}}, r"A\['r'\]\['id'\] must be a non-empty string"),
    ],
)
def test_a_malformed_mapping_is_refused_naming_its_variable(reader, mapping, complaint):
    with pytest.raises(ValueError, match=complaint):
        reader(mapping, source="A")


@pytest.mark.parametrize(
    ("keyword", "value", "fitted"),
    [
        ("thing1", "洗牙", "洗牙"),
        (
            "thing1",
            "一二三四五六七八九十一二三四五六七八九十",
            "一二三四五六七八九十一二三四五六七八九十",
        ),
        (
            "thing2",
            "一二三四五六七八九十一二三四五六七八九十一",
            "一二三四五六七八九十一二三四五六七八九…",
        ),
        ("thing3", "静安店\n二楼", "静安店 二楼"),
        ("name1", "欧阳一二三四五六七八九", "欧阳一二三四五六七八"),
        ("name2", "Alexandra Montgomery-Smith", "Alexandra Montgomery"),
        ("character_string1", "A" * 40, "A" * 32),
        ("phrase4", "已预约成功了", "已预约成功"),
        ("time2", "2026年12月3日 09:30", "2026年12月3日 09:30"),
        ("amount5", "¥12345678901.00", "¥12345678901.00"),  # never cut: WeChat refuses it
    ],
)
def test_values_are_fitted_to_their_keyword_type(keyword, value, fitted):
    assert fit_value(keyword, value) == fitted


def test_subscribe_data_has_wechats_shape():
    assert subscribe_data({"thing1": "洗牙", "number2": 3}) == {
        "thing1": {"value": "洗牙"},
        "number2": {"value": "3"},
    }
