"""Near-duplicate grouping quality and cost, on a labelled corpus built from real articles.

    .venv/bin/python tests/benchmarks/dedup_bench.py [--data ../shared/data/wcxb-dev-articles]
        [--seed 1] [--config FILE] [--speed-docs 100000] [--no-sweep] [--explain]

The article texts are WCXB's (Web Content eXtraction Benchmark, 2026, by Murrough Foley,
CC-BY-4.0): credit it wherever figures from this benchmark are published.

1. Builds a labelled corpus (dedup_corpus.py) and writes it as JSONL records, one file per
   crawl day, each page under its outlet's URL.
2. Runs `prep run` on it, exactly as a user would, and scores the groups it wrote against the
   stories: pairwise precision/recall/F1, adjusted Rand index, group count and size, merges
   of hard negatives, per-edit recall, time and peak memory of the run.
3. Re-groups the run's cleaned texts in-process with the same functions a run uses
   (compute_features, group_documents) over a range of thresholds and shingle settings: the
   threshold curve. At the run's own settings this gives the run's groups again (checked).
4. Runs the seeds and reports their group.
With --speed-docs N it also times signatures and grouping on N news-sized documents in one
process, for 128 and 256 permutations. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import polars as pl
from dedup_corpus import Article, Corpus, generate, paragraphs
from scipy.special import comb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from prep.config import Config, DedupConfig  # noqa: E402
from prep.dedup.features import compute_features  # noqa: E402
from prep.dedup.groups import group_documents  # noqa: E402
from prep.dedup.store import ShardFeatures  # noqa: E402
from tests.dedup.helpers import fold, reference_tokens  # noqa: E402

THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8)
FILES = 4  # crawl days: input files, hence shards of the run
SWEEP = ({"ngram": 3}, {"ngram": 4}, {"ngram": 5}, {"num_perm": 128, "bands": 64}, {"num_perm": 256, "bands": 128},
         {"min_shingles": 1}, {"min_shingles": 32}, {"min_shingles": 64},
         {"containment": 0.7}, {"containment": 0.9})  # each: one change to the run's settings
NEGATIVES = ("any_false_merge", "same_site", "series", "same_topic", "shared_quote", "digest", "short")


def load_articles(data: Path) -> list[Article]:
    out = []
    for path in sorted((data / "ground-truth").glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))["ground_truth"]
        if truth.get("main_content"):
            out.append(Article(truth.get("title") or "", paragraphs(truth["main_content"])))
    return out


def write_corpus(corpus: Corpus, folder: Path) -> None:
    folder.mkdir(parents=True)
    for k in range(FILES):
        with gzip.open(folder / f"day-{k}.jsonl.gz", "wt", encoding="utf-8") as f:
            for i in range(k, len(corpus.docs), FILES):
                doc = corpus.docs[i]
                record = {"id": f"r{i:05d}", "url": f"https://{corpus.outlets[doc.outlet]}/{doc.published}/story-{i}",
                          "published": doc.published, "text": doc.text}
                f.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_prep(inputs: list[Path], out: Path, config: Path | None) -> tuple[float, float, float]:
    """Run the real CLI; (seconds, peak RSS and peak PSS in MB summed over it and its helper
    processes)."""
    cmd = [str(Path(sys.executable).parent / "prep"), "run", *map(str, inputs), "--out", str(out), "--overwrite"]
    if config:
        cmd += ["--config", str(config)]
    return timed_run(cmd)


def timed_run(args: list[str]) -> tuple[float, float, float]:
    """Run a command; (wall seconds, peak RSS and peak PSS in MB of its process tree). RSS
    summed over processes counts pages they share (what forked workers share with the process
    they were forked from) once per process; PSS shares them out, so its sum is the physical
    memory the tree holds.

    RSS is sampled every 50 ms from /proc/<pid>/status, which costs nothing measurable. PSS is
    sampled once a second: reading smaps_rollup walks the page tables of every process of the
    tree, and doing so every 50 ms slowed the measured run itself on 2 cores."""
    start = time.perf_counter()
    peak_rss = peak_pss = 0
    last_pss = -math.inf
    with subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
        while proc.poll() is None:
            pids = process_tree(proc.pid)
            peak_rss = max(peak_rss, sum(proc_status_kb(pid, "VmRSS") for pid in pids))
            if time.perf_counter() - last_pss >= PSS_EVERY:
                peak_pss, last_pss = max(peak_pss, sum(_smaps_pss_kb(pid) for pid in pids)), time.perf_counter()
            time.sleep(0.05)
        err = proc.stderr.read()
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        sys.exit(f"{' '.join(args)} failed ({proc.returncode}): {err[-2000:]}")
    return seconds, peak_rss / 1024, peak_pss / 1024


PSS_EVERY = 1.0  # seconds between PSS samples


def process_tree(pid: int) -> list[int]:
    """A process and its descendants, from /proc (Linux); processes that end meanwhile are left out."""
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                pids += process_tree(int(child))
    except (FileNotFoundError, ProcessLookupError):
        return []
    return pids


def _smaps_pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def proc_status_kb(pid: int | str, field: str) -> int:
    """A field of /proc/<pid>/status in kB; 0 for a process that has ended."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def read_output(out: Path) -> pl.DataFrame:
    """Every record that reached dedup, in input order, with its group."""
    frames = [pl.read_parquet(out / table / "*.parquet") for table in ("corpus", "dropped")]
    rows = pl.concat(frames, how="diagonal")
    if "drop_reason" not in rows.columns:
        rows = rows.with_columns(drop_reason=pl.lit(None, pl.String))
    return (rows.filter(pl.col("drop_reason").is_null() | pl.col("drop_reason").is_in(
                ["exact_duplicate", "near_duplicate"]))
            .with_columns(doc=pl.col("source_id").str.slice(1).cast(pl.Int64))
            .sort("source_path", "source_index"))


