"""The run summary: one JSON document for machines (`--summary-json`), a few lines for people.

The JSON is written whatever the outcome, so a CI step can always read `status` and
`exit_code`; a finished run adds its counts, measures, gate results and outputs, all taken
from the manifest.
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


def exit_code(gates: list[GateResult]) -> int:
    return exitcodes.GATE if any(not g.passed for g in gates) else exitcodes.OK


def run_summary(manifest: dict, out: Path, gates: list[GateResult], seconds: float | None = None) -> dict:
    """The summary of a finished run (exit code 0 or 3)."""
    code = exit_code(gates)
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
        "seconds": round(seconds, 3) if seconds is not None else None,
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


def human_lines(summary: dict) -> list[str]:
    """What a person reads at the end of a run: what went in, what came out, what was removed."""
    counts, outputs = summary["counts"], summary["outputs"]
    read = counts["records_read"]
    kept_share = f" ({counts['kept'] / read:.1%})" if read else ""
    lines = [
        f"read {counted(read, 'record')} from {counted(counts['files_read'], 'file')} "
        f"({counted(counts['file_errors'], 'file error')}): "
        f"kept {counts['kept']:,}{kept_share}, dropped {counts['dropped']:,}",
    ]
    if counts["drop_reasons"]:
        lines.append(f"dropped: {_top(counts['drop_reasons'], 6)}")
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
