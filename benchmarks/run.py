"""The hub's benchmark: check and build time by stage, memory, size, search speed
and the USB edition, for generated corpora of several sizes, beside two plain
Material baselines built from the same Markdown.

    .venv/bin/python benchmarks/run.py                      # N = 100 1000 5000 10000
    .venv/bin/python benchmarks/run.py --sizes 100 1000     # a quicker run
    .venv/bin/python benchmarks/run.py --sizes 100 --out DIR --no-baseline-a

For every N it generates a corpus (benchmarks/make_corpus.py) and measures:
  check          `hub check` wall time
  build          `hub build` wall time, split by stage as the hooks report them:
                 load + validate; render (every page written: Markdown, theme,
                 entry facts, generated pages; entry pages on every core from 300
                 entries); Pagefind, with the exports beside it; the rest (starting
                 Python and MkDocs, swapping the site in)
  browse ratio   the same build with the browsing pages left empty (HUB_BROWSE=0)
  follow-up      the same build without item threads, summaries and the follow-up page
                 (HUB_FOLLOW_UP=0): their share of the build, and the follow-up page's size
  memory         peak resident memory of the build's largest process (Pagefind's
                 indexer, from about 1,000 entries), and of its Python processes
  size           site size, average entry page (HTML) and Pagefind bundle
  search         in headless Chromium on a localhost server: time from the last
                 keystroke of a query to its first result, and the index and
                 fragment bytes loaded for it; the same for Material's built-in
                 search on baseline (b), with the size of its index
  usb            the USB edition's folder and zip size
  baselines      plain Material (tags + built-in search) on the same Markdown:
                 (a) every entry in the navigation (skipped above 1,000 entries:
                 it grows with the square of N), (b) entries out of the navigation

Results are printed as a table and written to OUT/results.json and results.csv.
Timings depend on the machine; the README shows how the latest table was made.
"""

from __future__ import annotations

import argparse
import csv
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_corpus import make_corpus  # noqa: E402

from knowledgehub.outputs.pdf import CHROMIUM_FLAGS  # noqa: E402

PYTHON = sys.executable
HUB = str(Path(PYTHON).with_name("hub"))
MKDOCS = str(Path(PYTHON).with_name("mkdocs"))
QUERY = "water loss"  # broad: most entries have both words
NARROW_QUERY = "Chitungwiza"  # narrow: one town of the corpus
TYPES = ("case-studies", "workshops", "declarations", "courses", "events", "organisations", "programmes")


# -- running and measuring commands ------------------------------------------------

_MEASURE = r"""
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(
    sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
)
wall = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": done.returncode, "wall": wall, "peak_kb": peak, "err": done.stderr[-3000:]}))
"""


