"""A small, safe, declarative condition language (never Python `eval`).

A condition is a TOML table. Combinators:
    { all = [c1, c2] }   { any = [c1, c2] }   { not = c }
A test names exactly one operand and at most one operator:
    operands:  answer = "item"   fact = "name"   computed = "name"   flag = "name"
               referral = "name" count = "group-or-multi-item"
               any_entry = "group", where = {condition on that group's children}
    operators: equals, ne, in, not_in, contains, gt, gte, lt, lte, answered (true/false)
With no operator a test is "truthy": a flag or referral is raised, a fact is true, an answer
is given and is not "no"/"unknown"/empty/0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

OPERANDS = ("answer", "fact", "computed", "flag", "referral", "count", "any_entry")
OPERATORS = ("equals", "ne", "in", "not_in", "contains", "gt", "gte", "lt", "lte", "answered")
FALSY_ANSWERS = ("no", "unknown", "")


class ConditionSyntaxError(ValueError):
    """A condition table that cannot be understood; the message is plain English."""


class Resolver(Protocol):
    """What a condition needs to look values up; `scope` is a group entry or None."""

    def answer(self, name: str, scope: Any) -> Any: ...
    def fact(self, name: str) -> Any: ...
    def computed(self, name: str) -> Any: ...
    def flag(self, name: str) -> bool: ...
    def referral(self, name: str) -> bool: ...
    def count(self, name: str, scope: Any) -> int: ...
    def entries(self, name: str) -> list[Any]: ...


@dataclass(frozen=True)
class Ref:
    """A name a condition refers to; `group` is set for names inside an `any_entry` where."""

    kind: str
    name: str
    group: str = ""


class Condition:
    """Base class of parsed conditions."""

    def holds(self, resolver: Resolver, scope: Any = None) -> bool:
        raise NotImplementedError

    def refs(self, group: str = "") -> Iterator[Ref]:
        raise NotImplementedError

    def tests(self, group: str = "") -> Iterator[tuple[Test, str]]:
        """Every test with the group its names resolve in ('' for top level)."""
        raise NotImplementedError


@dataclass(frozen=True)
class _Compound(Condition):
    """A condition made of parts: its names and tests are its parts'."""

    parts: tuple[Condition, ...]

    def refs(self, group: str = "") -> Iterator[Ref]:
        for p in self.parts:
            yield from p.refs(group)

    def tests(self, group: str = "") -> Iterator[tuple[Test, str]]:
        for p in self.parts:
            yield from p.tests(group)


@dataclass(frozen=True)
class All(_Compound):
    def holds(self, resolver: Resolver, scope: Any = None) -> bool:
        return all(p.holds(resolver, scope) for p in self.parts)


@dataclass(frozen=True)
class AnyOf(_Compound):
    def holds(self, resolver: Resolver, scope: Any = None) -> bool:
        return any(p.holds(resolver, scope) for p in self.parts)


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def holds(self, resolver: Resolver, scope: Any = None) -> bool:
        return not self.part.holds(resolver, scope)

    def refs(self, group: str = "") -> Iterator[Ref]:
        yield from self.part.refs(group)

    def tests(self, group: str = "") -> Iterator[tuple[Test, str]]:
        yield from self.part.tests(group)


