"""MinHash signatures, computed in bulk, equal to datasketch.MinHash for the same shingles.

datasketch is the library of record: its permutation parameters are used as they are, and a
test checks that `text_signatures` gives exactly the hash values of `datasketch.MinHash(num_perm,
seed, scheme="affine32")` updated with the same shingles hashed as described below.
datasketch's per-shingle `update` costs a Python call per shingle; the kernel below does
the same arithmetic (murmur3 finaliser, then a*h+b mod 2^32, then the minimum) for all
documents of a shard in one compiled loop, which is what makes 10,000+ documents/s possible.

A shingle is a run of `ngram` consecutive tokens (all tokens for a shorter document); its
32-bit hash is a polynomial over the 64-bit token hashes (prep.text.tokens.token_hash),
finalised with murmur3's fmix64. `text_signatures` goes from text to signatures in one pass:
tokens are hashed as they are read, never materialised as strings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from prep.compiled import interpreted, kernel
from prep.text.tokens import char_classes, decode_utf8, lower_table, tokenize, utf8_buffer

NO_SPACE_SHARE = 0.3  # of a text's letters, above which it is shingled by characters
_SENTENCE_END = "[.!?…。！？][\"'”’»)\\]」』]*$"  # _prose_line's test, as a regular expression

_MASK32 = 0xFFFFFFFF
_POLY = 0x100000001B3  # the 64-bit FNV prime: odd, so the polynomial keeps every bit in play
SCHEME = "affine32"
# names how tokens, shingles and exact keys are hashed; signatures made under another name do not
# compare with these (change it with any change to prep.text.tokens's tokens or the kernels below)
HASH_SCHEME = "prep-tokens-fmix64-v1"


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own (a, b) permutation parameters of scheme affine32 for this num_perm and
    seed, drawn as datasketch 2 draws them: `MinHash(num_perm, seed).permutations` would import the
    whole datasketch package, and scipy with it, for two arrays (half a second of every run's
    start); a test checks the two are equal."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return np.ascontiguousarray(a), np.ascontiguousarray(b)


@kernel()
def _fmix64(h):
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


@kernel()
def _fmix32(h):
    m = np.uint64(_MASK32)
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & m
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & m
    return h ^ (h >> np.uint64(16))


@kernel()
def _sign(hashes, first, n, width, a, b, row, seen, stamp, doc):
    """Shingle hashes[first:first + n] `width` tokens at a time into `row`; distinct shingles.

    `seen`/`stamp` is an open-addressing set reused across documents (a slot belongs to this
    document when its stamp is `doc`), so repeated shingles are skipped without sorting."""
    mask = np.uint64(_MASK32)
    poly = np.uint64(_POLY)
    width = min(width, n)
    count = n - width + 1
    size = 16
    while size < 2 * count:
        size *= 2
    slots = np.uint64(size - 1)
    distinct = 0
    for i in range(count):
        h = np.uint64(0)
        for j in range(width):
            h = h * poly + hashes[first + i + j]
        shingle = _fmix64(h) & mask
        slot = shingle & slots
        while stamp[slot] == doc and seen[slot] != shingle:
            slot = (slot + np.uint64(1)) & slots
        if stamp[slot] == doc:
            continue  # seen in this document already
        stamp[slot] = doc
        seen[slot] = shingle
        distinct += 1
        _lower(row, a, b, _fmix32(shingle))
    return distinct


if interpreted():
    def _lower(row, a, b, hv):
        """Each permutation's hash of the shingle `hv`, kept where it is below `row`'s: the
        loop below as one numpy expression, for the interpreter (the same values)."""
        np.minimum(row, ((a.astype(np.uint64) * hv + b.astype(np.uint64)) & np.uint64(_MASK32)).astype(np.uint32),
                   out=row)
else:
    @kernel(inline="always")
    def _lower(row, a, b, hv):
        """Each permutation's hash of the shingle `hv`, kept where it is below `row`'s."""
        mask = np.uint64(_MASK32)
        for p in range(a.shape[0]):  # branch-free, so that the compiler vectorises it
            row[p] = min(row[p], np.uint32((np.uint64(a[p]) * hv + np.uint64(b[p])) & mask))


def _scratch(longest: int) -> tuple[np.ndarray, np.ndarray]:
    size = 16
    while size < 2 * longest:
        size *= 2
    return np.zeros(size, dtype=np.uint64), np.full(size, -1, dtype=np.int64)


@kernel()
def _exact_key(hashes, n, keys, d):
    """The exact key of a token sequence: two independent 64-bit chains over its hashes."""
    k1 = np.uint64(0x9E3779B97F4A7C15)
    k2 = np.uint64(n)
    for i in range(n):
        k1 = _fmix64(k1 ^ hashes[i])
        k2 = k2 * np.uint64(_POLY) + hashes[i]
    keys[d, 0] = k1
    keys[d, 1] = _fmix64(k2)


@kernel(nogil=True)
def _text_kernel(data, spans, key_spans, table, lower, word_ngram, char_ngram, share, a, b, out, sizes, keys,
                 compatibility, seen, stamp):
    """Per document d: its exact key from the tokens of data[key_spans[d]], its signature and
    shingle count from those of data[spans[d]] (the same span, or a part of the text)."""
    longest = 1
    for t in range(spans.shape[0]):
        longest = max(longest, spans[t, 1] - spans[t, 0], key_spans[t, 1] - key_spans[t, 0])
    hashes = np.empty(longest, dtype=np.uint64)
    classes = np.zeros(3, dtype=np.int64)
    for d in range(spans.shape[0]):
        n = tokenize(data, key_spans[d, 0], key_spans[d, 1], table, lower, hashes, classes)
        compatibility[d] = classes[2] != 0
        _exact_key(hashes, n, keys, d)
        if spans[d, 0] != key_spans[d, 0] or spans[d, 1] != key_spans[d, 1]:
            n = tokenize(data, spans[d, 0], spans[d, 1], table, lower, hashes, classes)
            compatibility[d] |= classes[2] != 0
        chars = classes[1] > share * (classes[0] + classes[1]) and classes[1] > 0
        if n:
            sizes[d] = _sign(hashes, 0, n, char_ngram if chars else word_ngram, a, b, out[d], seen, stamp, d)


@kernel()
def _prose_line(data, start, end, min_chars, long_chars):
    """Whether data[start:end] (one line, no '\\n') is prose: at least `long_chars` characters,
    or `min_chars` ending like a sentence (. ! ? … 。 ！ ？, then closing quotes or brackets)."""
    chars = 0
    for i in range(start, end):
        if (data[i] & 0xC0) != 0x80:  # not a continuation byte: a character starts
            chars += 1
    if chars >= long_chars:
        return True
    if chars < min_chars:
        return False
    i = end
    while i > start:
        j = i - 1
        while j > start and (data[j] & 0xC0) == 0x80:
            j -= 1
        code, _ = decode_utf8(data, j)
        if not (code == 34 or code == 39 or code == 0x201D or code == 0x2019 or code == 0xBB or code == 41
                or code == 93 or code == 0x300D or code == 0x300F):  # a closing quote or bracket
            return code == 46 or code == 33 or code == 63 or code == 0x2026 or code == 0x3002 or code == 0xFF01 \
                or code == 0xFF1F
        i = j
    return False


@kernel()
def _words(data, start, end):
    """Runs of characters that are not white space (Unicode White_Space, as regex `\\S+`)."""
    words = 0
    space = True
    i = start
    while i < end:
        code, size = decode_utf8(data, i)
        white = (9 <= code <= 13 or code == 32 or code == 0x85 or code == 0xA0 or code == 0x1680
                 or 0x2000 <= code <= 0x200A or code == 0x2028 or code == 0x2029 or code == 0x202F
                 or code == 0x205F or code == 0x3000)
        if space and not white:
            words += 1
        space = white
        i += size
    return words


@kernel(nogil=True)
def _prose_kernel(data, spans, table, lower, min_chars, long_chars, min_words, word_ngram, char_ngram, share, a,
                  b, out, sizes, keys, compatibility, seen, stamp):
    """_text_kernel with each document signed by its prose lines (features.prose says which),
    found in the same pass: the text is tokenised line by line (a token never spans a line
    break), the exact key taken over all its tokens, the signature over the prose lines' tokens
    when they hold at least `min_words` words, else over all of them."""
    longest = 1
    for t in range(spans.shape[0]):
        longest = max(longest, spans[t, 1] - spans[t, 0] + 1)
    hashes = np.empty(longest, dtype=np.uint64)
    signed = np.empty(longest, dtype=np.uint64)
    classes = np.zeros(3, dtype=np.int64)
    for d in range(spans.shape[0]):
        n = signed_n = prose_words = 0
        word_chars = no_space_chars = signed_word = signed_no_space = compat = 0
        start, end = spans[d, 0], spans[d, 1]
        while True:
            stop = start
            while stop < end and data[stop] != 10:
                stop += 1
            got = tokenize(data, start, stop, table, lower, hashes[n:], classes)
            word_chars += classes[0]
            no_space_chars += classes[1]
            compat |= classes[2]
            if _prose_line(data, start, stop, min_chars, long_chars):
                prose_words += _words(data, start, stop)
                signed[signed_n:signed_n + got] = hashes[n:n + got]
                signed_n += got
                signed_word += classes[0]
                signed_no_space += classes[1]
            n += got
            if stop >= end:
                break
            start = stop + 1
        compatibility[d] = compat != 0
        _exact_key(hashes, n, keys, d)
        if prose_words < min_words:
            signed[:n] = hashes[:n]
            signed_n, signed_word, signed_no_space = n, word_chars, no_space_chars
        chars = signed_no_space > share * (signed_word + signed_no_space) and signed_no_space > 0
        if signed_n:
            sizes[d] = _sign(signed, 0, signed_n, char_ngram if chars else word_ngram, a, b, out[d], seen, stamp, d)


@dataclass(frozen=True)
class Prose:
    """Which lines of a text are its prose (features.py says why): lines of at least `long_chars`
    characters, or of `min_chars` ending like a sentence; the whole text when they hold fewer
    than `min_words` words. `_prose_kernel` finds them while it tokenises; `of` gives the
    same as text, for the few texts signed again after NFKC (a test holds the two together)."""

    min_chars: int
    long_chars: int
    min_words: int

    def of(self, texts: pl.Series) -> pl.Series:
        """Each text's prose lines joined by '\\n', or the text itself."""
        line = pl.col("line")
        prose_lines = (
            pl.DataFrame({"line": texts.fill_null("")}).with_row_index("doc")
            .with_columns(line.str.split("\n")).explode("line")
            .filter((line.str.len_chars() >= self.long_chars)
                    | ((line.str.len_chars() >= self.min_chars) & line.str.contains(_SENTENCE_END)))
            .group_by("doc", maintain_order=True)
            .agg(prose=line.str.join("\n"), words=line.str.count_matches(r"\S+").sum())
        )
        chosen = prose_lines.filter(pl.col("words") >= self.min_words)
        return texts.fill_null("").scatter(chosen["doc"], chosen["prose"])


