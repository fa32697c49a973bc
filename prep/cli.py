"""The `prep` command: parse, load the config, call the pipeline or a reader of its output, report.

Heavy modules are imported inside the commands that need them, so `--help` and shell
completion stay fast.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperCommand, TyperGroup

from prep import __version__
from prep.exitcodes import FAILED as EXIT_FAILED
from prep.exitcodes import USAGE as EXIT_USAGE

if TYPE_CHECKING:
    from rich.console import Console

    from prep.console import Verbosity

LOG_INTERVAL_ENV = "PREP_LOG_INTERVAL"  # seconds between two progress lines of a phase in a log


def _without_flag_types(params: list) -> list:
    """typer's help prints a type beside every option, `<bool>` beside a flag too, as if it took
    a value; an empty metavar is what it prints for a flag instead."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class _Group(TyperGroup):
    def get_params(self, ctx: typer.Context) -> list:
        return _without_flag_types(super().get_params(ctx))


class _Command(TyperCommand):
    def get_params(self, ctx: typer.Context) -> list:
        return _without_flag_types(super().get_params(ctx))


app = typer.Typer(
    cls=_Group,
    name="prep",
    help="Turn scraped news and web articles into a clean, deduplicated corpus for training "
         "language models, with every removal traceable.\n\n"
         "**Examples**\n\n"
         "`prep run crawl/ --out corpus-2026-11/`\n\n"
         "`prep inspect corpus-2026-11/`\n\n"
         "`prep report corpus-2026-11/ --output report.html`",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


class Engine(StrEnum):
    """The choices of --engine (run.engine of the config)."""

    local = "local"
    ray = "ray"


OutDir = Annotated[Path, typer.Argument(
    metavar="OUT_DIR", help="Output directory of a finished `prep run` (it holds manifest.json).",
    show_default=False)]
SummaryJson = Annotated[str | None, typer.Option(
    "--summary-json", metavar="FILE",
    help="Write a machine-readable summary (status, exit_code, counts, measures, gates, outputs) to "
         "FILE, or to stdout for '-'. Written whatever the outcome.", show_default=False)]


def _save_summary(summary: dict, target: str) -> bool:
    from prep.review.summary import write_summary

    try:
        write_summary(summary, target)
    except OSError as err:
        typer.echo(f"prep: error: cannot write the summary to {target}: {err}", err=True)
        return False
    return True


def _command_line(*, drop: tuple[str, ...] = ()) -> list[str]:
    """This command as typed, less the options in `drop`; the program by its name alone when
    that is what the shell finds."""
    program = sys.argv[0]
    found = shutil.which(Path(program).name)
    if found and os.path.exists(program) and os.path.samefile(found, program):
        program = Path(program).name
    return [program, *(arg for arg in sys.argv[1:] if arg not in drop)]


def _resume_advice() -> str:
    """How to go on from a run stopped half-way; --overwrite would discard what was done."""
    again = shlex.join(_command_line(drop=("--overwrite",)))
    if "--overwrite" in sys.argv[1:]:
        return f"run `{again}` (without --overwrite, which starts afresh) to resume"
    return f"run `{again}` again to resume"


def _fail(code: int, message: str, summary_json: str | None = None) -> typer.Exit:
    if summary_json:
        from prep.review.summary import failure_summary

        _save_summary(failure_summary(code, message), summary_json)
    for line in message.splitlines():  # a config with several problems: one line each
        typer.echo(f"prep: error: {line}", err=True)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"prep {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool | None, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print prep's version and exit.")] = None,
) -> None:
    """Clean, deduplicate and trace scraped articles."""


