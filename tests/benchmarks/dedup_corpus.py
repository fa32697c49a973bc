"""A labelled corpus for the dedup benchmark, built from real article texts.

Stories are real articles (WCXB `main_content`). Syndicated copies are what copy desks do to
a story they take over: a word swapped for a synonym or their house spelling, a tense or
contraction changed, a clause cut, a sentence turned passive, paragraphs dropped, moved or
added (their own editorial line, or context from elsewhere), a new headline, their quote
style, their page chrome, or only the first part of the story. Hard negatives are what must
never merge: different stories of one outlet (same chrome), independent stories on the same
topic (nearest articles by topic words), some of them quoting the same statement, digest
pages made of other stories' ledes, and very short documents sharing stock sentences.
All randomness comes from one seed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# word pairs an editor swaps (either way; _ stands for a space): synonyms, house spellings,
# tense, contractions, words cut
_PAIRS = """
said=stated says=states also=further but=however big=large show=indicate shows=indicates
use=utilise used=employed help=assist helps=assists many=numerous about=around because=as
buy=purchase start=begin started=began get=obtain need=require needs=requires make=create
makes=creates important=significant people=individuals company=firm children=kids
often=frequently quickly=rapidly almost=nearly try=attempt think=believe small=minor
main=primary whole=entire allow=permit give=provide gives=provides keep=maintain find=discover
found=discovered before=prior_to after=following while=whilst among=amongst recent=latest
currently=presently expensive=costly cheap=inexpensive fast=quick hard=difficult easy=simple
problem=issue problems=issues way=method ways=methods country=nation percent=per_cent
enough=sufficient end=conclude around=roughly more_than=over told=informed want=wish
color=colour center=centre organize=organise analyze=analyse program=programme
defense=defence favorite=favourite behavior=behaviour realize=realise recognize=recognise
traveled=travelled license=licence neighbor=neighbour labor=labour
do_not=don't it_is=it's does_not=doesn't cannot=can't will_not=won't is_not=isn't
we_are=we're they_are=they're you_are=you're there_is=there's
is=was are=were has=had have=had will=would can=could do=did does=did
very= really= just= that=
"""
_SWAP: dict[str, list[str]] = {}
for _pair in _PAIRS.split():
    left, right = (part.replace("_", " ") for part in _pair.split("="))
    _SWAP.setdefault(left, []).append(right)
    if right:
        _SWAP.setdefault(right, []).append(left)
_WORD = re.compile(r"\w+(?:'\w+)?")

_VERBS = ("announced|released|approved|launched|published|reported|developed|designed|created|built|"
          "introduced|confirmed|rejected|signed|acquired|sold|bought|won|found|named|hired|opened|closed")
_ACTIVE = re.compile(rf"\b([A-Z]\w+|[Tt]he \w+) ({_VERBS}) (the|a|an|its|their|his|her) (\w+)")
_SAID_AFTER = re.compile(r", ([A-Z]\w+(?: [A-Z]\w+)?) said\b")
_SAID_BEFORE = re.compile(r", said ([A-Z]\w+(?: [A-Z]\w+)?)")
_CLAUSE = re.compile(r", [^,.;:!?\"“”]{12,90}?,")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(])")


@dataclass(frozen=True)
class Strength:
    """How hard an outlet edits: per-sentence and per-paragraph probabilities."""

    name: str
    reword: float       # share of sentences reworded
    ops: int            # at most this many edits in a reworded sentence
    drop: float         # share of paragraphs (after the first) dropped
    add: int            # at most this many paragraphs added
    move: float         # chance that a paragraph is moved elsewhere


STRENGTHS = {
    "light": Strength("light", reword=0.5, ops=3, drop=0.1, add=1, move=0.3),
    "medium": Strength("medium", reword=0.75, ops=4, drop=0.2, add=1, move=0.5),
    "heavy": Strength("heavy", reword=0.95, ops=5, drop=0.3, add=2, move=0.8),
}


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph) if s]


def _case_like(word: str, template: str) -> str:
    if template[:1].isupper() and word:
        return word[0].upper() + word[1:]
    return word


def _swap_word(sentence: str, rng: np.random.Generator) -> str:
    words = list(_WORD.finditer(sentence))
    found = []  # (start, end, key) of every word or word pair an editor could swap
    for k, m in enumerate(words):
        if m.group(0).lower() in _SWAP:
            found.append((m.start(), m.end(), m.group(0).lower()))
        if k + 1 < len(words) and (pair := f"{m.group(0)} {words[k + 1].group(0)}".lower()) in _SWAP:
            found.append((m.start(), words[k + 1].end(), pair))
    if not found:
        return sentence
    start, end, key = found[rng.integers(len(found))]
    options = _SWAP[key]
    new = _case_like(options[rng.integers(len(options))], sentence[start:end])
    return re.sub(r"  +", " ", sentence[:start] + new + sentence[end:])


def _passive(sentence: str, rng: np.random.Generator) -> str:
    m = _ACTIVE.search(sentence)
    if not m:
        return _swap_word(sentence, rng)
    subject, verb, det, obj = m.groups()
    agent = "the" + subject[3:] if subject.startswith("The ") else subject
    passive = f"{_case_like(det, m.group(0))} {obj} was {verb} by {agent}"
    return sentence[:m.start()] + passive + sentence[m.end():]


def _said(sentence: str, rng: np.random.Generator) -> str:
    if _SAID_AFTER.search(sentence):
        return _SAID_AFTER.sub(r", said \1", sentence, count=1)
    if _SAID_BEFORE.search(sentence):
        return _SAID_BEFORE.sub(r", \1 said", sentence, count=1)
    return _swap_word(sentence, rng)


def _cut_clause(sentence: str, rng: np.random.Generator) -> str:
    found = list(_CLAUSE.finditer(sentence))
    if not found:
        return _swap_word(sentence, rng)
    m = found[rng.integers(len(found))]
    return sentence[:m.start()] + "," + sentence[m.end():]


def _drop_word(sentence: str, rng: np.random.Generator) -> str:
    words = sentence.split(" ")
    if len(words) < 6:
        return sentence
    del words[int(rng.integers(1, len(words) - 1))]
    return " ".join(words)


def _insert_word(sentence: str, rng: np.random.Generator) -> str:
    words = sentence.split(" ")
    words.insert(int(rng.integers(1, len(words) + 1)), _FILLERS[rng.integers(len(_FILLERS))])
    return " ".join(words)


_FILLERS = ("also", "now", "reportedly", "still", "already", "however", "indeed", "recently", "further")
_OPS = (_swap_word, _swap_word, _swap_word, _drop_word, _insert_word, _passive, _said, _cut_clause)


def reword(sentence: str, rng: np.random.Generator, ops: int) -> str:
    """One to `ops` copy-desk edits of a sentence."""
    for _ in range(int(rng.integers(1, ops + 1))):
        sentence = _OPS[rng.integers(len(_OPS))](sentence, rng)
    return sentence


def reword_paragraph(paragraph: str, rng: np.random.Generator, strength: Strength) -> str:
    lines = []
    for line in paragraph.split("\n"):
        parts = [reword(s, rng, strength.ops) if rng.random() < strength.reword else s for s in sentences(line)]
        lines.append(" ".join(parts))
    return "\n".join(lines)


def edit_paragraphs(paras: list[str], rng: np.random.Generator, strength: Strength,
                    extra: list[str]) -> list[str]:
    """Drop, move and add paragraphs; the lede stays first, as outlets keep it."""
    if not paras:
        return paras
    body = [p for p in paras[1:] if rng.random() >= strength.drop]
    if body and rng.random() < strength.move:
        moved = body.pop(int(rng.integers(len(body))))
        body.insert(int(rng.integers(len(body) + 1)), moved)
    for p in extra[:int(rng.integers(0, strength.add + 1))]:
        body.insert(int(rng.integers(len(body) + 1)), p)
    return [paras[0], *body]


def curly_quotes(text: str) -> str:
    text = re.sub(r'"(?=\w)', "“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(?<=\w)'", "’", text)
    return re.sub(r"'(?=\w)", "‘", text)


def straight_quotes(text: str) -> str:
    return re.sub(r"[“”]", '"', re.sub(r"[‘’]", "'", text))


def respace(text: str, rng: np.random.Generator) -> str:
    """The same text with other whitespace: single line breaks, doubled spaces, trailing blanks."""
    text = re.sub(r"\n\s*\n", "\n" if rng.random() < 0.5 else "\n\n\n", text)
    return re.sub(r" (?=\w)", lambda m: "  " if rng.random() < 0.05 else " ", text) + "  \n"


def new_headline(title: str, lede: str, rng: np.random.Generator) -> str:
    """An outlet's own headline: a reworded one, or one cut from the lede."""
    if rng.random() < 0.5:
        return reword(title, rng, 3)
    words = re.sub(r"[.!?]+$", "", sentences(lede)[0] if lede else title).split()
    return " ".join(words[:int(rng.integers(6, 13))]).rstrip(",;:")


