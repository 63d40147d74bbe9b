"""Edit-to-reload time of `hub serve`: start the preview, change one entry, and time
until the served page shows the change.

    python benchmarks/serve_reload.py [PROJECT_DIR] [--edits 3]

PROJECT_DIR defaults to the repository itself (the shipped content); for a
generated corpus run benchmarks/make_corpus.py first. The edited file is restored
afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def pick_entry(project: Path) -> Path:
    for folder in ("case-studies", "courses", "events", "organisations"):
        files = sorted((project / "content" / folder).glob("*.md"))
        for path in files:
            if "status: draft" not in path.read_text(encoding="utf-8"):
                return path
    raise SystemExit("no entry to edit")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("project", nargs="?", default=str(ROOT))
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    project = Path(args.project).resolve()
    hub = Path(sys.executable).with_name("hub")
    port = free_port()
    entry = pick_entry(project)
    rel = entry.relative_to(project / "content").with_suffix("")
    url = f"http://127.0.0.1:{port}/{rel.as_posix()}/"
    original = entry.read_bytes()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(hub), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    times = []
    try:
        while fetch(url) is None:
            if time.perf_counter() - started > args.timeout:
                raise SystemExit("the preview did not start")
            time.sleep(0.2)
        first_build = time.perf_counter() - started
        time.sleep(1.5)  # let the watcher settle
        for n in range(args.edits):
            marker = f"edit-marker-{n}-{int(time.time())}"
            entry.write_bytes(original + f"\n\nPreview check {marker}.\n".encode())
            edited = time.perf_counter()
            while marker not in (fetch(url) or ""):
                if time.perf_counter() - edited > args.timeout:
                    raise SystemExit("the edit never showed up")
                time.sleep(0.05)
            times.append(time.perf_counter() - edited)
            time.sleep(1.0)
    finally:
        entry.write_bytes(original)
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    entries = sum(1 for _ in (project / "content").rglob("*.md"))
    result = {
        "project": str(project),
        "entries": entries,
        "first_build_s": round(first_build, 2),
        "edit_to_reload_s": [round(t, 2) for t in times],
        "median_s": round(sorted(times)[len(times) // 2], 2),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
