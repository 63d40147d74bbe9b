"""What the search files hold (search-aids/ and the USB edition's search-offline/): the
"Did you mean" vocabulary is capped, the status of items is a filter from the model, and the
items of results are in files of their own, not in the documents every query loads."""

from __future__ import annotations

import json

from conftest import ROOT

from knowledgehub.outputs import offline_index
from knowledgehub.site.render import Renderer


def payload(path):
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1 : text.rindex(";")])


def call_payload(path):
    """The data a search-offline script hands to the engine (its last argument)."""
    text = path.read_text(encoding="utf-8")
    return json.loads("[" + text[text.index("(") + 1 : text.rindex(")")] + "]")[-1]


def test_vocabulary_is_capped_at_the_most_frequent_words(library, tmp_path, monkeypatch):
    renderer = Renderer(library.catalog, ROOT / "overrides" / "hub")
    offline_index.write_search_aids(library.catalog, renderer, tmp_path / "all")
    everything = payload(tmp_path / "all" / "search-aids" / "vocabulary.js")
    assert len(everything) > 200
    monkeypatch.setattr(offline_index, "VOCABULARY_SIZE", 50)
    stats = offline_index.write_search_aids(library.catalog, renderer, tmp_path / "capped")
    capped = payload(tmp_path / "capped" / "search-aids" / "vocabulary.js")
    assert len(capped) == stats["words"] == 50
    assert set(capped) < set(everything)
    assert "water" in capped  # the library's most frequent word is kept


def test_status_filter_and_item_files_come_from_the_model(library, tmp_path, model):
    renderer = Renderer(library.catalog, ROOT / "overrides" / "hub")
    offline_index.write_search_aids(library.catalog, renderer, tmp_path)
    aids = payload(tmp_path / "search-aids" / "aids.js")
    fu = model.follow_up
    vocab = model.vocabulary(fu.vocabulary)
    assert aids["filters"] == [[fu.status, "Status", list(vocab.terms)]]
    params = payload(tmp_path / "search-aids" / "params.js")
    assert params[fu.status][fu.when_none] == vocab.label(fu.when_none)
    assert "params" not in aids  # the header box does not load the filter values
    offline_index.write_offline_index(library.catalog, renderer, tmp_path)
    out = tmp_path / "search-offline"
    docs = call_payload(out / "docs.js")
    assert all("i" not in doc for doc in docs)  # items are loaded for the results shown only
    items = {}
    for f in out.glob("items-*.js"):
        items.update(call_payload(f))
    statuses = {status for doc_items in items.values() for _, status, _ in doc_items}
    assert fu.when_none in statuses and statuses <= set(vocab.terms)
    with_items = [doc for doc in docs if vocab.label(fu.when_none) in doc["f"].get(fu.status, [])]
    assert with_items and len(with_items) <= len(items)


def test_words_most_entries_have_are_listed_for_queries_to_leave_out(library, tmp_path):
    """A word in more than half of the entries ("water" in a water library) tells no entry
    apart: the engines search a query of several words without it (hub-search.js)."""
    renderer = Renderer(library.catalog, ROOT / "overrides" / "hub")
    stats = offline_index.write_search_aids(library.catalog, renderer, tmp_path)
    common = payload(tmp_path / "search-aids" / "aids.js")["common"]
    assert stats["common"] == len(common) and "water" in common
    published = library.catalog.published
    for word in common:
        having = [
            e
            for e in published
            if word in offline_index.words(" ".join([e.title, e.summary, *(i.text for i in e.items)]))
        ]
        assert len(having) > len(published) / 2, word
    # words that do tell entries apart are not listed
    assert not {"chennai", "harare", "leaks", "billing"} & set(common)