# --- the corpus ---------------------------------------------------------------------------

_FIRST = "Daily Morning Evening Weekly National Metro Valley Coastal Northern Capital Harbour Prairie".split()
_SECOND = "Ledger Herald Courier Sentinel Tribune Gazette Post Chronicle Dispatch Observer Times Record".split()
_SECTIONS = "News World Politics Business Tech Sport Opinion Culture Science Health Travel Video".split()
_PEOPLE = ("Ana Ruiz|Ben Okafor|Chloe Martin|David Chen|Elif Yilmaz|Farah Khan|Greta Olsen|Hiro Tanaka|"
           "Ines Costa|Jonas Weber|Kemi Adeyemi|Liam Byrne|Maya Patel|Nils Berg|Omar Haddad|Priya Rao").split("|")
_EDITORIAL = (
    "{outlet} has contacted the people named in this story for comment and will update it when they respond.",
    "This story was first published by a wire service and has been edited by {outlet} staff for length and style.",
    "{outlet} readers have written to us about this for weeks; we will keep following the story as it develops.",
    "Do you have information about this story? Contact the {outlet} newsroom in confidence through our tip line.",
)
_STOCK = (
    "The investigation is ongoing and anyone with information is asked to contact police.",
    "More details are expected to be released later this week, officials said.",
    "This is a developing story and it will be updated as more information becomes available.",
    "The company did not immediately respond to a request for comment on Monday.",
    "Tickets are available online and at the door, and children under twelve go free.",
)
BRIEFS = 140  # stories cut to news-brief length: the short stories hard negatives are made of
COPY_KINDS = {  # kind: weight among the copies of a syndicated story
    "rewrite:light": 3, "rewrite:medium": 3, "rewrite:heavy": 3,
    "reword:light": 1, "reword:medium": 1, "reword:heavy": 1,
    "paragraphs:light": 1, "paragraphs:medium": 1, "paragraphs:heavy": 1,
    "truncate:0.6": 1, "truncate:0.4": 1, "truncate:0.25": 1,
    "republish": 1, "exact": 0.5, "whitespace": 0.5, "quotes": 0.5,
}