@app.command(cls=_Command)
def run(
    inputs: Annotated[list[Path] | None, typer.Argument(
        metavar="INPUT",
        help="Files or folders to read (.txt, .html/.htm, .jsonl, .parquet, .warc/.arc; .gz allowed except "
             "for Parquet). Folders are read recursively. Default: input.paths of the config.",
        show_default=False)] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="TOML config file; unset keys take the defaults of configs/default.toml.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Output directory. Default: output.dir of the config, 'out'.")] = None,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="Replace a finished run (or discard an unfinished one) in the output directory.")] = False,
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", min=0,
        help="Worker processes (0: one per core); with --engine ray, the most tasks running at once (0: one "
             "per CPU of the cluster). Overrides run.workers of the config.")] = None,
    engine: Annotated[Engine | None, typer.Option(
        "--engine",
        help="Where shard tasks run: 'local' (a pool of worker processes) or 'ray' (a Ray cluster; "
             "needs the ray extra). Overrides run.engine of the config. The output is the same.",
        show_default=False)] = None,
    address: Annotated[str | None, typer.Option(
        "--address", metavar="ADDR",
        help="With --engine ray: the cluster to run on (host:port, ray://host:port or auto). Default: a "
             "local cluster for the run. On several machines the inputs and OUT must be on a shared "
             "filesystem, at the same path on every node. Overrides run.address of the config.",
        show_default=False)] = None,
    against: Annotated[list[Path] | None, typer.Option(
        "--against", metavar="OUT_DIR",
        help="Deduplicate against the output of an earlier run (repeatable): documents that duplicate one "
             "of its kept documents are dropped, naming it in cluster_id; it is never changed. "
             "Overrides dedup.against of the config.", show_default=False)] = None,
    summary_json: SummaryJson = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print only errors and failed gates: no progress, log or summary.")] = False,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Also print a line per finished shard and every gate that passed.")] = False,
) -> None:
    """Read, clean, deduplicate and write a corpus.

    Writes `OUT/corpus/part-*.parquet` (kept documents), `OUT/dropped/part-*.parquet` (every
    other record, with its drop_reason), `OUT/dedup/signatures/part-*.parquet` (the kept documents'
    MinHash signatures, for a later `--against OUT`) and `OUT/manifest.json`. An interrupted run is resumed by
    running the same command again; once the run is finished, the same command again does nothing
    (exit code 0: the output is up to date).

    On a terminal a progress display shows each phase with its records and rate; elsewhere (a
    CI log, a file) progress and logs are plain `prep: ...` lines, with a line per phase every 30
    seconds (PREP_LOG_INTERVAL). The summary goes to stderr.

    Exit codes: 0 success, 1 the run failed (also when it read no record: output written),
    2 bad usage or config (nothing written), 3 a quality gate of `[gates]` failed (output
    written), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).

    **Examples**

    `prep run seeds/ --config configs/default.toml`

    `prep run crawl/2026-11-21/ news.jsonl.gz --out out/2026-11-21 --workers 8`

    `prep run crawl/ --config nightly.toml --summary-json summary.json --quiet`

    `prep run crawl/2026-11-22/ --out out/2026-11-22 --against out/2026-11-21`

    `prep run /shared/crawl/ --out /shared/out/ --engine ray --address 10.0.0.1:6379`
    """
    from prep.processes.stopping import Stopped, stop_on_signals

    stop_on_signals()
    try:
        _run(inputs, config, out, overwrite, workers, engine, address, against, summary_json, quiet, verbose)
    except Stopped as stop:
        raise _fail(stop.exit_code, f"{stop}; finished work is kept: {_resume_advice()}", summary_json) from None


