"""Checks on a parsed checklist: every name exists, option values are real, no cycles."""

from __future__ import annotations

from firstresponse.checklist.conditions import Condition, Ref
from firstresponse.checklist.graph import find_cycle
from firstresponse.checklist.item_types import ItemType
from firstresponse.checklist.model import Checklist, Grading, Item, RiskModel, Rule
from firstresponse.checklist.problems import Ctx, dupes
from firstresponse.vocab import Grade, RiskLevel

RISK_COMPUTED = ("risk_level", "computed_risk_level")
GRADE_COMPUTED = ("grade_floor",)
GRADE_FLAGS = ("grade_below_floor",)
UNKNOWN = "unknown"


def _check_refs(
    cond: Condition | None, owner_line: int, what: str, cl: Checklist, ctx: Ctx, group: str = ""
) -> None:
    """Every name a condition uses must exist; option values must be real options."""
    if cond is None:
        return
    computed = {c.id for c in cl.computed}
    computed |= set(RISK_COMPUTED) if cl.risk else set()
    computed |= set(GRADE_COMPUTED) if cl.grading else set()
    flags = {f.id for f in cl.flags} | (set(GRADE_FLAGS) if cl.grading else set())
    referrals = {r.id for r in cl.referrals}
    for test, scope in cond.tests(group):
        line = ctx.src.token_line(test.name, owner_line) or owner_line
        found = True
        target: Item | None = None
        if test.operand in ("answer", "count", "any_entry"):
            target = _lookup(cl, test.name, scope)
            found = target is not None
            if target and test.operand == "any_entry" and not target.is_group:
                ctx.fail(line, f"{what}: any_entry needs a group, but '{test.name}' is not one")
            if target and test.operand == "count" and not target.spec.countable:
                ctx.fail(
                    line,
                    f"{what}: count needs a group or multi-choice item, "
                    f"but '{test.name}' is a {target.type}",
                )
        elif test.operand == "computed":
            found = test.name in computed
        elif test.operand == "flag":
            found = test.name in flags
        elif test.operand == "referral":
            found = test.name in referrals
        elif test.operand == "fact":
            found = ctx.facts is None or test.name in ctx.facts
        if not found:
            noun = "item" if test.operand in ("answer", "count", "any_entry") else test.operand
            hint = " (declare it in the top-level 'facts' list)" if noun == "fact" else ""
            ctx.fail(line, f"{what} refers to unknown {noun} '{test.name}'{hint}")
            continue
        if (
            target
            and test.operand == "answer"
            and target.options
            and test.op in ("equals", "ne", "in", "not_in", "contains")
        ):
            args = test.arg if isinstance(test.arg, list) else [test.arg]
            valid = {v for v, _ in target.options}
            for arg in args:
                if arg not in valid:
                    ctx.fail(
                        line,
                        f"{what}: {arg!r} is not an option of item '{target.id}' "
                        f"(options: {', '.join(sorted(valid))})",
                    )


def _lookup(cl: Checklist, name: str, group: str) -> Item | None:
    """Resolve a name: a sibling in the group first, then a top-level item."""
    if group:
        parent = cl.item(group)
        child = parent.child(name) if parent else None
        if child is not None:
            return child
    return cl.item(name)


def _all_refs(cond: Condition | None, group: str = "") -> list[Ref]:
    return [] if cond is None else list(cond.refs(group))


def _node_for(ref: Ref, cl: Checklist, scope: str) -> str:
    group = ref.group or scope
    if ref.kind == "answer":
        if group:
            parent = cl.item(group)
            if parent and parent.child(ref.name):
                return f"item:{group}.{ref.name}"
        return f"item:{ref.name}"
    return f"{ref.kind}:{ref.name}"


def _dependency_graph(cl: Checklist) -> dict[str, list[str]]:
    graph: dict[str, list[str]] = {}

    def add(node: str, conds: list[Condition | None], scope: str = "", extra: tuple = ()) -> None:
        deps = [_node_for(r, cl, scope) for c in conds for r in _all_refs(c)]
        graph.setdefault(node, []).extend([*deps, *extra])

    for item in cl.items:
        add(f"item:{item.id}", [item.when])
        for child in item.items:
            add(f"item:{item.id}.{child.id}", [child.when], item.id, (f"item:{item.id}",))
    for comp in cl.computed:
        graph[f"computed:{comp.id}"] = [f"item:{name}" for name in comp.items]
    for rule in cl.flags:
        add(f"flag:{rule.id}", [rule.when])
    for rule in cl.referrals:
        add(f"referral:{rule.id}", [rule.when])
    if cl.risk:
        add("computed:computed_risk_level", [r.when for r in cl.risk.rules])
        judge = (f"item:{cl.risk.judgement_item}",) if cl.risk.judgement_item else ()
        add("computed:risk_level", [], extra=("computed:computed_risk_level", *judge))
    if cl.grading:
        add("computed:grade_floor", [r.when for r in cl.grading.floors])
        add("flag:grade_below_floor", [], extra=("computed:grade_floor", f"item:{cl.grading.item}"))
    return graph


def _node_line(node: str, cl: Checklist, ctx: Ctx) -> int:
    kind, _, name = node.partition(":")
    if kind == "item":
        top, _, child = name.partition(".")
        item = cl.item(top)
        found = item.child(child) if item and child else item
        return found.line if found else 0
    lines = {f"flag:{r.id}": r.line for r in cl.flags}
    lines |= {f"referral:{r.id}": r.line for r in cl.referrals}
    lines |= {f"computed:{c.id}": c.line for c in cl.computed}
    return lines.get(node) or ctx.src.header_line(kind)


