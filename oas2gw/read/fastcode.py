"""fastjsonschema's draft-04 code generator, taught to decide `oneOf`, `anyOf` and `not` without
raising and catching an exception per alternative.

fastjsonschema tries each alternative of a `oneOf` inside `try:` and counts the ones that did
not raise. On an OpenAPI document almost every alternative fails (a Schema is not a Reference,
a Reference is not a Schema), so a clean 10,000-operation document raised and caught 200,000
exceptions. This generator writes the same checks with two kinds of shortcut, each provably
equivalent to the code it replaces:

- an alternative made only of pure tests (`type`, `required`, `enum`, and `properties`, `allOf`,
  `anyOf`, `not` of those) becomes one boolean expression instead of `try:` around raising code;
- any other alternative is tried only when a cheap *guard* holds, one whose failure means the
  alternative's code would raise a validation error and nothing else. A guard comes from the
  alternative's first checks (`type`, then `required`, and `enum`s of properties), counted only
  while every check before it is *inert* (can raise nothing but a validation error, whatever the
  data; a regex over keys that may not be strings is not inert), or from `additionalProperties:
  false` for an object whose one key is another alternative's required key (`{"$ref": ...}`
  tried as a Schema).

Smaller savings, each the same test written more cheaply: a `$ref` to a definition that is one
pure test is tested in place rather than called; `required` is a few `in` tests rather than a
set difference; runs of properties the object lacks are skipped with one `isdisjoint`;
patterns whose schemas accept anything are searched over the keys left over by the properties
only; uniqueItems keys come from one module-level function. (`fastschema` then turns literal
patterns such as `^x-` into `startswith`.)

Differential tests (tests/test_fastschema_codegen.py, tests/test_fastschema_shipped.py) run
the code generated both ways on the same values and compare outcomes: valid, invalid, or
another error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastjsonschema.draft04 import JSON_TYPE_TO_PYTHON_TYPE, CodeGeneratorDraft04
from fastjsonschema.generator import VALIDATION_EXCEPTIONS

__all__ = ["GuardedGenerator"]

_MAX_REF_HOPS = 16
#: Keywords whose code only tests the value (lengths, bounds, patterns of strings): they raise
#: a validation error or nothing, whatever the data.
_INERT_ALWAYS = frozenset(
    {
        "type",
        "enum",
        "required",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
    }
)
_RUN = 6  # properties tested together by `generate_properties`
#: uniqueItems compares items by fastjsonschema's `fn`, defined anew in every call; this is the
#: same key (same branches in the same order, hence the same errors), written once, with the
#: two commonest cases (a string, a plain dict) decided first and strings not recursed into.
_UNIQUE_KEY = """

def unique_key(var):
    kind = type(var)
    if kind is str:
        return var
    if kind is dict:
        items = {k: v if type(v) is str else unique_key(v) for k, v in var.items()}
        return frozenset(items.items())
    if hasattr(var, "items"):
        return frozenset(dict((k, unique_key(v)) for k, v in var.items()).items())
    if isinstance(var, (dict, list)):
        return tuple(unique_key(v) for v in var)
    if isinstance(var, bool):
        return (bool, var)
    return var