def _run(inputs: list[Path] | None, config: Path | None, out: Path | None, overwrite: bool, workers: int | None,
         engine: Engine | None, address: str | None, against: list[Path] | None, summary_json: str | None,
         quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        raise _fail(EXIT_USAGE, "--quiet and --verbose exclude each other", summary_json)
    from prep.config import ConfigError, load_config
    from prep.console import Verbosity, interactive, setup_logging, stderr_console
    from prep.processes.offline import forbid_network
    from prep.run.progress import LOG_INTERVAL, Live, Logged, Silent
    from prep.sinks.parquet import settings_sha256

    started = time.perf_counter()
    console = stderr_console()
    verbosity = Verbosity.QUIET if quiet else Verbosity.VERBOSE if verbose else Verbosity.NORMAL
    logger = setup_logging(console, verbosity)
    try:
        interval = float(os.environ.get(LOG_INTERVAL_ENV, LOG_INTERVAL))
    except ValueError:
        interval = 0
    if not interval > 0:
        raise _fail(EXIT_USAGE, f"{LOG_INTERVAL_ENV} must be a number of seconds above 0 "
                                f"(got {os.environ[LOG_INTERVAL_ENV]!r})", summary_json)
    progress = (Silent() if quiet else Live(console) if interactive(console)
                else Logged(logger.info, logger.debug, interval))
    try:
        cfg = load_config(config)
    except ConfigError as err:
        raise _fail(EXIT_USAGE, str(err), summary_json) from None
    from prep.compiled import INTERPRET_BELOW, choose_for_input
    from prep.executors.workers import input_bytes

    # before any kernel module is imported
    choose_for_input(input_bytes(inputs or cfg.input.paths, INTERPRET_BELOW))
    given = {"workers": workers, "engine": engine.value if engine else None, "address": address}
    cfg = cfg.model_copy(update={"run": cfg.run.model_copy(
        update={key: value for key, value in given.items() if value is not None})})
    if against:
        cfg = cfg.model_copy(update={"dedup": cfg.dedup.model_copy(update={"against": list(against)})})
    if cfg.run.engine == "local":  # a Ray driver talks to its cluster; its HTML parsers stay offline
        from prep.executors.workers import start_early
        from prep.run import FORK_SERVER_PRELOAD

        # the workers' imports overlap the pipeline's
        start_early(inputs or cfg.input.paths, cfg.run.workers, FORK_SERVER_PRELOAD)
        forbid_network()
    from prep.run.errors import RunFailed, UsageError
    from prep.run.pipeline import run as run_pipeline

    try:
        logger.debug(f"config {config or '(defaults)'}, sha256 {settings_sha256(cfg)}")
        with progress:
            result = run_pipeline(cfg, inputs, out, overwrite=overwrite, log=logger.info, progress=progress,
                                  command=_command_line())
    except (ConfigError, UsageError) as err:
        raise _fail(EXIT_USAGE, str(err), summary_json) from None
    except RunFailed as err:
        raise _fail(EXIT_FAILED, str(err), summary_json) from None
    except Exception as err:  # anything unforeseen: say what, keep the work directory for a resume
        raise _fail(EXIT_FAILED, f"run failed: {type(err).__name__}: {err}; finished work is kept: "
                                 f"{_resume_advice()}", summary_json) from None
    manifest = result.manifest
    if result.up_to_date:
        from prep.review.gates import evaluate

        # the gates of this command's config, as `prep check --config` would judge the output
        manifest = {**manifest, "gates": [g.to_dict() for g in evaluate(cfg.gates, manifest["counts"])]}
        if verbosity != Verbosity.QUIET:
            finished = manifest.get("invocation", {}).get("finished_at")
            console.print(f"prep: {result.out} is up to date: it holds this run (same inputs and config), finished"
                          + (f" at {finished}" if finished else "") + f"; nothing to do (prep inspect {result.out})",
                          markup=False, soft_wrap=not interactive(console))
    _finish(manifest, result.out, summary_json, console, verbosity, time.perf_counter() - started,
            describe_run=not result.up_to_date, up_to_date=result.up_to_date)


def _finish(manifest: dict, out: Path, summary_json: str | None, console: Console, verbosity: Verbosity,
            seconds: float | None, describe_run: bool = True, up_to_date: bool = False) -> None:
    """Write the summary JSON, tell the person what came out and how the gates went, exit 0 or
    3 (1 when the run read no record)."""
    from prep.console import Verbosity, interactive
    from prep.review.summary import gate_lines, gate_results, human_lines, run_summary

    gates = gate_results(manifest)
    summary = run_summary(manifest, out, gates, seconds, up_to_date)
    if summary_json and not _save_summary(summary, summary_json):
        raise typer.Exit(EXIT_FAILED)
    styled = interactive(console)
    if describe_run and verbosity != Verbosity.QUIET:
        for line in human_lines(summary):
            console.print(f"prep: {line}", markup=False, soft_wrap=not styled)
    for line in gate_lines(gates, verbose=verbosity == Verbosity.VERBOSE):
        failed = line.startswith("gate failed")
        if failed or verbosity != Verbosity.QUIET:
            console.print(f"prep: {line}", markup=False, soft_wrap=not styled,
                          style=("bold red" if failed else "green") if styled else None)
    if "error" in summary:
        console.print(f"prep: error: {summary['error']}", markup=False, soft_wrap=not styled,
                      style="bold red" if styled else None)
    raise typer.Exit(summary["exit_code"])


@app.command("validate-config", cls=_Command)
def validate_config(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The TOML config to check.", show_default=False)],
) -> None:
    """Check a config file without running anything.

    Checks the TOML syntax, every key (unknown keys are errors), types and ranges, the rule
    patterns and the chrome model path. Prints `FILE: ok` and the gates it sets, exit code 0;
    or one line naming the problem, exit code 2.

    **Examples**

    `prep validate-config nightly.toml`

    `prep validate-config configs/default.toml && prep run crawl/ -c configs/default.toml`
    """
    from prep.config import ConfigError, load_config
    from prep.run.validate import check_config

    try:
        config = load_config(file)
        check_config(config, where=f"config {file}")
    except ConfigError as err:
        raise _fail(EXIT_USAGE, str(err)) from None
    gates = {name: limit for name, limit in config.gates.model_dump().items() if limit is not None}
    listed = ", ".join(f"{name} = {limit}" for name, limit in gates.items()) if gates else "none"
    typer.echo(f"{file}: ok (gates: {listed})")
    for path in config.input.paths:
        if not path.exists():
            typer.echo(f"prep: note: input.paths: {path} does not exist here", err=True)


@app.command(cls=_Command)
def check(
    out_dir: OutDir,
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="Take the gates of this config instead of those the run had.",
        show_default=False)] = None,
    summary_json: SummaryJson = None,
) -> None:
    """Check the quality gates on a finished run, without running it again.

    Uses the run's own `[gates]` (from its manifest) unless `--config` gives others: try new
    limits on yesterday's output, or gate in a separate CI step. Exit code 0 when every gate
    passes, 3 when one fails, 1 when the run read no record, 2 when OUT_DIR holds no finished run.

    **Examples**

    `prep check out/`

    `prep check out/ --config stricter.toml --summary-json gates.json`
    """
    from prep.config import ConfigError, load_config
    from prep.console import Verbosity, stderr_console
    from prep.review.gates import evaluate
    from prep.sinks.output import OutputError, RunOutput

    try:
        output = RunOutput.open(out_dir)
        manifest = output.manifest
        if config is not None:
            gates = evaluate(load_config(config).gates, manifest["counts"])
            manifest = {**manifest, "gates": [g.to_dict() for g in gates]}
    except (OutputError, ConfigError) as err:
        raise _fail(EXIT_USAGE, str(err), summary_json) from None
    if not manifest["gates"]:
        typer.echo("prep: no gates set: nothing to check ([gates] in the config)", err=True)
    _finish(manifest, output.path, summary_json, stderr_console(), Verbosity.VERBOSE, None, describe_run=False)


