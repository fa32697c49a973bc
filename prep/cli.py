"""The `prep` command: parse, load the config, call the pipeline, report. Nothing else lives here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from prep import __version__

app = typer.Typer(
    name="prep",
    help="Turn scraped news and web articles into a clean, deduplicated corpus for training "
         "language models, with every removal traceable.\n\n"
         "Example: prep run crawl/ --out corpus-2026-11/",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_GATE = 0, 1, 2, 3


def _fail(code: int, message: str) -> typer.Exit:
    typer.echo(f"prep: error: {message}", err=True)
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


@app.command()
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
        help="Worker processes (0: one per core). Overrides run.workers of the config.")] = None,
) -> None:
    """Read, clean, deduplicate and write a corpus.

    Writes `OUT/corpus/part-*.parquet` (kept documents), `OUT/dropped/part-*.parquet` (every
    other record, with its drop_reason) and `OUT/manifest.json`. An interrupted run is resumed by
    running the same command again.

    Exit codes: 0 success, 1 the run failed, 2 bad usage or config (nothing written),
    3 a quality gate failed (output written).

    **Examples**

    `prep run seeds/ --config configs/default.toml`

    `prep run crawl/2026-11-21/ news.jsonl.gz --out out/2026-11-21 --workers 8`
    """
    from prep.config import ConfigError, load_config
    from prep.offline import forbid_network
    from prep.pipeline import RunFailed, UsageError
    from prep.pipeline import run as run_pipeline

    forbid_network()
    try:
        cfg = load_config(config)
        if workers is not None:
            cfg = cfg.model_copy(update={"run": cfg.run.model_copy(update={"workers": workers})})
        result = run_pipeline(cfg, inputs, out, overwrite=overwrite, log=lambda m: typer.echo(m, err=True))
    except (ConfigError, UsageError) as err:
        raise _fail(EXIT_USAGE, str(err)) from None
    except RunFailed as err:
        raise _fail(EXIT_FAILED, str(err)) from None
    except KeyboardInterrupt:
        raise _fail(EXIT_FAILED, "interrupted; run the same command again to resume") from None
    except Exception as err:  # anything unforeseen: say what, keep the work directory for a resume
        raise _fail(EXIT_FAILED, f"run failed: {type(err).__name__}: {err}; finished work is kept, "
                                 "run the same command again to resume") from None
    counts = result.manifest["counts"]
    reasons = ", ".join(f"{k} {v}" for k, v in counts["drop_reasons"].items()) or "none"
    typer.echo(f"read {counts['records_read']} records from {counts['files_read']} files "
               f"({counts['file_errors']} file errors): kept {counts['kept']}, dropped {counts['dropped']} "
               f"({reasons}); wrote {result.out}/corpus, {result.out}/dropped, {result.out}/manifest.json",
               err=True)


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # e.g. `prep ... | head`
        sys.exit(EXIT_FAILED)
