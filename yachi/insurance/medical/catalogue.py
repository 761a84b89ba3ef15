"""A part of the national medical-insurance catalogue that dental clinics use: the codes
the console offers when an item is mapped, and what the local fake platform holds.

The codes are written in the shape of the national codes (医疗服务项目 15 characters,
医用耗材 20) for the demo and tests; a clinic maps to the codes its province publishes,
and the platform, not this list, decides an item's class (ADR 0064).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class NationalItem:
    code: str
    name: str
    catalogue_class: str  # A / B / C


ITEMS = [
    NationalItem("003105000010000", "口腔检查", "A"),
    NationalItem("003105010010000", "龈上洁治术", "B"),
    NationalItem("003105020010000", "牙体缺损充填术", "A"),
    NationalItem("003105020050000", "根管治疗术", "B"),
    NationalItem("003105030010000", "牙拔除术", "A"),
    NationalItem("003105030070000", "阻生牙拔除术", "B"),
    NationalItem("003105050010000", "牙周洁治及刮治", "B"),
    NationalItem("003105060010000", "窝沟封闭", "B"),
    NationalItem("003105060020000", "局部涂氟", "C"),
    NationalItem("003105070010000", "种植体植入术", "C"),
    NationalItem("003105080010000", "正畸治疗", "C"),
    NationalItem("003105000030000", "局部浸润麻醉", "A"),
    NationalItem("C03010101200000000000", "光固化复合树脂", "B"),
    NationalItem("C03020201100000000000", "根管充填材料", "B"),
    NationalItem("C03050101900000000000", "种植体", "C"),
]

BY_CODE = {item.code: item for item in ITEMS}
