"""`prep inspect`: a finished run on one screen: counts, gates, drop reasons, removal rules with
the lines they removed most, the largest duplicate groups and the length distribution.

`facts` gathers everything as plain data (what `--json` prints); `render` lays it out as rich
tables for a terminal, and as plain aligned text when piped. Text from the corpus is never
read as rich markup: a removed line "[Advertisement]" shows as it is.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from prep.review import stats
from prep.review.gates import GateResult
from prep.review.rule_docs import rule_docs
from prep.review.summary import counted
from prep.sinks.output import RunOutput

BAR_WIDTH = 24
KEPT_EARLIER = "(kept in an earlier output this run was deduplicated against)"


def facts(run: RunOutput, top: int = 10, examples: int = 3, words: pl.DataFrame | None = None) -> dict:
    """Everything `inspect` shows, as JSON-ready data; tables cut to their `top` rows. `words`
    (stats.lengths) is taken when the caller has it already."""
    manifest, counts = run.manifest, run.manifest["counts"]
    groups = stats.duplicate_groups(run)
    words = stats.lengths(run) if words is None else words
    docs = rule_docs(run.config)
    rules = stats.removal_rules(run, examples).with_columns(
        doc=pl.col("rule").replace_strict(docs, default=None, return_dtype=pl.String))
    return {
        "out": str(run.path),
        "prep_version": manifest["prep_version"],
        "config_sha256": manifest["config_sha256"],
        "counts": counts,
        "measures": manifest.get("measures", {}),
        "gates": manifest.get("gates", []),
        "file_errors": manifest["inputs"]["errors"],
        "ignored_files": len(manifest["inputs"]["ignored"]),
        "drop_reasons": stats.drop_reasons(run, examples).to_dicts(),
        "removal_rules": {"total": rules.height, "top": rules.head(top).to_dicts()},
        "duplicate_groups": {
            "groups": groups.height,
            "documents": int(groups["size"].sum()),
            "kept_earlier": int(groups["kept_earlier"].sum()),
            "sizes": stats.group_sizes(groups).to_dicts(),
            "largest": groups.head(top).to_dicts(),
        },
        "lengths": {
            "unit": "words",
            "documents": "corpus",
            "quantiles": stats.length_quantiles(words).to_dicts(),
            "histogram": stats.length_histogram(words).to_dicts(),
        },
        "timings_seconds": manifest.get("timings_seconds", {}),
    }


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else "–"


def _overview(f: dict) -> Table:
    counts, groups = f["counts"], f["duplicate_groups"]
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    files = f"{counts['files_read']:,} read, {counts['file_errors']:,} with errors, {f['ignored_files']:,} ignored"
    table.add_row("Files", files)
    table.add_row("Records", f"{counts['records_read']:,} read → {counts['kept']:,} kept "
                             f"({_share(counts['kept'], counts['records_read'])}), {counts['dropped']:,} dropped")
    removed, kept = counts["removed_chars"], counts["kept_chars"]
    table.add_row("Characters", f"{kept:,} kept, {removed:,} removed by cleaning ({_share(removed, removed + kept)}) "
                                f"in {sum(counts['removed_lines_by_rule'].values()):,} lines")
    largest = groups["largest"][0]["size"] if groups["largest"] else 0
    earlier = f" ({groups['kept_earlier']:,} kept in earlier outputs)" if groups["kept_earlier"] else ""
    table.add_row("Duplicates", f"{counted(groups['documents'], 'document')} in "
                                f"{counted(groups['groups'], 'group')} of copies{earlier}"
                                + (f"; the largest has {largest}" if largest else ""))
    gates = [GateResult(**g) for g in f["gates"]]
    if gates:
        lines = Text()
        for n, gate in enumerate(gates):
            mark = Text("✓ ", style="green") if gate.passed else Text("✗ ", style="bold red")
            lines.append_text(Text("\n" if n else "") + mark + Text(gate.describe()))
        table.add_row("Gates", lines)
    else:
        table.add_row("Gates", "none set ([gates] in the config)")
    return table


def _drop_reasons(f: dict) -> Table:
    table = Table(title="Drop reasons", title_justify="left", title_style="bold")
    table.add_column("reason")
    table.add_column("records", justify="right")
    table.add_column("of read", justify="right")
    table.add_column("examples", overflow="fold")
    for row in f["drop_reasons"]:
        table.add_row(row["reason"], f"{row['records']:,}", f"{row['share']:.1%}", "\n".join(row["examples"]))
    return table


def _removal_rules(f: dict) -> Table:
    rules = f["removal_rules"]
    shown = f" (top {len(rules['top'])} of {rules['total']})" if len(rules["top"]) < rules["total"] else ""
    table = Table(title=f"Removal rules{shown}", title_justify="left", title_style="bold")
    table.add_column("rule")
    table.add_column("lines", justify="right")
    table.add_column("chars", justify="right")
    table.add_column("docs", justify="right")
    table.add_column("most removed lines", overflow="fold", ratio=1)
    for row in rules["top"]:
        examples = "\n".join(f"{e['count']:,}× {e['line']}" for e in row["examples"] or [])
        table.add_row(Text(row["rule"], style="bold") + Text(f"\n{row['doc'] or ''}", style="dim"),
                      f"{row['lines']:,}", f"{row['chars']:,}", f"{row['docs']:,}", examples)
    return table


def _duplicate_groups(f: dict) -> Table:
    groups = f["duplicate_groups"]
    table = Table(title="Largest duplicate groups", title_justify="left", title_style="bold")
    table.add_column("kept doc_id")
    table.add_column("size", justify="right")
    table.add_column("exact", justify="right")
    table.add_column("near", justify="right")
    table.add_column("min sim.", justify="right")
    table.add_column("kept document", overflow="fold", ratio=1)
    for row in groups["largest"]:
        similarity = f"{row['min_similarity']:.2f}" if row["min_similarity"] is not None else "–"
        kept = (Text(KEPT_EARLIER, style="dim") if row["kept_earlier"] else
                Text(row["title"] or "(no title)") + Text(f"\n{row['source_path']}", style="dim"))
        table.add_row(row["cluster_id"][:12], str(row["size"]), str(row["exact"]), str(row["near"]), similarity, kept)
    return table


def _lengths(f: dict) -> Group:
    quantiles = Table(title="Document length in words (corpus, before and after cleaning)", title_justify="left",
                      title_style="bold")
    columns = ("docs", "min", "p10", "p25", "median", "p75", "p90", "max", "mean")
    quantiles.add_column("")
    for column in columns:
        quantiles.add_column(column, justify="right")
    for row in f["lengths"]["quantiles"]:
        quantiles.add_row(row["stage"], *(f"{row[c]:,.0f}" if row.get(c) is not None else "–" for c in columns))
    histogram = Table(box=None, padding=(0, 1))
    histogram.add_column("words", justify="right")
    histogram.add_column("before", justify="right")
    histogram.add_column("after", justify="right")
    histogram.add_column("documents after cleaning")
    rows = f["lengths"]["histogram"]
    peak = max((r["after"] for r in rows), default=0) or 1
    for row in rows:
        histogram.add_row(row["bucket"], f"{row['before']:,}", f"{row['after']:,}",
                          Text("█" * round(BAR_WIDTH * row["after"] / peak), style="cyan"))
    return Group(quantiles, histogram)


def _file_errors(f: dict) -> Table:
    table = Table(title="Files that yielded no record", title_justify="left", title_style="bold")
    table.add_column("file", overflow="fold")
    table.add_column("reason", overflow="fold")
    for error in f["file_errors"]:
        table.add_row(error["path"], error["reason"])
    return table


def render(f: dict) -> list[RenderableType]:
    """The sections, in reading order; empty ones are left out."""
    header = Text.assemble(("prep run in ", "bold"), (f["out"], "bold cyan"),
                           f"  (prep {f['prep_version']}, config {f['config_sha256'][:12]})")
    sections: list[RenderableType] = [header, _overview(f)]
    if f["drop_reasons"]:
        sections.append(_drop_reasons(f))
    if f["removal_rules"]["top"]:
        sections.append(_removal_rules(f))
    if f["duplicate_groups"]["largest"]:
        sections.append(_duplicate_groups(f))
    if f["counts"]["kept"]:
        sections.append(_lengths(f))
    if f["file_errors"]:
        sections.append(_file_errors(f))
    sections.append(Text(f"One document in detail: prep explain {f['out']} DOC_ID", style="dim"))
    return sections


def show(out: Path, console: Console, top: int, examples: int) -> None:
    for section in render(facts(RunOutput.open(out), top, examples)):
        console.print(section)
        console.print()
