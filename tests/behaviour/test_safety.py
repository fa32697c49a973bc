"""Safety: no network in a run, no entity or external resource resolved, no path taken from content."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import polars as pl
import pytest

from prep.clean.extract.sandbox import CallFailed, IsolatedWorker
from tests import badinputs as bad
from tests.conftest import read_table, run_prep

SECRET = "SECRET-7f3a9c-NOT-FOR-THE-CORPUS"


class ConnectionCounter:
    """A loopback TCP listener that counts the connections made to it (and answers none)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    counter = ConnectionCounter()
    yield counter
    counter.close()


def hostile_inputs(folder: Path, server: str, secret_file: Path) -> None:
    """Pages and records that name the network, local files and other paths in every way they can."""
    folder.mkdir()
    (folder / "xxe.html").write_text(bad.external_entity_page(secret_file.as_uri(), server))
    (folder / "xxe_net.html").write_text(bad.external_entity_page(f"{server}/entity", server))
    (folder / "bomb.html").write_text(bad.entity_bomb(bad.story(3)))
    hostile = "../../../../escaped"
    bad.jsonl(folder / "records.jsonl", [
        {"html": bad.page(bad.story(4), title=hostile), "url": f"{server}/article", "id": hostile},
        {"text": bad.story(5), "url": f"file://{secret_file}", "title": "/etc/passwd", "id": "/tmp/x"},
        {"html": f'<meta http-equiv="refresh" content="0; url={server}/r">' + bad.page(bad.story(6)),
         "url": "http://example.invalid/a"},
    ])
    (folder / "name with spaces & ünïcode.txt").write_text(f"{hostile}\n\n{bad.story(7)}")


def test_a_run_makes_no_connection_resolves_no_entity_and_writes_only_its_own_paths(tmp_path: Path, listener):
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET)
    hostile_inputs(tmp_path / "in", listener.url, secret_file)
    result = run_prep("run", "in", "--out", "out", "-w", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert listener.connections == 0
    rows = pl.concat([read_table(tmp_path / "out", "corpus"),
                      read_table(tmp_path / "out", "dropped")])
    assert rows.height == 7
    texts = "\n".join(rows["text"])
    assert SECRET not in texts  # the external entity naming a local file was never read
    assert "&xxe;" in texts     # ... but left as the inert text it is
    assert "lollol" not in texts
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()
                     and not p.is_relative_to(tmp_path / "in"))
    parts = [p for p in written if p.startswith("out/")]
    assert set(written) - set(parts) == {"secret.txt"}
    assert set(parts) - {"out/manifest.json", "out/.prep.lock"} == {
        p for p in parts if p.startswith(("out/corpus/part-", "out/dropped/part-", "out/dedup/signatures/part-"))
        and p.endswith(".parquet")}
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert {o["file"] for table in ("corpus", "dropped", "signatures") for o in manifest["outputs"][table]} == {
        p.removeprefix("out/") for p in parts if p.endswith(".parquet")}


def test_network_access_is_refused_in_a_process_that_forbade_it(listener):
    port = listener.url.rsplit(":", 1)[1]
    code = f"""
import socket
from prep.processes.offline import NetworkForbidden, forbid_network
a, b = socket.socketpair()  # local sockets stay allowed
forbid_network()
for attempt in (lambda: socket.create_connection(("127.0.0.1", {port}), timeout=2),
                lambda: socket.getaddrinfo("localhost", 80),
                lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", {port}))):
    try:
        attempt()
    except NetworkForbidden as err:
        print("refused:", err)
    else:
        print("ALLOWED")
a.sendall(b"ok"); print(b.recv(2).decode())
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("refused: prep makes no network access") == 3
    assert "ALLOWED" not in result.stdout and result.stdout.strip().endswith("ok")
    assert listener.connections == 0


def test_helper_processes_refuse_network_access():
    worker = IsolatedWorker()
    try:
        with pytest.raises(CallFailed, match="NetworkForbidden: prep makes no network access"):
            worker.call(socket.getaddrinfo, "localhost", 80, timeout=60)
    finally:
        worker.close()
