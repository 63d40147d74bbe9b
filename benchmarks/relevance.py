"""Relevance of the hub's search, on judged queries written the way practitioners type.

Runs every query of benchmarks/relevance-queries.yml through the search page of both
engines in headless Chromium: Pagefind on the hosted build (served on localhost) and
the offline engine on the USB edition (opened from the file system). Prints, per
engine: hits@3 (a judged page in the first three results), mean reciprocal rank (of
the first judged page in the first ten), the zero-result rate, and the queries that miss.

    .venv/bin/python benchmarks/relevance.py                 # builds both editions first
    .venv/bin/python benchmarks/relevance.py --site S --usb U # already built ones
    .venv/bin/python benchmarks/relevance.py --small          # the queries the test suite runs
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUERIES = Path(__file__).with_name("relevance-queries.yml")
STATES = "['results', 'none', 'empty', 'unknown-filter', 'unavailable']"


def load_queries(small: bool = False) -> list[dict]:
    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]
    return [q for q in queries if q.get("small") or not small]


def page_path(href: str, base: str) -> str:
    """A result link as a site path without suffix: 'events/x' for both editions."""
    path = href.split("#", 1)[0].split("?", 1)[0]
    if path.startswith(base):
        path = path[len(base) :]
    for suffix in ("/index.html", "index.html", ".html", "/"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    return path.strip("/")


def run_engine(browser, search_url, base: str, queries: list[dict]) -> list[dict]:
    """Each query's ranked result paths (the first 10) from one engine's search page."""
    context = browser.new_context()
    if base.startswith("file:"):
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page = context.new_page()
    out = []
    try:
        for q in queries:
            page.goto(search_url + "?q=" + quote(q["q"]))
            page.wait_for_function(
                f"() => {STATES}.includes(document.body.dataset.hubSearchState)", timeout=20000
            )
            hrefs = page.eval_on_selector_all(
                ".hub-search-list .hub-result__title", "links => links.map(a => a.href)"
            )
            out.append({"q": q["q"], "ranked": [page_path(h, base) for h in hrefs[:10]]})
    finally:
        context.close()
    return out


def score(queries: list[dict], runs: list[dict]) -> dict:
    hits = rr = zero = 0
    misses = []
    for q, run in zip(queries, runs):
        relevant = set(q["relevant"])
        ranks = [i for i, path in enumerate(run["ranked"], 1) if path in relevant]
        first = ranks[0] if ranks else None
        hits += bool(first and first <= 3)
        rr += 1 / first if first else 0
        zero += not run["ranked"]
        if not (first and first <= 3):
            misses.append({"q": q["q"], "top3": run["ranked"][:3], "rank": first})
    n = len(queries) or 1
    return {
        "queries": len(queries),
        "hits_at_3": round(hits / n, 3),
        "mrr": round(rr / n, 3),
        "zero_result_rate": round(zero / n, 3),
        "misses": misses,
    }


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def evaluate(browser, site: Path, usb: Path, queries: list[dict]) -> dict:
    """The scores of both engines: Pagefind over ``site`` served, offline over ``usb``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        hosted = run_engine(browser, base + "search/", base, queries)
    finally:
        server.shutdown()
    usb_base = usb.as_uri() + "/"
    offline = run_engine(browser, usb_base + "search.html", usb_base, queries)
    return {"pagefind": score(queries, hosted), "offline": score(queries, offline)}


def build_both(work: Path) -> tuple[Path, Path]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from knowledgehub.model.project import Project
    from knowledgehub.outputs.usb import build_usb
    from knowledgehub.site.build import build_site

    project = Project.find(config_file=ROOT / "mkdocs.yml")
    site, usb = work / "site", work / "usb" / "hub"
    assert build_site(project, site_dir=site, quiet=True) == 0, "the hosted build failed"
    assert build_usb(project, usb, quiet=True) == 0, "the USB edition failed"
    return site, usb


def report(scores: dict) -> str:
    lines = ["| engine | queries | hits@3 | MRR | zero-result rate |", "|---|---|---|---|---|"]
    for name, s in scores.items():
        lines.append(f"| {name} | {s['queries']} | {s['hits_at_3']} | {s['mrr']} | {s['zero_result_rate']} |")
    for name, s in scores.items():
        lines.append(f"\n{name}: {len(s['misses'])} misses")
        for m in s["misses"]:
            lines.append(f"  {m['q']!r}: rank {m['rank']}, top 3 {m['top3']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built hosted site (default: build one)")
    parser.add_argument("--usb", type=Path, help="a built USB edition folder (default: build one)")
    parser.add_argument("--small", action="store_true", help="only the queries the test suite runs")
    parser.add_argument("--json", type=Path, help="also write the scores here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from knowledgehub.outputs.pdf import CHROMIUM_FLAGS

    queries = load_queries(args.small)
    with tempfile.TemporaryDirectory() as tmp:
        site, usb = (args.site, args.usb) if args.site and args.usb else build_both(Path(tmp))
        with sync_playwright() as p:
            chromium = os.environ.get("HUB_CHROMIUM") or "/usr/bin/chromium"
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            try:
                scores = evaluate(browser, site, usb, queries)
            finally:
                browser.close()
    print(report(scores))
    if args.json:
        args.json.write_text(json.dumps(scores, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
