"""Pictures drawn at build time as inline SVG: no script, no request, readable
without colour (patterns and printed numbers), each with a text alternative."""

from __future__ import annotations

import math
import sys

from markupsafe import Markup, escape

# Beyond these magnitudes a number is printed in scientific notation (checked entries
# stay below the model's number limit; a writer still never prints hundreds of digits).
_PLAIN_UP_TO = 1e15
_PLAIN_FROM = 0.01


def _value(value) -> float:
    """A chart value as a finite float: too large for a float is the largest one."""
    try:
        number = float(value)
    except OverflowError:
        number = float("inf") if value > 0 else float("-inf")
    if math.isnan(number):
        return 0.0
    return max(min(number, sys.float_info.max), -sys.float_info.max)


def _num(value: float) -> str:
    size = abs(value)
    if size >= _PLAIN_UP_TO or 0 < size < _PLAIN_FROM:
        return f"{value:.3g}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def indicator_chart(indicator: dict, chart_id: str) -> Markup:
    """Before/after bars for one case-study indicator."""
    name, unit = str(indicator["name"]), str(indicator["unit"])
    before, after = _value(indicator["baseline"]), _value(indicator["value"])
    before_label = (
        f"Before{' (' + str(indicator['baseline_year']) + ')' if indicator.get('baseline_year') else ''}"
    )
    after_label = f"After ({indicator['year']})"
    # values near the float's edges are drawn on half scale, so that their span is finite
    scale = 1.0 if math.isfinite(max(0.0, before, after) - min(0.0, before, after)) else 0.5
    low = min(0.0, before, after) * scale
    span = (max(0.0, before, after) * scale - low) or 1.0
    width, left, bar_space = 560, 130, 300

    def bar(value: float) -> tuple[float, float]:
        start = left + (min(value * scale, 0.0) - low) / span * bar_space
        return start, max(abs(value * scale) / span * bar_space, 1.0)

    change = _value(after - before)
    better = indicator.get("better")
    verdict = ""
    if better and change:
        improved = (change < 0) == (better == "lower")
        verdict = " — an improvement" if improved else " — a deterioration"
    description = (
        f"{name}: {before_label.lower()} {_num(before)} {unit}, {after_label.lower()} {_num(after)} {unit}; "
        f"change {'+' if change > 0 else ''}{_num(change)} {unit}{verdict}."
    )
    rows = []
    for y, label, value, fill in (
        (10, before_label, before, f"url(#{chart_id}-hatch)"),
        (50, after_label, after, "#283593"),
    ):
        x, w = bar(value)
        rows.append(
            Markup(
                '<text x="0" y="{ty}" class="hub-chart__label">{label}</text>'
                '<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="26" fill="{fill}"'
                ' stroke="#1f2430" stroke-width="1"></rect>'
                '<text x="{tx:.1f}" y="{ty}" class="hub-chart__value">{value} {unit}</text>'
            ).format(
                ty=y + 18, label=label, x=x, y=y, w=w, fill=fill, tx=x + w + 6, value=_num(value), unit=unit
            )
        )
    return Markup(
        '<figure class="hub-chart">'
        '<svg viewBox="0 0 {width} 90" width="100%" role="img"'
        ' aria-labelledby="{cid}-t {cid}-d" focusable="false">'
        '<title id="{cid}-t">{name}</title><desc id="{cid}-d">{description}</desc>'
        '<defs><pattern id="{cid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#e3e7f0"></rect>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#4a5363" stroke-width="2"></line></pattern></defs>'
        "{rows}</svg>"
        "<figcaption><strong>{name}</strong>: {description_text}</figcaption></figure>"
    ).format(
        width=width,
        cid=chart_id,
        name=name,
        description=description,
        rows=Markup("").join(rows),
        description_text=escape(description.split(": ", 1)[1]),
    )
