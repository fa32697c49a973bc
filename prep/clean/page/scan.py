"""Compiled passes over the lines' UTF-8 bytes for what the page model reads beyond linestats.

- `byte_marks`: one pass over a line's first SCAN_BYTES bytes for commas, inner sentence
  stops, a URL or e-mail address, a date, a legal notice (©, "copyright", "rights reserved"),
  a bullet, code marks ({ } ; = < > "()"), and how the line starts (lowercase, punctuation);
- `word_scores`: a learnt weight per hashed word of a line's first MAX_TOKENS tokens (its first
  token counted again as such), summed;
- `cohesion`: per line, its content words and how many of them the document's densest block
  (or any other line of the document) also holds.

Words here are runs of ASCII letters and digits and of non-ASCII bytes (a multi-byte letter is
part of its word), cut at ASCII punctuation and spaces, at U+2000-U+207F punctuation and at
U+0080-U+00BF (no-break space, ©, « »); lowercased in ASCII. Hashes are 64-bit FNV-1a.
Every kernel runs compiled or as the plain Python it is written in (prep/compiled.py) with the
same results: byte values are read as Python integers before any arithmetic.
"""

from __future__ import annotations

import numpy as np

from prep.clean.cohesion import is_stopword, stopword_table
from prep.compiled import kernel
from prep.text import tokens

BYTE_MARKS = ("commas", "inner_stops", "urlish", "dated", "legal", "bullet", "code", "starts_lower",
              "starts_punct")
SCAN_BYTES = 512  # beyond this a line is prose whatever its marks say
COHESION_BYTES = 512  # content words are read from a line's first bytes only
MAX_TOKENS = 12
HASH_BITS = 18
FNV_OFFSET = np.uint64(tokens.FNV_OFFSET)  # typed for the kernels
FNV_PRIME = np.uint64(tokens.FNV_PRIME)
FIRST_SALT = np.uint64(0x9E3779B97F4A7C15)  # a line's first word hashed apart ('first:<word>')
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_CODES = np.array([(ord(m[0]) << 16) | (ord(m[1]) << 8) | ord(m[2]) for m in _MONTHS], dtype=np.int64)

ALNUM, COMMA, STOP, CODE, AT, C2 = 1, 2, 4, 8, 16, 32


def _class_table() -> np.ndarray:
    t = np.zeros(256, np.int64)
    for b in [*range(48, 58), *range(65, 91), *range(97, 123), *range(0x80, 0x100)]:
        t[b] = ALNUM
    t[0xC2] = C2  # U+0080-U+00BF: nbsp, ©, «, », ·
    t[ord(",")] = COMMA
    for ch in ".!?":
        t[ord(ch)] = STOP
    for ch in "{};=<>(":
        t[ord(ch)] = CODE
    t[ord("@")] = AT
    return t


def _word_table() -> np.ndarray:
    """0: a word byte; 1: an ASCII separator; 2: a lead byte whose sequence may be punctuation."""
    t = np.ones(256, np.int64)
    for b in [*range(48, 58), *range(65, 91), *range(97, 123), *range(0x80, 0x100)]:
        t[b] = 0
    t[0xE2] = 2
    t[0xC2] = 2
    return t


CLASS = _class_table()
WORD_TABLE = _word_table()
LOWER = np.arange(256, dtype=np.uint64)
LOWER[65:91] += np.uint64(32)


STOP_HASHES = stopword_table()


@kernel()
def _low(b):
    return b + 32 if 65 <= b <= 90 else b


@kernel()
def _match(data, i, end, pat):
    if i + len(pat) > end:
        return False
    for k in range(len(pat)):  # noqa: SIM110 - numba compiles no generator
        if _low(int(data[i + k])) != pat[k]:
            return False
    return True


@kernel()
def _digit(b):
    return 48 <= b <= 57


