"""Load checklist TOML files into `Checklist` objects, checking them thoroughly.

Every problem becomes a `ChecklistError` naming the file, the line and a plain-English
reason, so a force editing `checklists/` can fix it without reading code.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

from firstresponse.checklist.checks import validate_semantics
from firstresponse.checklist.conditions import Condition, ConditionSyntaxError, parse
from firstresponse.checklist.item_types import TYPES, ItemType, parse_type, type_names
from firstresponse.checklist.model import (
    Checklist,
    Computed,
    Grading,
    Item,
    RiskModel,
    Rule,
)
from firstresponse.checklist.problems import ChecklistError, Ctx, dupes
from firstresponse.checklist.source import SourceMap

ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
TOP_KEYS = {
    "id",
    "version",
    "title",
    "description",
    "facts",
    "items",
    "computed",
    "flags",
    "referrals",
    "decisions",
    "choices",
    "grading",
    "risk",
}
ITEM_KEYS = {
    "id",
    "type",
    "label",
    "help",
    "section",
    "required",
    "options",
    "items",
    "when",
    "reason_if",
    "reason_label",
    "decision",
    "constraint",
    "constraint_message",
    "checks",
    "min",
    "max",
    "pattern",
    "long",
    "tags",
    "entry_label",
    "min_entries",
    "max_entries",
    "entries_from",
}
RULE_KEYS = {
    "decision": {"item", "reason_item"},
    "grade floor": {"grade"},
    "risk rule": {"level"},
}
COMPUTED_KINDS = ("count", "sum", "entries", "hours_between")
COMPUTED_KEYS = {"id", "label", "kind", "items", "tag", "value"}


def _str(raw: dict[str, Any], key: str, ctx: Ctx, line: int, what: str, default: str = "") -> str:
    value = raw.get(key, default)
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "version":
        return str(value)
    if not isinstance(value, str):
        ctx.fail(line, f"{what}: '{key}' must be text in quotes")
        return default
    return value


def _condition(raw: Any, ctx: Ctx, line: int, what: str) -> Condition | None:
    if raw is None:
        return None
    try:
        return parse(raw, what)
    except ConditionSyntaxError as exc:
        ctx.fail(line, str(exc))
        return None


def _options(
    raw: dict[str, Any], kind: ItemType, ctx: Ctx, line: int, what: str
) -> tuple[tuple[str, str], ...]:
    if TYPES[kind].fixed_options:
        return TYPES[kind].fixed_options
    value = raw.get("options", [])
    if isinstance(value, str):
        if value not in ctx.choices:
            ctx.fail(line, f"{what}: no list called '{value}' in [choices]")
            return ()
        value = ctx.choices[value]
    if not isinstance(value, list):
        ctx.fail(line, f"{what}: 'options' must be a list, or the name of a list in [choices]")
        return ()
    out: list[tuple[str, str]] = []
    for opt in value:
        if isinstance(opt, str):
            out.append((opt, opt))
        elif isinstance(opt, dict) and isinstance(opt.get("value"), str):
            out.append((opt["value"], str(opt.get("label", opt["value"]))))
        else:
            ctx.fail(line, f"{what}: each option must be text or {{ value = ..., label = ... }}")
    values = [v for v, _ in out]
    dupes = sorted({v for v in values if values.count(v) > 1})
    if dupes:
        ctx.fail(line, f"{what}: option value(s) {', '.join(dupes)} appear more than once")
    return tuple(out)


def _number_or_none(raw: dict[str, Any], key: str, ctx: Ctx, line: int, what: str) -> Any:
    value = raw.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        ctx.fail(line, f"{what}: '{key}' must be a number")
        return None
    return value


def _item(raw: Any, ctx: Ctx, after: int, section: str, group: str = "") -> tuple[Item | None, int]:
    """Parse one item table; returns the item and the line it was found on."""
    where = f"an item in group '{group}'" if group else "an item"
    if not isinstance(raw, dict):
        ctx.fail(after, f"{where} must be a table")
        return None, after
    item_id = raw.get("id")
    if not isinstance(item_id, str):
        ctx.fail(after + 1, f'{where} has no id (every item needs id = "...")')
        return None, after
    line = ctx.src.id_line("id", item_id, after) or after
    what = f"item '{item_id}'"
    if not ID_RE.match(item_id):
        ctx.fail(line, f"{what}: ids use lower-case letters, digits and _ and start with a letter")
    for key in sorted(set(raw) - ITEM_KEYS):
        ctx.fail(
            ctx.src.key_line(key, line) or line,
            f"{what}: unknown field '{key}' (known: {', '.join(sorted(ITEM_KEYS))})",
        )
    kind = _type(raw, ctx, line, what)
    spec = TYPES[kind]
    label = _str(raw, "label", ctx, line, what)
    if not label:
        ctx.fail(line, f"{what}: needs a label (the question shown to the officer)")
    options = _options(raw, kind, ctx, line, what)
    if not spec.answerable and raw.get("required"):
        ctx.fail(line, f"{what}: a {kind} shows text and cannot be required")
    if spec.needs_options and not options:
        ctx.fail(line, f"{what}: a {kind} choice needs options")
    children: list[Item] = []
    cursor = line
    if spec.repeats:
        if group:
            ctx.fail(line, f"{what}: groups cannot be nested inside group '{group}'")
        raw_children = raw.get("items")
        if not isinstance(raw_children, list) or not raw_children:
            ctx.fail(line, f"{what}: a group needs a list of child items")
            raw_children = []
        for raw_child in raw_children:
            child, cursor = _item(raw_child, ctx, cursor, "", group=item_id)
            if child is not None:
                children.append(child)
        dupes([(c.id, c.line) for c in children], ctx, f"in group '{item_id}', item id")
    elif "items" in raw:
        ctx.fail(line, f"{what}: only a group can have child items")
    entries_from = _str(raw, "entries_from", ctx, line, what)
    if entries_from and not spec.repeats:
        ctx.fail(line, f"{what}: only a group can take 'entries_from'")
    elif entries_from and ctx.facts is not None and entries_from not in ctx.facts:
        ctx.fail(
            ctx.src.token_line(entries_from, line) or line,
            f"{what}: 'entries_from' names unknown fact '{entries_from}' "
            "(declare it in the top-level 'facts' list)",
        )
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        ctx.fail(line, f"{what}: 'tags' must be a list of names")
        tags = []
    decision = _str(raw, "decision", ctx, line, what)
    if decision and "reason_if" not in raw:
        ctx.fail(line, f"{what}: 'decision' needs 'reason_if' (when is it a decision?)")
    pattern = _str(raw, "pattern", ctx, line, what)
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            ctx.fail(line, f"{what}: 'pattern' is not a valid pattern ({exc})")
            pattern = ""
    item = Item(
        id=item_id,
        type=kind,
        label=label,
        help=_str(raw, "help", ctx, line, what),
        section=_str(raw, "section", ctx, line, what, section),
        required=bool(raw.get("required", False)),
        options=options,
        items=tuple(children),
        when=_condition(raw.get("when"), ctx, line, f"{what} 'when'"),
        reason_if=_condition(raw.get("reason_if"), ctx, line, f"{what} 'reason_if'"),
        reason_label=_str(raw, "reason_label", ctx, line, what),
        decision=decision,
        constraint=_condition(raw.get("constraint"), ctx, line, f"{what} 'constraint'"),
        constraint_message=_str(raw, "constraint_message", ctx, line, what),
        checks=_checks(raw.get("checks", []), ctx, line, what),
        minimum=_number_or_none(raw, "min", ctx, line, what),
        maximum=_number_or_none(raw, "max", ctx, line, what),
        pattern=pattern,
        long=bool(raw.get("long", False)),
        tags=tuple(tags),
        entry_label=_str(raw, "entry_label", ctx, line, what, "Entry"),
        min_entries=int(raw.get("min_entries", 0) or 0),
        max_entries=raw.get("max_entries"),
        entries_from=entries_from,
        line=line,
    )
    return item, max(cursor, line)


def _type(raw: dict[str, Any], ctx: Ctx, line: int, what: str) -> ItemType:
    """The item's type; an unknown or missing one is a problem (read as text meanwhile, so
    the rest of the item is still checked)."""
    named = raw.get("type")
    kind = parse_type(named)
    if kind is not None:
        return kind
    if named is None:
        ctx.fail(line, f'{what}: needs a type (type = "..."); use one of {type_names()}')
    else:
        ctx.fail(line, f"{what}: unknown type {named!r}; use one of {type_names()}")
    return ItemType.TEXT


def _checks(raw: Any, ctx: Ctx, line: int, what: str) -> tuple[tuple[Condition, str], ...]:
    """Further constraints: `checks = [ { holds = {condition}, message = "..." } ]`."""
    if not isinstance(raw, list):
        ctx.fail(line, f"{what}: 'checks' must be a list of {{ holds = ..., message = ... }}")
        return ()
    out = []
    for check in raw:
        if not isinstance(check, dict) or set(check) != {"holds", "message"}:
            ctx.fail(line, f"{what}: each check needs exactly 'holds' (a condition) and 'message'")
            continue
        cond = _condition(check["holds"], ctx, line, f"{what} check")
        if cond is not None:
            out.append((cond, str(check["message"])))
    return tuple(out)


def _table_list(raw: dict[str, Any], key: str, ctx: Ctx, header: str) -> list[tuple[Any, int]]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        ctx.fail(ctx.src.header_line(header), f"'{key}' must be a list of tables ([[{header}]])")
        return []
    fallback = ctx.src.header_line(header.rsplit(".", 1)[0]) or 1
    return [(v, ctx.src.header_line(header, i) or fallback) for i, v in enumerate(value)]


def _rule(raw: Any, ctx: Ctx, line: int, what: str, id_key: str = "id") -> Rule | None:
    if not isinstance(raw, dict):
        ctx.fail(line, f"each {what} must be a table")
        return None
    name = raw.get(id_key, "")
    if id_key and name:
        line = ctx.src.id_line(id_key, str(name), max(line - 1, 0)) or line
    if id_key == "id" and (not isinstance(name, str) or not ID_RE.match(name)):
        ctx.fail(line, f"{what} needs an id of lower-case letters, digits and _")
    allowed = RULE_KEYS.get(what, set()) | {"when", "label", "why"} | ({id_key} - {""})
    for key in sorted(set(raw) - allowed):
        ctx.fail(
            ctx.src.key_line(key, line) or line,
            f"{what}: unknown field '{key}' (known: {', '.join(sorted(allowed))})",
        )
    if "when" not in raw:
        ctx.fail(line, f"{what} '{name}' needs a 'when' condition")
        return None
    when = _condition(raw["when"], ctx, line, f"{what} '{name}' 'when'")
    if when is None:
        return None
    return Rule(
        id=str(name),
        label=str(raw.get("label", name)),
        when=when,
        why=str(raw.get("why", "")),
        level=str(raw.get("level", raw.get("grade", ""))),
        item=str(raw.get("item", "")),
        reason_item=str(raw.get("reason_item", "")),
        line=line,
    )


def _computed(raw: Any, ctx: Ctx, line: int, items: dict[str, Item]) -> Computed | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        ctx.fail(line, "each [[computed]] needs an id")
        return None
    cid = raw["id"]
    line = ctx.src.id_line("id", cid, max(line - 1, 0)) or line
    what = f"computed '{cid}'"
    if not ID_RE.match(cid):
        ctx.fail(line, f"{what}: ids use lower-case letters, digits and _")
    for key in sorted(set(raw) - COMPUTED_KEYS):
        ctx.fail(
            ctx.src.key_line(key, line) or line,
            f"{what}: unknown field '{key}' (known: {', '.join(sorted(COMPUTED_KEYS))})",
        )
    kind = raw.get("kind", "count")
    if kind not in COMPUTED_KINDS:
        ctx.fail(line, f"{what}: unknown kind {kind!r}; use one of {', '.join(COMPUTED_KINDS)}")
    names = raw.get("items", [])
    if not isinstance(names, list):
        ctx.fail(line, f"{what}: 'items' must be a list of item ids")
        names = []
    tag = raw.get("tag")
    if tag:
        names = [*names, *(i.id for i in items.values() if tag in i.tags)]
        if not any(tag in i.tags for i in items.values()):
            ctx.fail(line, f"{what}: no item has tag '{tag}'")
    if not names:
        ctx.fail(line, f"{what}: name the items it works over ('items' or 'tag')")
    for name in names:
        if name not in items:
            ctx.fail(ctx.src.token_line(name, line) or line, f"{what}: no item called '{name}'")
        elif kind == "entries" and not items[name].is_group:
            ctx.fail(line, f"{what}: 'entries' counts a group, but '{name}' is not a group")
        elif kind == "hours_between" and items[name].type is not ItemType.DATETIME:
            ctx.fail(line, f"{what}: 'hours_between' needs date-times, but '{name}' is not one")
    if kind == "hours_between" and len(names) != 2:
        ctx.fail(line, f"{what}: 'hours_between' needs exactly two items (from, to)")
    values = _values(raw, ctx, line, what)
    return Computed(cid, str(raw.get("label", cid)), str(kind), tuple(names), values, line)


def _values(raw: dict[str, Any], ctx: Ctx, line: int, what: str) -> tuple[str, ...]:
    """A count's `value`: one answer, or a list of answers that each count."""
    value = raw.get("value", "yes")
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) for v in values):
        ctx.fail(line, f"{what}: 'value' must be text, or a list of text")
        return ("yes",)
    return tuple(values)


