"""Quality gates: measures of a finished run, compared with the limits of `[gates]`.

Every gate is named `max_<measure>` or `min_<measure>` after one of MEASURES, each computed
from the manifest's counts alone. So gates can be checked at the end of a run and again later
on its output (`prep check`), and a CI job reads the same numbers in `--summary-json`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from prep.config import GatesConfig
from prep.filter.quality import GATE_MEASURES

# drop reasons that mean the input, not the content, was at fault
ERROR_REASONS = ("unreadable", "too_large", "extract_timeout", "extract_failed")
EMPTY_REASONS = ("empty", "too_short")


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _dropped_as(counts: dict, *reasons: str) -> int:
    return sum(counts["drop_reasons"].get(reason, 0) for reason in reasons)


MEASURES: dict[str, Callable[[dict], float]] = {
    "records_read": lambda c: c["records_read"],
    "docs_kept": lambda c: c["kept"],
    "drop_rate": lambda c: _share(c["dropped"], c["records_read"]),
    "exact_duplicate_rate": lambda c: _share(_dropped_as(c, "exact_duplicate"), c["records_read"]),
    "near_duplicate_rate": lambda c: _share(_dropped_as(c, "near_duplicate"), c["records_read"]),
    "empty_rate": lambda c: _share(_dropped_as(c, *EMPTY_REASONS), c["records_read"]),
    "removed_chars_rate": lambda c: _share(c["removed_chars"], c["removed_chars"] + c["kept_chars"]),
    "errors": lambda c: c["file_errors"] + _dropped_as(c, *ERROR_REASONS),
    **GATE_MEASURES,  # each filter's drop rate
}


@dataclass(frozen=True)
class GateResult:
    gate: str       # e.g. max_drop_rate
    measure: str    # e.g. drop_rate
    limit: float
    value: float
    passed: bool

    @property
    def is_rate(self) -> bool:
        return self.measure.endswith("_rate")

    def describe(self) -> str:
        """'max_drop_rate: drop_rate 41.2% > 30.0%' (failed) or '... 12.0% <= 30.0%' (passed)."""
        value, limit = format_pair(self.value, self.limit, self.is_rate)
        maximum = self.gate.startswith("max_")
        sign = ("<=" if maximum else ">=") if self.passed else (">" if maximum else "<")
        return f"{self.gate}: {self.measure} {value} {sign} {limit}"

    def to_dict(self) -> dict:
        return asdict(self)


def measure_all(counts: dict) -> dict[str, float]:
    """Every measure of a run, whether a gate checks it or not."""
    return {name: measure(counts) for name, measure in MEASURES.items()}


def evaluate(gates: GatesConfig, counts: dict) -> list[GateResult]:
    """The result of every gate that is set, in the config's order."""
    results = []
    for gate, limit in gates.model_dump().items():
        if limit is None:
            continue
        bound, measure = gate.split("_", 1)
        value = MEASURES[measure](counts)
        passed = value <= limit if bound == "max" else value >= limit
        results.append(GateResult(gate, measure, limit, value, passed))
    return results


def format_pair(value: float, limit: float, is_rate: bool) -> tuple[str, str]:
    """The two numbers as text, with enough digits that unequal numbers never print alike."""
    if not is_rate:
        return f"{value:,.0f}", f"{limit:,.0f}"
    for digits in range(1, 7):
        shown = f"{value:.{digits}%}", f"{limit:.{digits}%}"
        if shown[0] != shown[1] or value == limit:
            return shown
    return shown
