"""Geometry for the small metric trend charts drawn as SVG by the templates."""

from dataclasses import dataclass

PAD = 4


@dataclass
class Trend:
    width: int
    height: int
    points: str  # "x,y x,y ..." for a <polyline>
    last_x: float
    last_y: float
    target_y: float | None
    count: int


def trend(metric, width=200, height=48):
    """Oldest to newest measurement of `metric` (prefetched rows), evenly spaced.

    The target line is drawn in the same scale, so a glance says which side of it
    the metric is on. None when there is nothing to draw.
    """
    measurements = sorted(
        metric.measurements.all(), key=lambda m: (m.measured_at, m.pk)
    )
    if not measurements:
        return None
    values = [float(m.value) for m in measurements]
    scale_values = values + (
        [float(metric.target)] if metric.target is not None else []
    )
    low, high = min(scale_values), max(scale_values)
    span = (high - low) or 1.0

    def y_of(value):
        return round(height - PAD - (value - low) / span * (height - 2 * PAD), 1)

    step = (width - 2 * PAD) / max(len(values) - 1, 1)
    coordinates = [(round(PAD + i * step, 1), y_of(v)) for i, v in enumerate(values)]
    return Trend(
        width=width,
        height=height,
        points=" ".join(f"{x},{y}" for x, y in coordinates),
        last_x=coordinates[-1][0],
        last_y=coordinates[-1][1],
        target_y=y_of(float(metric.target)) if metric.target is not None else None,
        count=len(values),
    )
