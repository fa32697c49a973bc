"""The parser's child process starts lean: it does not run the parent's main script again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = '''
import os, sys
from pathlib import Path

import typer  # what a command's script loads, and a parser child does not need

Path(os.environ["MARKS"], __name__).touch()  # which module names this script ran under
if __name__ == "__main__":
    from prep.clean.extract.sandbox import IsolatedWorker

    worker = IsolatedWorker()
    child = worker.call(os.getpid, timeout=60)
    typer = worker.call(eval, "'typer' in __import__('sys').modules", timeout=60)
    worker.close()
    print(child != os.getpid(), typer, sys.modules["__main__"].__spec__)
'''


def test_a_child_started_from_a_script_does_not_run_the_script_again(tmp_path: Path):
    script, marks = tmp_path / "command", tmp_path / "marks"  # no .py: like an installed console script
    script.write_text(SCRIPT)
    marks.mkdir()
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "MARKS": str(marks)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False", "None"]  # a child of its own; the parent's main spec restored
    assert sorted(p.name for p in marks.iterdir()) == ["__main__"]  # never as __mp_main__


def test_a_child_whose_parent_hung_up_before_the_reply_exits_quietly():
    """After a timeout the parent closes the pipe and kills the child; a child that finishes
    its call in between must not print a traceback (it used to: BrokenPipeError on send)."""
    import multiprocessing
    import time

    from prep.clean.extract.sandbox import _serve

    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe()
    child = context.Process(target=_serve, args=(child_end, os.getpid(), False, None))
    child.start()
    child_end.close()
    assert parent_end.recv() == ("ready", None)
    parent_end.send((time.sleep, (0.5,)))
    parent_end.close()  # gone before the reply
    child.join(timeout=60)
    assert child.exitcode == 0