@app.command(cls=_Command)
def inspect(
    out_dir: OutDir,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="Rows per table.")] = 10,
    examples: Annotated[int, typer.Option("--examples", "-e", min=0,
                                          help="Example lines per removal rule.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print the same facts as JSON.")] = False,
) -> None:
    """Summarise a finished run in the terminal.

    Counts, gates, drop reasons, removal rules with the lines they removed most often, the
    largest duplicate groups and the length distribution of the documents (in words, before and
    after cleaning). Read from the output files, so it works on any run's output, wherever it
    was made.

    **Examples**

    `prep inspect out/`

    `prep inspect out/ --top 25 --examples 5 | less -R`

    `prep inspect out/ --json | jq '.removal_rules.top[0]'`
    """
    import json

    from rich.console import Console

    from prep.review import inspect as inspection
    from prep.sinks.output import OutputError, RunOutput

    try:
        facts = inspection.facts(RunOutput.open(out_dir), top, examples)
    except OutputError as err:
        raise _fail(EXIT_USAGE, str(err)) from None
    if as_json:
        typer.echo(json.dumps(facts, indent=2, ensure_ascii=False))
        return
    console = Console(highlight=False, markup=False, emoji=False)
    for section in inspection.render(facts):
        console.print(section)
        console.print()


def _complete_doc_id(ctx: typer.Context, incomplete: str) -> list[str]:
    from prep.review.explain import complete_doc_ids
    from prep.sinks.output import OutputError, RunOutput

    try:
        return complete_doc_ids(RunOutput.open(Path(ctx.params.get("out_dir") or ".")), incomplete)
    except (OutputError, OSError):
        return []


