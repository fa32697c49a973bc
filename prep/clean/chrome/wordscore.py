"""The chrome model's word scores: a learnt weight for each of a line's first words, one table
of weights per word model (model.py has two: one learnt on all lines, one on labels).

A line's words are its first MAX_TOKENS tokens (runs of letters, digits and marks, lowercased),
each as 'w:<word>', and its very first token again as 'first:<word>' (menus and calls to action
are told by how they start); the score is the sum of the weights of its distinct words. A
compiled kernel reads the judged lines' bytes and looks the words up by hash; `line_words` is
the reference it matches, which is what training uses.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl
from numba import njit

from prep.text.tokens import (
    FNV_OFFSET,
    FNV_PRIME,
    NO_SPACE,
    WORD,
    char_class,
    char_classes,
    code_class,
    decode_utf8,
    hash_code,
    lower_table,
    token_hash,
    utf8_buffer,
)

MAX_TOKENS = 12
_MASK64 = 0xFFFFFFFFFFFFFFFF


def line_words(line: str) -> list[str]:
    """The model's words of one line, distinct, in order (the reference)."""
    lower = lower_table()
    tokens: list[str] = []
    current: list[str] = []
    for ch in line + " ":
        if char_class(ord(ch)) in (WORD, NO_SPACE):
            current.append(chr(lower[ord(ch)]) if ord(ch) < 0x10000 else ch)
        elif current:
            tokens.append("".join(current))
            current = []
            if len(tokens) == MAX_TOKENS:
                break
    words = [f"w:{t}" for t in tokens] + ([f"first:{tokens[0]}"] if tokens else [])
    return list(dict.fromkeys(words))


def weight_table(weights: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """(sorted word hashes, their weights) for the kernel's lookups."""
    keys = np.array([token_hash(word) for word in weights], dtype=np.uint64)
    values = np.array(list(weights.values()), dtype=np.float64)
    order = np.argsort(keys)
    return keys[order], values[order]


@cache
def _prefix_states() -> tuple[int, int]:
    """FNV-1a states after 'w:' and after 'first:': a word's hash continues from there."""
    def state(prefix: str) -> int:
        h = FNV_OFFSET
        for byte in prefix.encode():
            h = ((h ^ byte) * FNV_PRIME) & _MASK64
        return h
    return state("w:"), state("first:")


def word_scores(lines: pl.Series, table: tuple[np.ndarray, np.ndarray], bias: float) -> np.ndarray:
    """bias + the sum of the weights of each line's distinct words."""
    data, spans = utf8_buffer(lines)
    out = np.full(len(spans), bias, dtype=np.float64)
    w_state, first_state = _prefix_states()
    _scores(data, spans, char_classes(), lower_table(), table[0], table[1], np.uint64(w_state),
            np.uint64(first_state), MAX_TOKENS, out)
    return out


@njit(cache=True, inline="always")
def _count(word, seen, distinct, keys, values, out, t):
    """Add the weight of `word` to out[t] unless the line already had it; the new distinct count."""
    for k in range(distinct):
        if seen[k] == word:
            return distinct
    seen[distinct] = word
    i = np.searchsorted(keys, word)
    if i < len(keys) and keys[i] == word:
        out[t] += values[i]
    return distinct + 1


@njit(cache=True)
def _scores(data, spans, table, lower, keys, values, w_state, first_state, max_tokens, out):
    prime = np.uint64(FNV_PRIME)
    seen = np.empty(max_tokens + 1, np.uint64)
    for t in range(spans.shape[0]):
        i, end = spans[t, 0], spans[t, 1]
        tokens = 0
        distinct = 0
        h = w_state
        f = first_state
        length = 0
        while i <= end and tokens < max_tokens:
            if i < end:
                code, size = decode_utf8(data, i)
                word = code_class(code, table) != 0
            else:
                code, size, word = 32, 1, False
            if word:
                low = lower[code] if code < 0x10000 else code
                h = hash_code(h, low, prime)
                if tokens == 0:
                    f = hash_code(f, low, prime)
                length += 1
            elif length:
                distinct = _count(h, seen, distinct, keys, values, out, t)
                if tokens == 0:
                    distinct = _count(f, seen, distinct, keys, values, out, t)
                tokens += 1
                h = w_state
                length = 0
            i += size