def measure(cwd: Path, *command: str, env: dict | None = None) -> dict:
    """Run a command in a fresh process; its wall time and the peak memory of its
    largest process (the command or anything it ran)."""
    full_env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    out = subprocess.run(
        [PYTHON, "-c", _MEASURE, str(cwd), *command], env=full_env, capture_output=True, text=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{result['err']}")
    return result


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def entry_page_sizes(site: Path) -> list[int]:
    sizes = []
    for folder in TYPES:
        for page in (site / folder).glob("*/index.html"):
            sizes.append(page.stat().st_size)
    return sizes


# -- baselines ------------------------------------------------------------------------


def write_baseline_config(corpus: Path, name: str, in_nav: bool) -> Path:
    """Plain Material, tags plugin and built-in search, over the same Markdown."""
    first = next(iter(sorted((corpus / "content" / "case-studies").glob("*.md"))))
    nav = "" if in_nav else f"nav:\n  - {first.relative_to(corpus / 'content').as_posix()}\n"
    config = corpus / f"mkdocs-{name}.yml"
    config.write_text(
        f"site_name: Baseline {name}\n"
        "docs_dir: content\n"
        f"site_dir: site-{name}\n"
        "theme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - tags:\n      tags_name_property: themes\n"
        "validation:\n  nav:\n    omitted_files: ignore\n"
        "  links:\n    not_found: ignore\n    unrecognized_links: ignore\n    anchors: ignore\n" + nav,
        encoding="utf-8",
    )
    return config


# -- search in the browser -------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


_WATCH = """() => {
  const input = document.querySelector(%(input)s);
  let last = 0;
  window.__hubTiming = null;
  input.addEventListener('input', () => { if (input.value === %(query)s) last = performance.now(); });
  const observer = new MutationObserver(() => {
    if (last && performance.now() > last && (%(ready)s)) {
      observer.disconnect();
      window.__hubTiming = performance.now() - last;
    }
  });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true });
}"""


def search_timing(
    browser, url: str, site: Path, input_selector: str, ready_js: str, wait_index: bool, query: str = QUERY
) -> dict:
    """Type the query into a fresh page; ms from the last keystroke to the first
    result, and the bytes of search files fetched for it."""
    context = browser.new_context()
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    before = len(urls)
    # type all but the last letter, let the page settle, then time the last keystroke
    page.click(input_selector)
    page.keyboard.type(query[:-1], delay=40)
    page.wait_for_timeout(1500)
    page.evaluate(
        _WATCH % {"input": json.dumps(input_selector), "ready": ready_js, "query": json.dumps(query)}
    )
    page.keyboard.type(query[-1])
    page.wait_for_function("() => window.__hubTiming !== null", timeout=30000)
    elapsed = page.evaluate("window.__hubTiming")
    fetched = urls[before:] if not wait_index else urls
    by_kind: dict[str, int] = {}
    for fetched_url in fetched:
        path = fetched_url.split("://", 1)[1].split("/", 1)[1].split("?")[0]
        file = site / path
        if file.is_file():
            kind = _kind(path)
            by_kind[kind] = by_kind.get(kind, 0) + file.stat().st_size
    context.close()
    return {"first_result_ms": round(elapsed, 1), "bytes": by_kind}


def _kind(path: str) -> str:
    if "/pagefind/" in "/" + path:
        for marker in ("index/", "fragment/", "filter/", "pagefind-entry", ".pf_meta"):
            if marker in path:
                return "index+fragments"
        return "pagefind code"
    if path.startswith("search-aids/"):
        return "index+fragments"  # best bets, filter values, vocabulary: loaded on focus
    if path.endswith("search_index.json"):
        return "index+fragments"
    return "other"


def browser_figures(site: Path, baseline_b: Path | None) -> dict:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("HUB_CHROMIUM") or "/usr/bin/chromium"
    figures: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            url, server = serve(site)
            try:
                for key, query in (("pagefind", QUERY), ("pagefind_narrow", NARROW_QUERY)):
                    shown = (
                        "document.querySelector('#hub-search-results').dataset.hubQuery === "
                        + json.dumps(query)
                    )
                    hub = search_timing(
                        browser,
                        url,
                        site,
                        "#hub-search-input",
                        shown + " && document.querySelector('#hub-search-results .hub-result') !== null",
                        False,
                        query,
                    )
                    figures[f"{key}_first_result_ms"] = hub["first_result_ms"]
                    figures[f"{key}_query_kb"] = round(hub["bytes"].get("index+fragments", 0) / 1024, 1)
                    figures[f"{key}_code_kb"] = round(hub["bytes"].get("pagefind code", 0) / 1024, 1)
            finally:
                server.shutdown()
            if baseline_b is not None:
                url, server = serve(baseline_b)
                first = (
                    sorted((baseline_b / "case-studies").glob("*/index.html"))[0]
                    .parent.relative_to(baseline_b)
                    .as_posix()
                )
                try:
                    material = search_timing(
                        browser,
                        f"{url}{first}/",
                        baseline_b,
                        "input.md-search__input",
                        "document.querySelector('.md-search-result__list .md-search-result__item') !== null",
                        True,
                    )
                except PlaywrightTimeout:
                    # the baseline's own search gave no result within 30 s: say so, keep the hub's figures
                    material = {"first_result_ms": None}
                finally:
                    server.shutdown()
                figures["material_first_result_ms"] = material["first_result_ms"]
                index = baseline_b / "search" / "search_index.json"
                figures["material_index_kb"] = (
                    round(index.stat().st_size / 1024, 1) if index.exists() else None
                )
        finally:
            browser.close()
    return figures


# -- one size ----------------------------------------------------------------------------


def run_size(n: int, work: Path, baseline_a: bool, browser: bool) -> dict:
    corpus = work / f"corpus-{n}"
    if corpus.exists():
        shutil.rmtree(corpus)
    make_corpus(n, corpus, seed=1)
    row: dict = {"N": n}

    row["check_s"] = round(measure(corpus, HUB, "check")["wall"], 2)

    timings = work / f"timings-{n}.json"
    build = measure(corpus, HUB, "build", env={"HUB_TIMINGS": str(timings)})
    stages = json.loads(timings.read_text())
    row["build_s"] = round(build["wall"], 2)
    row["peak_mb"] = round(build["peak_kb"] / 1024)
    # the build's timeline: load + validate, then every page written (render), then the
    # search index with the open data beside it (post-build); "rest" is starting
    # Python and MkDocs, reading the configuration and swapping the new site in
    row["stage_load_validate_s"] = stages.get("load_validate", 0)
    row["stage_render_s"] = stages.get("render", 0)
    row["render_workers"] = stages.get("render_workers", 1)
    row["stage_entry_facts_s"] = stages.get("entry_facts", 0)
    row["stage_generated_pages_s"] = stages.get("generated_pages", 0)
    row["stage_pagefind_s"] = stages.get("pagefind", 0)
    row["stage_exports_s"] = stages.get("exports", 0)
    row["stage_post_build_s"] = stages.get("post_build", 0)
    row["stage_rest_s"] = round(
        build["wall"] - row["stage_load_validate_s"] - row["stage_render_s"] - row["stage_post_build_s"], 2
    )
    row["pagefind_share"] = round(stages.get("pagefind", 0) / build["wall"], 3)
    row["python_peak_mb"] = round(
        max(stages.get("python_peak_mb", 0), stages.get("python_workers_peak_mb", 0))
    )
    site = corpus / "site"
    row["site_mb"] = round(folder_size(site) / 1e6, 1)
    sizes = entry_page_sizes(site)
    row["avg_entry_page_kb"] = round(sum(sizes) / len(sizes) / 1024, 1) if sizes else None
    row["pagefind_bundle_mb"] = round(folder_size(site / "pagefind") / 1e6, 1)
    row["per_entry_ms"] = round(build["wall"] / n * 1000, 2)

    no_browse = measure(corpus, HUB, "build", "-d", str(corpus / "site-nobrowse"), env={"HUB_BROWSE": "0"})
    row["build_without_browse_s"] = round(no_browse["wall"], 2)
    row["browse_ratio"] = round(build["wall"] / no_browse["wall"], 2)
    shutil.rmtree(corpus / "site-nobrowse", ignore_errors=True)

    # what the follow-up costs: item threads, statuses, citations and progress summaries on the
    # entry pages, and the follow-up page (HUB_FOLLOW_UP=0 leaves them out)
    no_follow_up = measure(
        corpus, HUB, "build", "-d", str(corpus / "site-nofollowup"), env={"HUB_FOLLOW_UP": "0"}
    )
    row["build_without_follow_up_s"] = round(no_follow_up["wall"], 2)
    row["follow_up_share"] = round((build["wall"] - no_follow_up["wall"]) / build["wall"], 3)
    follow_page = site / "follow-up" / "index.html"
    row["follow_up_page_kb"] = round(follow_page.stat().st_size / 1024, 1) if follow_page.exists() else None
    shutil.rmtree(corpus / "site-nofollowup", ignore_errors=True)

    config_b = write_baseline_config(corpus, "b", in_nav=False)
    base_b = measure(corpus, MKDOCS, "build", "-q", "-f", str(config_b))
    row["baseline_b_s"] = round(base_b["wall"], 2)
    row["baseline_b_mb"] = round(folder_size(corpus / "site-b") / 1e6, 1)
    row["ratio_to_b"] = round(build["wall"] / base_b["wall"], 2)
    if baseline_a and n <= 1000:
        config_a = write_baseline_config(corpus, "a", in_nav=True)
        base_a = measure(corpus, MKDOCS, "build", "-q", "-f", str(config_a))
        row["baseline_a_s"] = round(base_a["wall"], 2)
        row["baseline_a_mb"] = round(folder_size(corpus / "site-a") / 1e6, 1)
        shutil.rmtree(corpus / "site-a", ignore_errors=True)
    else:
        row["baseline_a_s"] = row["baseline_a_mb"] = None

    if browser:
        row.update(browser_figures(site, corpus / "site-b"))

    usb = measure(corpus, HUB, "usb", "-o", str(corpus / "usb" / "edition"))
    row["usb_build_s"] = round(usb["wall"], 2)
    row["usb_mb"] = round(folder_size(corpus / "usb" / "edition") / 1e6, 1)
    row["usb_zip_mb"] = round((corpus / "usb" / "edition.zip").stat().st_size / 1e6, 1)
    row["usb_to_site"] = round(row["usb_mb"] / row["site_mb"], 2)
    shutil.rmtree(corpus, ignore_errors=True)
    return row


COLUMNS = [
    ("N", "N"),
    ("check_s", "check s"),
    ("build_s", "build s"),
    ("per_entry_ms", "ms/entry"),
    ("stage_load_validate_s", "load+validate"),
    ("stage_render_s", "render pages"),
    ("render_workers", "render processes"),
    ("stage_entry_facts_s", "entry facts (CPU s)"),
    ("stage_generated_pages_s", "generated pages"),
    ("stage_pagefind_s", "Pagefind"),
    ("stage_exports_s", "exports (beside Pagefind)"),
    ("stage_rest_s", "rest"),
    ("pagefind_share", "Pagefind share"),
    ("peak_mb", "peak MB (largest process)"),
    ("python_peak_mb", "Python peak MB"),
    ("site_mb", "site MB"),
    ("avg_entry_page_kb", "entry page KB"),
    ("browse_ratio", "with/without browse pages"),
    ("follow_up_share", "follow-up share of build"),
    ("follow_up_page_kb", "follow-up page KB"),
    ("baseline_b_s", "baseline (b) s"),
    ("ratio_to_b", "build/(b)"),
    ("baseline_a_s", "baseline (a) s"),
    ("baseline_a_mb", "(a) MB"),
    ("baseline_b_mb", "(b) MB"),
    ("pagefind_first_result_ms", "Pagefind first result ms"),
    ("pagefind_query_kb", "Pagefind KB for query"),
    ("pagefind_narrow_first_result_ms", "Pagefind narrow first result ms"),
    ("pagefind_narrow_query_kb", "Pagefind narrow KB"),
    ("material_first_result_ms", "Material first result ms"),
    ("material_index_kb", "Material index KB"),
    ("usb_mb", "USB MB"),
    ("usb_zip_mb", "USB zip MB"),
    ("usb_to_site", "USB/site"),
]


def table(rows: list[dict]) -> str:
    present = [(key, label) for key, label in COLUMNS if any(r.get(key) is not None for r in rows)]
    lines = ["| " + " | ".join(label for _, label in present) + " |", "|" + "---|" * len(present)]
    for r in rows:
        lines.append("| " + " | ".join("–" if r.get(k) is None else str(r.get(k)) for k, _ in present) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000, 10000])
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "out"))
    parser.add_argument("--work", help="scratch folder (default: a temporary one)")
    parser.add_argument("--no-baseline-a", action="store_true", help="skip baseline (a)")
    parser.add_argument("--no-browser", action="store_true", help="skip the search timings in Chromium")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="hub-bench-"))
    rows = []
    try:
        for n in args.sizes:
            print(f"N = {n} ...", file=sys.stderr, flush=True)
            rows.append(run_size(n, work, not args.no_baseline_a, not args.no_browser))
            (out / "results.json").write_text(json.dumps(rows, indent=2))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    with open(out / "results.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=sorted({k for r in rows for k in r}))
        writer.writeheader()
        writer.writerows(rows)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