def truthy(value: Any) -> bool:
    """Truth of an answer or fact: "no", "unknown", blanks, zero and empty lists are false."""
    if isinstance(value, str):
        return value.strip().lower() not in FALSY_ANSWERS
    return bool(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _compare(op: str, value: Any, arg: Any) -> bool:
    if op == "answered":
        given = value not in (None, "", [], {}) and not (
            isinstance(value, str) and not value.strip()
        )
        return given == bool(arg)
    if op in ("gt", "gte", "lt", "lte"):
        left, right = _number(value), _number(arg)
        if left is None or right is None:
            return False
        return {
            "gt": left > right,
            "gte": left >= right,
            "lt": left < right,
            "lte": left <= right,
        }[op]
    values = value if isinstance(value, list) else [value]
    if op == "equals":
        return value == arg
    if op == "ne":
        return value != arg
    if op == "in":
        return any(v in arg for v in values if isinstance(v, str | int | float | bool))
    if op == "not_in":
        return not any(v in arg for v in values if isinstance(v, str | int | float | bool))
    if op == "contains":
        if isinstance(value, list):
            return arg in value
        return isinstance(value, str) and isinstance(arg, str) and arg in value
    return False  # pragma: no cover - operators are checked when parsing


@dataclass(frozen=True)
class Test(Condition):
    operand: str
    name: str
    op: str = ""
    arg: Any = None
    where: Condition | None = None

    def value(self, resolver: Resolver, scope: Any) -> Any:
        match self.operand:
            case "answer":
                return resolver.answer(self.name, scope)
            case "fact":
                return resolver.fact(self.name)
            case "computed":
                return resolver.computed(self.name)
            case "flag":
                return resolver.flag(self.name)
            case "referral":
                return resolver.referral(self.name)
            case "count":
                return resolver.count(self.name, scope)
        return None

    def holds(self, resolver: Resolver, scope: Any = None) -> bool:
        if self.operand == "any_entry":
            inner = self.where
            return any(
                inner is None or inner.holds(resolver, entry)
                for entry in resolver.entries(self.name)
            )
        value = self.value(resolver, scope)
        try:
            return _compare(self.op, value, self.arg) if self.op else truthy(value)
        except TypeError:
            return False

    def refs(self, group: str = "") -> Iterator[Ref]:
        kind = "answer" if self.operand in ("count", "any_entry") else self.operand
        yield Ref(kind, self.name, group)
        if self.where is not None:
            yield from self.where.refs(self.name)

    def tests(self, group: str = "") -> Iterator[tuple[Test, str]]:
        yield self, group
        if self.where is not None:
            yield from self.where.tests(self.name)


def parse(raw: Any, where: str = "condition") -> Condition:
    """Parse a condition table; raise ConditionSyntaxError with a plain-English reason."""
    if not isinstance(raw, dict):
        raise ConditionSyntaxError(
            f'{where} must be a table like {{ answer = "x", equals = "yes" }}'
        )
    keys = set(raw)
    if keys == {"all"} or keys == {"any"}:
        (key,) = keys
        parts = raw[key]
        if not isinstance(parts, list) or not parts:
            raise ConditionSyntaxError(f"{where}: '{key}' needs a non-empty list of conditions")
        parsed = tuple(parse(p, where) for p in parts)
        return All(parsed) if key == "all" else AnyOf(parsed)
    if keys == {"not"}:
        return Not(parse(raw["not"], where))
    operands = [k for k in OPERANDS if k in raw]
    if len(operands) != 1:
        raise ConditionSyntaxError(
            f"{where} must name exactly one of {', '.join(OPERANDS)} (or use all/any/not); "
            f"found: {', '.join(sorted(keys)) or 'nothing'}"
        )
    operand = operands[0]
    name = raw[operand]
    if not isinstance(name, str) or not name:
        raise ConditionSyntaxError(f"{where}: '{operand}' must be a name in quotes")
    rest = keys - {operand}
    inner: Condition | None = None
    if operand == "any_entry":
        if "where" in rest:
            inner = parse(raw["where"], where)
            rest.discard("where")
        if rest:
            raise ConditionSyntaxError(f"{where}: any_entry takes only 'where', not {sorted(rest)}")
        return Test(operand, name, where=inner)
    unknown = rest - set(OPERATORS)
    if unknown:
        raise ConditionSyntaxError(
            f"{where}: unknown operator {', '.join(sorted(unknown))}; "
            f"use one of {', '.join(OPERATORS)}"
        )
    if len(rest) > 1:
        raise ConditionSyntaxError(f"{where}: use one operator per test, found {sorted(rest)}")
    op = next(iter(rest), "")
    arg = raw.get(op) if op else None
    if op in ("in", "not_in") and not isinstance(arg, list):
        raise ConditionSyntaxError(f"{where}: '{op}' needs a list of values")
    if op in ("gt", "gte", "lt", "lte") and _number(arg) is None:
        raise ConditionSyntaxError(f"{where}: '{op}' needs a number")
    return Test(operand, name, op, arg)
