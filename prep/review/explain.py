"""`prep explain`: why one document ended where it did.

For one record: where it came from, every line cleaning removed with the rule that removed it,
its duplicate group with each member's similarity to the kept document, and which member was
kept and by which rule of the run's config, so that a person who did not run prep can check
the decision without reading code.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import polars as pl
from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from prep.dedup.keep import KEEP_RULES
from prep.review.rescore import chrome_scores, model_in_use
from prep.review.rule_docs import rule_docs
from prep.review.stats import WORDS
from prep.sinks.output import OutputError, RunOutput

PROVENANCE = ("source_path", "source_index", "source_format", "source_sha256", "source_id", "url", "title",
              "published", "extractor")
SHOWN_MATCHES = 5
RESCORED = ("computed again by explain (the output keeps a removed line's rule, not its score); where the "
            "line stood among the kept ones is not kept either, so it was scored at each place it could "
            "have stood: the lowest and highest probability")
DOC_ID_SHOWN = 16  # characters of a doc_id in tables: unique in practice, and explain takes prefixes


class NotFound(OutputError):
    """No document, or more than one, answers to what was asked for (exit code 2)."""


def find(run: RunOutput, query: str) -> dict:
    """The one record whose doc_id is `query` or starts with it, whose url or source_id is
    `query`, or that comes from the file `query` names: its source_path, or the path given to
    `prep run` (as typed then, or absolute); `PATH#N` picks the file's record number N."""
    docs = run.documents()
    exact = docs.filter(pl.col("doc_id") == query).collect()
    if exact.height:
        return exact.row(0, named=True)
    path, index = query, None
    if numbered := re.fullmatch(r"(.+)#(\d+)", query):
        path, index = numbered.group(1), int(numbered.group(2))
    from_file = pl.col("source_path").is_in(source_paths(run, path))
    if index is not None:
        from_file &= pl.col("source_index") == index
    found = docs.filter(pl.col("doc_id").str.starts_with(query) | (pl.col("url") == query)
                        | (pl.col("source_id") == query) | from_file).collect()
    if found.height == 1:
        return found.row(0, named=True)
    if not found.height:
        raise NotFound(f"no document '{query}' in {run.path}: give a doc_id or a unique start of one, a URL, "
                       f"a source id or an input file's path (`prep inspect {run.path}` shows some)")
    shown = "; ".join(f"{r['doc_id']} ({r['source_path']}#{r['source_index']})"
                      for r in found.sort("doc_id").head(SHOWN_MATCHES).iter_rows(named=True))
    more = f"; and {found.height - SHOWN_MATCHES} more" if found.height > SHOWN_MATCHES else ""
    raise NotFound(f"'{query}' matches {found.height} documents: {shown}{more}; give more of the doc_id, "
                   "or PATH#N for a file's record N")


def source_paths(run: RunOutput, path: str) -> list[str]:
    """The source_path values `path` may stand for: itself, and the file it names under one of
    the run's inputs, as a source_path names it (the input's folder or file name, then the path
    inside it). `path` is taken as typed for `prep run` (from the directory the run was started
    in, which its manifest records) or from here, or absolute."""
    started_in = run.manifest.get("invocation", {}).get("cwd") or os.getcwd()
    wanted = {os.path.normpath(path), os.path.abspath(path), os.path.normpath(os.path.join(started_in, path))}
    found = [path]
    for root in run.manifest["inputs"]["roots"]:
        absolute = os.path.normpath(os.path.join(started_in, root))
        name = Path(absolute).name or "/"  # as prep.sources.discover names an input
        for given in {os.path.normpath(root), absolute}:
            for target in wanted:
                if target == given:
                    found.append(name)
                elif target.startswith(given.rstrip(os.sep) + os.sep):
                    found.append(f"{name}/{Path(os.path.relpath(target, given)).as_posix()}")
    return found


def complete_doc_ids(run: RunOutput, start: str, limit: int = 50) -> list[str]:
    """doc_ids beginning with `start`, for shell completion."""
    return (run.documents().select("doc_id").filter(pl.col("doc_id").str.starts_with(start))
            .sort("doc_id").head(limit).collect()["doc_id"].to_list())