@dataclass(frozen=True)
class Article:
    title: str
    paras: list[str]

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paras)


@dataclass
class Doc:
    text: str
    story: int       # ground truth: documents of one story belong in one group
    kind: str        # original, a COPY_KINDS key, single, short, digest
    outlet: int
    published: str


@dataclass
class Corpus:
    docs: list[Doc]
    outlets: list[str]                          # host names
    negatives: dict[str, set[tuple[int, int]]]  # category -> story pairs that must stay apart


@dataclass(frozen=True)
class Outlet:
    name: str
    host: str
    top: tuple[str, ...]
    bottom: tuple[str, ...]
    curly: bool


def make_outlets(n: int, rng: np.random.Generator) -> list[Outlet]:
    names = [f"The {a} {b}" for a in _FIRST for b in _SECOND]
    picked = [names[i] for i in rng.choice(len(names), size=n, replace=False)]
    outlets = []
    for name in picked:
        sections = " | ".join(["Home", *rng.choice(_SECTIONS, size=6, replace=False)])
        top = (sections, "Subscribe | Sign in", "Advertisement")
        bottom = (f"Sign up for the {name[4:]} newsletter and get the day's top stories in your inbox.",
                  "Share this story: Facebook, X, WhatsApp, Email",
                  f"{name} is an independent newsroom. Support local journalism by subscribing today.",
                  f"© 2025 {name}. All rights reserved.")
        host = "www." + name[4:].lower().replace(" ", "") + ".com"
        outlets.append(Outlet(name, host, top, bottom, curly=bool(rng.random() < 0.5)))
    return outlets


