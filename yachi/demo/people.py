"""Names and dates for believable demo patients; deterministic for a given seed."""

import random
from datetime import date, timedelta

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "欣怡",
    "梓涵",
    "浩然",
    "子轩",
    "雨桐",
    "一诺",
    "思远",
    "嘉怡",
    "俊熙",
    "晨曦",
    "佳琪",
    "宇航",
    "诗涵",
    "博文",
    "若曦",
    "文博",
    "梦琪",
]
CHILD_GIVEN = ["小宝", "乐乐", "豆豆", "果果", "朵朵", "天天", "可可", "米粒", "萱萱", "皓皓"]


def full_name(rng: random.Random, child: bool = False, surname: str | None = None) -> str:
    """A name; a child's takes ``surname`` (a parent's) when given."""
    chosen = rng.choice(SURNAMES)
    return (surname or chosen) + rng.choice(CHILD_GIVEN if child else GIVEN)


def birth_date(rng: random.Random, today: date, low_age: int, high_age: int) -> date:
    days = rng.randint(low_age * 365, high_age * 365 + 364)
    return today - timedelta(days=days)
