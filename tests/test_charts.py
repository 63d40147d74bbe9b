"""Indicator charts: drawn at build time, with numbers as text and a text alternative."""

import xml.etree.ElementTree as ET

from knowledgehub.site.charts import indicator_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_has_accessible_text_and_numbers():
    html = str(
        indicator_chart(
            {
                "name": "Non-revenue water",
                "unit": "%",
                "baseline": 42,
                "baseline_year": 2010,
                "value": 28,
                "year": 2013,
                "better": "lower",
            },
            "c1",
        )
    )
    svg = html[html.index("<svg") : html.index("</svg>") + 6].replace(
        "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
    assert root.find(f"{SVG}title").text == "Non-revenue water"
    desc = root.find(f"{SVG}desc").text
    assert "before (2010) 42 %" in desc and "after (2013) 28 %" in desc and "improvement" in desc
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "42 %" in texts and "28 %" in texts  # numbers readable without colour
    assert "figcaption" in html


def test_chart_escapes_names():
    html = str(
        indicator_chart(
            {"name": "<script>x</script>", "unit": "m³/day", "baseline": 1.5, "value": 2, "year": 2020}, "c2"
        )
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