def dress(title: str, paras: list[str], outlet: Outlet, date: str, related: str, rng: np.random.Generator) -> str:
    """A page's text as scraped: the outlet's chrome around headline, byline and body."""
    byline = f"By {_PEOPLE[rng.integers(len(_PEOPLE))]} | {date}"
    body = [title, byline, *paras]
    top = list(outlet.top[:int(rng.integers(1, len(outlet.top) + 1))])
    bottom = [f"Related: {related}", *outlet.bottom[int(rng.integers(0, 2)):]]
    text = "\n\n".join(top + body + bottom)
    return curly_quotes(text) if outlet.curly else straight_quotes(text)


def syndicate(article: Article, kind: str, rng: np.random.Generator, extra: list[str], outlet: Outlet) -> Article:
    """One outlet's copy of a story (chrome is added later, by `dress`)."""
    family, _, level = kind.partition(":")
    paras = list(article.paras)
    title = article.title
    if family in ("rewrite", "reword", "paragraphs"):
        strength = STRENGTHS[level]
        if family != "paragraphs":
            paras = [reword_paragraph(p, rng, strength) for p in paras]
        if family != "reword":
            own = [_EDITORIAL[rng.integers(len(_EDITORIAL))].format(outlet=outlet.name)]
            paras = edit_paragraphs(paras, rng, strength, own + extra)
        if rng.random() < 0.6:
            title = new_headline(title, paras[0] if paras else "", rng)
    elif family == "truncate":
        keep, total, cut = float(level), article.words, []
        for p in paras:
            cut.append(p)
            if sum(len(q.split()) for q in cut) >= keep * total:
                break
        paras = cut
    elif family == "republish" and rng.random() < 0.6:
        title = new_headline(title, paras[0] if paras else "", rng)
    return Article(title, paras)


# The range the benchmark aims at between any two versions of a story (the seeds share 43% of
# their word 5-grams): Jaccard from 0.3 up, or the smaller one mostly contained in the other.
RANGE_JACCARD = 0.3
RANGE_CONTAINED = 0.8
_LIGHTER = {"rewrite:heavy": "rewrite:medium", "rewrite:medium": "rewrite:light", "rewrite:light": "republish",
            "reword:heavy": "reword:medium", "reword:medium": "reword:light", "reword:light": "republish",
            "paragraphs:heavy": "paragraphs:medium", "paragraphs:medium": "paragraphs:light",
            "paragraphs:light": "republish", "truncate:0.25": "truncate:0.4", "truncate:0.4": "truncate:0.6",
            "truncate:0.6": "republish"}


def body(article: Article) -> str:
    return "\n\n".join([article.title, *article.paras])


def in_range(a: set[int], b: set[int]) -> bool:
    common = len(a & b)
    return common >= RANGE_JACCARD * (len(a) + len(b) - common) or common >= RANGE_CONTAINED * min(len(a), len(b))


def aimed_copy(article: Article, kind: str, rng: np.random.Generator, pool: list[Article], outlet: Outlet,
               versions: list[set[int]]) -> tuple[str, Article]:
    """A copy of `kind` within range of every other version of the story (the wire text included):
    drawn again a few times, then at a lighter strength, until it is. The last resort, a
    republished copy, is the wire text under another headline and is taken as it is."""
    while True:
        for _ in range(5):
            donor = pool[rng.integers(len(pool))]
            fitting = [p for p in donor.paras if 15 <= len(p.split()) <= 80]
            extra = [fitting[rng.integers(len(fitting))]] if fitting else []
            copy = syndicate(article, kind, rng, extra, outlet)
            if kind == "republish" or all(in_range(shingles(body(copy)), v) for v in versions):
                return kind, copy
        kind = _LIGHTER[kind]


def brief(article: Article, words: int) -> Article:
    """A news brief: the first paragraphs of an article, about `words` long."""
    paras: list[str] = []
    for p in article.paras:
        paras.append(p)
        if sum(len(q.split()) for q in paras) >= words:
            break
    return Article(article.title, paras)


def _date(rng: np.random.Generator, base: int | None = None) -> tuple[int, str]:
    day = int(rng.integers(0, 300)) if base is None else base + int(rng.integers(0, 4))
    month, mday = divmod(day, 28)
    return day, f"2025-{month + 1:02d}-{mday + 1:02d}"


