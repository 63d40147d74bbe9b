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
# the same weights as the hosted pages give Pagefind (data-pagefind-weight)
TITLE_WEIGHT = 5
SUMMARY_WEIGHT = 3
ITEM_WEIGHT = 2
# the body is indexed up to about as far as Pagefind indexes it (outputs/search.py BODY_ELEMENTS)
BODY_WORDS = 250
ITEM_WORDS = 28  # of an item's text shown in a result (as on Pagefind)
ITEMS_PER_FILE = 200  # documents whose items share a file, loaded for the results shown
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
    body = _TAG.sub(" ", _MD_LINK.sub("]", entry.source.body)).split()
    parts = [entry.summary, " ".join(body[:BODY_WORDS])]
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
    items: dict[int, dict[int, list]] = defaultdict(dict)
    postings: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for doc_id, entry in enumerate(catalog.published):
        data = renderer.index_data(entry)
        facets: dict[str, list[str]] = defaultdict(list)
        for key, value in data["filters"]:
            facets[key].append(value)
        meta = dict(data["meta"])
        doc = {
            "u": renderer.entry_url(entry),
            "t": entry.title,
            "m": {k: v for k, v in meta.items() if k in ("type", "date", "place")},
            "s": entry.summary,
            "d": entry.date or "",
            "f": facets,
        }
        if entry.items:  # anchor, status and the start of the text of each item, for item results
            items[doc_id // ITEMS_PER_FILE][doc_id] = [
                [i.anchor, i.status, " ".join(i.text.split()[:ITEM_WORDS])] for i in entry.items
            ]
        docs.append(doc)
        counts = Counter(words(_entry_text(entry, renderer)))
        for word in words(entry.title):
            counts[word] += TITLE_WEIGHT
        for word in words(entry.summary):
            counts[word] += SUMMARY_WEIGHT
        for item in entry.items:
            for word in words(item.text):
                counts[word] += ITEM_WEIGHT
        for word, tf in counts.items():
            if len(word) < 2:
                continue
            postings[shard_of(word)].setdefault(word, []).extend((doc_id, tf))
    _write_js(out / "docs.js", "docs", docs)
    for chunk, table in items.items():
        _write_js(out / f"items-{chunk}.js", "items", table, key=str(chunk))
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


AIDS_FOLDER = "search-aids"
VOCABULARY_SIZE = 6000
# a word in more than this share of the entries' titles, summaries and items tells entries
# apart no better than a stop word: a query of several words is searched without it
COMMON_SHARE = 0.5
BEST_BET_FACETS = {"challenges": "Challenge", "themes": "Theme", "countries": "Country"}


def write_search_aids(catalog: Catalog, renderer: Renderer, site_dir: Path) -> dict:
    """What both search engines share, as plain scripts in ``site_dir/search-aids/``:
    the best bets (a challenge's, theme's or country's page, offered first when a query
    names it or one of its synonyms), the filters' URL values with their labels (the same
    values the items page uses), and the library's vocabulary for "Did you mean"."""
    out = Path(site_dir) / AIDS_FOLDER
    out.mkdir(parents=True, exist_ok=True)
    model = catalog.model
    bets = []
    for facet, kind in BEST_BET_FACETS.items():
        used = {t for e in catalog.published for t in getattr(e, facet)}
        for term in sorted(used):
            url = renderer.term_url(facet, term)
            if url is None:
                continue
            if facet == "countries":
                label, phrases, about = model.country_name(term), [], ""
            else:
                t = model.vocabulary(facet).terms.get(term)
                if t is None:
                    continue
                label, phrases, about = t.label, list(t.synonyms), t.description
            phrases = list(dict.fromkeys([label, term.replace("-", " "), *phrases]))
            bets.append({"k": kind, "l": label, "u": url, "p": phrases, "d": about})
    params: dict[str, dict[str, str]] = defaultdict(dict)
    vocabulary: Counter = Counter()
    spread: Counter = Counter()  # in how many entries each word is
    for entry in catalog.published:
        data = renderer.index_data(entry)
        for key, value, label in data["params"]:
            params[key][value] = str(label)
        text = [entry.title, entry.summary, *(item.text for item in entry.items), *data["synonyms"]]
        vocabulary.update(w for w in words(" ".join(text)) if len(w) > 2 and not w.isdigit())
        spread.update(set(words(" ".join(text[: len(text) - len(data["synonyms"])]))))
    for bet in bets:
        vocabulary.update(w for w in words(" ".join(bet["p"])) if len(w) > 2)
    vocab = [w for w, _ in vocabulary.most_common(VOCABULARY_SIZE)]
    extra = _item_filters(catalog)
    many = COMMON_SHARE * len(catalog.published)
    common = sorted(w for w, n in spread.items() if n > many and len(w) > 2 and not w.isdigit())
    # the best bets are all the header box needs; the filters' values only the search page
    _write_global(out / "aids.js", "__hubAids", {"bets": bets, "filters": extra, "common": common})
    _write_global(out / "params.js", "__hubParams", params)
    _write_global(out / "vocabulary.js", "__hubVocabulary", sorted(vocab))
    return {"best_bets": len(bets), "words": len(vocab), "common": len(common)}


def _item_filters(catalog: Catalog) -> list[list]:
    """The search filters of item results, from the model: [URL key, label, values in the
    model's order]; today the status of an item (its latest follow-up record's)."""
    model = catalog.model
    fu = model.follow_up
    field = next((f for f in model.iter_all_fields() if f.when_none), None)
    if not fu.status or not fu.vocabulary or field is None:
        return []
    return [[fu.status, field.label, list(model.vocabulary(fu.vocabulary).terms)]]


def _write_global(path: Path, name: str, payload) -> None:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    path.write_text(f"window.{name}={body};\n", encoding="utf-8")