def _build(data: dict[str, Any], ctx: Ctx, digest: str) -> Checklist:
    for key in sorted(set(data) - TOP_KEYS):
        ctx.fail(
            _key_line(ctx, key) or ctx.src.header_line(key),
            f"unknown top-level field '{key}' (known: {', '.join(sorted(TOP_KEYS))})",
        )
    cid = data.get("id")
    if not isinstance(cid, str) or not ID_RE.match(cid):
        ctx.fail(_key_line(ctx, "id"), 'the checklist needs id = "..." (lower-case, digits, _)')
        cid = ctx.path.stem
    facts = data.get("facts")
    if facts is not None:
        if isinstance(facts, list) and all(isinstance(f, str) for f in facts):
            ctx.facts = set(facts)
        else:
            ctx.fail(_key_line(ctx, "facts"), "'facts' must be a list of names")
    choices = data.get("choices", {})
    if isinstance(choices, dict):
        ctx.choices = choices
    else:
        ctx.fail(ctx.src.header_line("choices") or 1, "[choices] must be a table of named lists")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        ctx.fail(_key_line(ctx, "items") or 1, "the checklist has no [[items]]")
        raw_items = []
    items: list[Item] = []
    cursor, section = 0, ""
    for raw in raw_items:
        item, cursor = _item(raw, ctx, cursor, section)
        if item is not None:
            items.append(item)
            section = item.section
    index = {i.id: i for i in items}
    computed = [
        c
        for raw, line in _table_list(data, "computed", ctx, "computed")
        if (c := _computed(raw, ctx, line, index)) is not None
    ]
    flags = _rules(data, "flags", ctx, "flag")
    referrals = _rules(data, "referrals", ctx, "referral")
    decisions = _rules(data, "decisions", ctx, "decision", id_key="kind")
    grading = _grading(data.get("grading"), ctx)
    risk = _risk(data.get("risk"), ctx)
    version = _str(data, "version", ctx, _key_line(ctx, "version"), "checklist")
    if not version:
        ctx.fail(_key_line(ctx, "version") or 1, 'the checklist needs version = "..."')
    return Checklist(
        id=cid,
        version=version,
        hash=digest,
        title=_str(data, "title", ctx, _key_line(ctx, "title"), "checklist", cid),
        description=_str(data, "description", ctx, _key_line(ctx, "description"), "checklist"),
        items=tuple(items),
        computed=tuple(computed),
        flags=tuple(flags),
        referrals=tuple(referrals),
        decisions=tuple(decisions),
        grading=grading,
        risk=risk,
        path=ctx.path,
    )


