"""Relevance cannot silently rot: the small set of judged queries (benchmarks/relevance-queries.yml,
``small: true``) through both engines, with a floor. A relevance measure, not a speed one."""

import sys
from pathlib import Path

import pytest
from test_usb import usb_edition  # noqa: F401  (the fixture)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import relevance  # noqa: E402

pytestmark = pytest.mark.browser


def test_judged_queries_find_their_pages_on_both_engines(browser, built_site, usb_edition):  # noqa: F811
    queries = relevance.load_queries(small=True)
    assert len(queries) >= 8
    assert len(relevance.load_queries()) >= 40
    scores = relevance.evaluate(browser, built_site, usb_edition, queries)
    for engine, s in scores.items():
        assert s["zero_result_rate"] == 0, (engine, s["misses"])
        assert s["hits_at_3"] >= 0.9, (engine, s["misses"])
        assert s["mrr"] >= 0.7, (engine, s)
