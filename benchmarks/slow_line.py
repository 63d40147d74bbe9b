"""The hub on a slow line: bytes transferred and first paint of the home page, an entry and the
search page, at 390×844 in headless Chromium with the network throttled through the DevTools
protocol (400 kbps down and up, 400 ms latency) and the site served gzipped, as a static host
would serve it.

    .venv/bin/python benchmarks/slow_line.py            # builds the shipped content first
    .venv/bin/python benchmarks/slow_line.py --site site --json out.json

Reports, never asserts: targets are first paint <= 2.0 s and <= 100 KB for the home
page and an entry."""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

PAGES = {
    "home": "",
    "entry": "workshops/project-consolidate-group-2/",
    "search": "search/",
}
KBPS = 400
LATENCY_MS = 400
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ics", ".csv", ".pf_meta")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as a static host does: text gzipped when the browser accepts it."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not accepts or not path.name.endswith(COMPRESSIBLE):
            return super().send_head()
        if self.path.split("?")[0].endswith("/") is False and path.name == "index.html":
            return super().send_head()  # let the base class redirect folder/ → folder/
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


def serve(folder: Path):
    handler = functools.partial(GzipHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def build(out: Path) -> Path:
    from knowledgehub.model.project import Project
    from knowledgehub.site.build import build_site

    assert build_site(Project.find(config_file=ROOT / "mkdocs.yml"), site_dir=out, quiet=True) == 0
    return out


def measure(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    rate = KBPS * 1000 / 8
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": LATENCY_MS, "downloadThroughput": rate, "uploadThroughput": rate},
    )
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e.get("encodedDataLength", 0))),
    )
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_timeout(1500)  # what the page fetches right after load counts too
    paint = page.evaluate(
        "() => { const p = performance.getEntriesByType('paint')"
        ".find(e => e.name === 'first-contentful-paint'); return p ? p.startTime : null; }"
    )
    load = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    context.close()
    return {
        "kb": round(sum(sizes.values()) / 1024, 1),
        "requests": len(urls),
        "first_paint_s": round(paint / 1000, 2) if paint is not None else None,
        "load_s": round(load / 1000, 2),
        "files": sorted({u.split("?")[0].rsplit("/", 1)[-1] or "index" for u in urls.values()}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the shipped content)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from knowledgehub.outputs.pdf import CHROMIUM_FLAGS

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(Path(tmp) / "site")
        base, server = serve(site)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=os.environ.get("HUB_CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_FLAGS
                )
                results = {name: measure(browser, base + path) for name, path in PAGES.items()}
                browser.close()
        finally:
            server.shutdown()
    print(f"Slow line: {KBPS} kbps, {LATENCY_MS} ms latency, gzip, 390×844, cold cache")
    print("| page | KB transferred | requests | first paint s | load s |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['kb']} | {r['requests']} | {r['first_paint_s']} | {r['load_s']} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
