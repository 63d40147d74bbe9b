"""A checksum list of every file a build wrote, for comparing two builds of the same content.

    .venv/bin/python benchmarks/site_checksums.py SITE_DIR > before.txt
    ... change the engine, build again ...
    .venv/bin/python benchmarks/site_checksums.py SITE_DIR > after.txt
    diff before.txt after.txt

What differs between two builds of unchanged content is set aside, so that any remaining
difference is a real one:
- the build's own time: `DTSTAMP` lines of iCalendar files, `generated` in catalog.json;
- the edition line every page carries (its date and the commit it was built from), and the
  USB edition's marker file;
- Pagefind's filter and meta chunks, whose hashed names change from run to run (their
  content is compared through pagefind-entry.json's page count and the fragments, which
  are stable).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

_UNSTABLE_PARTS = ("pagefind/filter/",)
_EDITION = re.compile(rb"edition of \d{4}-\d{2}-\d{2}( \xc2\xb7 version | \(version )[^<\")]*")


def _normalised(path: Path, rel: str) -> bytes:
    data = path.read_bytes()
    if rel.endswith(".ics"):
        return b"\n".join(line for line in data.split(b"\n") if not line.startswith(b"DTSTAMP"))
    if rel == ".hub-usb-edition.json":
        doc = json.loads(data)
        return json.dumps({k: v for k, v in doc.items() if k not in ("date", "version")}).encode()
    if rel.endswith(".html"):
        return _EDITION.sub(rb"edition of (date)\1(commit)", data)
    if rel == "catalog.json":
        doc = json.loads(data)
        doc.pop("generated", None)
        return json.dumps(doc, sort_keys=True).encode()
    if rel == "pagefind/pagefind-entry.json":
        doc = json.loads(data)
        return json.dumps(
            {lang: v.get("page_count") for lang, v in doc.get("languages", {}).items()}
        ).encode()
    return data


def checksums(site: Path) -> list[str]:
    rows = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(_UNSTABLE_PARTS) or (
            rel.startswith("pagefind/pagefind.") and rel.endswith(".pf_meta")
        ):
            shown = "pagefind/filter/*" if "filter" in rel else "pagefind/pagefind.*.pf_meta"
            rows.append(f"{'(varies between runs)':64}  {shown}")
            continue
        rows.append(f"{hashlib.sha256(_normalised(path, rel)).hexdigest()}  {rel}")
    return sorted(set(rows), key=lambda row: row[66:])


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: site_checksums.py SITE_DIR", file=sys.stderr)
        return 2
    print("\n".join(checksums(Path(argv[0]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
