"""The advertising content check, rule by rule (pure: no database)."""

import pytest

from yachi.growth import adcheck


def rules_of(text: str) -> dict[str, tuple[str, ...]]:
    return {hit.rule: hit.words for hit in adcheck.check(text).hits}


@pytest.mark.parametrize(
    "text",
    [
        "智齿要不要拔？3 个自测方法",
        "儿童涂氟 9.9 元，预约即可到店",
        "第一磨牙什么时候长出来？第一次看牙要准备什么",
        "每天刷牙两次，保证睡眠充足",
        "矫正期间如何清洁牙套",
        "asbestos and bestow are words, not claims",
    ],
)
def test_ordinary_texts_pass(text):
    assert adcheck.check(text).ok, adcheck.check(text).hits


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("种植牙治愈率高达98%", ("治愈率",)),
        ("牙周炎可以根治", ("根治",)),
        ("隐形矫正有效率 99%", ("有效率",)),
        ("治 愈 率", ("治 愈 率",)),
        ("一次见效，永不复发", ("永不复发", "一次见效")),
    ],
)
def test_cure_rate_claims_are_found_with_the_words_written(text, words):
    found = rules_of(text)
    assert set(found["cure_rate"]) == set(words)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("保证效果", "保证"),
        ("无效退款", "无效退款"),
        ("种植零风险", "零风险"),
        ("Results guaranteed", "guaranteed"),
    ],
)
def test_guarantees_are_found(text, word):
    assert word in rules_of(text)["guarantee"]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("全市最先进的种植设备", "最先进"),
        ("口碑第一", "第一"),
        ("ＮＯ．１ 诊所", "ＮＯ．１"),
        ("The best aligners", "best"),
    ],
)
def test_superlatives_are_found_but_not_ordinals(text, word):
    assert word in rules_of(text)["superlative"]


def test_an_exception_covers_only_its_own_occurrence():
    # 第一磨牙 is a tooth; the 第一 after it is a ranking.
    assert rules_of("第一磨牙护理，全国第一")["superlative"] == ("第一",)
    assert "superlative" not in rules_of("第一磨牙护理")


def test_comparisons_with_other_clinics_are_found():
    assert "比公立医院" in rules_of("价格比公立医院低一半")["comparison"]


@pytest.mark.parametrize("text", ["患者评价：效果很好", "王女士的亲身经历", "明星同款牙套"])
def test_testimonials_are_found(text):
    assert "testimonial" in rules_of(text)


@pytest.mark.parametrize(
    "text", ["正畸前后对比照", "Before and after photos", "![微笑](smile.jpg)", '<img src="x.png">']
)
def test_patient_images_and_pictures_are_found(text):
    assert "patient_image" in rules_of(text)


def test_each_hit_explains_itself_in_the_language_asked():
    zh = adcheck.check("保证根治").hits
    assert {h.rule for h in zh} == {"guarantee", "cure_rate"}
    assert all("广告法" in h.law and h.explanation for h in zh)
    en = adcheck.check("保证根治", language="en").hits
    assert all("Advertising Law" in h.law and "advertisement" in h.explanation for h in en)


def test_several_fields_name_where_each_hit_is():
    verdict = adcheck.check_all({"标题": "洁牙 99 元", "正文": "本院全国第一"})
    assert [(h.field, h.rule) for h in verdict.hits] == [("正文", "superlative")]


def test_every_rule_has_words_and_both_languages():
    codes = [rule.code for rule in adcheck.rules()]
    assert codes == [
        "cure_rate",
        "guarantee",
        "superlative",
        "comparison",
        "testimonial",
        "patient_image",
    ]
    for rule in adcheck.rules():
        assert rule.words and set(rule.law) == set(rule.explanation) == {"zh", "en"}
