"""Quality signals: the measures of Gopher, C4 and FineWeb, one `signals` struct per document.

    signals(docs, section) -> docs with `signals`

Reads `text` and `drop_reason` (documents whose drop_reason is set get null signals); adds the
struct column `signals` whose fields are SIGNAL_DOCS. The signals do not depend on the config's
thresholds: an analyst picks thresholds over them after a run (docs/filters.md has a DuckDB
query), and prep/filter/quality.py applies the configured ones.

How words, lines and paragraphs are cut follows datatrove (the reference implementation of these
filters, https://github.com/huggingface/datatrove, Apache-2.0), so that a threshold means here what
it means there:
- words are the tokens of spaCy's English tokenizer, which datatrove uses for English: text split
  at whitespace, then punctuation split off the front and back ('"(Hello,' -> '"', '(', 'Hello',
  ','), inner hyphens, slashes and commas between letters split ('well-known' -> 'well', '-',
  'known'), "n't" and "'s" split off, abbreviations ('Mr.', 'e.g.') and URLs kept whole. prep
  reimplements those rules (spaCy is not a dependency); docs/filters.md lists where the two
  still differ;
- lines for the Gopher quality and C4 rules are Python's `str.splitlines()`; for the Gopher
  repetition rules, the text split at runs of '\\n'; for FineWeb, at each '\\n', blank lines left out;
- paragraphs are the stripped text split at runs of two or more '\\n'.

All of it is one compiled pass per document over its UTF-8 bytes (numba, prep/compiled.py):
asked of polars one expression at a time, the n-gram measures alone would explode every
document into thousands of rows per n.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import numpy as np
import polars as pl

from prep.compiled import kernel
from prep.schema import SIGNAL_DOCS, SIGNALS_DTYPE
from prep.text.tokens import utf8_buffer

_INT_FIELDS = tuple(name for name, dtype in SIGNALS_DTYPE.to_schema().items() if dtype == pl.Int32)
_BOOL_FIELDS = tuple(name for name, dtype in SIGNALS_DTYPE.to_schema().items() if dtype == pl.Boolean)
_FLOAT_FIELDS = tuple(name for name in SIGNAL_DOCS if name not in _INT_FIELDS + _BOOL_FIELDS)

# --- character classes --------------------------------------------------------------------------

# datatrove's PUNCTUATION and TERMINAL_PUNCTUATION (datatrove/utils/text.py)
DT_PUNCTUATION = ("!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»"
                  + "".join(chr(c) for a, b in ((0, 9), (11, 13), (13, 32), (127, 160)) for c in range(a, b)))
TERMINAL_PUNCTUATION = (
    "!.?։؝؞؟۔܀܁܂߹࠷࠹࠽࠾।॥၊။።፧፨᙮᜵᜶។៕៖៙៚᠃᠉᥄᥅᪨᪩᪪᪫᭚᭛᭞᭟\u1b7d\u1b7e᰻᰼᱾᱿‼‽⁇⁈⁉⸮⸼\u2e53\u2e54。꓿꘎꘏꛳꛷꡶꡷꣎꣏꤯꧈꧉꩝꩞꩟꫰꫱꯫﹒﹖﹗！．？｡"
    "\U00010a56\U00010a57\U00010f55\U00010f56\U00010f57\U00010f58\U00010f59\U00010f86\U00010f87\U00010f88"
    "\U00010f89\U00011047\U00011048\U000110be\U000110bf\U000110c0\U000110c1\U00011141\U00011142\U00011143"
    "\U000111c5\U000111c6\U000111cd\U000111de\U000111df\U00011238\U00011239\U0001123b\U0001123c\U000112a9"
    "\U0001144b\U0001144c\U000115c2\U000115c3\U000115c9\U000115ca\U000115cb\U000115cc\U000115cd\U000115ce"
    "\U000115cf\U000115d0\U000115d1\U000115d2\U000115d3\U000115d4\U000115d5\U000115d6\U000115d7\U00011641"
    "\U00011642\U0001173c\U0001173d\U0001173e\U00011944\U00011946\U00011a42\U00011a43\U00011a9b\U00011a9c"
    "\U00011c41\U00011c42\U00011ef7\U00011ef8\U00011f43\U00011f44\U00016a6e\U00016a6f\U00016af5\U00016b37"
    "\U00016b38\U00016b44\U00016e98\U0001bc9f\U0001da88")
# spaCy's tokenizer classes (spacy/lang/char_classes.py, MIT)
_SPACY_PUNCT = "…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪"
_SPACY_QUOTES = "'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉〈〉⟦⟧"
_SPACY_CURRENCY = "$£€¥฿₽﷼₴₠₡₢₣₤₥₦₧₨₩₪₫€₭₮₯₰₱₲₳₴₵₶₷₸₹₺₻₼₽₾₿"
_SPACY_UNITS = ("km km² km³ m m² m³ dm dm² dm³ cm cm² cm³ mm mm² mm³ ha µm nm yd in ft kg g mg µg t lb oz m/s "
                "km/h kmh mph hPa Pa mbar mb MB kb KB gb GB tb TB T G M K % км км² км³ м м² м³ дм дм² дм³ "
                "см см² см³ мм мм² мм³ нм кг г мг м/с км/ч кПа Па мбар Кб КБ кб Мб МБ мб Гб ГБ гб Тб ТБ тб").split()
# the sentencizer's default punct_chars (spacy/pipeline/sentencizer.pyx)
_SENTENCE_ENDS = ("!.?։؟۔܀܁܂߹।॥၊။።፧፨᙮᜵᜶᠃᠉᥄᥅᪨᪩᪪᪫᭚᭛᭞᭟᰻᰼᱾᱿‼‽⁇⁈⁉⸮⸼꓿꘎꘏꛳꛷꡶꡷꣎꣏꤯꧈꧉꩝꩞꩟꫰꫱꯫﹒﹖﹗！．？｡。")
# spaCy's English exceptions that stay one token although the rules would split them
_WHOLE = ("Adm. Ak. Ala. Apr. Ariz. Ark. Aug. Bros. Calif. Co. Colo. Conn. Corp. D.C. Dec. Del. Dr. E.G. E.g. "
          "Feb. Fla. Ga. Gen. Gov. I.E. I.e. Ia. Id. Ill. Inc. Ind. Jan. Jr. Jul. Jun. Kan. Kans. Ky. La. Ltd. "
          "Mar. Mass. Md. Messrs. Mich. Minn. Miss. Mo. Mont. Mr. Mrs. Ms. Mt. N.C. N.D. N.H. N.J. N.M. N.Y. "
          "Neb. Nebr. Nev. Nov. Oct. Okla. Ore. Pa. Ph.D. Prof. Rep. Rev. S.C. Sen. Sep. Sept. St. Tenn. Va. "
          "Wash. Wis. a.m. co. e.g. i.e. p.m. v.s. vs. ä. ö. ü. and/or w/o C++ "
          "'s 'S 'd 'll 're 'em ’s ’S ’d ’ll ’re ’em "
          + " ".join(f"{c}." for c in "abcdefghijklmnopqrstuvwxyz")).split()
# stems before 'm 're 've 'll 'd that spaCy's exceptions split off (lowercase)
_CONTRACTION_STEMS = ("i you he she it we they that there who what where when why how these those this could "
                      "would should might must").split()
_SPLIT_WORDS = {"cannot": 3, "gonna": 3, "gotta": 3}
_EMOTICONS = tuple((ord(e[0]), ord(e[1]))
                   for e in ":( :) :* :/ :> :] :| :} ;) =( =) =/ =[ =] =| (: (; (= ): [: [= ]= '' ’’".split())
STOP_WORDS = ("the", "be", "to", "of", "and", "that", "have", "with")
C4_PHRASES = ("lorem ipsum", "javascript", "terms of use", "privacy policy", "cookie policy", "uses cookies",
              "use of cookies", "use cookies")

_PHRASE_HINTS = "(?i)ipsum|javascript|terms of use|privacy policy|cookie"  # each phrase holds one
SPACE, ALPHA, UPPER, LOWER, DIGIT, DT_PUNCT, PREFIX, SUFFIX = 1, 2, 4, 8, 16, 32, 64, 128
QUOTE, PUNCT_P, SENT_END, TERMINAL, ICON, CURRENCY, LINEBREAK, SPACY_PUNCT = (
    256, 512, 1024, 2048, 4096, 8192, 16384, 32768)
_LINEBREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@cache
def char_table() -> np.ndarray:
    """Class bits of every code point of the Basic Multilingual Plane (beyond it: `_bits`)."""
    table = np.zeros(0x10000, dtype=np.uint32)
    for code in range(0x10000):
        ch = chr(code)
        bits = 0
        if ch.isspace():
            bits |= SPACE
        if ch.isalpha():
            bits |= ALPHA | (UPPER if ch.isupper() or unicodedata.category(ch) == "Lt" else LOWER)
        category = unicodedata.category(ch)
        if category[0] == "P":
            bits |= PUNCT_P
        if category == "So":
            bits |= ICON | PREFIX | SUFFIX
        table[code] = bits
    table[ord("0"):ord("9") + 1] |= DIGIT

    def mark(chars: str, bit: int) -> None:
        for ch in chars:
            if ord(ch) < 0x10000:
                table[ord(ch)] |= bit

    mark(DT_PUNCTUATION + TERMINAL_PUNCTUATION, DT_PUNCT)
    mark(TERMINAL_PUNCTUATION, TERMINAL)
    mark(_SPACY_PUNCT, SPACY_PUNCT | PREFIX | SUFFIX)
    mark(_SPACY_QUOTES, QUOTE | PREFIX | SUFFIX)
    mark(_SPACY_CURRENCY, CURRENCY | PREFIX)
    mark("§%=—–", PREFIX)
    mark("—–", SUFFIX)
    mark(_SENTENCE_ENDS, SENT_END)
    mark(_LINEBREAKS, LINEBREAK)
    return table


@cache
def _astral_terminal() -> np.ndarray:
    return np.array(sorted(ord(c) for c in TERMINAL_PUNCTUATION if ord(c) >= 0x10000), dtype=np.int64)


def cp_hash(text: str, lower: bool = False) -> int:
    """The kernels' hash of a short string (FNV-1a over its code points): the reference."""
    h = 0xCBF29CE484222325
    for ch in text:
        code = ord(ch)
        if lower and 65 <= code <= 90:
            code += 32
        h = ((h ^ code) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def _poly_hash(text: str) -> int:
    """A token's hash in the n-gram measures (polynomial over code points + 1): the reference."""
    h = 0
    for ch in text:
        h = (h * 0x9E3779B97F4A7C15 + ord(ch) + 1) & 0xFFFFFFFFFFFFFFFF
    return h


@cache
def _constants() -> dict[str, np.ndarray]:
    units = [[ord(c) for c in u] for u in _SPACY_UNITS]
    flat = np.array([c for u in units for c in u], dtype=np.int64)
    offsets = np.cumsum([0] + [len(u) for u in units]).astype(np.int64)
    stems = [cp_hash(s) for s in _CONTRACTION_STEMS]
    return {
        "whole": np.array(sorted(cp_hash(w) for w in _WHOLE), dtype=np.uint64),
        "stems": np.array(sorted(stems), dtype=np.uint64),
        "split_words": np.array([cp_hash(w) for w in _SPLIT_WORDS], dtype=np.uint64),
        "split_at": np.array(list(_SPLIT_WORDS.values()), dtype=np.int64),
        "unit_chars": flat, "unit_offsets": offsets,
        "stop_words": np.array([_poly_hash(w) for w in STOP_WORDS], dtype=np.uint64),
        "phrases": np.array([ord(c) for c in "\x00".join(C4_PHRASES)], dtype=np.int64),
    }


# --- the stage ----------------------------------------------------------------------------------

def signals(docs: pl.DataFrame, section=None) -> pl.DataFrame:
    """Add `signals` (struct, SIGNAL_DOCS) to the documents still kept.

    Reads `text` (null counts as empty) and `drop_reason` (when the column is there: documents
    already dropped keep their values and get null signals). `section` (the QualityConfig) is
    accepted for the stage's uniform shape; the signals do not depend on it."""
    judged = _judged(docs)
    values = measure(docs["text"], judged)
    struct = pl.DataFrame(values).select(pl.struct(list(SIGNAL_DOCS)).alias("signals"))["signals"]
    out = docs.with_columns(struct)
    if not judged.all():
        out = out.with_columns(pl.when(pl.Series(judged)).then(pl.col("signals")).otherwise(None).alias("signals"))
    return out


def _judged(docs: pl.DataFrame) -> np.ndarray:
    if "drop_reason" not in docs.columns:
        return np.ones(docs.height, dtype=np.bool_)
    return docs["drop_reason"].is_null().to_numpy()


def measure(texts: pl.Series, judged: np.ndarray | None = None) -> dict[str, pl.Series]:
    """The signals of each text as columns (values of texts not judged are zeros)."""
    n = len(texts)
    if judged is None:
        judged = np.ones(n, dtype=np.bool_)
    texts = texts.fill_null("")
    data, spans = utf8_buffer(texts)
    # documents that may hold one of C4's phrases: the per-line search runs only on these (a regular
    # expression of their rarest parts is several times faster than searching for the phrases)
    phrases = texts.str.contains(_PHRASE_HINTS).to_numpy()
    curly = texts.str.contains("{", literal=True).to_numpy()  # C4's '{' is looked for in these only
    longest = int((spans[:, 1] - spans[:, 0]).max()) if n else 0
    ints = np.zeros((n, len(_INT_FIELDS)), dtype=np.int32)
    floats = np.zeros((n, len(_FLOAT_FIELDS)), dtype=np.float64)
    bools = np.zeros((n, len(_BOOL_FIELDS)), dtype=np.bool_)
    if n:
        c = _constants()
        size = 1 << max(4, int(2 * longest + 8).bit_length())
        _measure_all(data, spans, judged, phrases, curly, char_table(), _astral_terminal(), c["whole"], c["stems"],
                     c["split_words"], c["split_at"], c["unit_chars"], c["unit_offsets"], c["stop_words"],
                     c["phrases"], longest, size, ints, floats, bools)
    out = {}
    for i, name in enumerate(_INT_FIELDS):
        out[name] = pl.Series(name, ints[:, i])
    for i, name in enumerate(_FLOAT_FIELDS):
        out[name] = pl.Series(name, floats[:, i])
    for i, name in enumerate(_BOOL_FIELDS):
        out[name] = pl.Series(name, bools[:, i])
    return {name: out[name] for name in SIGNAL_DOCS}


def tokens(text: str) -> list[str]:
    """The tokens the signals count in `text` (for tests and for explaining a value)."""
    data, spans = utf8_buffer(pl.Series([text]))
    c = _constants()
    cps = np.zeros(len(text) + 1, dtype=np.int64)
    starts = np.zeros(len(text) + 1, dtype=np.int64)
    ends = np.zeros(len(text) + 1, dtype=np.int64)
    count = _token_spans(data, spans[0, 0], spans[0, 1], char_table(), c["whole"], c["stems"], c["split_words"],
                         c["split_at"], c["unit_chars"], c["unit_offsets"], cps, starts, ends)
    return [text[starts[i]:ends[i]] for i in range(count)]


# --- the kernels --------------------------------------------------------------------------------

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_BASE = np.uint64(0x9E3779B97F4A7C15)                       # odd: invertible modulo 2**64
_BASE_INV = np.uint64(pow(0x9E3779B97F4A7C15, -1, 1 << 64))
_BASE2 = np.uint64(0xC2B2AE3D27D4EB4F)


@kernel(inline="always")
def _decode(data, i):
    b = data[i]
    if b < 0x80:
        return np.int64(b), 1
    if b >= 0xF0 and i + 3 < len(data):
        return ((np.int64(b) & 0x07) << 18) | ((np.int64(data[i + 1]) & 0x3F) << 12) | \
            ((np.int64(data[i + 2]) & 0x3F) << 6) | (np.int64(data[i + 3]) & 0x3F), 4
    if b >= 0xE0 and i + 2 < len(data):
        return ((np.int64(b) & 0x0F) << 12) | ((np.int64(data[i + 1]) & 0x3F) << 6) | \
            (np.int64(data[i + 2]) & 0x3F), 3
    if b >= 0xC0 and i + 1 < len(data):
        return ((np.int64(b) & 0x1F) << 6) | (np.int64(data[i + 1]) & 0x3F), 2
    return np.int64(b), 1


@kernel(inline="always")
def _bits(code, table):
    if code < 0x10000:
        return table[code]
    if 0x1F000 <= code <= 0x1FAFF:   # emoji and other pictographs: spaCy's icons
        return np.uint32(ICON | PREFIX | SUFFIX)
    return np.uint32(ALPHA | LOWER)  # letters of rarer scripts, CJK extensions


@kernel()
def _in_sorted(values, key):
    i = np.searchsorted(values, key)
    return i < len(values) and values[i] == key


@kernel()
def _hash_span(cps, a, b, lower):
    h = _FNV_OFFSET
    for i in range(a, b):
        code = cps[i]
        if lower and 65 <= code <= 90:
            code += 32
        h = (h ^ np.uint64(code)) * _FNV_PRIME
    return h


@kernel()
def _prefix_len(cps, a, b, table):
    """Length of spaCy's prefix at cps[a] (0: none)."""
    code = cps[a]
    if code == 46:  # '.': only a run of two or more is a prefix
        j = a
        while j < b and cps[j] == 46:
            j += 1
        return j - a if j - a >= 2 else 0
    if code == 43:  # '+' not followed by a digit
        return 0 if a + 1 < b and 48 <= cps[a + 1] <= 57 else 1
    if _bits(code, table) & PREFIX:
        return 1
    if code == 85 and a + 2 < b and cps[a + 1] == 83 and cps[a + 2] == 36:  # US$
        return 3
    if (code == 67 or code == 65) and a + 1 < b and cps[a + 1] == 36:  # C$ A$
        return 2
    return 0


@kernel()
def _suffix_len(cps, a, b, table, unit_chars, unit_offsets):
    """Length of spaCy's suffix ending at cps[b - 1] (the longest of the rules that match)."""
    last = cps[b - 1]
    lbits = _bits(last, table)
    start = b
    if last == 46:  # '.'
        j = b - 1
        while j > a and cps[j - 1] == 46:
            j -= 1
        if b - j >= 2:
            start = j
        elif b - 1 > a:
            p = cps[b - 2]
            pbits = _bits(p, table)
            after_lower = (pbits & (LOWER | DIGIT | QUOTE | SPACY_PUNCT)) or p == 37 or p == 178 or p == 45 \
                or p == 43
            after_two_upper = b - 2 > a and (pbits & UPPER) and (_bits(cps[b - 3], table) & UPPER)
            after_degrees = b - 2 > a and cps[b - 3] == 176 and (p == 70 or p == 102 or p == 67 or p == 99
                                                                  or p == 75 or p == 107)
            if after_lower or after_two_upper or after_degrees:
                start = b - 1
    if lbits & SUFFIX:
        start = min(start, b - 1)
    if b - a >= 2 and (last == 115 or last == 83) and (cps[b - 2] == 39 or cps[b - 2] == 0x2019):
        start = min(start, b - 2)
    if b - 1 > a and (_bits(cps[b - 2], table) & DIGIT) and (last == 43 or (lbits & CURRENCY)):
        start = min(start, b - 1)
    # units after a digit: '5km' -> '5', 'km'
    near_digit = False
    for k in range(max(a, b - 6), b - 1):
        if 48 <= cps[k] <= 57:
            near_digit = True
            break
    if near_digit:
        for u in range(len(unit_offsets) - 1):
            lo, hi = unit_offsets[u], unit_offsets[u + 1]
            length = hi - lo
            s = b - length
            if s - 1 < a or s >= start:
                continue
            if not (_bits(cps[s - 1], table) & DIGIT):
                continue
            same = True
            for k in range(length):
                if cps[s + k] != unit_chars[lo + k]:
                    same = False
                    break
            if same:
                start = s
    return b - start


@kernel()
def _infix_len(cps, a, b, i, table):
    """Length of spaCy's infix at cps[i] inside the core cps[a:b] (0: none)."""
    code = cps[i]
    if code == 46:
        j = i
        while j < b and cps[j] == 46:
            j += 1
        if j - i >= 2:
            return j - i
        if i > a and i + 1 < b and (_bits(cps[i - 1], table) & (LOWER | QUOTE)) and \
                (_bits(cps[i + 1], table) & (UPPER | QUOTE)):
            return 1
        return 0
    if code == 0x2026:
        return 1
    bits = _bits(code, table)
    if bits & ICON:
        return 1
    if i == a or i + 1 >= b:
        return 0
    before = _bits(cps[i - 1], table)
    after = _bits(cps[i + 1], table)
    if (code == 43 or code == 45 or code == 42 or code == 94) and (before & DIGIT) and \
            ((after & DIGIT) or cps[i + 1] == 45):
        return 1
    if code == 44 and (before & ALPHA) and (after & ALPHA):
        return 1
    if before & (ALPHA | DIGIT):
        if code == 45:  # '-', '--', '---' before a letter
            for length in range(1, 4):
                if i + length >= b:
                    return 0
                if length > 1 and cps[i + length - 1] != 45:
                    return 0
                if _bits(cps[i + length], table) & ALPHA:
                    return length
            return 0
        if code == 0x2013 or code == 0x2014 or code == 126:
            if after & ALPHA:
                return 1
            if code == 0x2014 and cps[i + 1] == 0x2014 and i + 2 < b and (_bits(cps[i + 2], table) & ALPHA):
                return 2
            return 0
        if (code == 58 or code == 60 or code == 62 or code == 61 or code == 47) and (after & ALPHA):
            return 1
    return 0


@kernel()
def _is_url(cps, a, b):
    """spaCy keeps URLs, e-mail addresses and host names whole (an approximation of its URL_MATCH)."""
    for i in range(a, b - 2):
        if cps[i] == 58 and cps[i + 1] == 47 and cps[i + 2] == 47:  # ://
            return True
    if b - a > 4 and (cps[a] == 119 or cps[a] == 87) and (cps[a + 1] == 119 or cps[a + 1] == 87) and \
            (cps[a + 2] == 119 or cps[a + 2] == 87) and cps[a + 3] == 46:
        return True
    # host.tld, host.tld/path, user@host.tld
    i = a
    last_dot = -1
    at = -1
    while i < b:
        c = cps[i]
        if c == 46:
            last_dot = i
        elif c == 64:
            at = i
        elif not ((48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122) or c == 45 or c == 95 or c == 43):
            break
        i += 1
    if last_dot <= a or (at >= 0 and at > last_dot):
        return False
    if i < b and not (cps[i] == 47 or cps[i] == 63 or cps[i] == 35 or cps[i] == 58):
        return False
    tld = i - last_dot - 1
    if tld < 2:
        return False
    for k in range(last_dot + 1, i):  # noqa: SIM110 (compiled: no generators)
        if not (97 <= cps[k] <= 122):
            return False
    return True


@kernel()
def _split_core(cps, a, b, table, stems, split_words, split_at, out_a, out_b, count):
    """Cut the core of a chunk (affixes removed) into tokens appended to out_a/out_b."""
    n = b - a
    # n't
    if n > 3 and (cps[b - 3] == 110 or cps[b - 3] == 78) and (cps[b - 2] == 39 or cps[b - 2] == 0x2019) and \
            (cps[b - 1] == 116 or cps[b - 1] == 84) and (_bits(cps[b - 4], table) & ALPHA):
        out_a[count], out_b[count] = a, b - 3
        out_a[count + 1], out_b[count + 1] = b - 3, b
        return count + 2
    # 'm 'd 're 've 'll after a pronoun ("I'm" -> "I", "'m")
    for k in range(1, 3):
        q = b - 1 - k
        if q > a and (cps[q] == 39 or cps[q] == 0x2019):
            tail = 0
            for j in range(q + 1, b):
                tail = tail * 128 + (cps[j] | 32)
            contraction = (k == 1 and (tail == 109 or tail == 100)) or (
                k == 2 and (tail == 114 * 128 + 101 or tail == 118 * 128 + 101 or tail == 108 * 128 + 108))
            if contraction and _in_sorted(stems, _hash_span(cps, a, q, True)):
                out_a[count], out_b[count] = a, q
                out_a[count + 1], out_b[count + 1] = q, b
                return count + 2
    if 5 <= n <= 6:
        h = _hash_span(cps, a, b, True)
        for k in range(len(split_words)):
            if split_words[k] == h:
                out_a[count], out_b[count] = a, a + split_at[k]
                out_a[count + 1], out_b[count + 1] = a + split_at[k], b
                return count + 2
    # infixes, unless the core is a URL
    first = -1
    for i in range(a, b):
        if _infix_len(cps, a, b, i, table):
            first = i
            break
    if first < 0 or _is_url(cps, a, b):
        out_a[count], out_b[count] = a, b
        return count + 1
    start = a
    i = first
    while i < b:
        length = _infix_len(cps, a, b, i, table)
        if length == 0:
            i += 1
            continue
        if i != start:
            out_a[count], out_b[count] = start, i
            count += 1
            out_a[count], out_b[count] = i, i + length
            count += 1
            start = i + length
        i += length
    if start < b:
        out_a[count], out_b[count] = start, b
        count += 1
    return count


# flags of a token known when it is cut (_F_KNOWN), else measured from its characters
_F_WORD, _F_ALPHA, _F_ALL_PUNCT, _F_KNOWN = 1, 2, 4, 8
_FAST_SUFFIX = ",;:!?)\""


@kernel()
def _classes(cps, a, b, table, chunk_a, chunk_b, others, digits, separators):
    """One pass over cps[a:b] without a branch per character (a mispredicted branch at every word
    boundary cost more than all the rest): the whitespace-separated chunks' [start, end) into
    chunk_a/chunk_b, and running counts (from a) of the characters that are not letters, of
    the digits and of the '.' and ',' into others/digits/separators[k + 1]. Returns the number of chunks."""
    starts = 0
    ends = 0
    previous_space = 1
    o = d = p = 0
    others[a] = digits[a] = separators[a] = 0
    for k in range(a, b):
        code = cps[k]
        bits = np.int64(table[code] if code < 0x10000 else _bits(code, table))
        space = bits & SPACE  # SPACE is 1
        chunk_a[starts] = k
        starts += previous_space & (space ^ 1)
        chunk_b[ends] = k
        ends += space & (previous_space ^ 1)
        previous_space = space
        o += ((bits >> 1) & 1) ^ 1  # ALPHA is 2
        d += (bits >> 4) & 1        # DIGIT is 16
        p += (code == 46) | (code == 44)
        others[k + 1] = o
        digits[k + 1] = d
        separators[k + 1] = p
    if previous_space == 0:
        chunk_b[ends] = b
        ends += 1
    return starts


@kernel()
def _tokenize_range(cps, a, b, table, whole, stems, split_words, split_at, unit_chars, unit_offsets,
                    out_a, out_b, out_f, count, suffixes, chunk_a, chunk_b, others, digits, separators):
    """Tokens of cps[a:b] (the reference path of `tokens`; a run cuts whole texts the same way)."""
    chunks = _classes(cps, a, b, table, chunk_a, chunk_b, others, digits, separators)
    chunk_token = np.zeros(chunks + 1, dtype=np.int64)
    return _cut_chunks(cps, 0, chunks, chunk_a, chunk_b, table, whole, stems, split_words, split_at, unit_chars,
                       unit_offsets, out_a, out_b, out_f, count, suffixes, others, digits, separators, chunk_token)


@kernel()
def _cut_chunks(cps, chunk_first, chunk_end, chunk_a, chunk_b, table, whole, stems, split_words, split_at, unit_chars,
                unit_offsets, out_a, out_b, out_f, count, suffixes, others, digits, separators, chunk_token):
    """Cut the chunks [chunk_first, chunk_end) into tokens appended from `count` (returns the new count). Most
    chunks are a word, a number, or a word with a punctuation mark before or after it: those are
    cut here directly; the others by spaCy's rules (_split_chunk_outer). chunk_token[c] receives the
    index of chunk c's first token. (One function for all the chunks of a text: a call per chunk,
    passing the arrays, cost three times the cutting.)"""
    others_at, digits_at, separators_at = others, digits, separators
    for c in range(chunk_first, chunk_end):
        chunk_token[c] = count
        i = chunk_a[c]
        j = chunk_b[c]
        n = j - i
        others = others_at[j] - others_at[i]
        digits = digits_at[j] - digits_at[i]
        separators = separators_at[j] - separators_at[i]
        last = cps[j - 1]
        o = -1  # the first character that is not a letter, found when it matters
        if others == 1 or others == 2:
            o = i
            while _bits(cps[o], table) & ALPHA:
                o += 1
        if others == n and separators:
            for k in range(i + 1, j):
                if (cps[k] == 46 or cps[k] == 44) and (cps[k - 1] == 46 or cps[k - 1] == 44):
                    separators = n + 1  # '..' is an ellipsis: not a number
                    break
        if n == 1:
            out_a[count], out_b[count], out_f[count] = i, j, 0
            count += 1
        elif others == 0 and not (5 <= n <= 6 and _is_split_word(cps, i, j, split_words)):
            out_a[count], out_b[count], out_f[count] = i, j, _F_KNOWN | _F_WORD | _F_ALPHA
            count += 1
        elif others == n and digits + separators == n and 48 <= cps[i] <= 57 and 48 <= last <= 57:
            out_a[count], out_b[count], out_f[count] = i, j, _F_KNOWN | _F_WORD  # 2024, 1,000, 3.5
            count += 1
        elif others == n and digits == n - 1 and last == 46:  # '12.'
            out_a[count], out_b[count], out_f[count] = i, j - 1, _F_KNOWN | _F_WORD
            out_a[count + 1], out_b[count + 1], out_f[count + 1] = j - 1, j, _F_KNOWN | _F_ALL_PUNCT
            count += 2
        elif others == 1 and o == j - 1 and (
                _fast_suffix(last) or (last == 46 and 97 <= cps[j - 2] <= 122 and not (
                    n <= 8 and _in_sorted(whole, _hash_span(cps, i, j, False))))) and \
                not (6 <= n <= 7 and _is_split_word(cps, i, j - 1, split_words)):
            out_a[count], out_b[count], out_f[count] = i, j - 1, _F_KNOWN | _F_WORD | _F_ALPHA
            out_a[count + 1], out_b[count + 1], out_f[count + 1] = j - 1, j, _F_KNOWN | _F_ALL_PUNCT
            count += 2
        elif others == 1 and o == i and _fast_prefix(cps[i]) and \
                not (6 <= n <= 7 and _is_split_word(cps, i + 1, j, split_words)):
            out_a[count], out_b[count], out_f[count] = i, i + 1, _F_KNOWN | _F_ALL_PUNCT
            out_a[count + 1], out_b[count + 1], out_f[count + 1] = i + 1, j, _F_KNOWN | _F_WORD | _F_ALPHA
            count += 2
        elif others == 1 and i < o < j - 1 and (cps[o] == 45 or cps[o] == 0x2013 or cps[o] == 0x2014):
            out_a[count], out_b[count], out_f[count] = i, o, _F_KNOWN | _F_WORD | _F_ALPHA  # well-known
            out_a[count + 1], out_b[count + 1], out_f[count + 1] = o, o + 1, _F_KNOWN | _F_ALL_PUNCT
            out_a[count + 2], out_b[count + 2], out_f[count + 2] = o + 1, j, _F_KNOWN | _F_WORD | _F_ALPHA
            count += 3
        elif others == 1 and n >= 3 and o == j - 2 and (cps[o] == 39 or cps[o] == 0x2019) and \
                (last == 115 or last == 83):
            out_a[count], out_b[count], out_f[count] = i, o, _F_KNOWN | _F_WORD | _F_ALPHA  # it's
            out_a[count + 1], out_b[count + 1], out_f[count + 1] = o, j, _F_KNOWN | _F_WORD | _F_ALPHA
            count += 2
        elif others == 1 and n >= 4 and o == j - 2 and (cps[o] == 39 or cps[o] == 0x2019) and \
                (last == 116 or last == 84) and (cps[j - 3] == 110 or cps[j - 3] == 78):
            out_a[count], out_b[count], out_f[count] = i, j - 3, _F_KNOWN | _F_WORD | _F_ALPHA  # don't
            out_a[count + 1], out_b[count + 1], out_f[count + 1] = j - 3, j, _F_KNOWN | _F_WORD | _F_ALPHA
            count += 2
        elif others == n and digits == n - 1 and (_fast_suffix(last) or last == 37) and 48 <= cps[i] <= 57:
            out_a[count], out_b[count], out_f[count] = i, j - 1, _F_KNOWN | _F_WORD  # '12,' '5%'
            out_a[count + 1], out_b[count + 1], out_f[count + 1] = j - 1, j, _F_KNOWN | _F_ALL_PUNCT
            count += 2
        elif others == n and cps[i] == 36 and n >= 2 and digits + separators == n - 1 and 48 <= cps[i + 1] <= 57 \
                and 48 <= last <= 57:
            out_a[count], out_b[count], out_f[count] = i, i + 1, _F_KNOWN | _F_ALL_PUNCT  # '$9.99'
            out_a[count + 1], out_b[count + 1], out_f[count + 1] = i + 1, j, _F_KNOWN | _F_WORD
            count += 2
        elif others == 2 and n >= 3 and cps[i] == 40 and last == 41:
            out_a[count], out_b[count], out_f[count] = i, i + 1, _F_KNOWN | _F_ALL_PUNCT  # '(word)'
            out_a[count + 1], out_b[count + 1], out_f[count + 1] = i + 1, j - 1, _F_KNOWN | _F_WORD | _F_ALPHA
            out_a[count + 2], out_b[count + 2], out_f[count + 2] = j - 1, j, _F_KNOWN | _F_ALL_PUNCT
            count += 3
        elif others == digits and 48 <= last <= 57 and not (48 <= cps[i] <= 57):
            out_a[count], out_b[count], out_f[count] = i, j, _F_KNOWN | _F_WORD | _F_ALPHA  # 'Site123', 'G7'
            count += 1
        elif others == 1 and i < o < j - 1 and (cps[o] == 39 or cps[o] == 0x2019):  # O'Brien, I'm, we're
            tail = 0
            for k in range(o + 1, j):
                tail = tail * 128 + (cps[k] | 32)
            k = j - 1 - o
            contraction = (k == 1 and (tail == 109 or tail == 100)) or (
                k == 2 and (tail == 114 * 128 + 101 or tail == 118 * 128 + 101 or tail == 108 * 128 + 108))
            if contraction and _in_sorted(stems, _hash_span(cps, i, o, True)):
                out_a[count], out_b[count], out_f[count] = i, o, _F_KNOWN | _F_WORD | _F_ALPHA
                out_a[count + 1], out_b[count + 1], out_f[count + 1] = o, j, _F_KNOWN | _F_WORD | _F_ALPHA
                count += 2
            else:
                out_a[count], out_b[count], out_f[count] = i, j, _F_KNOWN | _F_WORD | _F_ALPHA
                count += 1
        elif others >= 2 and (_fast_suffix(last) or (last == 46 and 97 <= cps[j - 2] <= 122)) and \
                _hyphen_chain(cps, i, j - 1, others - 1):
            start = i  # 'well-known,'
            for k in range(i + 1, j - 1):
                if cps[k] == 45:
                    out_a[count], out_b[count], out_f[count] = start, k, _F_KNOWN | _F_WORD | _F_ALPHA
                    out_a[count + 1], out_b[count + 1], out_f[count + 1] = k, k + 1, _F_KNOWN | _F_ALL_PUNCT
                    count += 2
                    start = k + 1
            out_a[count], out_b[count], out_f[count] = start, j - 1, _F_KNOWN | _F_WORD | _F_ALPHA
            out_a[count + 1], out_b[count + 1], out_f[count + 1] = j - 1, j, _F_KNOWN | _F_ALL_PUNCT
            count += 2
        elif others >= 2 and _hyphen_chain(cps, i, j, others):
            start = i  # 'up-to-date'
            for k in range(i + 1, j):
                if cps[k] == 45:
                    out_a[count], out_b[count], out_f[count] = start, k, _F_KNOWN | _F_WORD | _F_ALPHA
                    out_a[count + 1], out_b[count + 1], out_f[count + 1] = k, k + 1, _F_KNOWN | _F_ALL_PUNCT
                    count += 2
                    start = k + 1
            out_a[count], out_b[count], out_f[count] = start, j, _F_KNOWN | _F_WORD | _F_ALPHA
            count += 1
        else:
            start = count
            count = _split_chunk_outer(cps, i, j, table, whole, stems, split_words, split_at, unit_chars,
                                       unit_offsets, out_a, out_b, count, suffixes)
            for k in range(start, count):
                out_f[k] = 0
    chunk_token[chunk_end] = count
    return count


@kernel()
def _hyphen_chain(cps, a, b, others):
    """Letters in groups joined by single '-' (others: how many characters are not letters)."""
    if cps[a] == 45 or cps[b - 1] == 45:
        return False
    hyphens = 0
    for k in range(a + 1, b - 1):
        if cps[k] == 45:
            if cps[k - 1] == 45:
                return False
            hyphens += 1
    return hyphens == others


@kernel(inline="always")
def _fast_prefix(code):
    return code == 34 or code == 40 or code == 91 or code == 0x201C or code == 0x2018


@kernel(inline="always")
def _fast_suffix(code):
    return code == 44 or code == 59 or code == 58 or code == 33 or code == 63 or code == 41 or code == 34


@kernel()
def _is_split_word(cps, a, b, split_words):
    if cps[a] >= 128:
        return False
    h = _hash_span(cps, a, b, True)
    for k in range(len(split_words)):  # noqa: SIM110 (compiled: no generators)
        if split_words[k] == h:
            return True
    return False


@kernel()
def _split_chunk_outer(cps, a, b, table, whole, stems, split_words, split_at, unit_chars, unit_offsets,
                       out_a, out_b, count, starts):
    """_split_chunk with the suffix bookkeeping: `starts` receives where each peeled suffix starts."""
    n_suffix = 0
    end = b
    first = count
    while a < b:
        if (cps[b - 1] == 46 or cps[b - 1] == 43 or b - a <= 6) and _in_sorted(whole, _hash_span(cps, a, b, False)):
            break
        p = _prefix_len(cps, a, b, table)
        if p:
            out_a[count], out_b[count] = a, a + p
            count += 1
            a += p
            continue
        s = _suffix_len(cps, a, b, table, unit_chars, unit_offsets)
        if s and s < b - a:
            starts[n_suffix] = b - s
            n_suffix += 1
            b -= s
            continue
        break
    if a < b:
        if _in_sorted(whole, _hash_span(cps, a, b, False)):
            out_a[count], out_b[count] = a, b
            count += 1
        else:
            count = _split_core(cps, a, b, table, stems, split_words, split_at, out_a, out_b, count)
    for k in range(n_suffix - 1, -1, -1):
        out_a[count] = starts[k]
        out_b[count] = starts[k - 1] if k > 0 else end
        count += 1
    # spaCy matches its special cases again over the pieces: two marks that make an emoticon
    # ('):' in '(2020):') are one token
    k = first
    while k < count - 1:
        if out_b[k] - out_a[k] == 1 and out_b[k + 1] - out_a[k + 1] == 1 and \
                _emoticon(cps[out_a[k]], cps[out_a[k + 1]]):
            out_b[k] = out_b[k + 1]
            for j in range(k + 1, count - 1):
                out_a[j], out_b[j] = out_a[j + 1], out_b[j + 1]
            count -= 1
        k += 1
    return count


@kernel()
def _emoticon(first, second):
    """Whether two marks make one of spaCy's two-character emoticons (its English special cases)."""
    pair = first * 0x110000 + second
    for a, b in _EMOTICONS:  # noqa: SIM110 (compiled: no generators)
        if pair == a * 0x110000 + b:
            return True
    return False


@kernel()
def _token_spans(data, lo, hi, table, whole, stems, split_words, split_at, unit_chars, unit_offsets, cps,
                 out_a, out_b):
    """Tokens of one text's bytes data[lo:hi], as code point spans (for `tokens`)."""
    m = 0
    i = lo
    while i < hi:
        code, size = _decode(data, i)
        cps[m] = code
        m += 1
        i += size
    suffixes = np.zeros(m + 1, dtype=np.int64)
    flags = np.zeros(m + 1, dtype=np.int8)
    chunk_a = np.zeros(m + 1, dtype=np.int64)
    chunk_b = np.zeros(m + 1, dtype=np.int64)
    others = np.zeros(m + 1, dtype=np.int32)
    digits = np.zeros(m + 1, dtype=np.int32)
    separators = np.zeros(m + 1, dtype=np.int32)
    return _tokenize_range(cps, 0, m, table, whole, stems, split_words, split_at, unit_chars, unit_offsets,
                           out_a, out_b, flags, 0, suffixes, chunk_a, chunk_b, others, digits, separators)


@kernel(inline="always")
def _slot(keys, stamps, mask, gen, key):
    """Slot of `key` in the open-addressing table (stamps[slot] == gen: occupied), and whether it was there."""
    slot = np.int64((key ^ (key >> np.uint64(29))) & np.uint64(mask))
    while stamps[slot] == gen:
        if keys[slot] == key:
            return slot, True
        slot = (slot + 1) & mask
    return slot, False


@kernel(inline="always")
def _seen(keys, stamps, mask, gen, key):
    """Whether `key` was added to the set of generation `gen` before; adds it."""
    slot, found = _slot(keys, stamps, mask, gen, key)
    if not found:
        stamps[slot] = gen
        keys[slot] = key
    return found


@kernel()
def _mask_for(n):
    mask = 16
    while mask < 2 * n + 8:
        mask *= 2
    return mask - 1


@kernel()
def _measure_all(data, spans, judged, phrases, has_curly, table, astral_terminal, whole, stems, split_words, split_at,
                 unit_chars, unit_offsets, stop_words, phrase_chars, longest, size, ints, floats, bools):
    n1 = longest + 2
    cps = np.zeros(n1, dtype=np.int64)
    prefix = np.zeros(n1, dtype=np.uint64)      # polynomial hash of cps[0:k]
    powers = np.ones(n1, dtype=np.uint64)       # BASE ** k
    for k in range(1, n1):
        powers[k] = powers[k - 1] * _BASE
    newline_at = np.zeros(n1, dtype=np.int64)
    line_a = np.zeros(n1, dtype=np.int64)       # splitlines lines
    line_b = np.zeros(n1, dtype=np.int64)
    tok_a = np.zeros(n1, dtype=np.int64)
    tok_b = np.zeros(n1, dtype=np.int64)
    tok_f = np.zeros(n1, dtype=np.int8)
    suffixes = np.zeros(n1, dtype=np.int64)
    chunk_a = np.zeros(n1, dtype=np.int64)      # whitespace-separated chunks
    chunk_b = np.zeros(n1, dtype=np.int64)
    chunk_token = np.zeros(n1, dtype=np.int64)  # index of each chunk's first token
    others_at = np.zeros(n1, dtype=np.int32)    # running counts: not letters, digits, '.' and ','
    digits_at = np.zeros(n1, dtype=np.int32)
    separators_at = np.zeros(n1, dtype=np.int32)
    ph = np.zeros(n1, dtype=np.uint64)          # hash of the concatenation of tokens [0, k)
    pt = np.zeros(n1, dtype=np.uint64)          # hash of the sequence of tokens [0, k)
    clen = np.zeros(n1, dtype=np.int64)         # characters of tokens [0, k)
    keys = np.zeros(size, dtype=np.uint64)
    stamps = np.zeros(size, dtype=np.int64)
    counts = np.zeros(size, dtype=np.int32)
    firsts = np.zeros(size, dtype=np.int32)
    repeats = np.zeros(n1, dtype=np.bool_)
    slot_at = np.zeros(n1, dtype=np.int64)
    base2_pow = np.ones(11, dtype=np.uint64)
    for k in range(1, 11):
        base2_pow[k] = base2_pow[k - 1] * _BASE2
    top = np.zeros(3, dtype=np.float64)
    dup = np.zeros(6, dtype=np.float64)
    gen = 0
    for d in range(spans.shape[0]):
        if not judged[d]:
            continue
        # decode, hash every prefix, count '#' and ellipses, find the line breaks
        m = 0
        i = spans[d, 0]
        end = spans[d, 1]
        h = np.uint64(0)
        hashes = ellipses = run = newlines = 0
        other_breaks = False
        while i < end:
            byte = data[i]
            if byte < 0x80:
                code = np.int64(byte)
                i += 1
                if code < 48:
                    if code == 46:
                        run += 1
                    else:
                        if run:
                            ellipses += run // 3
                            run = 0
                        if code == 10:
                            newline_at[newlines] = m
                            newlines += 1
                        elif code == 35:
                            hashes += 1
                        elif code == 13 or code == 11 or code == 12 or 28 <= code <= 30:
                            other_breaks = True
                elif run:
                    ellipses += run // 3
                    run = 0
            else:
                code, width = _decode(data, i)
                i += width
                if run:
                    ellipses += run // 3
                    run = 0
                if code == 0x2026:
                    ellipses += 1
                elif code == 0x85 or code == 0x2028 or code == 0x2029:
                    other_breaks = True
            cps[m] = code
            h = h * _BASE + np.uint64(code + 1)
            m += 1
            prefix[m] = h
        ellipses += run // 3

        # splitlines lines: Gopher quality's line rules, C4; and the tokens
        n_lines = 0
        if not other_breaks:
            start = 0
            for k in range(newlines):
                line_a[n_lines] = start
                line_b[n_lines] = newline_at[k]
                n_lines += 1
                start = newline_at[k] + 1
            if start < m:
                line_a[n_lines] = start
                line_b[n_lines] = m
                n_lines += 1
        else:
            ls = 0
            while ls < m:
                le = ls
                while le < m and not (_bits(cps[le], table) & LINEBREAK):
                    le += 1
                line_a[n_lines] = ls
                line_b[n_lines] = le
                n_lines += 1
                ls = le + 2 if le + 1 < m and cps[le] == 13 and cps[le + 1] == 10 else le + 1
        chunks = _classes(cps, 0, m, table, chunk_a, chunk_b, others_at, digits_at, separators_at)
        count = _cut_chunks(cps, 0, chunks, chunk_a, chunk_b, table, whole, stems, split_words, split_at, unit_chars,
                            unit_offsets, tok_a, tok_b, tok_f, 0, suffixes, others_at, digits_at, separators_at,
                            chunk_token)
        chunk = 0
        bullet_lines = ellipsis_lines = 0
        c4_kept = c4_sentences = c4_js = c4_policy = 0
        c4_lorem = False
        c4_curly = False
        for li in range(n_lines):
            s, e = line_a[li], line_b[li]
            while s < e and (_bits(cps[s], table) & SPACE):
                s += 1
            while e > s and (_bits(cps[e - 1], table) & SPACE):
                e -= 1
            if s >= e:
                continue
            if cps[s] == 0x2022 or cps[s] == 45:
                bullet_lines += 1
            if cps[e - 1] == 0x2026 or (e - s >= 3 and cps[e - 1] == 46 and cps[e - 2] == 46 and cps[e - 3] == 46):
                ellipsis_lines += 1
            first_chunk = chunk
            longest_chunk = 0
            while chunk < chunks and chunk_a[chunk] < e:
                longest_chunk = max(longest_chunk, chunk_b[chunk] - chunk_a[chunk])
                chunk += 1
            line_chunks = chunk - first_chunk
            t0 = chunk_token[first_chunk]
            t1 = chunk_token[chunk]
            # C4's line rules
            e2 = _strip_citations(cps, s, e)
            last = cps[e2 - 1] if e2 > s else 0
            terminal = (last == 46 or last == 63 or last == 33 or last == 34 or last == 39) and not (
                e2 - s >= 3 and cps[e2 - 1] == 46 and cps[e2 - 2] == 46 and cps[e2 - 3] == 46)
            if longest_chunk <= 1000 and terminal and line_chunks >= 3:
                verdict = _phrase_verdict(cps, s, e2, phrase_chars) if phrases[d] else 0
                if verdict == 1:
                    c4_lorem = True
                elif verdict == 2:
                    c4_js += 1
                else:
                    curly = False
                    if has_curly[d]:
                        for k in range(s, e2):
                            if cps[k] == 123:
                                curly = True
                                break
                    if curly:
                        c4_curly = True
                    elif verdict == 3:
                        c4_policy += 1
                    else:
                        c4_kept += 1
                        c4_sentences += _sentences(cps, tok_a, tok_b, tok_f, t0, t1, table)

        # token measures
        words = word_chars = alpha_words = stops = 0
        for t in range(count):
            a, b = tok_a[t], tok_b[t]
            length = b - a
            flags = tok_f[t]
            if not (flags & _F_KNOWN):
                for k in range(a, b):
                    code = cps[k]
                    bits = _bits(code, table)
                    if not (bits & DT_PUNCT) and not (code >= 0x10000 and _in_sorted(astral_terminal, code)):
                        flags |= _F_WORD
                    if bits & ALPHA:
                        flags |= _F_ALPHA
            own = prefix[b] - prefix[a] * powers[length]
            ph[t + 1] = ph[t] * powers[length] + own
            clen[t + 1] = clen[t] + length
            pt[t + 1] = pt[t] * _BASE2 + (own ^ np.uint64(length))
            if flags & _F_WORD:
                words += 1
                word_chars += length
            if flags & _F_ALPHA:
                alpha_words += 1
            if 2 <= length <= 4:
                for w in range(len(stop_words)):
                    if stop_words[w] == own:
                        stops |= 1 << w

        # n-grams: the most frequent 2-, 3-, 4-gram; the repeated 5- to 10-grams. An n-gram whose
        # (n-1)-gram prefix occurs once occurs once too: it is not hashed (repeats[t] is False)
        top[:] = 0.0
        dup[:] = 0.0
        if m > 0 and count > 0:
            mask = _mask_for(count)
            repeats[:count] = True
            for n in range(2, 5):
                positions = count - n + 1
                if positions <= 0:
                    break
                gen += 1
                best_count = 1   # at worst every n-gram occurs once: the first one is the top one
                best_first = 0
                for t in range(positions):
                    if not repeats[t]:
                        slot_at[t] = -1
                        continue
                    key = pt[t + n] - pt[t] * base2_pow[n]
                    slot, found = _slot(keys, stamps, mask, gen, key)
                    if found:
                        counts[slot] += 1
                    else:
                        stamps[slot] = gen
                        keys[slot] = key
                        counts[slot] = 1
                        firsts[slot] = t
                    slot_at[t] = slot
                    c = counts[slot]
                    f = firsts[slot]
                    if c > best_count or (c == best_count and f < best_first):
                        best_count = c
                        best_first = f
                top[n - 2] = (clen[best_first + n] - clen[best_first] + (n - 1)) * best_count / m
                for t in range(positions):
                    repeats[t] = slot_at[t] >= 0 and counts[slot_at[t]] >= 2
                repeats[positions] = False
            for n in range(5, 11):
                if count < n:
                    break
                gen += 1
                repeated = 0
                t = 0
                while t < count - n + 1:
                    if not repeats[t]:  # its 4-gram occurs once: so does this n-gram
                        t += 1
                        continue
                    chars = clen[t + n] - clen[t]
                    if _seen(keys, stamps, mask, gen, ph[t + n] - ph[t] * powers[chars]):
                        repeated += chars
                        t += n
                    else:
                        t += 1
                dup[n - 5] = repeated / m
                if repeated == 0:
                    break  # no 5-gram recurs: no longer n-gram does either

        # Gopher repetition: lines (the text cut at runs of '\n'), paragraphs (the stripped text cut at 2+ '\n')
        mask = _mask_for(newlines + 2)
        gen += 1
        n_seg = dup_lines = dup_line_chars = 0
        seg = 0
        k = 0
        while True:
            if k < newlines:
                run_start = newline_at[k]
                run_end = run_start + 1
                k += 1
                while k < newlines and newline_at[k] == run_end:
                    run_end += 1
                    k += 1
            else:
                run_start = run_end = m
            n_seg += 1
            length = run_start - seg
            if _seen(keys, stamps, mask, gen, (prefix[run_start] - prefix[seg] * powers[length]) ^ np.uint64(length)):
                dup_lines += 1
                dup_line_chars += length
            if run_start >= m:
                break
            seg = run_end
        s, e = 0, m
        while s < e and (_bits(cps[s], table) & SPACE):
            s += 1
        while e > s and (_bits(cps[e - 1], table) & SPACE):
            e -= 1
        gen += 1
        n_paras = dup_paras = dup_para_chars = 0
        seg = s
        k = 0
        while True:
            run_start = run_end = e
            while k < newlines:
                rs = newline_at[k]
                re_ = rs + 1
                k += 1
                while k < newlines and newline_at[k] == re_:
                    re_ += 1
                    k += 1
                if rs >= seg and re_ - rs >= 2 and re_ <= e:
                    run_start, run_end = rs, re_
                    break
            n_paras += 1
            length = run_start - seg
            if _seen(keys, stamps, mask, gen, (prefix[run_start] - prefix[seg] * powers[length]) ^ np.uint64(length)):
                dup_paras += 1
                dup_para_chars += length
            if run_start >= e:
                break
            seg = run_end

        # FineWeb: the text cut at each '\n', blank lines left out
        gen += 1
        fw_lines = fw_punct = fw_short = fw_dup_chars = 0
        seg = 0
        for k in range(newlines + 1):
            stop = newline_at[k] if k < newlines else m
            j = seg
            while j < stop and (_bits(cps[j], table) & SPACE):
                j += 1
            if j < stop:
                length = stop - seg
                fw_lines += 1
                last = cps[stop - 1]
                if (_bits(last, table) & TERMINAL) or (last >= 0x10000 and _in_sorted(astral_terminal, last)):
                    fw_punct += 1
                if length <= 30:
                    fw_short += 1
                if _seen(keys, stamps, mask, gen, (prefix[stop] - prefix[seg] * powers[length]) ^ np.uint64(length)):
                    fw_dup_chars += length
            seg = stop + 1

        stop_count = 0
        for w in range(8):
            stop_count += (stops >> w) & 1
        ints[d, 0] = m
        ints[d, 1] = count
        ints[d, 2] = n_lines
        ints[d, 3] = words
        ints[d, 4] = stop_count
        ints[d, 5] = c4_kept
        ints[d, 6] = c4_sentences
        ints[d, 7] = c4_js
        ints[d, 8] = c4_policy
        bools[d, 0] = c4_lorem
        bools[d, 1] = c4_curly
        floats[d, 0] = word_chars / words if words else 0.0
        floats[d, 1] = hashes / count if count else 0.0
        floats[d, 2] = ellipses / count if count else 0.0
        floats[d, 3] = bullet_lines / n_lines if n_lines else 0.0
        floats[d, 4] = ellipsis_lines / n_lines if n_lines else 0.0
        floats[d, 5] = alpha_words / count if count else 0.0
        floats[d, 6] = dup_lines / n_seg if m else 0.0
        floats[d, 7] = dup_paras / n_paras if m else 0.0
        floats[d, 8] = dup_line_chars / m if m else 0.0
        floats[d, 9] = dup_para_chars / m if m else 0.0
        for n in range(3):
            floats[d, 10 + n] = top[n]
        for n in range(6):
            floats[d, 13 + n] = dup[n]
        floats[d, 19] = fw_punct / fw_lines if fw_lines else 0.0
        floats[d, 20] = fw_short / fw_lines if fw_lines else 0.0
        floats[d, 21] = fw_dup_chars / (m - newlines) if m - newlines > 0 else 0.0
        floats[d, 22] = newlines / count if count else 0.0


@kernel()
def _strip_citations(cps, s, e):
    """End of the line once trailing '[12]', '[edit]' and '[citation needed]' are removed (C4)."""
    while e - s >= 2 and cps[e - 1] == 93:
        j = e - 2
        while j >= s and cps[j] != 91:
            j -= 1
        if j < s:
            break
        inner = e - 1 - (j + 1)
        digits = True
        for k in range(j + 1, e - 1):
            if not (48 <= cps[k] <= 57):
                digits = False
                break
        if digits or _equals(cps, j + 1, e - 1, "edit") or _equals(cps, j + 1, e - 1, "citation needed"):
            e = j
            if inner < 0:
                break
        else:
            break
    return e


@kernel()
def _equals(cps, a, b, word):
    if b - a != len(word):
        return False
    for k in range(b - a):  # noqa: SIM110 (compiled: no generators)
        if cps[a + k] != ord(word[k]):
            return False
    return True


@kernel()
def _phrase_verdict(cps, s, e, phrase_chars):
    """C4's phrases in cps[s:e] (ASCII case-insensitive): 1 lorem ipsum, 2 javascript, 3 a policy phrase, 0 none."""
    verdict = 0
    p = 0
    index = 0
    n = len(phrase_chars)
    while p < n:
        q = p
        while q < n and phrase_chars[q] != 0:
            q += 1
        length = q - p
        for i in range(s, e - length + 1):
            same = True
            for k in range(length):
                c = cps[i + k]
                if 65 <= c <= 90:
                    c += 32
                if c != phrase_chars[p + k]:
                    same = False
                    break
            if same:
                return 1 if index == 0 else 2 if index == 1 else 3
        index += 1
        p = q + 1
    return verdict


@kernel()
def _sentences(cps, tok_a, tok_b, tok_f, t0, t1, table):
    """Sentences among tokens [t0, t1) of one line, by spaCy's sentencizer: a sentence starts at a
    token that is not punctuation after a token that is one of its end characters."""
    if t1 <= t0:
        return 0
    sentences = 1
    seen_end = False
    for t in range(t0, t1):
        a, b = tok_a[t], tok_b[t]
        end_char = b - a == 1 and (_bits(cps[a], table) & SENT_END) != 0
        punct = True
        if tok_f[t] & (_F_WORD | _F_ALPHA) and tok_f[t] & _F_KNOWN and not (tok_f[t] & _F_ALL_PUNCT):
            punct = False  # a word cut by a fast path: letters or digits
        else:
            for k in range(a, b):
                if not (_bits(cps[k], table) & PUNCT_P):
                    punct = False
                    break
        if seen_end and not punct and not end_char:
            sentences += 1
            seen_end = False
        elif end_char:
            seen_end = True
    return sentences
