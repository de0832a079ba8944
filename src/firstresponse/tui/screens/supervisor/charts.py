"""Text bar charts for the compliance dashboard (plain strings; no widgets)."""

from __future__ import annotations

from firstresponse.supervision.compliance import Figure

BLOCKS = " ▏▎▍▌▋▊▉█"
TICKS = "▁▂▃▄▅▆▇█"


def spark(values: list[float | None], top: float | None = None) -> str:
    """A one-line sparkline; None (no data) shows as a dot."""
    known = [v for v in values if v is not None]
    top = top if top is not None else max(known, default=0.0)
    out = []
    for value in values:
        if value is None:
            out.append("·")
        else:
            share = value / top if top else 0.0
            out.append(TICKS[min(len(TICKS) - 1, int(share * (len(TICKS) - 1) + 0.5))])
    return "".join(out)


def bar(fraction: float, width: int) -> str:
    """A horizontal bar `width` cells wide, filled to `fraction` (0..1) in eighths."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (BLOCKS[part] if part else "")).ljust(width)


def bar_lines(
    groups: dict[str, Figure],
    width: int = 20,
    name_width: int = 10,
    weekly: dict[str, list[float | None]] | None = None,
) -> list[str]:
    """One line per group: name, bar, figure and (if given) its weekly sparkline.

    Rates fill to their share; minutes scale to the slowest group.
    """
    if not groups:
        return ["  (no records)"]
    medians = [f.median for f in groups.values() if f.median is not None]
    slowest = max(medians) if medians else 0.0
    lines = []
    for name, figure in groups.items():
        if figure.median is not None:
            fraction = figure.median / slowest if slowest else 0.0
        else:
            fraction = figure.rate or 0.0
        label = name[:name_width].ljust(name_width)
        line = f"{label} {bar(fraction, width)} {figure.text():<14}"
        if weekly and name in weekly:
            line += " " + spark(weekly[name], None if figure.median is not None else 100.0)
        lines.append(line.rstrip())
    return lines
