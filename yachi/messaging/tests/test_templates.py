"""Reading the template mappings from the environment (pure functions, no Django)."""

import pytest

from yachi.messaging.providers.templates import TencentTemplate, aliyun_templates, tencent_templates


def test_mappings_become_plain_values():
    assert aliyun_templates({"login_code": " SMS_1 "}, source="A") == {"login_code": "SMS_1"}
    assert tencent_templates(
        {"login_code": {"id": "123", "params": ["code", "minutes"]}}, source="T"
    ) == {"login_code": TencentTemplate(id="123", params=("code", "minutes"))}


@pytest.mark.parametrize(
    ("reader", "mapping", "complaint"),
    [
        (aliyun_templates, {"login_code": 123}, r"A\['login_code'\] must be a non-empty string"),
        (aliyun_templates, {"login_code": ""}, r"A\['login_code'\] must be a non-empty string"),
        (tencent_templates, {"login_code": "123"}, r"A\['login_code'\] must be a JSON object"),
        (tencent_templates, {"login_code": {"id": "1", "params": "code"}}, "must be a list"),
        (tencent_templates, {"login_code": {"id": "1", "order": []}}, "unknown keys \\['order'\\]"),
    ],
)
def test_a_malformed_mapping_is_refused_naming_its_variable(reader, mapping, complaint):
    with pytest.raises(ValueError, match=complaint):
        reader(mapping, source="A")