def text_signatures(texts: pl.Series, ngram: int, char_ngram: int, num_perm: int, seed: int,
                    signed: pl.Series | Prose | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(signatures uint32[docs, num_perm], distinct shingles int64[docs], exact keys uint64[docs, 2]).

    Texts are tokenised by prep.text.tokens (lowercased as read; a text holding characters that
    NFKC rewrites, such as full-width letters or ligatures, is normalised and read again); a
    text mostly in a script without spaces is shingled `char_ngram` characters at a time,
    others `ngram` words at a time. The exact key is a 128-bit hash of the token sequence, so
    copies that differ only in case, punctuation or spacing share it. The signature is of
    `signed` when given: a part of each text, or the text's prose lines (a Prose rule, found
    in the same pass as the key: what features.py signs), else of the text.
    """
    texts = texts.fill_null("")
    a, b = permutations(num_perm, seed)

    def arrays(docs: int) -> tuple[np.ndarray, ...]:
        return (np.full((docs, num_perm), _MASK32, dtype=np.uint32), np.zeros(docs, np.int64),
                np.zeros((docs, 2), np.uint64), np.zeros(docs, dtype=np.bool_))

    def run(key_texts: pl.Series, sign_texts: pl.Series) -> tuple[np.ndarray, ...]:
        data, key_spans = utf8_buffer(pl.concat([key_texts, sign_texts]))
        key_spans, spans = key_spans[:len(key_texts)], key_spans[len(key_texts):]
        out, sizes, keys, compatibility = arrays(len(key_texts))
        longest = int(max(np.max(spans[:, 1] - spans[:, 0], initial=1), np.max(key_spans[:, 1] - key_spans[:, 0],
                                                                                initial=1)))
        _text_kernel(data, spans, key_spans, char_classes(), lower_table(), ngram, char_ngram, NO_SPACE_SHARE, a, b,
                     out, sizes, keys, compatibility, *_scratch(longest))
        return out, sizes, keys, compatibility

    if isinstance(signed, Prose):
        rule = signed
        data, spans = utf8_buffer(texts)
        out, sizes, keys, compatibility = arrays(len(texts))
        longest = int(np.max(spans[:, 1] - spans[:, 0], initial=1))
        _prose_kernel(data, spans, char_classes(), lower_table(), rule.min_chars, rule.long_chars, rule.min_words,
                      ngram, char_ngram, NO_SPACE_SHARE, a, b, out, sizes, keys, compatibility, *_scratch(longest))

        def signed_of(rows: np.ndarray) -> pl.Series:
            return rule.of(texts.gather(rows))
    else:
        signed = texts if signed is None else signed.fill_null("")
        out, sizes, keys, compatibility = run(texts, signed)

        def signed_of(rows: np.ndarray) -> pl.Series:
            return signed.gather(rows)
    again = np.flatnonzero(compatibility)
    if len(again):
        sub, sub_sizes, sub_keys, _ = run(texts.gather(again).str.normalize("NFKC"),
                                          signed_of(again).str.normalize("NFKC"))
        out[again], sizes[again], keys[again] = sub, sub_sizes, sub_keys
    return out, sizes, keys
