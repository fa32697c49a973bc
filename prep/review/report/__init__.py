"""`prep report`: a finished run as one self-contained HTML file.

Everything is inside the file: CSS inline, plots as inline SVG (charts.py), no script, and a
Content-Security-Policy that forbids the page to load anything, so it opens the same offline,
attached to a CI run or in a mail. The figures are those of `prep inspect` (inspect.facts),
plus the plots and a sample of cleaned documents (sample.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from prep.files import write_atomic
from prep.review import stats
from prep.review.gates import GateResult
from prep.review.inspect import facts
from prep.review.report import charts
from prep.review.report.sample import sample_documents
from prep.review.rule_docs import rule_docs
from prep.review.summary import counted
from prep.sinks.output import RunOutput

TOP = 20


def _plots(f: dict, words) -> dict[str, Markup]:
    plots = {}
    rules = f["removal_rules"]["top"]
    if rules:
        plots["rules"] = charts.horizontal_bars("rules", [r["rule"] for r in rules], [r["lines"] for r in rules],
                                                "lines removed", "Lines removed by each rule")
    reasons = f["drop_reasons"]
    if reasons:
        plots["reasons"] = charts.horizontal_bars("reasons", [r["reason"] for r in reasons],
                                                  [r["records"] for r in reasons], "records",
                                                  "Records dropped for each reason")
    sizes = f["duplicate_groups"]["sizes"]
    if sizes:
        plots["groups"] = charts.group_sizes([s["size"] for s in sizes], [s["groups"] for s in sizes])
    if words.height:
        plots["lengths"] = charts.lengths(words["before"].to_list(), words["after"].to_list())
    return {name: Markup(svg) for name, svg in plots.items()}  # SVG from matplotlib, which escapes text


def build_report(run: RunOutput, sample: int) -> str:
    words = stats.lengths(run)
    f = facts(run, top=TOP, examples=3, words=words)
    docs = rule_docs(run.config)
    environment = Environment(loader=PackageLoader("prep.review.report", "."), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters["num"] = lambda value: f"{value:,.0f}" if value is not None else "–"
    environment.filters["pct"] = lambda value: f"{value:.1%}" if value is not None else "–"
    environment.filters["counted"] = counted
    template = environment.get_template("template.html.j2")
    return template.render(
        f=f,
        plots=_plots(f, words),
        gates=[GateResult(**g) for g in f["gates"]],
        samples=sample_documents(run, sample, docs),
        sample_size=sample,
        manifest=run.manifest,
        config_json=json.dumps(run.config, indent=2, sort_keys=True),
    )


def write_report(run: RunOutput, target: Path, sample: int) -> None:
    write_atomic(Path(target), build_report(run, sample).encode("utf-8"))
