"""The run summary: one JSON document for machines (`--summary-json`), a few lines for people.

The JSON is written whatever the outcome, so a CI step can always read `status` and
`exit_code`; a finished run adds its counts, measures, gate results and outputs, all taken
from the manifest. A finished run that read no record at all failed (exit code 1), whatever
its gates say: its inputs were not what the command named (unreadable files, unsupported
types); its output is still written, for `prep inspect` to show why.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from prep import exitcodes
from prep.files import write_atomic
from prep.review.gates import GateResult

SUMMARY_VERSION = 1


def gate_results(manifest: dict) -> list[GateResult]:
    return [GateResult(**result) for result in manifest.get("gates", [])]


def exit_code(counts: dict, gates: list[GateResult]) -> int:
    if not counts["records_read"]:
        return exitcodes.FAILED
    return exitcodes.GATE if any(not g.passed for g in gates) else exitcodes.OK


def nothing_read(manifest: dict, out: Path) -> str:
    """Why a finished run that read no record failed, for its error line."""
    inputs = manifest["inputs"]
    why = [counted(len(inputs["errors"]), "file") + " could not be read"] if inputs["errors"] else []
    if inputs["ignored"]:
        why.append(counted(len(inputs["ignored"]), "file") + " of an unsupported type ignored")
    found = "; ".join(why) if why else "the inputs hold no record"
    return (f"no record was read ({found}, listed above); the output is written for inspection: "
            f"prep inspect {out}")


COMPRESSIONS = (".gz", ".zst", ".xz", ".bz2", ".lz4", ".zip", ".br")


def unsupported_type(path: str) -> str:
    """'.docx', '.jsonl.zst': the ending that made a file be ignored (a compression's with the
    one before it)."""
    suffixes = Path(path).suffixes
    if not suffixes:
        return "no extension"
    return "".join(suffixes[-2:]) if len(suffixes) > 1 and suffixes[-1].lower() in COMPRESSIONS else suffixes[-1]


def ignored_by_type(paths: list[str]) -> dict[str, list[str]]:
    """The ignored files by their type, most common first."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        groups.setdefault(unsupported_type(path), []).append(path)
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])))


def run_summary(manifest: dict, out: Path, gates: list[GateResult], seconds: float | None = None,
                up_to_date: bool = False) -> dict:
    """The summary of a finished run (exit code 0 or 3, or 1 when it read no record); `up_to_date`:
    this command found it finished and did nothing."""
    code = exit_code(manifest["counts"], gates)
    outputs = {table: {"files": len(parts), "rows": sum(p["rows"] for p in parts),
                       "bytes": sum(p["bytes"] for p in parts),
                       "folder": str(Path(parts[0]["file"]).parent) if parts else table}
               for table, parts in manifest["outputs"].items()}
    return {
        "summary_version": SUMMARY_VERSION,
        "status": exitcodes.STATUS[code],
        "exit_code": code,
        "out": str(out),
        "manifest": str(out / "manifest.json"),
        "prep_version": manifest["prep_version"],
        "config_sha256": manifest["config_sha256"],
        "counts": manifest["counts"],
        "measures": manifest["measures"],
        "gates": [g.to_dict() for g in gates],
        "failed_gates": [g.gate for g in gates if not g.passed],
        "outputs": outputs,
        "against": manifest.get("against", []),
        "timings_seconds": manifest["timings_seconds"],
        "html_extraction": manifest["html_extraction"],
        "file_errors": manifest["inputs"]["errors"],
        "ignored_files": ignored_by_type(manifest["inputs"]["ignored"]),
        "up_to_date": up_to_date,
        "seconds": round(seconds, 3) if seconds is not None else None,
        **({"error": nothing_read(manifest, out)} if code == exitcodes.FAILED else {}),
    }


def failure_summary(code: int, error: str) -> dict:
    """The summary of a run that did not finish (exit code 1 or 2)."""
    return {"summary_version": SUMMARY_VERSION, "status": exitcodes.STATUS[code], "exit_code": code, "error": error}