def _key_line(ctx: Ctx, key: str) -> int:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    return ctx.src._search(pattern) or 1


def _rules(data: dict[str, Any], key: str, ctx: Ctx, what: str, id_key: str = "id") -> list[Rule]:
    out = []
    for raw, line in _table_list(data, key, ctx, key):
        rule = _rule(raw, ctx, line, what, id_key)
        if rule is not None:
            out.append(rule)
    return out


def _grading(raw: Any, ctx: Ctx) -> Grading | None:
    if raw is None:
        return None
    line = ctx.src.header_line("grading") or 1
    if not isinstance(raw, dict) or not isinstance(raw.get("item"), str):
        ctx.fail(line, '[grading] needs item = "<id of the grade question>"')
        return None
    floors = []
    for floor_raw, floor_line in _table_list(raw, "floors", ctx, "grading.floors"):
        rule = _rule(floor_raw, ctx, floor_line, "grade floor", id_key="")
        if rule is not None:
            floors.append(rule)
    return Grading(raw["item"], tuple(floors))


def _risk(raw: Any, ctx: Ctx) -> RiskModel | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        ctx.fail(ctx.src.header_line("risk") or 1, "[risk] must be a table")
        return None
    rules = []
    for rule_raw, line in _table_list(raw, "rules", ctx, "risk.rules"):
        rule = _rule(rule_raw, ctx, line, "risk rule", id_key="")
        if rule is not None:
            rules.append(rule)
    return RiskModel(
        tuple(rules), str(raw.get("judgement_item", "")), str(raw.get("default", "standard"))
    )


