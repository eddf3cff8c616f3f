"""Flesch reading ease, to hold explanations to plain English (50 or more reads as plain).

Syllables are counted by vowel groups with the usual corrections; a number counts as one word of
two syllables, a middle value for how figures like '1,203' or '7.1%' are read aloud.
"""
import re

_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d[\d,.]*%?")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


def syllables(word: str) -> int:
    if word[0].isdigit():
        return 2
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    if word.endswith(("ed",)) and not word.endswith(("ted", "ded")) and count > 1:
        count -= 1
    return max(1, count)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def flesch_reading_ease(text: str) -> float:
    found = words(text)
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    total_syllables = sum(syllables(w) for w in found)
    return 206.835 - 1.015 * len(found) / sentences - 84.6 * total_syllables / len(found)