@kernel()
def _scan(data, spans, cls, months, cap, out):
    http = np.array([104, 116, 116, 112], np.int64)
    www = np.array([119, 119, 119, 46], np.int64)
    com = np.array([46, 99, 111, 109], np.int64)
    org = np.array([46, 111, 114, 103], np.int64)
    net = np.array([46, 110, 101, 116], np.int64)
    copyright_ = np.array([99, 111, 112, 121, 114, 105, 103, 104, 116], np.int64)
    rights = np.array([114, 105, 103, 104, 116, 115, 32, 114, 101, 115, 101, 114, 118, 101, 100], np.int64)
    for t in range(spans.shape[0]):
        s, e = spans[t, 0], spans[t, 1]
        if s == e:
            continue
        b0 = int(data[s])
        b1 = int(data[s + 1]) if s + 1 < e else 0
        b2 = int(data[s + 2]) if s + 2 < e else 0
        b3 = int(data[s + 3]) if s + 3 < e else 0
        if 97 <= b0 <= 122 or (b0 == 0xC3 and b1 >= 0x9F):
            out[t, 7] = 1
        if b0 == 44 or b0 == 46 or b0 == 59 or b0 == 58 or b0 == 33 or b0 == 63 or b0 == 41 or b0 == 93 \
                or (b0 == 0xE2 and b1 == 0x80 and (b2 == 0x9D or b2 == 0x99)):
            out[t, 8] = 1
        if ((b0 == 42 or b0 == 43 or b0 == 45) and b1 == 32) or (b0 == 0xE2 and b1 == 0x80 and b2 == 0xA2
                                                                 and b3 == 32) \
                or (b0 == 0xC2 and b1 == 0xB7 and b2 == 32):
            out[t, 5] = 1
        commas = stops = url = dated = legal = code = 0
        in_word = False
        stop = min(e, s + cap)
        for i in range(s, stop):
            b = int(data[i])
            c = cls[b]
            if c == ALNUM:
                if in_word:
                    continue
                in_word = True
                lb = _low(b)
                # checks at the start of a token
                if not url and ((lb == 104 and _match(data, i, e, http)) or (lb == 119 and _match(data, i, e, www))):
                    url = 1
                elif not legal and ((lb == 99 and _match(data, i, e, copyright_))
                                    or (lb == 114 and i > s and _match(data, i, e, rights))):
                    legal = 1
                elif not dated and _digit(b):
                    if i + 4 <= e and ((b == 49 and int(data[i + 1]) == 57) or (b == 50 and int(data[i + 1]) == 48)) \
                            and _digit(int(data[i + 2])) and _digit(int(data[i + 3])) \
                            and (i + 4 == e or cls[int(data[i + 4])] != ALNUM):
                        dated = 1
                    else:
                        j = i
                        slashes = 0
                        while j < e and (_digit(int(data[j])) or int(data[j]) == 47):
                            slashes += int(data[j]) == 47
                            j += 1
                        if slashes == 2:
                            dated = 1
                elif not dated and 97 <= lb <= 122 and i + 3 <= e:
                    code3 = (lb << 16) | (_low(int(data[i + 1])) << 8) | _low(int(data[i + 2]))
                    for m in months:
                        if code3 == m:
                            j = i + 3
                            while j < e and 97 <= _low(int(data[j])) <= 122:
                                j += 1
                            if j < e and int(data[j]) == 46:
                                j += 1
                            if j + 1 < e and int(data[j]) == 32 and _digit(int(data[j + 1])):
                                dated = 1
                            break
                continue
            in_word = False
            if c == 0:
                continue
            if c == COMMA:
                commas += 1
            elif c == STOP:
                j = i + 1
                while j < e and (int(data[j]) == 34 or int(data[j]) == 39 or int(data[j]) == 41):
                    j += 1
                if j + 1 < e and int(data[j]) == 32 and int(data[j + 1]) != 32:
                    stops += 1
                if b == 46 and not url and (_match(data, i, e, com) or _match(data, i, e, org)
                                            or _match(data, i, e, net)) \
                        and (i + 4 >= e or cls[int(data[i + 4])] != ALNUM):
                    url = 1
            elif c == CODE:
                if b != 40 or (i + 1 < e and int(data[i + 1]) == 41):
                    code = 1
            elif c == AT and i > s and i + 1 < e and cls[int(data[i - 1])] == ALNUM \
                    and cls[int(data[i + 1])] == ALNUM:
                url = 1
            elif c == C2 and i + 1 < e and int(data[i + 1]) == 0xA9:
                legal = 1
        out[t, 0] = commas
        out[t, 1] = stops
        out[t, 2] = url
        out[t, 3] = dated
        out[t, 4] = legal
        out[t, 6] = code