def check_file(path: Path) -> tuple[Checklist | None, list[ChecklistError]]:
    """Load one file; return the checklist (None if unusable) and every problem found."""
    try:
        data_bytes = path.read_bytes()
    except OSError as exc:
        return None, [ChecklistError(path, 0, f"cannot read the file ({exc.strerror})")]
    try:
        text = data_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data_bytes[: exc.start].count(b"\n") + 1
        return None, [ChecklistError(path, line, "the file is not UTF-8 text")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = int(match.group(1)) if match else 0
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return None, [ChecklistError(path, line, f"not valid TOML: {reason}")]
    ctx = Ctx(path, SourceMap(text))
    checklist = _build(data, ctx, hashlib.sha256(data_bytes).hexdigest())
    if not ctx.errors:
        validate_semantics(checklist, ctx)
    errors = sorted(ctx.errors, key=lambda e: e.line)
    return (None if errors else checklist), errors


def load_checklist(path: Path | str) -> Checklist:
    """Load and validate one checklist file; raise ChecklistError on the first problem."""
    checklist, errors = check_file(Path(path))
    if errors or checklist is None:
        raise errors[0]
    return checklist


def check_directory(directory: Path | str) -> tuple[dict[str, Checklist], list[ChecklistError]]:
    """Load every `*.toml` in a folder; return the good checklists and all problems."""
    folder = Path(directory)
    if not folder.is_dir():
        return {}, [ChecklistError(folder, 0, "no such folder")]
    found: dict[str, Checklist] = {}
    errors: list[ChecklistError] = []
    for path in sorted(folder.glob("*.toml")):
        checklist, problems = check_file(path)
        errors.extend(problems)
        if checklist is None:
            continue
        if checklist.id in found:
            other = found[checklist.id].path
            errors.append(
                ChecklistError(path, 1, f"checklist id '{checklist.id}' is also used by {other}")
            )
            continue
        found[checklist.id] = checklist
    return found, errors


def load_checklists(directory: Path | str) -> dict[str, Checklist]:
    """Load every checklist in a folder (id -> Checklist); raise on the first problem."""
    found, errors = check_directory(directory)
    if errors:
        raise errors[0]
    return found