def write_summary(summary: dict, target: str) -> None:
    """To stdout for '-', else atomically to the file (its folder is created)."""
    text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(Path(target), text.encode())


def counted(count: int, noun: str) -> str:
    """'1 file', '2 files'."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _top(mapping: dict[str, int], limit: int) -> str:
    ranked = sorted(mapping.items(), key=lambda item: (-item[1], item[0]))
    shown = ", ".join(f"{name} {count:,}" for name, count in ranked[:limit])
    return shown + (f", {len(ranked) - limit} more" if len(ranked) > limit else "")


SHOWN_FILES = 5  # files named per line of the summary; the manifest lists them all


def _named(paths: list[str]) -> str:
    more = len(paths) - SHOWN_FILES
    return ", ".join(paths[:SHOWN_FILES]) + (f" and {more:,} more" if more > 0 else "")


def file_lines(summary: dict) -> list[str]:
    """The input files that gave no record, each with its reason, and the files ignored, by type."""
    errors, ignored = summary["file_errors"], summary["ignored_files"]
    lines = [f"could not read {e['path']}: {e['reason']}" for e in errors[:SHOWN_FILES]]
    if len(errors) > SHOWN_FILES:
        lines.append(f"could not read {len(errors) - SHOWN_FILES:,} more files (inputs.errors in the manifest)")
    for kind, paths in ignored.items():
        lines.append(f"ignored {counted(len(paths), 'file')} of an unsupported type ({kind}): {_named(paths)}")
    return lines


def human_lines(summary: dict) -> list[str]:
    """What a person reads at the end of a run: what went in (and what could not be read), what
    came out, what was removed."""
    counts, outputs = summary["counts"], summary["outputs"]
    read = counts["records_read"]
    kept_share = f" ({counts['kept'] / read:.1%})" if read else ""
    lines = [
        f"read {counted(read, 'record')} from {counted(counts['files_read'], 'file')} "
        f"({counted(counts['file_errors'], 'file error')}): "
        f"kept {counts['kept']:,}{kept_share}, dropped {counts['dropped']:,}",
        *file_lines(summary),
    ]
    if counts["drop_reasons"]:
        lines.append(f"dropped: {_top(counts['drop_reasons'], 6)}")
    if unreadable := counts.get("published_unreadable"):  # manifests of older runs lack it
        lines.append(f"dates: {counted(unreadable, 'published value')} could not be read as a date (left null)")
    for earlier in summary.get("against", []):
        lines.append(f"against {earlier['path']} ({counted(earlier['documents'], 'document')}): dropped "
                     f"{sum(earlier['dropped'].values()):,} as its copies"
                     + (f" ({_top(earlier['dropped'], 2)})" if earlier["dropped"] else ""))
    rules = counts["removed_lines_by_rule"]
    if rules:
        lines.append(f"cleaning removed {sum(rules.values()):,} lines, "
                     f"{summary['measures']['removed_chars_rate']:.1%} of the characters: {_top(rules, 5)}")
    written = ", ".join(f"{summary['out']}/{o['folder']} ({counted(o['files'], 'file')}, {counted(o['rows'], 'row')})"
                        for o in outputs.values())
    took = f" in {summary['seconds']:.1f} s" if summary.get("seconds") is not None else ""
    lines.append(f"wrote {written} and {summary['manifest']}{took}")
    return lines


def gate_lines(gates: list[GateResult], verbose: bool = False) -> list[str]:
    """One line per failed gate (and per passed one when verbose), or one line saying all passed."""
    failed = [f"gate failed: {g.describe()}" for g in gates if not g.passed]
    passed = [f"gate passed: {g.describe()}" for g in gates if g.passed]
    if verbose:
        return failed + passed
    if failed:
        return failed
    return [f"gates: all {len(gates)} passed"] if gates else []