def byte_marks(data: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """int64[lines, len(BYTE_MARKS)] of the lines at `spans` of `data` (prep.text.tokens.utf8_buffer)."""
    out = np.zeros((spans.shape[0], len(BYTE_MARKS)), np.int64)
    _scan(data, spans, CLASS, MONTH_CODES, SCAN_BYTES, out)
    return out


@kernel()
def _sep_at(data, i, end, table):
    """0 when data[i] starts a word character; else the byte length of the separator there."""
    b = int(data[i])
    c = table[b]
    if c < 2:
        return c
    nxt = int(data[i + 1]) if i + 1 < end else 0x100
    if b == 0xE2:
        return 3 if (nxt == 0x80 or nxt == 0x81) else 0
    return 2 if nxt <= 0xBF else 0


@kernel()
def _token_hashes(data, spans, max_tokens, table, lower, out_hash, out_line):
    """Hashes of each line's first `max_tokens` distinct words plus its first word as a 'first:'
    word: the word score's inputs. Returns how many were written."""
    count = 0
    for t in range(spans.shape[0]):
        i, end = spans[t, 0], spans[t, 1]
        tokens = 0
        h = FNV_OFFSET
        length = 0
        start_count = count
        while i <= end and tokens < max_tokens:
            sep = 1 if i == end else _sep_at(data, i, end, table)
            if sep == 0:
                h = (h ^ lower[int(data[i])]) * FNV_PRIME
                length += 1
                i += 1
                continue
            if length:
                dup = False
                for k in range(start_count, count):
                    if out_hash[k] == h:
                        dup = True
                        break
                if not dup:
                    out_hash[count] = h
                    out_line[count] = t
                    count += 1
                if tokens == 0:
                    out_hash[count] = (h ^ FIRST_SALT) * FNV_PRIME
                    out_line[count] = t
                    count += 1
                tokens += 1
                h = FNV_OFFSET
                length = 0
            i += sep
    return count


def token_hashes(data: np.ndarray, spans: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(hash, line index) of every line's words (training builds its word matrix from these)."""
    cap = spans.shape[0] * (MAX_TOKENS + 1) + 1
    out_hash = np.empty(cap, np.uint64)
    out_line = np.empty(cap, np.int64)
    n = _token_hashes(data, spans, MAX_TOKENS, WORD_TABLE, LOWER, out_hash, out_line)
    return out_hash[:n], out_line[:n]


def buckets(hashes: np.ndarray) -> np.ndarray:
    return (hashes & np.uint64((1 << HASH_BITS) - 1)).astype(np.int64)


@kernel()
def _score(data, spans, max_tokens, table, lower, weights, mask, out):
    hashes = np.empty(max_tokens + 2, np.uint64)
    for t in range(spans.shape[0]):
        i, end = spans[t, 0], spans[t, 1]
        tokens = 0
        n = 0
        h = FNV_OFFSET
        length = 0
        total = 0.0
        while i <= end and tokens < max_tokens:
            sep = 1 if i == end else _sep_at(data, i, end, table)
            if sep == 0:
                h = (h ^ lower[int(data[i])]) * FNV_PRIME
                length += 1
                i += 1
                continue
            if length:
                dup = False
                for k in range(n):
                    if hashes[k] == h:
                        dup = True
                        break
                if not dup:
                    hashes[n] = h
                    n += 1
                    total += weights[h & mask]
                if tokens == 0:
                    total += weights[((h ^ FIRST_SALT) * FNV_PRIME) & mask]
                tokens += 1
                h = FNV_OFFSET
                length = 0
            i += sep
        out[t] = total


def word_scores(data: np.ndarray, spans: np.ndarray, weights: np.ndarray, bias: float) -> np.ndarray:
    """bias + the summed weights of each line's hashed words."""
    out = np.zeros(spans.shape[0])
    _score(data, spans, MAX_TOKENS, WORD_TABLE, LOWER, weights, np.uint64(len(weights) - 1), out)
    return out + bias


@kernel()
def _content_words(data, spans, stops, table, lower, cap, out_hash, out_line):
    """Content words (3+ bytes, not a stopword, a plural 's' taken off) of every line's first
    `cap` bytes."""
    count = 0
    for t in range(spans.shape[0]):
        i = spans[t, 0]
        end = min(spans[t, 1], i + cap)
        h = FNV_OFFSET
        before = FNV_OFFSET
        length = 0
        last = 0
        while i <= end:
            sep = 1 if i == end else _sep_at(data, i, end, table)
            if sep == 0:
                before = h
                last = int(lower[int(data[i])])
                h = (h ^ lower[int(data[i])]) * FNV_PRIME
                length += 1
                i += 1
                continue
            if length >= 3 and not is_stopword(h, stops):
                out_hash[count] = before if last == 115 else h
                out_line[count] = t
                count += 1
            h = FNV_OFFSET
            before = FNV_OFFSET
            length = 0
            last = 0
            i += sep
    return count


@kernel()
def _cohesion(word_hash, word_line, doc_word_bounds, core, out):
    """Per line: distinct content words (out[:,0]), how many occur in a core line of its document
    other than itself (out[:,1]), how many occur in another line of the document (out[:,2]).
    One open-addressing table per document: linear in its words."""
    biggest = 16
    for d in range(len(doc_word_bounds) - 1):
        biggest = max(biggest, doc_word_bounds[d + 1] - doc_word_bounds[d])
    slots = 16
    while slots < 2 * biggest:
        slots *= 2
    keys = np.zeros(slots, np.uint64)
    used = np.zeros(slots, np.bool_)
    core_cnt = np.zeros(slots, np.int64)
    line_cnt = np.zeros(slots, np.int64)
    last_line = np.zeros(slots, np.int64)
    seen_for = np.zeros(slots, np.int64)
    slot_of = np.empty(biggest, np.int64)
    for d in range(len(doc_word_bounds) - 1):
        a, b = doc_word_bounds[d], doc_word_bounds[d + 1]
        if a == b:
            continue
        size = 16
        while size < 2 * (b - a):
            size *= 2
        mask = np.uint64(size - 1)
        used[:size] = False
        for w in range(a, b):
            h = word_hash[w]
            slot = h & mask
            while used[slot] and keys[slot] != h:
                slot = (slot + np.uint64(1)) & mask
            ln = word_line[w]
            if not used[slot]:
                used[slot] = True
                keys[slot] = h
                core_cnt[slot] = 0
                line_cnt[slot] = 0
                last_line[slot] = -1
                seen_for[slot] = -1
            if last_line[slot] != ln:
                line_cnt[slot] += 1
                last_line[slot] = ln
                if core[ln]:
                    core_cnt[slot] += 1
            slot_of[w - a] = slot
        for w in range(a, b):
            slot = slot_of[w - a]
            ln = word_line[w]
            if seen_for[slot] == ln:
                continue
            seen_for[slot] = ln
            out[ln, 0] += 1
            if core_cnt[slot] - (1 if core[ln] else 0) > 0:
                out[ln, 1] += 1
            if line_cnt[slot] > 1:
                out[ln, 2] += 1


def cohesion(data: np.ndarray, spans: np.ndarray, starts: np.ndarray, core: np.ndarray) -> np.ndarray:
    """int64[lines, 3]: (content words, of them in another core line, in another line) of each line;
    `starts` are the first rows of the documents (the frame is in document order)."""
    cap = int(min(data.size, spans.shape[0] * COHESION_BYTES) // 2 + spans.shape[0] + 1)
    out_hash = np.empty(cap, np.uint64)
    out_line = np.empty(cap, np.int64)
    n = _content_words(data, spans, STOP_HASHES, WORD_TABLE, LOWER, COHESION_BYTES, out_hash, out_line)
    out_hash, out_line = out_hash[:n], out_line[:n]
    bounds = np.searchsorted(out_line, np.r_[starts, spans.shape[0]]).astype(np.int64)
    out = np.zeros((spans.shape[0], 3), np.int64)
    _cohesion(out_hash, out_line, bounds, core.astype(np.bool_), out)
    return out
