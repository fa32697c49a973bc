"""What the page model knows about each line of a page dump: its shape, its neighbours, the
windows and runs it stands in, the page's densest block of text, what it shares with that
block, how often it repeats, and its first words.

A page dump (the whole visible text of a page, as a scraper gives it) holds the article as a
block of long lines ending like sentences, among runs of short lines: menus, footers, related
lists, share bars. So the features describe a line within its page: the runs of short lines
and of text lines it stands in, the share of text lines in windows of 2 to 30 lines around it,
where it stands relative to the page's densest block (the maximum-sum span of text words
minus a penalty per segment), the non-text run it is in (a table's cells and a code block's
tokens sit between the article's paragraphs, a menu's labels among other labels), and how
many of its content words the densest block also has.

Every feature of a line depends on its own document only (window sums are summed per
document, in order), so a line scores the same whatever else its shard holds. The shape marks
come from prep's linestats columns and scan.py's byte kernels.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from prep.clean import linestats as ls
from prep.clean.page import scan
from prep.compiled import kernel
from prep.text.tokens import utf8_buffer

FLAG_BITS = {"ends_sentence": ls.ENDS_SENTENCE, "ends_statement": ls.ENDS_STATEMENT, "ends_colon": ls.ENDS_COLON,
             "ends_question": ls.ENDS_QUESTION, "capital_start": ls.CAPITAL_START, "list_item": ls.LIST_ITEM,
             "all_caps": ls.ALL_CAPS, "separators": ls.SEPARATORS, "parenthesis": ls.PARENTHESIS,
             "currency": ls.CURRENCY, "emoji": ls.EMOJI, "inner_colon": ls.INNER_COLON}
SPAN_PENALTIES = (6.0, 15.0)
WORD_FEATURES = ("word_score", "win1_word_score", "win5_word_score")


@kernel()
def _window_sums(x, starts, ends, before, after, out):
    """out[i] = sum of x over rows [i-before, i+after] of i's document, summed per document in
    order (so that a line's value never depends on the documents before it)."""
    for d in range(len(starts)):
        s, e = starts[d], ends[d]
        prefix = np.zeros(e - s + 1)
        for i in range(s, e):
            prefix[i - s + 1] = prefix[i - s] + x[i]
        for i in range(s, e):
            lo = max(i - before, s) - s
            hi = min(i + after + 1, e) - s
            out[i] = prefix[hi] - prefix[lo]


@kernel()
def _best_spans(score, starts, ends, out_s, out_e):
    """Kadane per document: the maximum-sum run of rows."""
    for d in range(len(starts)):
        best = -1e300
        best_s = starts[d]
        best_e = starts[d] + 1
        cur = 0.0
        cur_s = starts[d]
        for i in range(starts[d], ends[d]):
            if cur <= 0.0:
                cur = score[i]
                cur_s = i
            else:
                cur += score[i]
            if cur > best:
                best = cur
                best_s = cur_s
                best_e = i + 1
        out_s[d] = best_s
        out_e[d] = best_e


@kernel()
def _dist_prev(mask, starts, ends, out):
    for d in range(len(starts)):
        last = -1
        for i in range(starts[d], ends[d]):
            out[i] = (i - last) if last >= 0 else (ends[d] - starts[d])
            if mask[i]:
                last = i


@kernel()
def _dist_next(mask, starts, ends, out):
    for d in range(len(starts)):
        nxt = -1
        for i in range(ends[d] - 1, starts[d] - 1, -1):
            out[i] = (nxt - i) if nxt >= 0 else (ends[d] - starts[d])
            if mask[i]:
                nxt = i


class Docs:
    """The documents of a frame in document order: where each row's document starts and ends."""

    def __init__(self, orders: np.ndarray):
        n = len(orders)
        first = np.r_[True, orders[1:] != orders[:-1]] if n else np.zeros(0, bool)
        self.starts = np.flatnonzero(first).astype(np.int64)
        self.sizes = np.diff(np.r_[self.starts, n]).astype(np.int64)
        self.ends = self.starts + self.sizes
        self.index = np.repeat(np.arange(len(self.starts)), self.sizes)
        self.start = np.repeat(self.starts, self.sizes)
        self.end = self.start + np.repeat(self.sizes, self.sizes)
        self.size = np.repeat(self.sizes, self.sizes)
        self.pos = np.arange(n) - self.start
        self.n = n

    def shift(self, x: np.ndarray, d: int, fill: float) -> np.ndarray:
        """x of the row d lines later (d < 0: earlier) in the same document, else fill."""
        out = np.full(self.n, fill, dtype=np.float64)
        idx = np.arange(self.n) + d
        ok = (idx >= self.start) & (idx < self.end)
        out[ok] = x[idx[ok]]
        return out

    def window_mean(self, x: np.ndarray, before: int, after: int) -> np.ndarray:
        """Mean of x over rows [i-before, i+after] clipped to the document."""
        out = np.zeros(self.n)
        _window_sums(np.asarray(x, dtype=np.float64), self.starts, self.ends, before, after, out)
        i = np.arange(self.n)
        return out / (np.minimum(i + after + 1, self.end) - np.maximum(i - before, self.start))

    def doc_sum(self, x: np.ndarray) -> np.ndarray:
        return np.bincount(self.index, weights=np.asarray(x, dtype=np.float64), minlength=len(self.sizes))[self.index]

    def runs(self, cls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(length of the run of equal `cls` values the row is in, position in it)."""
        change = np.r_[True, cls[1:] != cls[:-1]] if self.n else np.zeros(0, bool)
        change |= self.pos == 0
        run = np.cumsum(change) - 1
        lengths = np.bincount(run)
        run_start = np.flatnonzero(change)
        return lengths[run].astype(np.float64), (np.arange(self.n) - run_start[run]).astype(np.float64)

    def best_span(self, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row, the [start, end) rows of its document's maximum-sum span of `score`."""
        s = np.empty(len(self.sizes), np.int64)
        e = np.empty(len(self.sizes), np.int64)
        _best_spans(score.astype(np.float64), self.starts, self.ends, s, e)
        return s[self.index], e[self.index]

    def dist_prev(self, mask: np.ndarray) -> np.ndarray:
        """Rows back to the nearest earlier row of the document where mask (its size when none)."""
        out = np.empty(self.n, np.float64)
        _dist_prev(mask.astype(np.bool_), self.starts, self.ends, out)
        return out

    def dist_next(self, mask: np.ndarray) -> np.ndarray:
        out = np.empty(self.n, np.float64)
        _dist_next(mask.astype(np.bool_), self.starts, self.ends, out)
        return out


def line_features(lines: pl.DataFrame, spread: pl.DataFrame,
                  word_model: dict | None = None) -> tuple[np.ndarray, list[str]]:
    """Feature matrix (float64, a row per line of `lines`) and the feature names.

    `lines`: LINE_SCHEMA rows of whole documents in document order (every line, also those a
    rule took: the page's layout is what is read); `spread`: (key, sites) from the corpus-wide reduce;
    `word_model`: {"weights": float64[2**HASH_BITS], "bias": float} adds the WORD_FEATURES."""
    f: dict[str, np.ndarray] = {}
    g = Docs(lines["order"].to_numpy())
    w = lines["words"].to_numpy().astype(np.float64)
    chars = lines["chars"].to_numpy().astype(np.float64)
    flags = lines["flags"].to_numpy()
    bit = {name: (flags & b) != 0 for name, b in FLAG_BITS.items()}
    data, spans = utf8_buffer(lines["line"])

    logw = np.log1p(w)
    f["log_words"] = logw
    f["log_chars"] = np.log1p(chars)
    f["mean_word_len"] = chars / np.maximum(w, 1)
    f["upper_ratio"] = lines["upper"].to_numpy() / np.maximum(chars, 1)
    f["digit_ratio"] = lines["digits"].to_numpy() / np.maximum(chars, 1)
    f["cap_ratio"] = lines["cap_words"].to_numpy() / np.maximum(w, 1)
    for name, value in bit.items():
        f[name] = value.astype(np.float64)
    marks = scan.byte_marks(data, spans)
    counts = {name: marks[:, j] for j, name in enumerate(scan.BYTE_MARKS)}
    f["commas"] = np.log1p(counts["commas"])
    f["inner_stops"] = np.log1p(counts["inner_stops"])
    for name in ("urlish", "dated", "legal", "bullet", "code", "starts_lower", "starts_punct"):
        f[name] = (counts[name] > 0).astype(np.float64)
    textline = (w >= 10) & (bit["ends_sentence"] | bit["ends_statement"] | (w >= 20))
    short = (w <= 4) & ~bit["ends_sentence"]
    headline = (w >= 2) & (w <= 25) & bit["capital_start"] & ~bit["ends_statement"] & ~bit["list_item"]
    f["textline"] = textline.astype(np.float64)
    f["headline_shaped"] = headline.astype(np.float64)
    blank = lines["blank_before"].to_numpy().astype(np.float64)
    f["blank_before"] = blank
    f["blank_after"] = g.shift(blank, 1, 1.0)
    ruled = lines["rule"].is_not_null().to_numpy().astype(np.float64)
    f["rule_marked"] = ruled
    f["win5_rule_marked"] = g.window_mean(ruled, 5, 5)

    # neighbours
    for d in (-3, -2, -1, 1, 2, 3):
        tag = f"{'p' if d < 0 else 'n'}{abs(d)}"
        f[f"{tag}_log_words"] = g.shift(logw, d, -1.0)
        f[f"{tag}_textline"] = g.shift(textline.astype(np.float64), d, -1.0)
        f[f"{tag}_short"] = g.shift(short.astype(np.float64), d, -1.0)
        if abs(d) == 1:
            f[f"{tag}_list_item"] = g.shift(bit["list_item"].astype(np.float64), d, -1.0)
            f[f"{tag}_headline"] = g.shift(headline.astype(np.float64), d, -1.0)
            f[f"{tag}_ends_sentence"] = g.shift(bit["ends_sentence"].astype(np.float64), d, -1.0)
            f[f"{tag}_cap_ratio"] = g.shift(f["cap_ratio"], d, -1.0)
    # windows
    for k in (2, 5, 12, 30):
        f[f"win{k}_log_words"] = g.window_mean(logw, k, k)
        f[f"win{k}_textline"] = g.window_mean(textline, k, k)
        f[f"win{k}_short"] = g.window_mean(short, k, k)
        if k in (5, 12):
            f[f"win{k}_list_item"] = g.window_mean(bit["list_item"], k, k)
            f[f"win{k}_urlish"] = g.window_mean(f["urlish"], k, k)
    f["before10_textline"] = g.window_mean(textline, 10, 0)
    f["after10_textline"] = g.window_mean(textline, 0, 10)
    # runs
    run_len, run_pos = g.runs(short)
    f["short_run_log_len"] = np.log1p(np.where(short, run_len, 0))
    f["short_run_rel_pos"] = np.where(short, run_pos / np.maximum(run_len - 1, 1), -1)
    trun_len, _ = g.runs(textline)
    f["text_run_log_len"] = np.log1p(np.where(textline, trun_len, 0))
    f["log_dist_prev_text"] = np.log1p(g.dist_prev(textline))
    f["log_dist_next_text"] = np.log1p(g.dist_next(textline))
    f["log_dist_prev_short"] = np.log1p(g.dist_prev(short))
    f["log_dist_next_short"] = np.log1p(g.dist_next(short))
    # segments: lines a scraper split inside one sentence (at inline links) joined back
    ends_open = ~bit["ends_statement"] & ~bit["ends_sentence"]
    cont = (counts["starts_lower"] > 0) | (counts["starts_punct"] > 0)
    link = ends_open & (g.shift(cont.astype(np.float64), 1, 0.0) > 0)  # line i continues into i+1
    seg_start = (g.pos == 0) | ~(g.shift(link.astype(np.float64), -1, 0.0) > 0)
    seg = np.cumsum(seg_start) - 1
    seg_words = np.bincount(seg, weights=w)[seg] if g.n else w
    seg_lines = np.bincount(seg)[seg] if g.n else w
    seg_end_row = np.r_[np.flatnonzero(seg_start)[1:], g.n] - 1
    seg_sentence = bit["ends_sentence"][seg_end_row][seg] if g.n else bit["ends_sentence"]
    seg_text = (seg_words >= 10) & seg_sentence
    f["seg_log_words"] = np.log1p(seg_words)
    f["seg_log_lines"] = np.log1p(seg_lines)
    f["seg_ends_sentence"] = seg_sentence.astype(np.float64)
    f["seg_textline"] = seg_text.astype(np.float64)
    f["win5_seg_textline"] = g.window_mean(seg_text, 5, 5)
    f["win3_code"] = g.window_mean(f["code"], 3, 3)
    # runs of lines between text segments: a table's cells and a code block's tokens sit between
    # the article's paragraphs; a menu's labels sit in a run with nothing but other labels
    nontext = ~seg_text
    nrun_start = (g.pos == 0) | (nontext != np.r_[False, nontext[:-1]])
    nrun = np.cumsum(nrun_start) - 1
    nrun_len = np.bincount(nrun).astype(np.float64) if g.n else np.zeros(0)
    first_row = np.flatnonzero(nrun_start)
    last_row = np.r_[first_row[1:], g.n] - 1
    before_text = np.where(g.pos[first_row] > 0, seg_text[np.maximum(first_row - 1, 0)], False)
    after_text = np.where(last_row + 1 < g.end[last_row], seg_text[np.minimum(last_row + 1, max(g.n - 1, 0))], False)
    enclosed = (before_text & after_text)[nrun]
    f["nrun_log_len"] = np.where(nontext, np.log1p(nrun_len[nrun]), 0.0)
    f["nrun_enclosed"] = np.where(nontext, enclosed.astype(np.float64), -1.0)
    for name in ("digit_ratio", "code", "cap_ratio", "list_item", "urlish", "log_words", "starts_lower"):
        mean = np.bincount(nrun, weights=f[name])[nrun] / nrun_len[nrun] if g.n else np.zeros(0)
        f[f"nrun_{name}"] = np.where(nontext, mean, -1.0)
    # document
    size = g.size.astype(np.float64)
    f["doc_log_lines"] = np.log1p(size)
    f["doc_log_words"] = np.log1p(g.doc_sum(w))
    f["doc_textline_share"] = g.doc_sum(textline) / size
    f["doc_short_share"] = g.doc_sum(short) / size
    f["doc_blank_share"] = g.doc_sum(blank) / size
    f["doc_list_share"] = g.doc_sum(bit["list_item"]) / size
    f["rel_pos"] = g.pos / np.maximum(size - 1, 1)
    f["log_pos"] = np.log1p(g.pos)
    f["log_from_end"] = np.log1p(size - 1 - g.pos)
    text_words = np.where(textline, w, 0.0)
    before_words = np.cumsum(text_words) - np.r_[0.0, np.cumsum(text_words)][g.start] - text_words
    f["text_words_before_share"] = before_words / np.maximum(g.doc_sum(text_words), 1)
    # densest blocks (maximum-sum spans)
    core = np.zeros(g.n, bool)
    i = np.arange(g.n)
    for pen in SPAN_PENALTIES:
        # each segment (a sentence split at links counts once) adds its words, minus a penalty
        seg_end = np.zeros(g.n, bool)
        seg_end[seg_end_row[seg_end_row >= 0]] = True
        score = np.where(seg_end, np.minimum(seg_words, 60), 0.0) - np.where(seg_start, pen, 0.0)
        s, e = g.best_span(score)
        inside = (i >= s) & (i < e)
        tag = f"span{int(pen)}"
        f[f"{tag}_inside"] = inside.astype(np.float64)
        f[f"{tag}_dist"] = np.where(i < s, -np.log1p(np.maximum(s - i, 0)), np.log1p(np.maximum(i - e + 1, 0)))
        f[f"{tag}_rel_in"] = np.where(inside, (i - s) / np.maximum(e - s - 1, 1), -1.0)
        f[f"{tag}_share_lines"] = (e - s) / size
        if pen == SPAN_PENALTIES[0]:
            core = inside & (textline | seg_text)
            hcum = np.cumsum(headline)
            h_at_start = hcum[np.maximum(s - 1, 0)] if g.n else hcum
            before = i < s
            f["headlines_to_span"] = np.where(before, np.log1p(np.maximum(h_at_start - hcum, 0)), -1.0)
            f["lines_to_span"] = np.where(before, np.log1p(np.maximum(s - i - 1, 0)), -1.0)
    # cohesion with the densest block's text lines and with the rest of the document
    co = scan.cohesion(data, spans, g.starts, core)
    n_content = co[:, 0].astype(np.float64)
    f["log_content_words"] = np.log1p(n_content)
    f["core_share"] = np.where(n_content > 0, co[:, 1] / np.maximum(n_content, 1), -1.0)
    f["doc_share"] = np.where(n_content > 0, co[:, 2] / np.maximum(n_content, 1), -1.0)
    f["win2_core_share"] = g.window_mean(np.maximum(f["core_share"], 0), 2, 2)
    f["nrun_core_share"] = np.where(nontext, (np.bincount(nrun, weights=np.maximum(f["core_share"], 0))[nrun]
                                              / nrun_len[nrun]) if g.n else 0.0, -1.0)
    # repetition: in the document, in its first line (a page's <title>), on other sites
    rep = lines.select(n=pl.len().over("order", "key"))["n"].to_numpy()
    f["log_repeats_in_doc"] = np.log1p(rep - 1)
    first_line = pl.col("line").first().over("order").str.to_lowercase()
    f["in_first_line"] = (lines.select(hit=first_line.str.contains(pl.col("line").str.to_lowercase(), literal=True)
                                       & (pl.col("words") >= 3))["hit"].to_numpy() & (g.pos > 0)).astype(np.float64)
    sites = lines.select("key").join(spread, on="key", how="left", maintain_order="left")["sites"]
    f["log_sites"] = np.log1p(sites.fill_null(1).to_numpy().astype(np.float64) - 1)
    names = list(f)
    if word_model is not None:
        ws = scan.word_scores(data, spans, word_model["weights"], word_model["bias"])
        f.update(zip(WORD_FEATURES, word_windows(g, ws), strict=True))
        names += WORD_FEATURES
    out = np.empty((g.n, len(names)), np.float64)
    for j, name in enumerate(names):
        out[:, j] = f[name]
    return out, names


def word_windows(g: Docs, ws: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The learnt word score of a line, of its two neighbours and of the 11 lines around it."""
    return ws, (g.shift(ws, -1, 0) + g.shift(ws, 1, 0)) / 2, g.window_mean(ws, 5, 5)
