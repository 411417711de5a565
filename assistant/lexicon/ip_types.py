"""Kinds of intellectual property by the words people use for them (发明 / 发明专利, 软著 / 软件著作权, 外观 …): one
vocabulary for the dialogue's slots, the calculator, verdicts, comparisons and the outdated-figure check. The types
are the product schema's (products/schema.IP_TYPES)."""

from __future__ import annotations

import re

IP_WORDS = [
    ("发明专利", "发明专利|发明"),
    ("实用新型", "实用新型专利|实用新型|实用专利"),
    ("外观设计", "外观设计专利|外观设计|外观专利|外观"),
    ("软件著作权", "软件著作权|软著|软件版权|计算机软件著作权"),
    ("商标", "注册商标|商标"),
    ("著作权", "(?:[\u4e00-\u9fa5]{1,4}?作品的?)?(?:著作权|版权)(?:登记(?:证书)?)?|作品登记(?:证书)?"),
]
# every spelling, each group named after its type's position; the leftmost mention wins, so 软件著作权 is not 著作权
ANY_IP = "|".join(f"(?:{words})" for _t, words in IP_WORDS)
_MENTION = re.compile("|".join(f"(?P<t{i}>{words})" for i, (_t, words) in enumerate(IP_WORDS)))


def mentions(text: str) -> list[tuple[str, int, int]]:
    """Each IP kind the text names, with where: (type, start, end), in order, none overlapping."""
    return [(IP_WORDS[int(m.lastgroup[1:])][0], m.start(), m.end()) for m in _MENTION.finditer(text) if m.lastgroup]


def ip_type(word: str) -> str | None:
    """The type a word names (软著 → 软件著作权), None when it names none."""
    found = mentions(word)
    return found[0][0] if found else None