def _members(run: RunOutput, cluster_id: str) -> list[dict]:
    return (
        run.documents().filter(pl.col("cluster_id") == cluster_id)
        .select("doc_id", "drop_reason", "similarity", "title", "published", "source_path", "source_index",
                chars=pl.col("text").str.len_chars(), words=pl.col("text").str.count_matches(WORDS))
        .with_columns(kept=(pl.col("doc_id") == cluster_id) & pl.col("drop_reason").is_null())
        .sort(["kept", "similarity", "doc_id"], descending=[True, True, False], nulls_last=True)
        .collect().to_dicts()
    )


def _why_kept(keep: str, kept: dict) -> str:
    return f"dedup.keep = \"{keep}\": {KEEP_RULES[keep].why(kept)}"


def _kept_earlier(run: RunOutput) -> str:
    paths = ", ".join(entry["path"] for entry in run.manifest.get("against", []))
    return (f"the kept document is in an earlier output this run was deduplicated against ({paths}): "
            "documents of earlier outputs are never dropped")


def _verdict(doc: dict, words: int, dedup: dict, min_words: int) -> str:
    reason = doc["drop_reason"]
    if reason is None:
        if doc["cluster_size"] > 1:
            return f"kept in {doc['part']}, for a group of {doc['cluster_size']} copies"
        return f"kept in {doc['part']}; no other document is a copy of it"
    kind = reason
    if kind == "exact_duplicate":
        return (f"dropped: an exact copy of {doc['cluster_id']} (the same text once case, quotes, dashes and "
                "whitespace are folded)")
    if kind == "near_duplicate":
        similarity = doc["similarity"]
        if similarity is not None and similarity >= dedup["threshold"]:
            why = f"estimated Jaccard similarity {similarity:.3f} ≥ dedup.threshold {dedup['threshold']}"
        else:
            why = (f"estimated Jaccard similarity {similarity:.3f} is under dedup.threshold {dedup['threshold']}, "
                   f"but at least {dedup['containment']:.0%} (dedup.containment) of its shingles are in the kept one")
        return f"dropped: a near-duplicate of {doc['cluster_id']}: {why}"
    if kind == "empty":
        return "dropped: no text was left after cleaning" + (
            f"; all {len(doc['removed'])} of its lines were removed" if doc["removed"] else "")
    if kind == "too_short":
        return f"dropped: {words} words after cleaning, fewer than limits.min_words ({min_words})"
    return f"dropped: {reason}" + (f": {doc['drop_detail']}" if doc["drop_detail"] else "")


def explain(run: RunOutput, query: str) -> dict:
    """Everything about one document, as JSON-ready data."""
    doc = find(run, query)
    config = run.config
    words = len(doc["text"].split())
    removed_words = sum(len(r["line"].split()) for r in doc["removed"])
    docs = rule_docs(config)
    scores = chrome_scores(run, doc)
    group = None
    if doc["cluster_size"] > 1:
        members = _members(run, doc["cluster_id"])
        kept = next((m for m in members if m["kept"]), None)
        why = _why_kept(config["dedup"]["keep"], kept) if kept else _kept_earlier(run)
        group = {"cluster_id": doc["cluster_id"], "size": doc["cluster_size"], "keep": config["dedup"]["keep"],
                 "why_kept": why, "kept_earlier": kept is None, "members": members}
    return {
        "doc_id": doc["doc_id"],
        "status": "kept" if doc["drop_reason"] is None else "dropped",
        "part": doc["part"],
        "drop_reason": doc["drop_reason"],
        "drop_detail": doc["drop_detail"],
        "verdict": _verdict(doc, words, config["dedup"], config["limits"]["min_words"]),
        "provenance": {key: doc[key] for key in PROVENANCE},
        "text": {"chars": len(doc["text"]), "words": words, "words_before_cleaning": words + removed_words,
                 "lines_removed": len(doc["removed"])},
        "removed": [{**r, "doc": docs.get(r["rule"]), "probability": list(scores[i]) if i in scores else None}
                    for i, r in enumerate(doc["removed"])],
        "chrome_model": {"threshold": config["clean"]["model"]["threshold"], "model": model_in_use(run),
                         "rescored": RESCORED} if scores else None,
        "group": group,
        "cleaned_text": doc["text"],
    }


