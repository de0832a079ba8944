"""Text bar charts for the compliance dashboard (plain strings; no widgets)."""

from __future__ import annotations

from firstresponse.supervision.compliance import Figure

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(fraction: float, width: int) -> str:
    """A horizontal bar `width` cells wide, filled to `fraction` (0..1) in eighths."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (BLOCKS[part] if part else "")).ljust(width)


def bar_lines(groups: dict[str, Figure], width: int = 30, name_width: int = 12) -> list[str]:
    """One line per group: name, bar and figure. Minutes scale to the slowest group."""
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
        lines.append(f"{label} {bar(fraction, width)} {figure.text()}")
    return lines