def validate_semantics(cl: Checklist, ctx: Ctx) -> None:
    items = {i.id: i for i in cl.items}
    dupes([(i.id, i.line) for i in cl.items], ctx, "item id")
    dupes([(c.id, c.line) for c in cl.computed], ctx, "computed id")
    dupes([(f.id, f.line) for f in cl.flags], ctx, "flag id")
    dupes([(r.id, r.line) for r in cl.referrals], ctx, "referral id")
    for item in cl.items:
        _check_item_refs(item, cl, ctx)
    for comp in cl.computed:
        if comp.id in RISK_COMPUTED + GRADE_COMPUTED:
            ctx.fail(comp.line, f"computed '{comp.id}' uses a name the engine reserves")
    for rule in cl.flags:
        _check_refs(rule.when, rule.line, f"flag '{rule.id}'", cl, ctx)
    for rule in cl.referrals:
        _check_refs(rule.when, rule.line, f"referral '{rule.id}'", cl, ctx)
    for rule in cl.decisions:
        what = f"decision '{rule.id}'"
        _check_refs(rule.when, rule.line, what, cl, ctx)
        for name in (rule.item, rule.reason_item):
            if name and name not in items:
                ctx.fail(
                    ctx.src.token_line(name, rule.line) or rule.line,
                    f"{what} refers to unknown item '{name}'",
                )
        if not rule.item:
            ctx.fail(rule.line, f"{what} needs 'item' (the answer the decision is about)")
        reason_item = items.get(rule.reason_item)
        if reason_item is not None and reason_item.type is not ItemType.TEXT:
            ctx.fail(reason_item.line, f"{what}: reason item '{reason_item.id}' must be text")
    if cl.grading:
        _validate_grading(cl.grading, cl, ctx)
    if cl.risk:
        _validate_risk(cl.risk, cl, ctx)
    cycle = find_cycle(_dependency_graph(cl))
    if cycle:
        path = " -> ".join(n.replace(":", " '", 1) + "'" for n in cycle)
        ctx.fail(_node_line(cycle[0], cl, ctx), f"circular conditions: {path}")


def _check_item_refs(item: Item, cl: Checklist, ctx: Ctx, group: str = "") -> None:
    what = f"item '{group + '.' if group else ''}{item.id}'"
    for name, cond in (
        ("when", item.when),
        ("reason_if", item.reason_if),
        ("constraint", item.constraint),
        *(("check", cond) for cond, _ in item.checks),
    ):
        _check_refs(cond, item.line, f"{what} '{name}'", cl, ctx, group)
    for child in item.items:
        _check_item_refs(child, cl, ctx, item.id)


def _validate_grading(grading: Grading, cl: Checklist, ctx: Ctx) -> None:
    line = ctx.src.header_line("grading") or 1
    item = cl.item(grading.item)
    grades = {g.value for g in Grade}
    if item is None:
        ctx.fail(line, f"grading refers to unknown item '{grading.item}'")
    else:
        _check_choice_of(item, grades, "grading item", f"grades ({', '.join(grades)})", ctx)
    for rule in grading.floors:
        if rule.level not in grades:
            ctx.fail(
                rule.line,
                f"grade floor: unknown grade {rule.level!r}; "
                f"use one of {', '.join(g.value for g in Grade)}",
            )
        _check_refs(rule.when, rule.line, "grade floor", cl, ctx)
        _check_not_known(rule, cl, ctx)


def _check_choice_of(item: Item, values: set[str], what: str, named: str, ctx: Ctx) -> None:
    """The item must be a single choice whose options are all among `values`."""
    if item.type is not ItemType.SINGLE or not {v for v, _ in item.options} <= values:
        ctx.fail(item.line, f"{what} '{item.id}' must be a single choice of {named}")


def _check_not_known(rule: Rule, cl: Checklist, ctx: Ctx) -> None:
    """A floor set by a yes/no answer must be set by "not known" too: not knowing whether the
    suspect is there, or whether the caller can talk, is never the safe answer."""
    for test, scope in rule.when.tests():
        target = _lookup(cl, test.name, scope) if test.operand == "answer" else None
        if target is None or target.type is not ItemType.YESNO or test.op not in ("equals", "in"):
            continue
        values = test.arg if isinstance(test.arg, list) else [test.arg]
        if UNKNOWN not in values and any(v in ("yes", "no") for v in values):
            worse = " or ".join(f'"{v}"' for v in values)
            ctx.fail(
                ctx.src.token_line(test.name, rule.line) or rule.line,
                f"grade floor on '{test.name}': \"not known\" must set the same floor as "
                f'{worse}; write in = [{", ".join(f"{v!r}" for v in values)}, "unknown"]'.replace(
                    "'", '"'
                ),
            )


def _validate_risk(risk: RiskModel, cl: Checklist, ctx: Ctx) -> None:
    levels = {lv.value for lv in RiskLevel}
    line = ctx.src.header_line("risk") or 1
    if risk.default not in levels:
        ctx.fail(line, f"risk default {risk.default!r} is not one of {', '.join(levels)}")
    if risk.judgement_item:
        item = cl.item(risk.judgement_item)
        if item is None:
            ctx.fail(line, f"risk refers to unknown judgement item '{risk.judgement_item}'")
        else:
            _check_choice_of(item, levels, "risk judgement item", ", ".join(levels), ctx)
    for rule in risk.rules:
        if rule.level not in levels:
            ctx.fail(rule.line, f"risk rule: unknown level {rule.level!r}")
        _check_refs(rule.when, rule.line, "risk rule", cl, ctx)
