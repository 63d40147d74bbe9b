"""A search index that works from the file system, for the USB edition.

Browsers do not let pages opened from ``file://`` fetch files or load ES modules,
so Pagefind cannot run there. This index is written as plain scripts that add
their data to a global when loaded with ``<script src>``, which browsers allow
from the file system. Like Pagefind it is split: one small file of documents
(titles, URLs, facets), and the word postings in shards by the first two letters
of each word, so a query loads only the shards its words need.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from knowledgehub.library.catalog import Catalog, CatalogEntry
from knowledgehub.site.render import Renderer

FOLDER = "search-offline"
TITLE_WEIGHT = 5
_WORD = re.compile(r"[^\W_]+")
_MD_LINK = re.compile(r"\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")


def words(text: str) -> list[str]:
    """Lower-case words without accents; the JavaScript side splits queries the same way."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return _WORD.findall(folded)


def shard_of(word: str) -> str:
    return word[:2]


def _entry_text(entry: CatalogEntry, renderer: Renderer) -> str:
    model = renderer.model
    data = entry.data
    parts = [entry.summary, _TAG.sub(" ", _MD_LINK.sub("]", entry.source.body))]
    for item in entry.items:
        parts.append(item.text)
    for vocab, terms in (
        ("themes", entry.themes),
        ("challenges", entry.challenges),
        ("regions", entry.regions),
    ):
        for term in terms:
            t = model.vocabulary(vocab).terms.get(term)
            if t:
                parts.append(t.label)
                parts.extend(t.synonyms)
    parts.extend(model.country_name(c) for c in entry.countries)
    for slug in entry.organisations:
        org = renderer.catalog.get(model.organisation_type, slug)
        if org:
            parts.append(org.title)
    for source in data.get("sources") or []:
        parts.extend(str(source.get(k, "")) for k in ("title", "publisher", "year"))
    for name, value in data.items():
        if isinstance(value, str) and name not in ("title", "summary", "status", "language"):
            parts.append(value)
        elif (
            isinstance(value, list)
            and value
            and all(isinstance(v, str) for v in value)
            and name not in ("themes", "challenges", "countries", "regions", "organisations")
        ):
            parts.extend(value)
        elif isinstance(value, list):
            for element in value:
                if isinstance(element, dict):
                    parts.extend(str(v) for v in element.values() if isinstance(v, (str, int, float)))
    return " ".join(p for p in parts if p)


def write_offline_index(catalog: Catalog, renderer: Renderer, site_dir: Path) -> dict:
    """Write the index into ``site_dir/search-offline/``; returns counts for the log."""
    out = Path(site_dir) / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    docs = []
    postings: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for doc_id, entry in enumerate(catalog.published):
        data = renderer.index_data(entry)
        facets: dict[str, list[str]] = defaultdict(list)
        for key, value in data["filters"]:
            facets[key].append(value)
        meta = dict(data["meta"])
        docs.append(
            {
                "u": renderer.entry_url(entry),
                "t": entry.title,
                "m": {k: v for k, v in meta.items() if k in ("type", "date", "place")},
                "s": entry.summary,
                "d": entry.date or "",
                "f": facets,
            }
        )
        counts = Counter(words(_entry_text(entry, renderer)))
        for word in words(entry.title):
            counts[word] += TITLE_WEIGHT
        for word, tf in counts.items():
            if len(word) < 2:
                continue
            postings[shard_of(word)].setdefault(word, []).extend((doc_id, tf))
    _write_js(out / "docs.js", "docs", docs)
    for shard, table in postings.items():
        _write_js(out / f"t-{_safe(shard)}.js", "shard", table, key=shard)
    return {"documents": len(docs), "shards": len(postings)}


def _safe(shard: str) -> str:
    """A file-name-safe shard name (words may be in any script)."""
    return "".join(ch if ch.isascii() and ch.isalnum() else f"_{ord(ch):x}" for ch in shard)


def _write_js(path: Path, kind: str, payload, key: str | None = None) -> None:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # '</' inside a script file is harmless, but keep the data free of it anyway
    body = body.replace("</", "<\\/")
    args = f"{json.dumps(key)}," if key is not None else ""
    path.write_text(f"window.__hubOffline&&window.__hubOffline.{kind}({args}{body});\n", encoding="utf-8")
