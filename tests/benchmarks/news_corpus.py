"""Generated news-sized documents for the speed benchmark: real English word sequences at scale.

Recombining whole paragraphs of a few hundred articles into a million documents would make
every paragraph recur in thousands of them, a corpus no crawl looks like. Instead a word
bigram chain, learnt from the WCXB development articles (CC-BY-4.0, Murrough Foley), writes
new sentences: each word follows the word before it as it does in real prose, so documents
have the vocabulary, sentence lengths and phrase overlaps of English text, while two
unrelated documents share no more than English itself makes them share. Documents have a
headline, 400-800 words in paragraphs, a site (URL host) with its own chrome lines, and about
20% are edited copies of another document (syndication).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from prep.training.wcxb import load_pages

SITES = 200
COPY_SHARE = 0.2
_WORD = re.compile(r"\S+")


class BigramChain:
    """Next-word sampling for many chains at once (numpy, vectorised over chains)."""

    def __init__(self, texts: list[str]):
        words = [w for text in texts for w in _WORD.findall(text)]
        vocab, ids = np.unique(np.array(words, dtype=object), return_inverse=True)
        self.vocab = vocab.astype(str)
        pairs = ids[:-1] * len(vocab) + ids[1:]
        pair_ids, counts = np.unique(pairs, return_counts=True)
        self.first = pair_ids // len(vocab)     # sorted by first word
        self.second = pair_ids % len(vocab)
        starts = np.searchsorted(self.first, np.arange(len(vocab) + 1))
        cum = np.cumsum(counts).astype(np.float64)
        base = np.concatenate(([0.0], cum))[starts[:-1]]
        totals = cum[np.maximum(starts[1:] - 1, 0)] - base
        # a word's successors occupy (word, word + 1] on one global axis, in proportion to their counts
        within = (cum - np.repeat(base, np.diff(starts))) / np.repeat(np.maximum(totals, 1), np.diff(starts))
        self.axis = self.first + within
        self.has_next = np.diff(starts) > 0
        self.sentence_end = np.array([w[-1] in ".!?" for w in self.vocab])
        self.starters = np.flatnonzero(np.char.istitle(self.vocab.astype("U32")) & self.has_next)

    def walk(self, rng: np.random.Generator, chains: int, steps: int) -> np.ndarray:
        """Word ids [chains, steps]; a chain that reaches a dead end restarts at a sentence start."""
        out = np.empty((chains, steps), dtype=np.int64)
        current = rng.choice(self.starters, size=chains)
        for step in range(steps):
            out[:, step] = current
            position = np.searchsorted(self.axis, current + rng.random(chains))
            nxt = self.second[np.minimum(position, len(self.second) - 1)]
            dead = ~self.has_next[current]
            nxt[dead] = rng.choice(self.starters, size=int(dead.sum()))
            current = nxt
        return out


def _paragraphs(words: list[str], rng: np.random.Generator) -> list[str]:
    """Words to paragraphs of 2-5 sentences (sentences end where the chain put a full stop)."""
    sentences, current = [], []
    for word in words:
        current.append(word)
        if word[-1] in ".!?" and len(current) >= 6:
            sentences.append(" ".join(current))
            current = []
    if current:
        sentences.append(" ".join(current).rstrip(",;:") + ".")
    paragraphs, i = [], 0
    while i < len(sentences):
        take = int(rng.integers(2, 6))
        paragraphs.append(" ".join(sentences[i:i + take]))
        i += take
    return paragraphs


def _edited_copy(text: str, rng: np.random.Generator) -> str:
    """A syndicated copy: a paragraph dropped or moved, a few words changed, a new outlet's lines."""
    lines = text.split("\n\n")
    body = lines[1:-2]
    if len(body) > 3 and rng.random() < 0.5:
        body.pop(int(rng.integers(len(body))))
    if len(body) > 2 and rng.random() < 0.5:
        body.insert(int(rng.integers(len(body))), body.pop(int(rng.integers(len(body)))))
    body = [" ".join(w for w in p.split() if rng.random() > 0.03) for p in body]
    return "\n\n".join([lines[0], *body])


def write_corpus(data: Path, docs: int, path: Path, seed: int = 1) -> int:
    """Write `docs` JSON lines {id, url, text} to `path`; returns the bytes of text written."""
    pages = load_pages(data)
    chain = BigramChain([p.main_content for p in pages])
    titles = [p.title for p in pages if p.title]
    rng = np.random.default_rng(seed)
    site_chrome = [[f"Share this story on Site{s} News", f"© 2025 Site{s} Media. All rights reserved."]
                   for s in range(SITES)]
    written = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    texts: list[str] = []
    with open(tmp, "w", encoding="utf-8") as out:
        for lo in range(0, docs, 2000):
            n = min(2000, docs - lo)
            lengths = rng.integers(400, 801, size=n)
            walk = chain.walk(rng, n, int(lengths.max()))
            for k in range(n):
                i = lo + k
                site = int(rng.integers(SITES))
                if texts and rng.random() < COPY_SHARE:
                    body = _edited_copy(texts[int(rng.integers(len(texts)))], rng)
                else:
                    words = chain.vocab[walk[k, :lengths[k]]].tolist()
                    body = "\n\n".join([titles[int(rng.integers(len(titles)))], *_paragraphs(words, rng)])
                text = body + "\n\n" + "\n\n".join(site_chrome[site])
                texts.append(body + "\n\n" + "\n\n".join(site_chrome[site]))
                if len(texts) > 5000:
                    texts = texts[-5000:]  # copies come from recent documents: bounded memory
                record = {"id": f"n{i:08d}", "url": f"https://site{site}.example/news/{i}", "text": text}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += len(text.encode())
    tmp.replace(path)
    return written