# --- scores -------------------------------------------------------------------------------

def pair_scores(truth: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Pairwise precision/recall/F1 and the adjusted Rand index, from the contingency table.

    Written out (a few lines over numpy/scipy) rather than taken from scikit-learn, which
    prep does not otherwise need.
    """
    _, t = np.unique(truth, return_inverse=True)
    _, p = np.unique(predicted, return_inverse=True)
    _, joint = np.unique(t.astype(np.int64) * (p.max() + 1) + p, return_counts=True)
    same_both = comb(joint, 2).sum()
    same_truth = comb(np.bincount(t), 2).sum()
    same_pred = comb(np.bincount(p), 2).sum()
    precision = same_both / same_pred if same_pred else 1.0
    recall = same_both / same_truth if same_truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    expected = same_truth * same_pred / comb(len(truth), 2)
    top = (same_truth + same_pred) / 2
    ari = (same_both - expected) / (top - expected) if top != expected else 1.0
    return {"precision": precision, "recall": recall, "f1": f1, "ari": ari,
            "groups": len(np.unique(p)), "largest": int(np.bincount(p).max())}


def merged_story_pairs(stories: np.ndarray, predicted: np.ndarray) -> set[tuple[int, int]]:
    """Pairs of different stories that share a predicted group."""
    by_group: dict[str, set[int]] = defaultdict(set)
    for s, g in zip(stories.tolist(), predicted.tolist(), strict=True):
        by_group[g].add(s)
    pairs = set()
    for members in by_group.values():
        ordered = sorted(members)
        pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
    return pairs


def negative_merges(corpus: Corpus, docs: np.ndarray, predicted: np.ndarray) -> dict[str, int]:
    stories = np.array([corpus.docs[d].story for d in docs])
    merged = merged_story_pairs(stories, predicted)
    outlets: dict[int, set[int]] = defaultdict(set)
    for d in corpus.docs:
        outlets[d.story].add(d.outlet)
    counts = {name: len(merged & pairs) for name, pairs in corpus.negatives.items()}
    counts["same_site"] = sum(bool(outlets[a] & outlets[b]) for a, b in merged)
    counts["any_false_merge"] = len(merged)
    return counts


def true_shingles(texts: list[str], ngram: int = 5) -> list[set[tuple[str, ...]]]:
    """Shingle sets with prep's own tokens: the Jaccard that MinHash estimates."""
    sets = []
    for text in texts:
        words = reference_tokens(fold(text))
        sets.append({tuple(words[i:i + ngram]) for i in range(max(len(words) - ngram + 1, 1))})
    return sets


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def pair_ranges(corpus: Corpus, rows: pl.DataFrame, sets: list[set]) -> None:
    """How alike the documents that must group are, and the ones that must not, after cleaning."""
    by_story: dict[int, list[int]] = defaultdict(list)
    for i, d in enumerate(rows["doc"].to_list()):
        by_story[corpus.docs[d].story].append(i)
    inside = [jaccard(sets[a], sets[b]) for m in by_story.values() for k, a in enumerate(m) for b in m[k + 1:]]
    q = np.quantile(inside, [0.05, 0.25, 0.5, 0.75, 0.95])
    print(f"  true word-5-gram Jaccard of the {len(inside)} pairs inside stories, after cleaning: "
          f"quantiles 5/25/50/75/95% {np.round(q, 3).tolist()}; "
          f"{np.mean((np.array(inside) >= 0.3) & (np.array(inside) <= 0.6)):.1%} in 0.3-0.6, "
          f"{np.mean(np.array(inside) < 0.3):.1%} below 0.3")
    for name, pairs in corpus.negatives.items():
        worst = max((jaccard(sets[a], sets[b]) for s, t in pairs for a in by_story[s] for b in by_story[t]),
                    default=0.0)
        print(f"  hard negatives {name}: {len(pairs)} story pairs, highest true Jaccard {worst:.3f}")


def separation(corpus: Corpus, rows: pl.DataFrame, min_shingles: int) -> None:
    """For word 3-, 4- and 5-grams: the gap between the least alike pairs that must group
    (leaving out pairs where one is mostly contained in the other: containment finds those)
    and the most alike pairs that must not (of documents long enough to be compared at all)."""
    stories = [corpus.docs[d].story for d in rows["doc"].to_list()]
    by_story: dict[int, list[int]] = defaultdict(list)
    for i, story in enumerate(stories):
        by_story[story].append(i)
    print("| shingle | pairs that must group: Jaccard at 1% / 5% | pairs that must not: highest Jaccard |")
    print("|---|---|---|")
    for n in (3, 4, 5):
        sets = true_shingles(rows["text"].to_list(), n)
        inside = [jaccard(sets[a], sets[b]) for m in by_story.values() for k, a in enumerate(m) for b in m[k + 1:]
                  if len(sets[a] & sets[b]) < 0.8 * min(len(sets[a]), len(sets[b]))]
        apart = [jaccard(sets[a], sets[b]) for pairs in corpus.negatives.values() for s, t in pairs
                 for a in by_story[s] for b in by_story[t] if min(len(sets[a]), len(sets[b])) >= min_shingles]
        low = np.quantile(inside, [0.01, 0.05])
        print(f"| word {n}-grams | {low[0]:.3f} / {low[1]:.3f} | {max(apart):.3f} |")


def explain(corpus: Corpus, rows: pl.DataFrame, predicted: np.ndarray, sets: list[set], limit: int = 12) -> None:
    """Examples of what went wrong: documents of different stories in one group, and
    documents of one story in different groups (with the kinds and the true Jaccard)."""
    docs = rows["doc"].to_list()
    kind = [corpus.docs[d].kind for d in docs]
    story = [corpus.docs[d].story for d in docs]
    wrong, missed = [], []
    for a in range(len(docs)):
        for b in range(a + 1, len(docs)):
            same_story, same_group = story[a] == story[b], predicted[a] == predicted[b]
            if same_story != same_group and (same_group or len(missed) < limit):
                contained = len(sets[a] & sets[b]) / max(min(len(sets[a]), len(sets[b])), 1)
                (wrong if same_group else missed).append(
                    f"    {kind[a]} ({len(sets[a])} shingles) ~ {kind[b]} ({len(sets[b])}): "
                    f"J {jaccard(sets[a], sets[b]):.3f}, contained {contained:.2f}")
    print(f"  merged across stories: {len(wrong)} document pairs", *wrong[:limit], sep="\n")
    print("  split inside stories (first ones):", *missed, sep="\n")


def per_kind(corpus: Corpus, rows: pl.DataFrame, predicted: np.ndarray, sets: list[set]) -> pl.DataFrame:
    """For each kind of copy: how many, their true 5-gram Jaccard to the story's original after
    cleaning, and the share that landed in the group holding most of their story."""
    docs = rows["doc"].to_numpy()
    stories = np.array([corpus.docs[d].story for d in docs])
    kinds = [corpus.docs[d].kind for d in docs]
    main: dict[int, str] = {}
    for story, groups in pl.DataFrame({"s": stories, "g": predicted}).group_by("s").agg("g").iter_rows():
        main[story] = Counter(groups).most_common(1)[0][0]
    original = {s: i for i, (s, k) in enumerate(zip(stories, kinds, strict=True)) if k == "original"}
    table = []
    for i, (story, kind) in enumerate(zip(stories.tolist(), kinds, strict=True)):
        if kind in ("single", "original", "digest", "short"):
            continue
        o = original.get(story)
        jac = jaccard(sets[i], sets[o]) if o is not None else None
        table.append({"kind": kind, "jaccard": jac, "joined": predicted[i] == main[story]})
    return (pl.DataFrame(table).group_by("kind").agg(
                n=pl.len(), j_min=pl.col("jaccard").min(), j_median=pl.col("jaccard").median(),
                j_max=pl.col("jaccard").max(), joined=pl.col("joined").mean())
            .sort("kind"))


# --- the threshold curve ------------------------------------------------------------------

def regroup(rows: pl.DataFrame, config: DedupConfig, tmp: Path) -> dict[float, np.ndarray]:
    """Groups of the run's cleaned texts at every threshold, with a run's own functions."""
    docs = rows.select(order=pl.int_range(pl.len()).cast(pl.Int64), doc_id="doc_id", text="text",
                       published="published")
    feats = compute_features(docs, config)
    paths = ShardFeatures.in_folder(tmp, "shard")
    paths.save(feats)
    out = {}
    for threshold in sorted({*THRESHOLDS, config.threshold}):
        decided = group_documents([paths], config.model_copy(update={"threshold": threshold})).sort("order")
        out[threshold] = decided["cluster_id"].to_numpy()
    return out


def curve(rows: pl.DataFrame, corpus: Corpus, config: DedupConfig, tmp: Path, label: str) -> dict[float, np.ndarray]:
    truth = np.array([corpus.docs[d].story for d in rows["doc"]])
    grouped = regroup(rows, config, tmp)
    print(f"\nthreshold curve, {label}:")
    print("| threshold | precision | recall | F1 | ARI | groups | false merges: " + " / ".join(NEGATIVES) + " |")
    print("|---|---|---|---|---|---|---|")
    for threshold, predicted in grouped.items():
        s = pair_scores(truth, predicted)
        neg = negative_merges(corpus, rows["doc"].to_numpy(), predicted)
        mark = " (run)" if threshold == config.threshold else ""
        print(f"| {threshold:.2f}{mark} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} | "
              f"{s['ari']:.4f} | {s['groups']} | {' / '.join(str(neg[k]) for k in NEGATIVES)} |")
    return grouped


# --- speed --------------------------------------------------------------------------------

def _time_dedup(texts_file: str, config: DedupConfig, shard: int, queue) -> None:
    """In a fresh process: features shard by shard, then the global grouping; time and RSS."""
    base = proc_status_kb("self", "VmRSS")
    docs = pl.read_parquet(texts_file)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        shards = []
        for k, lo in enumerate(range(0, docs.height, shard)):
            feats = compute_features(docs.slice(lo, shard), config)
            paths = ShardFeatures.in_folder(Path(tmp), f"shard-{k}")
            paths.save(feats)
            shards.append(paths)
        mid = time.perf_counter()
        decided = group_documents(shards, config)
        end = time.perf_counter()
    queue.put({"features": mid - start, "groups": end - mid, "dups": int(decided["dup_reason"].is_not_null().sum()),
               "rss": proc_status_kb("self", "VmHWM") / 1024, "base": base / 1024})


def timed(texts_file: Path, config: DedupConfig, shard: int = 5000) -> dict:
    """Time dedup in a fresh process (spawned, not forked), so that its peak RSS is its own."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_time_dedup, args=(str(texts_file), config, shard, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def news_sized(articles: list[Article], n: int, seed: int, path: Path) -> int:
    """Write n news-sized documents (100-900 words drawn from the articles' word frequencies,
    so unrelated as different stories are; 5% exact and 5% near copies of another) to a
    Parquet file shaped as dedup's input. Returns the number of words."""
    counts = Counter(w for a in articles for p in a.paras for w in p.split())
    vocab = np.array(list(counts), dtype=object)
    freq = np.array(list(counts.values()), dtype=float)
    rng = np.random.default_rng(seed)
    lengths = rng.integers(100, 900, size=n)
    words = vocab[rng.choice(len(vocab), size=int(lengths.sum()), p=freq / freq.sum())]
    ends = np.cumsum(lengths)
    texts = [" ".join(words[end - length:end]) for end, length in zip(ends, lengths, strict=True)]
    del words
    for k, i in enumerate(rng.choice(n, size=n // 10, replace=False)):
        source = texts[(i + 1) % n].split(" ")
        if k % 2:
            for j in rng.choice(len(source), size=len(source) // 20, replace=False):
                source[j] = vocab[rng.integers(len(vocab))]
        texts[i] = " ".join(source)
    pl.DataFrame({"order": np.arange(n), "doc_id": [f"d{i:08d}" for i in range(n)], "text": texts,
                  "published": [None] * n},
                 schema={"order": pl.Int64, "doc_id": pl.String, "text": pl.String, "published": pl.String}
                 ).write_parquet(path)
    return int(lengths.sum())


# --- main ---------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/wcxb-dev-articles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--config", type=Path, help="a prep config for the run (default: the defaults)")
    parser.add_argument("--speed-docs", type=int, default=0, help="also time dedup on this many documents")
    parser.add_argument("--no-sweep", action="store_true", help="skip the shingle/permutation sweep")
    parser.add_argument("--explain", action="store_true", help="show examples of false merges and splits")
    args = parser.parse_args()
    config = (Config.model_validate(tomllib.loads(args.config.read_text())) if args.config else Config()).dedup
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {os.cpu_count()} cores, {memory:.0f} GB, load average {os.getloadavg()[0]:.1f} "
          "(times are wall clock: other work on the machine slows them)")
    print(f"dedup config: {config.model_dump()}")

    articles = load_articles(args.data)
    start = time.perf_counter()
    corpus = generate(articles, args.seed)
    print(f"\ncorpus (seed {args.seed}) from {len(articles)} articles in {time.perf_counter() - start:.1f} s: "
          f"{len(corpus.docs)} documents, {len({d.story for d in corpus.docs})} stories, "
          f"{len(corpus.outlets)} outlets")
    print("  kinds:", dict(sorted(Counter(d.kind for d in corpus.docs).items())))
    print("  hard-negative story pairs:", {k: len(v) for k, v in corpus.negatives.items()}, "+ same_site")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_corpus(corpus, tmp / "in")
        seconds, rss, pss = run_prep([tmp / "in"], tmp / "out", args.config)
        rows = read_output(tmp / "out")
        manifest = json.loads((tmp / "out/manifest.json").read_text())
        docs = rows["doc"].to_numpy()
        truth = np.array([corpus.docs[d].story for d in docs])
        predicted = rows["cluster_id"].to_numpy()
        s = pair_scores(truth, predicted)
        print(f"\nprep run: {seconds:.1f} s wall, peak RSS {rss:.0f} MB, PSS {pss:.0f} MB; "
              f"stage seconds {manifest['timings_seconds']}")
        print(f"  {len(corpus.docs) - len(rows)} of {len(corpus.docs)} records dropped before dedup "
              f"{manifest['counts']['drop_reasons']}")
        print(f"  precision {s['precision']:.4f}  recall {s['recall']:.4f}  F1 {s['f1']:.4f}  ARI {s['ari']:.4f}")
        print(f"  groups {s['groups']} (true {len(np.unique(truth))}), largest group {s['largest']} "
              f"(true {np.bincount(np.unique(truth, return_inverse=True)[1]).max()})")
        print("  hard-negative merges (story pairs):", negative_merges(corpus, docs, predicted))
        sets = true_shingles(rows["text"].to_list())
        pair_ranges(corpus, rows, sets)
        separation(corpus, rows, config.min_shingles)
        if args.explain:
            explain(corpus, rows, predicted, sets)
        with pl.Config(tbl_rows=40, tbl_hide_dataframe_shape=True, float_precision=3,
                       tbl_formatting="MARKDOWN", tbl_hide_column_data_types=True):
            print("\nper copy kind: true word-5-gram Jaccard to the original after cleaning, share joined:")
            print(per_kind(corpus, rows, predicted, sets))

        (tmp / "work").mkdir()
        grouped = curve(rows, corpus, config, tmp / "work", "the run's settings")
        same = bool((grouped[config.threshold] == predicted).all())
        print(f"  in-process groups at the run's threshold equal the run's: {same}")
        if not args.no_sweep:
            for update in SWEEP:
                variant = DedupConfig.model_validate({**config.model_dump(), **update})
                if variant != config:
                    curve(rows, corpus, variant, tmp / "work", "the run's but " + ", ".join(
                        f"{k} {v}" for k, v in update.items()))

        seeds_out = tmp / "seeds"
        run_prep([ROOT / "seeds"], seeds_out, args.config)
        seeds = read_output(seeds_out)
        print(f"\nseeds: {seeds.height} documents in {seeds['cluster_id'].n_unique()} group(s), "
              f"similarity {seeds['similarity'].drop_nulls().to_list()}")

    if args.speed_docs:
        with tempfile.TemporaryDirectory() as tmp:
            texts = Path(tmp) / "texts.parquet"
            words = news_sized(articles, args.speed_docs, args.seed, texts)
            print(f"\nspeed: {args.speed_docs} documents, {words / args.speed_docs:.0f} words on average, 10% copies; "
                  "one process, shards of 5000")
            for perms in (128, 256):
                variant = config.model_copy(update={"num_perm": perms,
                                                    "bands": perms // (config.num_perm // config.bands)})
                t = timed(texts, variant)
                total = t["features"] + t["groups"]
                print(f"  num_perm {perms}: features {t['features']:.1f} s ({args.speed_docs / t['features']:,.0f} "
                      f"docs/s, {words / t['features'] / 1e6:.2f} M words/s), groups {t['groups']:.1f} s; "
                      f"{args.speed_docs / total:,.0f} docs/s in all; peak RSS {t['rss']:.0f} MB "
                      f"({t['base']:.0f} MB at start); {t['dups']} duplicates found; "
                      f"load average {os.getloadavg()[0]:.1f}")

if __name__ == "__main__":
    main()