@app.command(cls=_Command)
def explain(
    out_dir: OutDir,
    doc_id: Annotated[str, typer.Argument(
        metavar="DOC_ID", autocompletion=_complete_doc_id, show_default=False,
        help="A doc_id, or a unique start of one; a URL, a source id, or an input file's path (its source_path, "
             "or the path given to `prep run`; PATH#N for its record N) also works.")],
    text: Annotated[bool, typer.Option("--text", help="Also print the cleaned text.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
) -> None:
    """Explain what happened to one document.

    Its provenance, every line cleaning removed with the rule that removed it (and what that
    rule is for; for the chrome model, its probability, computed again), and its duplicate
    group: every member with its similarity to the kept one, which one was kept and by which
    `dedup.keep` rule. Exit code 2 when no document (or more than one) matches DOC_ID.

    **Examples**

    `prep explain out/ 81197d0ba53b`

    `prep explain out/ https://example.com/news/2026/11/story.html --text`

    `prep explain out/ 81197d0b --json | jq .group.members`

    `prep explain out/ crawl/2026-11-21/news.jsonl#12`
    """
    import json

    from rich.console import Console

    from prep.review import explain as explanation
    from prep.sinks.output import OutputError, RunOutput

    try:
        found = explanation.explain(RunOutput.open(out_dir), doc_id)
    except OutputError as err:
        raise _fail(EXIT_USAGE, str(err)) from None
    if as_json:
        typer.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    console = Console(highlight=False, markup=False, emoji=False)
    for part in explanation.render(found, show_text=text):
        console.print(part)
        console.print()


@app.command(cls=_Command)
def report(
    out_dir: OutDir,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Where to write the HTML file. Default: OUT_DIR/report.html.",
        show_default=False)] = None,
    sample: Annotated[int, typer.Option("--sample", "-s", min=0,
                                        help="Cleaned documents to show with their removed lines.")] = 20,
) -> None:
    """Write a self-contained HTML report of a finished run.

    One file, no network resources: plots of the removal rules, drop reasons, duplicate group
    sizes and document lengths before and after cleaning, the tables of `prep inspect`, and a
    sample of cleaned documents with their removed lines. Open it in any browser, attach it to
    a CI run, mail it. Needs the `report` extra (matplotlib, jinja2).

    **Examples**

    `prep report out/`

    `prep report out/ --output reports/2026-11-21.html --sample 50`
    """
    from prep.sinks.layout import OutputLayout
    from prep.sinks.output import OutputError, RunOutput

    try:
        from prep.review.report import write_report
    except ImportError as err:
        raise _fail(EXIT_USAGE, f"prep report needs the 'report' extra ({err.name} is not installed): "
                                "pip install 'prep-corpus[report]'") from None
    try:
        run_output = RunOutput.open(out_dir)
    except OutputError as err:
        raise _fail(EXIT_USAGE, str(err)) from None
    target = output or OutputLayout(run_output.path).report
    write_report(run_output, target, sample)
    typer.echo(f"prep: wrote {target}", err=True)


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # e.g. `prep ... | head`
        sys.exit(EXIT_FAILED)
