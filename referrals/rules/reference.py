"""Reference codes a woman can read aloud over the phone.

Eight characters from an alphabet without look-alike pairs (no 0/O, 1/I/L, 2/Z, 5/S, 8/B,
U/V), shown in two groups of four: "K7MP 4QXR", with a phonetic spelling for the phone.
23**8 is about 7.8e10 codes, drawn with the secrets module, so a code cannot be guessed.
"""

import re
import secrets

ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
AMBIGUOUS = "0O1IL2Z5S8BUV"
CODE_LENGTH = 8
_CODE_RE = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")


def new_reference_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_reference_code(code: str) -> str:
    return f"{code[:4]} {code[4:]}"


def normalise_reference_code(text: str) -> str:
    """What a person typed or read out, made comparable: "k7mp-4qxr " -> "K7MP4QXR"."""
    return re.sub(r"[\s-]", "", text).upper()


def is_reference_code(text: str) -> bool:
    return bool(_CODE_RE.match(normalise_reference_code(text)))


PHONETIC = {
    "A": "Alpha", "C": "Charlie", "D": "Delta", "E": "Echo", "F": "Foxtrot", "G": "Golf",
    "H": "Hotel", "J": "Juliet", "K": "Kilo", "M": "Mike", "N": "November", "P": "Papa",
    "Q": "Quebec", "R": "Romeo", "T": "Tango", "W": "Whiskey", "X": "X-ray", "Y": "Yankee",
    "3": "three", "4": "four", "6": "six", "7": "seven", "9": "nine",
}  # fmt: skip


def spell_reference_code(code: str) -> str:
    """ "K7MP4QXR" -> "Kilo seven Mike Papa, four Quebec X-ray Romeo"."""
    return ", ".join(" ".join(PHONETIC[c] for c in part) for part in (code[:4], code[4:]))
