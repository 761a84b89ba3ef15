"""People's names as a blind index sees them: one spelling per name.

Users' and patients' names are encrypted; an exact search by full name goes through
the blind index of purpose ``person_name``, which indexes this normalization. A later
search by part of a name or by pinyin initials adds tokens computed from the same
normalized text (docs/adr/0018-personal-fields-encrypted.md), so this function must
stay as it is: changing it changes every stored index.
"""

import re
import unicodedata

NAME_NORMALIZER = "yachi.accounts.names.normalize_name"
NAME_PURPOSE = "person_name"

# The separator of transcribed names (阿依古丽·买买提) is typed many ways.
_MIDDLE_DOTS = re.compile(r"\s*[·•‧∙⋅・.]\s*")


def normalize_name(raw: str) -> str:
    """``" Zhang  SAN "`` → ``"zhang san"``; ``"阿依古丽 • 买买提"`` → ``"阿依古丽·买买提"``.

    NFKC folds full-width letters, digits and spaces into ordinary ones; the middle
    dots become one; spaces are trimmed and collapsed; letters lose their case.
    """
    text = unicodedata.normalize("NFKC", str(raw))
    text = _MIDDLE_DOTS.sub("·", " ".join(text.split()))
    return text.casefold()
