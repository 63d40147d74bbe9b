"""Pictures drawn at build time as inline SVG: no script, no request, readable
without colour (patterns and printed numbers), each with a text alternative."""

from __future__ import annotations

from markupsafe import Markup, escape


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def indicator_chart(indicator: dict, chart_id: str) -> Markup:
    """Before/after bars for one case-study indicator."""
    name, unit = str(indicator["name"]), str(indicator["unit"])
    before, after = float(indicator["baseline"]), float(indicator["value"])
    before_label = (
        f"Before{' (' + str(indicator['baseline_year']) + ')' if indicator.get('baseline_year') else ''}"
    )
    after_label = f"After ({indicator['year']})"
    low = min(0.0, before, after)
    span = (max(0.0, before, after) - low) or 1.0
    width, left, bar_space = 560, 130, 300

    def bar(value: float) -> tuple[float, float]:
        start = left + (min(value, 0.0) - low) / span * bar_space
        return start, max(abs(value) / span * bar_space, 1.0)

    change = after - before
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