def generate(articles: list[Article], seed: int, outlets: int = 24) -> Corpus:
    """Stories, their syndicated copies and the hard negatives, shuffled, from one seed."""
    rng = np.random.default_rng(seed)
    pool = distinct_articles([a for a in articles if a.words >= 60 and len(a.paras) >= 2])
    order = rng.permutation(len(pool))
    pool = [pool[i] for i in order]
    n = len(pool)
    short_sources, pool = pool[: n // 10], pool[n // 10:]
    houses = make_outlets(outlets, rng)
    docs: list[Doc] = []
    negatives: dict[str, set[tuple[int, int]]] = {"same_topic": set(), "shared_quote": set(), "series": set(),
                                                  "digest": set(), "short": set()}
    headlines = [a.title for a in pool]

    def add(article: Article, story: int, kind: str, outlet: int, date: str) -> None:
        related = headlines[rng.integers(len(headlines))]
        docs.append(Doc(dress(article.title, article.paras, houses[outlet], date, related, rng),
                        story, kind, outlet, date))

    stories = list(pool)
    home_of: dict[int, int] = {}
    stories[:BRIEFS] = [brief(a, int(rng.integers(80, 250))) for a in stories[:BRIEFS]]
    short = [i for i, a in enumerate(stories) if a.words <= 400]
    long = [i for i, a in enumerate(stories) if a.words > 400]
    # independent long stories on one topic
    for i, j in same_topic_pairs([stories[k] for k in long], max_pairs=40):
        negatives["same_topic"].add((long[i], long[j]))
    # shorter stories on one topic that quote the same statement (up to a third of the shorter one)
    quotes = [p for a in short_sources for p in a.paras if 25 <= len(p.split()) <= 80]
    quoting = same_topic_pairs([stories[k] for k in short], max_pairs=30)
    for i, j in quoting:
        a, b = short[i], short[j]
        negatives["same_topic"].add((a, b))
        picked = [quotes[q] for q in rng.choice(len(quotes), size=2, replace=False)]
        while picked and sum(len(q.split()) for q in picked) > min(stories[a].words, stories[b].words) / 3:
            picked.pop()
        if picked:
            for s in (a, b):
                paras = list(stories[s].paras)
                for q in picked:
                    paras.insert(int(rng.integers(1, len(paras) + 1)), f'"{q}"')
                stories[s] = Article(stories[s].title, paras)
            negatives["shared_quote"].add((a, b))
    # series: shorter stories of one outlet ending in the same paragraph (an author's note), on
    # too few of its pages for a site template
    taken = {short[k] for pair in quoting for k in pair}
    free = sorted((k for k in short if k not in taken), key=lambda k: stories[k].words)  # shortest: hardest
    notes = [p for a in short_sources for p in a.paras if 30 <= len(p.split()) <= 60]
    for n_series in range(min(10, len(free) // 4)):
        members, outlet = free[4 * n_series: 4 * n_series + 4], int(rng.integers(outlets))
        note = notes[rng.integers(len(notes))]
        for s in members:
            stories[s] = Article(stories[s].title, [*stories[s].paras, note])
            home_of[s] = outlet
        negatives["series"].update((a, b) for k, a in enumerate(members) for b in members[k + 1:])
    # every pool article is a story: about half are syndicated by other outlets
    kinds, weights = list(COPY_KINDS), np.array(list(COPY_KINDS.values()), dtype=float)
    for story, article in enumerate(stories):
        home = home_of.get(story, int(rng.integers(outlets)))
        day, date = _date(rng)
        if rng.random() >= 0.5:
            add(article, story, "single", home, date)
            continue
        if rng.random() < 0.8:
            add(article, story, "original", home, date)
        n_copies = int(rng.choice([1, 2, 3], p=[0.5, 0.3, 0.2]))
        others = [o for o in rng.permutation(outlets) if o != home]
        versions = [shingles(body(article))]  # the wire text, whether or not it is on a page
        for c in range(n_copies):
            kind = kinds[rng.choice(len(kinds), p=weights / weights.sum())]
            while kind.startswith("truncate") and article.words < 300:  # teasers are of long stories
                kind = kinds[rng.choice(len(kinds), p=weights / weights.sum())]
            _, copy_date = _date(rng, day)
            if kind in ("exact", "whitespace", "quotes"):
                source = next((d for d in docs if d.story == story), None)
                if source is None:  # no original on a page yet: this copy is of the original's page
                    add(article, story, "original", home, date)
                    source = docs[-1]
                requote = straight_quotes if houses[home].curly else curly_quotes
                text = {"exact": source.text, "whitespace": respace(source.text, rng),
                        "quotes": requote(source.text)}[kind]
                docs.append(Doc(text, story, kind, home, copy_date))
                continue
            outlet = int(others[c])
            kind, copy = aimed_copy(article, kind, rng, pool, houses[outlet], versions)
            versions.append(shingles(body(copy)))
            add(copy, story, kind, outlet, copy_date)
    # digest pages: the ledes of several stories, each a small part of its story
    cut = {d.story for d in docs if d.kind.startswith("truncate")}  # a lede-only copy belongs in a digest
    long_stories = [s for s, a in enumerate(stories)
                    if len(a.paras) >= 5 and len(a.paras[0].split()) <= 0.2 * a.words and s not in cut]
    ledes = [int(m) for m in rng.choice(long_stories, size=min(75, len(long_stories)), replace=False)]
    for d in range(len(ledes) // 5):
        story = len(stories) + d
        members = ledes[5 * d: 5 * d + 5]
        paras = [stories[m].paras[0] for m in members]
        add(Article("Today's top stories", paras), story, "digest", int(rng.integers(outlets)), _date(rng)[1])
        negatives["digest"].update((m, story) for m in members)
    # very short documents: single sentences, some ending in the same stock sentence
    base = len(stories) + len(ledes) // 5
    lines = [s for a in short_sources for p in a.paras for s in sentences(p) if 4 <= len(s.split()) <= 25]
    picked = [lines[i] for i in rng.choice(len(lines), size=min(150, len(lines)), replace=False)]
    for k, line in enumerate(picked):
        text = line if k % 2 else f"{line} {_STOCK[k % len(_STOCK)]}"
        outlet = int(rng.integers(outlets))
        docs.append(Doc(text, base + k, "short", outlet, _date(rng)[1]))
        if k % 10 == 0:
            docs.append(Doc(respace(curly_quotes(text), rng), base + k, "short_copy", outlet, _date(rng)[1]))
    shorts = list(range(base, base + len(picked)))
    negatives["short"].update((a, b) for i, a in enumerate(shorts) for b in shorts[i + 1:])
    shuffled = [docs[i] for i in rng.permutation(len(docs))]
    return Corpus(shuffled, [h.host for h in houses], negatives)


def shingles(text: str, n: int = 5) -> set[int]:
    """Word n-grams (lowercase \\w+ words) as hashes; a plain reference, independent of prep."""
    words = re.findall(r"\w+", text.lower())
    return {hash(tuple(words[i:i + n])) for i in range(max(len(words) - n + 1, 1 if words else 0))}


def distinct_articles(articles: list[Article]) -> list[Article]:
    """The articles minus any that copies or largely contains another (the data has a few)."""
    sets = [shingles("\n".join(a.paras)) for a in articles]
    index: dict[int, list[int]] = {}
    for i, s in enumerate(sets):
        for h in s:
            index.setdefault(h, []).append(i)
    drop = set()
    for i, s in enumerate(sets):
        shared: dict[int, int] = {}
        for h in s:
            for j in index[h]:
                if j < i:
                    shared[j] = shared.get(j, 0) + 1
        for j, common in shared.items():
            if j not in drop and common >= 0.2 * min(len(s), len(sets[j])):
                drop.add(i)
                break
    return [a for i, a in enumerate(articles) if i not in drop]


def same_topic_pairs(articles: list[Article], max_pairs: int) -> list[tuple[int, int]]:
    """Disjoint pairs of articles nearest by TF-IDF of their words: same topic, other stories."""
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, a in enumerate(articles):
        for w in re.findall(r"[a-z]{4,}", " ".join(a.paras).lower()):
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    tf = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(articles), len(vocab)))
    tf.sum_duplicates()
    df = np.bincount(tf.indices, minlength=len(vocab))
    tfidf = csr_matrix(tf.multiply(np.log(len(articles) / df)))
    tfidf = csr_matrix(tfidf.multiply(1 / np.sqrt(tfidf.multiply(tfidf).sum(axis=1))))
    cos = (tfidf @ tfidf.T).toarray()
    np.fill_diagonal(cos, 0)
    pairs, used = [], set()
    for flat in np.argsort(-cos, axis=None):
        i, j = divmod(int(flat), len(articles))
        if i < j and i not in used and j not in used:
            pairs.append((i, j))
            used.update((i, j))
            if len(pairs) == max_pairs:
                break
    return pairs
