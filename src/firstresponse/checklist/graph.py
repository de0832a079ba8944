"""Cycle detection over the dependency graph of conditions and computed values."""

from __future__ import annotations


def find_cycle(graph: dict[str, list[str]]) -> list[str]:
    """Return one cycle as a path that starts and ends on the same node, or []."""
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        colour[node] = grey
        stack.append(node)
        for dep in graph.get(node, []):
            state = colour.get(dep, white)
            if state == grey:
                return [*stack[stack.index(dep) :], dep]
            if state == white:
                found = visit(dep)
                if found:
                    return found
        stack.pop()
        colour[node] = black
        return []

    for start in graph:
        if colour.get(start, white) == white:
            found = visit(start)
            if found:
                return found
    return []
