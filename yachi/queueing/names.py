"""What a waiting-room board may show of a person (pure)."""


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明; Latin names keep their initial."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """The last four digits only: 尾号 is added by the caller's words."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits[-4:]
