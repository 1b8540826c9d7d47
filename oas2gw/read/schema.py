"""OpenAPI structural validation: one function, `check_schema`, so a faster checker can slot in.

openapi-spec-validator is the reference. It is imported only here and only when a document is
checked (importing it costs a quarter of a second). It sees a copy of the tree in which
CloudFormation intrinsics are placeholder strings, so `{"Fn::Sub": ...}` where a string belongs
is not a false finding.
"""

from __future__ import annotations

import re
from typing import Any

from oas2gw.diagnostics import Diagnostic, Severity, join_pointer
from oas2gw.read import codes
from oas2gw.read.refs import usable_local_ref

_PLACEHOLDER = "<CloudFormation intrinsic function>"
_MAX_FINDINGS = 200


def is_intrinsic(value: Any) -> bool:
    if type(value) is not dict or len(value) != 1:
        return False
    key = next(iter(value))
    return isinstance(key, str) and (key == "Ref" or key == "Condition" or key.startswith("Fn::"))


def plain_copy(tree: Any) -> Any:
    """The tree with intrinsics as strings and every key a string, shared nodes copied once."""
    memo: dict[int, Any] = {}

    def copy(node: Any) -> Any:
        if type(node) is dict:
            if is_intrinsic(node):
                return _PLACEHOLDER
            ref = node.get("$ref")
            if isinstance(ref, str) and not (ref.startswith("#/") and usable_local_ref(tree, ref)):
                return {}  # reported by the reader (E120, E121); the validator would stop here
            found = memo.get(id(node))
            if found is None:
                found = memo[id(node)] = {}
                for key, value in node.items():
                    found[key if type(key) is str else _key(key)] = copy(value)
            return found
        if type(node) is list:
            found = memo.get(id(node))
            if found is None:
                found = memo[id(node)] = [copy(v) for v in node]
            return found
        return node

    return copy(tree)


def _key(key: Any) -> str:
    if key is None:
        return "null"
    if isinstance(key, bool):
        return str(key).lower()
    return str(key)


def check_schema(tree: Any, version: str, *, plain: bool = False) -> list[Diagnostic]:
    """Every structural error openapi-spec-validator finds, as diagnostics with pointers.

    The compiled fast path (`fastschema`) answers first; it only ever says "valid" (with the
    reference's verdict, differential-tested), so the reference runs only on documents with
    findings, and words them. `plain` says the reader saw no intrinsic, no key that is not a
    string and no unusable `$ref`, so `plain_copy` would change nothing: the fast path reads
    the tree itself (a copy costs more than the check at 10,000 operations).
    """
    from oas2gw.read import fastschema

    if plain and isinstance(tree, dict):
        if fastschema.fast_verdict(_versioned(dict(tree), version)):
            return []
        spec = _versioned(plain_copy(tree), version)
    else:
        spec = _versioned(plain_copy(tree), version)
        if fastschema.fast_verdict(spec):
            return []
    from openapi_spec_validator import (
        OpenAPIV2SpecValidator,
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
    )

    if version.startswith("2"):
        validator_class: Any = OpenAPIV2SpecValidator
    elif version.startswith("3.1"):
        validator_class = OpenAPIV31SpecValidator
    else:
        validator_class = OpenAPIV30SpecValidator
    found: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    skipped = 0
    try:
        for error in validator_class(spec).iter_errors():
            if _about_an_intrinsic(error):
                skipped += 1
                continue
            message = _message(error)
            pointer = join_pointer("", *(str(p) for p in error.absolute_path))
            if not pointer:
                pointer = _pointer_from_message(message)
            if (pointer, message) in seen:
                continue
            seen.add((pointer, message))
            found.append(Diagnostic(codes.E203, Severity.ERROR, message, pointer))
            if len(found) >= _MAX_FINDINGS:
                break
    except RecursionError:
        if not found:
            message = "schemas nest or refer to each other too deeply to validate"
            found.append(Diagnostic(codes.E203, Severity.ERROR, message, ""))
    except Exception as exc:  # the validator's own failures must not end the run
        if found or skipped:
            return found  # it stumbled over a shape already reported (or an intrinsic)
        found.append(
            Diagnostic(codes.E203, Severity.ERROR, f"the OpenAPI validator failed: {exc}", "")
        )
    return found


def _versioned(spec: Any, version: str) -> Any:
    """`swagger: 2.0` (a number) is read as the version it means."""
    if version == "2.0" and isinstance(spec, dict):
        spec["swagger"] = "2.0"
    return spec


_OPERATION_IN = re.compile(r"for '(\w+)' operation in '([^']+)'")


def _pointer_from_message(message: str) -> str:
    """openapi-spec-validator's own checks give no path; their messages name the operation."""
    match = _OPERATION_IN.search(message)
    return join_pointer("", "paths", match.group(2), match.group(1)) if match else ""


def _about_an_intrinsic(error: Any) -> bool:
    """An intrinsic's value is unknown until deployment: its type cannot be judged."""
    if error.instance == _PLACEHOLDER:
        return True
    if error.context:
        from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

        match = best_match(error.context)
        return match is not None and match.instance == _PLACEHOLDER
    return False


def _deepest(errors: Any) -> Any:
    """The most telling error among a `oneOf`'s alternatives, descending nested `oneOf`s.

    "...or a Reference object" is rarely what was meant, so `$ref` alternatives are judged last.
    """
    from jsonschema.exceptions import best_match

    match = None
    for _ in range(16):
        meant = [e for e in errors if e.message != "'$ref' is a required property"]
        match = best_match(meant or errors)
        if match is None or not match.context:
            break
        errors = match.context
    return match


def _message(error: Any) -> str:
    """The validator's message, shortened: it quotes whole subtrees otherwise."""
    text = str(error.message)
    best = getattr(error, "context", None)
    if best and "is not valid under any of the given schemas" in text:
        match = _deepest(best)
        if match is not None:
            inner = list(match.absolute_path)[len(error.absolute_path) :]
            where = "/".join(str(p) for p in inner)
            text = f"{match.message}" + (f" (at {where})" if where else "")
    if len(text) > 300:
        text = text[:297] + "..."
    return text
