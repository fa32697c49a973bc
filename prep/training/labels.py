"""Labels of a page dump's lines against the page's `main_content` (the WCXB ground truth).

A line is **article** when it is contained in main_content (its tokens run in it, or, for a line
of 8+ words, 60% of its 3-grams are in it: the chrome training's `content_matcher` test) and it
lies on the document's in-order alignment with main_content (a maximum-weight chain of lines
whose positions in main_content increase): without the alignment, every menu label whose word
occurs somewhere in the article ("Health", "Pricing") would be "contained". A line is **chrome**
when fewer than half of its words are covered by a 3-gram of main_content (a 1- or 2-gram for
lines that short). Everything else (contained but out of order, half covered, no word at all) is
**unscored**: counted in no line figure, but in the word F1 of the kept text.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import numpy as np

_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


ARTICLE, CHROME, UNSCORED = 1, 0, -1


class Labeller:
    """Labels the lines of one document against a page's main_content.

    article: the line is contained in main_content (its tokens run in it, or, for a line of
    8+ words, 60% of its 3-grams are in it: content_matcher's test) AND it lies in the
    document's in-order alignment with main_content (a maximal-weight chain of lines whose
    positions in main_content increase): a menu label "Health" above the article is
    'contained' when the article says "health" somewhere, but it is out of order.
    chrome: fewer than half its words are in main_content (a word counts as in it when one of
    the line's 3-grams holding it, or 1-/2-gram for lines that short, occurs there).
    unscored: the rest (contained but out of order, or half-covered), and lines without words.
    """

    def __init__(self, main_content: str):
        self.body = tokens(main_content)
        self.text = f" {' '.join(self.body)} "
        # char offset in self.text -> token index
        starts, pos = [], 1
        for tok in self.body:
            starts.append(pos)
            pos += len(tok) + 1
        self.starts = starts
        self.grams = {n: {tuple(self.body[i:i + n]) for i in range(len(self.body) - n + 1)} for n in (1, 2, 3)}
        self.tri_pos: dict[tuple, int] = {}
        for i in range(len(self.body) - 2):
            self.tri_pos.setdefault(tuple(self.body[i:i + 3]), i)

    def _occurrences(self, words: list[str], cap: int = 300) -> list[int]:
        needle = f" {' '.join(words)} "
        found, at = [], self.text.find(needle)
        while at >= 0 and len(found) < cap:
            found.append(bisect_left(self.starts, at + 1))
            at = self.text.find(needle, at + 1)
        return found

    def covered_share(self, words: list[str]) -> float:
        n = min(3, len(words))
        grams = self.grams[n]
        covered = np.zeros(len(words), dtype=bool)
        for i in range(len(words) - n + 1):
            if tuple(words[i:i + n]) in grams:
                covered[i:i + n] = True
        return float(covered.mean()) if len(words) else 0.0

    def label(self, lines: list[str]) -> np.ndarray:
        """The label of each line: ARTICLE, CHROME or UNSCORED."""
        n = len(lines)
        labels = np.full(n, UNSCORED, dtype=np.int8)
        contained = np.zeros(n, dtype=bool)
        candidates: list[list[int]] = [[] for _ in range(n)]
        weights = np.zeros(n)
        for i, line in enumerate(lines):
            words = tokens(line)
            if not words:
                continue
            weights[i] = len(words)
            occ = self._occurrences(words)
            if occ:
                contained[i] = True
                candidates[i] = occ
                continue
            if len(words) >= 8:
                grams = [tuple(words[j:j + 3]) for j in range(len(words) - 2)]
                hits = [self.tri_pos[g] for g in grams if g in self.tri_pos]
                if grams and len(set(hits)) and len({g for g in grams if g in self.tri_pos}) / len(set(grams)) >= 0.6:
                    contained[i] = True
                    candidates[i] = [int(np.median(hits))]
                    continue
            if self.covered_share(words) < 0.5:
                labels[i] = CHROME
        aligned = self._align(candidates, weights)
        labels[contained & aligned] = ARTICLE
        return labels

    def _align(self, candidates: list[list[int]], weights: np.ndarray) -> np.ndarray:
        """Max-weight chain of (line, position) with lines and positions strictly increasing."""
        size = len(self.body) + 2
        tree_val = np.zeros(size + 1)
        tree_arg = np.full(size + 1, -1, dtype=np.int64)
        nodes: list[tuple[int, int]] = []  # (line, previous node)

        def query(p: int) -> tuple[float, int]:  # best over positions < p (1-based tree over p)
            best, arg = 0.0, -1
            while p > 0:
                if tree_val[p] > best:
                    best, arg = tree_val[p], tree_arg[p]
                p -= p & -p
            return best, arg

        def update(p: int, val: float, arg: int) -> None:
            p += 1
            while p <= size:
                if val > tree_val[p]:
                    tree_val[p], tree_arg[p] = val, arg
                p += p & -p

        best_total, best_node = 0.0, -1
        for i, occ in enumerate(candidates):
            pending = []
            for p in occ:
                val, prev = query(p)  # positions < p
                nodes.append((i, prev))
                pending.append((p, val + weights[i], len(nodes) - 1))
            for p, val, node in pending:
                update(p, val, node)
                if val > best_total:
                    best_total, best_node = val, node
        aligned = np.zeros(len(candidates), dtype=bool)
        node = best_node
        while node >= 0:
            line, node = nodes[node]
            aligned[line] = True
        return aligned
