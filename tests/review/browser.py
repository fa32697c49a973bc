"""Render a page in real headless Chromium and learn what happened in it.

`--dump-dom` prints the page's DOM once it has loaded. A small script, put first in the page's
<head> (so it runs before anything else and before the page's Content-Security-Policy
applies), records into attributes of <html> that the dump then shows: every script error,
failed resource, CSP violation and console.error, and the rendered size of every chart.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import html

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=15000", "--window-size=1280,2000")

RECORDER = """<script>
(function () {
  var root = document.documentElement, errors = [];
  function note(kind, text) {
    errors.push(kind + ": " + text);
    root.setAttribute("data-page-errors", JSON.stringify(errors));
  }
  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target !== window) { note("resource", target.src || target.href || target.tagName); }
    else { note("error", event.message); }
  }, true);
  window.addEventListener("unhandledrejection", function (event) { note("rejection", String(event.reason)); });
  document.addEventListener("securitypolicyviolation", function (event) {
    note("csp", event.violatedDirective + " " + event.blockedURI);
  });
  var consoleError = console.error;
  console.error = function () {
    note("console", Array.prototype.join.call(arguments, " "));
    consoleError.apply(console, arguments);
  };
  window.addEventListener("load", function () {
    var charts = Array.prototype.map.call(document.querySelectorAll("svg.chart"), function (svg) {
      var box = svg.getBoundingClientRect();
      return {id: svg.id, width: box.width, height: box.height};
    });
    root.setAttribute("data-charts", JSON.stringify(charts));
    root.setAttribute("data-loaded", "yes");
  });
})();
</script>"""


@dataclass(frozen=True)
class Rendered:
    loaded: bool
    errors: list[str]
    charts: list[dict]
    dom: html.HtmlElement


def find_chromium() -> str | None:
    for name in CANDIDATES:
        if found := shutil.which(name):
            return found
    return None


def render(chromium: str, page: Path, work: Path) -> Rendered:
    """Load `page` (with the recorder added) in Chromium and read back what it recorded."""
    source = page.read_text(encoding="utf-8")
    head = source.index("<head>") + len("<head>")
    probe = work / f"probe-{page.name}"
    probe.write_text(source[:head] + RECORDER + source[head:], encoding="utf-8")
    result = subprocess.run([chromium, *FLAGS, f"--user-data-dir={work / 'profile'}", "--dump-dom",
                             probe.resolve().as_uri()], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0 and result.stdout.strip(), result.stderr[-2000:]
    dom = html.document_fromstring(result.stdout)
    return Rendered(loaded=dom.get("data-loaded") == "yes", errors=json.loads(dom.get("data-page-errors", "[]")),
                    charts=json.loads(dom.get("data-charts", "[]")), dom=dom)