def _status(member: dict) -> Text:
    if member["kept"]:
        return Text("kept", style="bold green")
    return Text(member["drop_reason"] or "", style="yellow")


def render(e: dict, show_text: bool = False) -> list[RenderableType]:
    style = "bold green" if e["status"] == "kept" else "bold yellow"
    out: list[RenderableType] = [
        Text.assemble(("Document ", "bold"), (e["doc_id"], "bold cyan"), "  ",
                      (e["status"].upper() + (f" {e['drop_reason']}" if e["drop_reason"] else ""), style),
                      f"  ({e['part']})"),
        Text(e["verdict"]),
    ]
    provenance = Table.grid(padding=(0, 2))
    provenance.add_column(style="bold")
    provenance.add_column(overflow="fold")
    for key, value in e["provenance"].items():
        provenance.add_row(key, "–" if value is None else str(value))
    text = e["text"]
    provenance.add_row("text", f"{text['words']:,} words ({text['chars']:,} characters) after cleaning, "
                               f"{text['words_before_cleaning']:,} words before; "
                               f"{text['lines_removed']} line{'' if text['lines_removed'] == 1 else 's'} removed")
    out.append(provenance)
    if e["removed"]:
        removed = Table(title=f"Removed lines ({len(e['removed'])}, in document order)", title_justify="left",
                        title_style="bold")
        removed.add_column("#", justify="right")
        removed.add_column("rule")
        removed.add_column("line", overflow="fold", ratio=1)
        for n, line in enumerate(e["removed"], 1):
            rule = Text(line["rule"], style="bold")
            if line["probability"] is not None:
                low, high = line["probability"]
                rule += Text(f" p {low:.2f}" + (f"–{high:.2f}" if round(high, 2) != round(low, 2) else ""))
            removed.add_row(str(n), rule + Text(f"\n{line['doc'] or ''}", style="dim"), line["line"])
        if e["chrome_model"]:
            model = e["chrome_model"]
            removed.caption = (f"p: the chrome model's probability that the line is chrome (it removes a line from "
                               f"{model['threshold']}), {model['rescored']}; scored by {model['model']}")
            removed.caption_justify = "left"
        out.append(removed)
    if e["group"]:
        out.append(_group_table(e))
    if show_text:
        out.append(Text("Cleaned text", style="bold"))
        out.append(Text(e["cleaned_text"] or "(empty)"))
    return out


def _group_table(e: dict) -> Table:
    """The group's members, kept one first; ▶ marks the document explained."""
    group = e["group"]
    dated = any(m["published"] for m in group["members"])
    # light borders and short headers: the table stays readable in 80 columns (a pipe, a log)
    table = Table(title=f"Duplicate group {group['cluster_id']} ({group['size']} documents)", title_justify="left",
                  title_style="bold", caption=f"Why this one was kept: {group['why_kept']}", caption_justify="left",
                  box=box.SIMPLE_HEAD)
    table.add_column("", width=1)
    table.add_column("document (doc_id, source)", overflow="fold", ratio=1)
    table.add_column("status", no_wrap=True)
    table.add_column("sim.", justify="right", no_wrap=True)
    table.add_column("chars", justify="right", no_wrap=True)
    if dated:
        table.add_column("published", no_wrap=True)
    if group["kept_earlier"]:  # not in this output: only its doc_id is known here
        table.add_row("", Text(group["cluster_id"][:DOC_ID_SHOWN]) + Text("\nan earlier output (below)", style="dim"),
                      Text("kept", style="bold green"), "–", "–", *(["–"] if dated else []))
    for m in group["members"]:
        similarity = "–" if m["similarity"] is None else f"{m['similarity']:.3f}"
        dates = [m["published"] or "–"] if dated else []
        document = Text(m["doc_id"][:DOC_ID_SHOWN]) + Text(f"\n{m['source_path']} #{m['source_index']}", style="dim")
        table.add_row("▶" if m["doc_id"] == e["doc_id"] else "", document, _status(m), similarity,
                      f"{m['chars']:,}", *dates)
    return table


def show(run: RunOutput, query: str, console: Console, show_text: bool) -> None:
    for part in render(explain(run, query), show_text):
        console.print(part)
        console.print()