"""


class GuardedGenerator(CodeGeneratorDraft04):
    """Draft-04 code generation with exception-free `oneOf`/`anyOf`/`not` where provable."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._base.__init__(*args, **kwargs)
        self._here._extra_imports_lines.append(_UNIQUE_KEY)
        self._inert_memo: dict[tuple[int, str | None], bool] = {}
        self._exact_open: set[int] = set()
        self._guard_open: set[int] = set()

    @property
    def _base(self) -> Any:
        """fastjsonschema's generator as it is typed: not at all (its state starts as None)."""
        return super()

    @property
    def _here(self) -> Any:
        """This generator, untyped: the definition, variable and helpers of the current block."""
        return self

    # -- reading the schema -------------------------------------------------------------------

    @contextmanager
    def _target(self, definition: Any, hops: int = 0) -> Iterator[Any]:
        """The definition that generates code for `definition`: behind its `$ref`s (whose
        siblings fastjsonschema ignores), resolved in the scope the generated call would use;
        None when the chain is too long to follow."""
        if isinstance(definition, dict) and "$ref" in definition:
            if hops >= _MAX_REF_HOPS:
                yield None
                return
            with (
                self._resolver.resolving(definition["$ref"]) as target,
                self._target(target, hops + 1) as found,
            ):
                yield found
            return
        yield definition

    def _keywords(self, definition: dict[str, Any]) -> list[str]:
        """The keywords of `definition` that generate code, in the order their code runs."""
        return [k for k in self._json_keywords_to_function if k in definition]

    # -- inert: nothing but validation errors can come out ------------------------------------

    def _inert(self, definition: Any, only_key: str | None = None) -> bool:
        """True when the code for `definition` raises nothing but validation errors on any
        value (`only_key`: on any value that, if a mapping, has that one key and no other)."""
        with self._target(definition) as target:
            if not isinstance(target, dict):
                return False
            memo = (id(target), only_key)
            if memo not in self._inert_memo:
                self._inert_memo[memo] = False  # a cycle proves nothing
                self._inert_memo[memo] = all(
                    self._keyword_inert(target, k, only_key) for k in self._keywords(target)
                )
            return self._inert_memo[memo]

    def _keyword_inert(
        self, definition: dict[str, Any], keyword: str, only_key: str | None
    ) -> bool:
        value = definition[keyword]
        if keyword == "format":  # formats off generate nothing; a custom format may raise
            return not self._here._use_formats
        if keyword in _INERT_ALWAYS:
            return True
        if keyword in ("allOf", "anyOf", "oneOf"):
            return isinstance(value, list) and all(self._inert(d, only_key) for d in value)
        if keyword == "not":
            return self._inert(value, only_key)
        if keyword == "items":
            items = value if isinstance(value, list) else [value]
            return "additionalItems" not in definition and all(self._inert(d) for d in items)
        if keyword == "dependencies":
            return isinstance(value, dict) and all(
                isinstance(d, list) or self._inert(d, only_key) for d in value.values()
            )
        properties = definition.get("properties", {})
        patterns = definition.get("patternProperties", {})
        if keyword == "properties":
            if only_key is not None:
                return only_key not in value or self._inert(value[only_key])
            return all(self._inert(d) for d in value.values())
        if keyword == "patternProperties":
            if only_key is None:  # a key that is not a string makes `re.search` raise
                return False
            return all(self._inert(d) for p, d in value.items() if re.search(p, only_key))
        if keyword == "additionalProperties":
            if value is True or value is False or value == {}:
                return True
            if only_key is not None and (
                only_key in properties or any(re.search(p, only_key) for p in patterns)
            ):
                return True
            return self._inert(value)
        return False  # multipleOf (Decimal arithmetic), uniqueItems (hashing), anything newer

    # -- exact: the whole check as one expression ---------------------------------------------

    def _exact(self, definition: Any, var: str, over_keys: bool = False) -> str | None:
        """A Python expression over `var` that is true exactly when `definition` accepts the
        value, when its checks are all pure tests; else None. With `over_keys`, the test may
        also search the keys with `patternProperties`' regexes, raising where the generated
        code raises (a key that is not a string): fit to replace that code, not to guard it."""
        with self._target(definition) as target:
            if not isinstance(target, dict) or id(target) in self._exact_open:
                return None  # a recursive schema is no pure test
            self._exact_open.add(id(target))
            try:
                parts = []
                for keyword in self._keywords(target):
                    if keyword == "additionalProperties" and "patternProperties" in target:
                        continue  # tested with the patterns
                    part = self._exact_keyword(target, keyword, var, over_keys)
                    if part is None:
                        return None
                    if part != "True":
                        parts.append(part)
            finally:
                self._exact_open.discard(id(target))
            return " and ".join(f"({p})" for p in parts) or "True"

    def _exact_keyword(
        self, definition: dict[str, Any], keyword: str, var: str, over_keys: bool
    ) -> str | None:
        value = definition[keyword]
        if keyword == "type":
            return self._type_test(value, var)
        if keyword == "required":
            return self._required_test(value, var, known_dict=False)
        if keyword == "enum":
            if not isinstance(value, (list, tuple)):
                return None
            return " or ".join(self._here._enum_value_matches(var, v) for v in value) or "False"
        if keyword in ("allOf", "anyOf"):
            if not isinstance(value, list):
                return None
            subs = [self._exact(d, var, over_keys) for d in value]
            if any(s is None for s in subs):
                return None
            joiner = " and " if keyword == "allOf" else " or "
            return joiner.join(f"({s})" for s in subs) or ("True" if keyword == "allOf" else None)
        if keyword == "not":
            sub = self._exact(value, var, over_keys)
            return None if sub is None else f"not ({sub})"
        if keyword == "oneOf":
            # tests that cannot raise (no regex over keys): all may run, in any order
            subs = [self._exact(d, var) for d in value] if isinstance(value, list) else [None]
            if not subs or any(s is None for s in subs):
                return None
            return " + ".join(f"bool({s})" for s in subs) + " == 1"
        if keyword == "properties" and isinstance(value, dict):
            tests = []
            for name, sub in value.items():
                if not isinstance(name, str):
                    return None
                test = self._exact(sub, f"{var}[{name!r}]", over_keys)
                if test is None:
                    return None
                if test != "True":
                    tests.append(f"({name!r} not in {var} or ({test}))")
            return f"not isinstance({var}, dict) or ({' and '.join(tests) or 'True'})"
        if keyword in ("patternProperties", "additionalProperties"):
            return self._exact_keys(definition, var, over_keys)
        return None

    def _exact_keys(self, definition: dict[str, Any], var: str, over_keys: bool) -> str | None:
        """`patternProperties` whose schemas accept anything, with `additionalProperties`
        true or false: every key is searched with every pattern (a list, not a generator,
        so a key that is not a string raises as the generated loop does), and with false a
        key that is neither a property nor matched fails."""
        patterns = definition.get("patternProperties", {})
        additional = definition.get("additionalProperties", True)
        if not isinstance(patterns, dict) or not (additional is True or additional is False):
            return None
        if any(self._exact(d, "_") != "True" for d in patterns.values()):
            return None
        if patterns and not over_keys:
            return None
        for pattern in patterns:
            self._compile_regexps[pattern] = re.compile(pattern)
        searched = ", ".join(f"REGEX_PATTERNS[{p!r}].search(_key)" for p in patterns)
        if additional is True:
            if not patterns:
                return "True"
            return f"not isinstance({var}, dict) or [[{searched}] for _key in {var}] is not None"
        names = tuple(definition.get("properties", {}))
        matched = f"any([{searched}]) or " if patterns else ""
        stray = f"[_key for _key in {var} if not ({matched}_key in {names!r})]"
        return f"not isinstance({var}, dict) or not {stray}"

    @staticmethod
    def _type_test(value: Any, var: str) -> str | None:
        """What `generate_type` accepts, as an expression."""
        types = value if isinstance(value, list) else [value]
        if not types or any(t not in JSON_TYPE_TO_PYTHON_TYPE for t in types):
            return None
        test = f"isinstance({var}, ({', '.join(JSON_TYPE_TO_PYTHON_TYPE[t] for t in types)}))"
        if ("number" in types or "integer" in types) and "boolean" not in types:
            test += f" and not isinstance({var}, bool)"
        return test

    @staticmethod
    def _required_test(value: Any, var: str, known_dict: bool) -> str | None:
        """What `generate_required` accepts, as an expression."""
        if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
            return None
        if not value:
            return "True"
        present = " and ".join(f"{k!r} in {var}" for k in value)
        return present if known_dict else f"not isinstance({var}, dict) or ({present})"

    # -- guards: a cheap condition without which an alternative surely fails -------------------

    def _guard(self, definition: Any, var: str, probes: list[str]) -> str | None:
        """An expression that holds whenever `definition` accepts the value, and whose
        failure means its code would raise a validation error and nothing else; None when
        nothing cheap is known."""
        with self._target(definition) as target:
            if not isinstance(target, dict) or id(target) in self._guard_open:
                return None
            self._guard_open.add(id(target))
            try:
                return self._guard_of(target, var, probes)
            finally:
                self._guard_open.discard(id(target))

    def _guard_of(self, target: dict[str, Any], var: str, probes: list[str]) -> str | None:
        parts: list[str] = []
        known_dict = False
        for keyword in self._keywords(target):
            value = target[keyword]
            if keyword == "type":
                test = self._type_test(value, var)
                if test is not None:
                    parts.append(test)
                    known_dict = value in ("object", ["object"])
            elif keyword == "required":
                test = self._required_test(value, var, known_dict)
                if test is not None and test != "True":
                    parts.append(test)
            elif keyword in ("oneOf", "anyOf") and isinstance(value, list):
                # when no alternative can hold, none is tried: the count stays 0 and it fails
                test = self._any_guard(value, var, probes)
                if test is not None:
                    parts.append(test)
            elif keyword == "properties" and isinstance(value, dict):
                # properties run in order: an enum counts while those before it are inert
                for name, sub in value.items():
                    test = self._enum_guard(sub, name, var, known_dict)
                    if test is not None:
                        parts.append(test)
                    if not self._inert(sub):
                        break
            if not self._keyword_inert(target, keyword, None):
                break  # what follows may not be reached, or may raise something else
        if "required" not in target and target.get("additionalProperties") is False:
            parts.extend(self._probe_guards(target, var, probes, known_dict))
        return " and ".join(f"({p})" for p in parts) or None

    def _any_guard(self, alternatives: list[Any], var: str, probes: list[str]) -> str | None:
        """True when some alternative may hold: each one's exact test, or else its guard."""
        inner = probes + [k for k in self._probes(alternatives) if k not in probes]
        tests = []
        for alternative in alternatives:
            test = self._exact(alternative, var) or self._guard(alternative, var, inner)
            if test is None:
                return None
            tests.append(test)
        return " or ".join(f"({t})" for t in tests) or None

    def _enum_guard(self, sub: Any, name: Any, var: str, known_dict: bool) -> str | None:
        """`name`, when present, must pass the `enum` of its property schema."""
        if not isinstance(name, str):
            return None
        with self._target(sub) as target:
            if not isinstance(target, dict) or "enum" not in target:
                return None
        test = self._exact({"enum": target["enum"]}, f"{var}[{name!r}]")
        if test is None:
            return None
        absent = f"{name!r} not in {var}"
        return (
            f"{absent} or ({test})"
            if known_dict
            else f"not isinstance({var}, dict) or {absent} or ({test})"
        )

    def _probe_guards(
        self, definition: dict[str, Any], var: str, probes: list[str], known_dict: bool
    ) -> Iterator[str]:
        """With `additionalProperties: false`, a mapping whose one key is a key this schema
        does not allow fails, provided nothing on the way can raise another error."""
        properties = definition.get("properties", {})
        patterns = definition.get("patternProperties", {})
        for key in probes:
            if key in properties or any(re.search(p, key) for p in patterns):
                continue
            if not self._inert(definition, only_key=key):
                continue
            test = f"len({var}) != 1 or {key!r} not in {var}"
            yield test if known_dict else f"not isinstance({var}, dict) or {test}"

    def _probes(self, alternatives: list[Any]) -> list[str]:
        """Keys that some alternative requires: candidates for the others' probe guards."""
        keys: list[str] = []
        for alternative in alternatives:
            with self._target(alternative) as target:
                required = target.get("required") if isinstance(target, dict) else None
            if isinstance(required, list):
                keys.extend(k for k in required if isinstance(k, str) and k not in keys)
        return keys

    # -- the keywords ---------------------------------------------------------------------------

    def _try_alternatives(self, keyword: str, counter: str, still_open: str) -> None:
        """Each alternative adds one to `counter` when it accepts the value; `still_open` is
        the condition under which trying more can change the outcome."""
        here = self._here
        alternatives = here._definition[keyword]
        probes = self._probes(alternatives) if isinstance(alternatives, list) else []
        for alternative in alternatives:
            exact = self._exact(alternative, here._variable, over_keys=True)
            if exact is not None:
                with self.l(f"if {still_open} and ({{test}}):", test=exact, optimize=False):
                    self.l(f"{counter} += 1")
                continue
            guard = self._guard(alternative, here._variable, probes)
            condition = still_open if guard is None else f"{still_open} and ({{test}})"
            with self.l(f"if {condition}:", test=guard, optimize=False):
                with self.l("try:", optimize=False):
                    with self.trial_validation():
                        here.generate_func_code_block(
                            alternative, here._variable, here._variable_name, clear_variables=True
                        )
                    self.l(f"{counter} += 1")
                self.l("except {}: pass", VALIDATION_EXCEPTIONS)

    def generate_any_of(self) -> None:
        self._any_or_one_of_count += 1
        count = self._any_or_one_of_count
        counter = f"{self._here._variable}_any_of_count{count}"
        self.l(f"{counter} = 0")
        self._try_alternatives("anyOf", counter, f"not {counter}")
        with self.l(f"if not {counter}:", optimize=False):
            self._here.exc("{name} cannot be validated by any definition", rule="anyOf")

    def generate_one_of(self) -> None:
        self._any_or_one_of_count += 1
        count = self._any_or_one_of_count
        counter = f"{self._here._variable}_one_of_count{count}"
        self.l(f"{counter} = 0")
        self._try_alternatives("oneOf", counter, f"{counter} < 2")
        with self.l(f"if {counter} != 1:"):
            dynamic = f'" (" + str({counter}) + " matches found)"'
            self._here.exc(
                "{name} must be valid exactly by one definition",
                append_to_msg=dynamic,
                rule="oneOf",
            )

    def generate_ref(self) -> None:
        """A referenced definition that is one pure test is tested in place (its exact
        expression, which raises where its code raises) instead of called."""
        here = self._here
        exact = self._exact(here._definition, here._variable, over_keys=True)
        if exact is None:
            self._base.generate_ref()
        elif exact == "True":
            self.l("pass")
        else:
            with self.l("if not ({test}):", test=exact):
                here.exc("{name} must be valid by the referenced definition", rule="$ref")

    def generate_required(self) -> None:
        """`"a" in data and "b" in data` rather than a set difference per object (the same
        test: the message names no missing key when exceptions are not detailed)."""
        here = self._here
        required = here._definition["required"]
        plain = (
            not here._detailed_exceptions
            and isinstance(required, list)
            and required
            and all(isinstance(k, str) for k in required)
            and len(set(required)) == len(required)
            and not self._required_but_not_allowed(here._definition)
        )
        if not plain:  # the base class checks the definition (and words detailed errors)
            self._base.generate_required()
            return
        here.create_variable_is_dict()
        with self.l("if {variable}_is_dict:"):
            present = " and ".join(f"{k!r} in {here._variable}" for k in required)
            with self.l("if not ({test}):", test=present):
                here.exc("{name} must contain ", here.e(required), rule="required")

    def generate_properties(self) -> None:
        """As the base class, with runs of properties skipped together when the object has
        none of them (one `isdisjoint` instead of a lookup per property: the same tests)."""
        here = self._here
        properties = here._definition["properties"]
        if not isinstance(properties, dict) or len(properties) <= _RUN:
            self._base.generate_properties()
            return
        here.create_variable_is_dict()
        with self.l("if {variable}_is_dict:"):
            here.create_variable_keys()
            names = list(properties)
            for start in range(0, len(names), _RUN):
                run = names[start : start + _RUN]
                with self.l("if not {variable}_keys.isdisjoint({run}):", run=repr(tuple(run))):
                    self._properties_run({name: properties[name] for name in run})

    def _properties_run(self, properties: dict[str, Any]) -> None:
        """The base class's code for some of the properties (it reads them from the
        definition, so it is shown a copy that holds only those)."""
        here = self._here
        definition = here._definition
        here._definition = {**definition, "properties": properties}
        try:
            self._base.generate_properties()
        finally:
            here._definition = definition

    def generate_pattern_properties(self) -> None:
        """When every pattern's schema accepts anything, the loop only takes matching keys
        off the keys left over for `additionalProperties`: it runs over those left-overs (a
        key that is not a string is always among them, and raises as before) instead of
        over every key of the object."""
        here = self._here
        patterns = here._definition["patternProperties"]
        if not patterns or any(self._exact(d, "_") != "True" for d in patterns.values()):
            self._base.generate_pattern_properties()
            return
        here.create_variable_is_dict()
        with self.l("if {variable}_is_dict:"):
            here.create_variable_keys()
            for pattern in patterns:
                here._compile_regexps[pattern] = re.compile(pattern)
            searched = " or ".join(
                f"REGEX_PATTERNS[{p!r}].search({here._variable}_key)" for p in patterns
            )
            with (
                self.l("for {variable}_key in tuple({variable}_keys):"),
                self.l("if {test}:", test=searched),
            ):
                self.l("{variable}_keys.remove({variable}_key)")

    def generate_unique_items(self) -> None:
        here = self._here
        if not here._definition["uniqueItems"]:
            return
        here.create_variable_is_list()
        with self.l("if {variable}_is_list:"):
            here.create_variable_with_length()
            with self.l("if {variable}_len > len(set(map(unique_key, {variable}))):"):
                here.exc("{name} must contain unique items", rule="uniqueItems")

    @staticmethod
    def _required_but_not_allowed(definition: dict[str, Any]) -> bool:
        """The base class refuses such a definition: let it say so."""
        if definition.get("additionalProperties", True):
            return False
        properties = definition.get("properties", {})
        patterns = definition.get("patternProperties", {})
        return any(
            k not in properties and not any(re.search(p, k) for p in patterns)
            for k in definition["required"]
        )

    def generate_not(self) -> None:
        here = self._here
        exact = self._exact(here._definition["not"], here._variable, over_keys=True)
        if exact is None:
            self._base.generate_not()
            return
        with self.l("if {test}:", test=exact):
            here.exc("{name} must NOT match a disallowed definition", rule="not")
