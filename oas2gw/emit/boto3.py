"""`--to boto3`: a standalone Python script that makes a `Plan` true on a REST API.

The script makes the same calls with the same parameters as the shell script rendered from the
same plan, and behaves the same way: the REST API id from the generation, else `$REST_API_ID`,
else the first argument; resources found by path or created parent first; methods that existed
when the run began deleted before they are put again, so a second run gives the same state;
adaptive retries unless the caller set `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS`; on failure, one
line naming the step, and exit status 1.

Nothing from the document is ever code. Every value is a Python literal made by `repr` (strings
re-quoted the way black would), comments carry only our own words, and variable names are our
own (`resource_3`, `authorizer_1`), never derived from the document. The text is laid out the
way black lays it out at its default line length, so a user can keep it under black or ruff.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from oas2gw.plan import Plan, Ref, Step, Sub, place, uses_identity

#: black's default line length
LINE_LENGTH = 88
_INDENT = "    "
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


@functools.cache  # a few dozen operations, asked for at every step
def method_name(operation: str) -> str:
    """`PutIntegration` -> `put_integration`, the boto3 client method."""
    return _CAMEL.sub("_", operation).lower()


# --- literals, laid out as black lays them out -----------------------------------------------


@dataclass(frozen=True)
class Code:
    """An expression of our own (a variable, a call) placed among literal values."""

    text: str


@dataclass(frozen=True)
class Call:
    """`func(arg, name=value, ...)`; `args` pairs a keyword (or None) with its value."""

    func: str
    args: tuple[tuple[str | None, Any], ...]


@functools.lru_cache(maxsize=4096)
def string_literal(text: str) -> str:
    """A Python literal for `text`, quoted as black quotes it (double quotes unless that needs
    more escapes). `repr` escapes every character that is not printable, so the literal is one
    line of valid UTF-8 whatever `text` holds."""
    literal = repr(text)
    if literal[0] == '"':
        return literal
    body = literal[1:-1]
    if '"' not in body:
        return '"' + body.replace("\\'", "'") + '"'
    escaped_single = body.count("\\'")
    escaped_double = body.count('"')
    if escaped_double <= escaped_single:
        return '"' + body.replace("\\'", "'").replace('"', '\\"') + '"'
    return literal


def _width(text: str) -> int:
    """Columns on a terminal, as black counts them (wide characters take two)."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


class _Group(NamedTuple):
    """A bracketed value ready to lay out: its one-line text and its elements."""

    flat: str
    opening: str
    closing: str
    #: (prefix, element): `name=` for a keyword, `"key": ` for a dict entry
    elements: tuple[tuple[str, _Node], ...]

    @property
    def body(self) -> str:
        return self.flat[len(self.opening) : len(self.flat) - len(self.closing)]


#: A value ready to lay out: one piece of text that is never split (a literal, a name, an
#: empty bracket), or a group. Most values are literals, so they stay plain strings.
_Node = str | _Group


def _flat(node: _Node) -> str:
    return node if type(node) is str else node.flat  # type: ignore[union-attr]


def _node(value: Any) -> _Node:
    """Build the node tree bottom-up, so each piece of text is made once."""
    if type(value) is str:  # the usual value, decided before the other types are tried
        return string_literal(value)
    if isinstance(value, Code):
        return value.text
    if isinstance(value, str):
        return string_literal(value)
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, Call):
        opening, closing = value.func + "(", ")"
        elements = tuple(("" if k is None else k + "=", _node(v)) for k, v in value.args)
    elif isinstance(value, Mapping):
        opening, closing = "{", "}"
        elements = tuple(
            [
                (string_literal(str(k)) + ": ", string_literal(v) if type(v) is str else _node(v))
                for k, v in value.items()
            ]
        )
    elif isinstance(value, (list, tuple)):
        opening, closing = "[", "]"
        elements = tuple(("", _node(v)) for v in value)
    else:
        raise TypeError(f"no literal for {type(value).__name__}")
    return _group(opening, closing, elements)


def _group(opening: str, closing: str, elements: tuple[tuple[str, _Node], ...]) -> _Node:
    texts = [p + (n if type(n) is str else n.flat) for p, n in elements]  # type: ignore[union-attr]
    flat = opening + ", ".join(texts) + closing
    if not elements:  # an empty bracket is never split: text like any literal
        return flat
    return _Group(flat, opening, closing, elements)


def layout(value: Any, indent: str = "", prefix: str = "", suffix: str = "") -> list[str]:
    """The lines of `indent + prefix + value + suffix`, split the way black splits them.

    One line if it fits; else, for a call (or a lone element), the bracket's contents on one
    line of their own if they fit; else one element per line with a trailing comma, each
    element laid out the same way.
    """
    return _layout(_node(value), indent, prefix, suffix)


def _layout(node: _Node, indent: str, prefix: str, suffix: str) -> list[str]:
    if type(node) is str:
        return [indent + prefix + node + suffix]
    assert isinstance(node, _Group)
    line = indent + prefix + node.flat + suffix
    if (len(line) if line.isascii() else _width(line)) <= LINE_LENGTH:  # `_width`, no call
        return [line]
    elements = node.elements
    inner = indent + _INDENT
    head = indent + prefix + node.opening
    tail = indent + node.closing + suffix
    lone_atom = len(elements) == 1 and type(elements[0][1]) is str
    # black keeps the contents on one line only for a call's arguments or a lone element;
    # a dict or list literal with several elements is always exploded once it is split
    collection = not node.opening.endswith("(") and len(elements) > 1
    if lone_atom or (not collection and _width(inner + node.body) <= LINE_LENGTH):
        return [head, inner + node.body, tail]
    if len(elements) == 1:  # one bracketed element: split it, without a trailing comma
        element_prefix, element = elements[0]
        return [head, *_layout(element, inner, element_prefix, ""), tail]
    lines = [head]
    for element_prefix, element in elements:
        if type(element) is str:  # `_layout` of a literal, without the call
            lines.append(inner + element_prefix + element + ",")
        else:
            lines.extend(_layout(element, inner, element_prefix, ","))
    lines.append(tail)
    return lines


def _layout_call(
    opening: str, elements: tuple[tuple[str, _Node], ...], indent: str, prefix: str
) -> list[str]:
    """`_layout(_group(opening, ")", elements), indent, prefix, "")`, without first making the
    call's one-line text when lengths alone show that its arguments go one per line.

    That is so when there are several and they do not fit on a line of their own: then the
    whole call cannot fit on its line either (`opening` is longer than the indent). For
    ASCII text, widths are lengths, which Python keeps: no text is made or scanned.
    """
    if len(elements) > 1:
        length = len(indent) + len(_INDENT) + 2 * (len(elements) - 1)
        ascii_only = True
        for element_prefix, element in elements:
            text = element if type(element) is str else element.flat  # type: ignore[union-attr]
            length += len(element_prefix) + len(text)
            ascii_only = ascii_only and element_prefix.isascii() and text.isascii()
        if ascii_only and length > LINE_LENGTH:
            inner = indent + _INDENT
            lines = [indent + prefix + opening]
            for element_prefix, element in elements:
                if type(element) is str:
                    lines.append(inner + element_prefix + element + ",")
                else:
                    lines.extend(_layout(element, inner, element_prefix, ","))
            lines.append(indent + ")")
            return lines
    return _layout(_group(opening, ")", elements), indent, prefix, "")


# --- the script ---------------------------------------------------------------------------

_HEADER = '''\
#!/usr/bin/env python3
"""Makes an OpenAPI document's API Gateway methods true on an existing REST API.

Generated by oas2gw. Creates missing resources (parent first); creates models, request
validators and authorizers or patches them to match; then deletes and re-puts each method
with its responses and integration. Running it again gives the same state. Changes reach
clients at the next deployment.

Usage:       USAGE
Environment: the usual AWS settings (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, ...);
             AWS_RETRY_MODE (default adaptive), AWS_MAX_ATTEMPTS (default 10).
Exit status: 0 done; 1 a step failed (named on stderr); 2 no REST API id given.
Needs Python 3.8 or later and boto3.
"""

import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

'''

_RUNTIME = '''

class Run:
    """The REST API being built: its clients, the step under way, the ids found so far."""

    def __init__(self, rest_api_id):
        retries = {}
        if not os.environ.get("AWS_RETRY_MODE"):
            retries["mode"] = "adaptive"
        if not os.environ.get("AWS_MAX_ATTEMPTS"):
            retries["total_max_attempts"] = 10  # in all, as AWS_MAX_ATTEMPTS counts
        self.session = boto3.session.Session()
        self.config = Config(retries=retries)
        self.clients = {}
        self.rest_api_id = rest_api_id
        self.step = "start"
        self.resources = {}  # path -> resource id
        self.methods = {}  # resource id -> the methods it had when the run began

    def client(self, service):
        if service not in self.clients:
            self.clients[service] = self.session.client(service, config=self.config)
        return self.clients[service]

    def at(self, step):
        """Name the step that the next calls belong to, for the failure message."""
        self.step = step

    def identity(self):
        """The region, account and partition that execute-api ARNs are built from."""
        self.at("region and account")
        caller = self.client("sts").get_caller_identity()
        partition = caller["Arn"].split(":")[1]
        return self.session.region_name, caller["Account"], partition

    def list_resources(self):
        self.at("list resources")
        pages = self.client("apigateway").get_paginator("get_resources")
        for page in pages.paginate(restApiId=self.rest_api_id, embed=["methods"]):
            for item in page["items"]:
                self.resources[item["path"]] = item["id"]
                self.methods[item["id"]] = set(item.get("resourceMethods") or ())
        if "/" not in self.resources:
            raise Failure("the REST API has no root resource")
        return self.resources["/"]

    def redact(self, text):
        """`text` without the credentials in use, should an error message echo them."""
        try:
            credentials = self.session.get_credentials()
        except BotoCoreError:
            return text
        if credentials is None:
            return text
        for secret in credentials.get_frozen_credentials():  # key id, secret, token
            if secret:
                text = text.replace(secret, "***")
        return text

    def find(self, listing, name):
        """The id of the item called `name` in a listing (`get_models`, ...), or None."""
        pages = self.client("apigateway").get_paginator(listing)
        for page in pages.paginate(restApiId=self.rest_api_id):
            for item in page["items"]:
                if item["name"] == name:
                    return item["id"]
        return None


class Failure(Exception):
    """A step that cannot go on, for a reason of our own rather than AWS's."""


def concat(*parts):
    return "".join(parts)


def error_code(error):
    return error.response.get("Error", {}).get("Code", "")


def main(argv):
    rest_api_id = REST_API_ID_SOURCE
    if not rest_api_id:
        print(f"usage: {argv[0]} REST_API_ID   (or set REST_API_ID)", file=sys.stderr)
        return 2
    run = Run(rest_api_id)
    try:
        steps = build(run)
    except (BotoCoreError, ClientError, Failure) as error:
        message = run.redact(str(error))
        print(f"oas2gw: step failed: {run.step}: {message}", file=sys.stderr)
        return 1
    print(f"oas2gw: {steps} steps done on REST API {rest_api_id}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
'''


def render_boto3(plan: Plan, *, rest_api_id: str | None = None) -> str:
    """Render `plan` as a Python script; `rest_api_id` bakes the id in (else `$REST_API_ID`,
    else the first argument)."""
    return "".join(_Script(plan).chunks(rest_api_id))


def boto3_chunks(plan: Plan, *, rest_api_id: str | None = None) -> Iterator[str]:
    """`render_boto3(plan, rest_api_id=...)` in pieces, made as they are read: a caller that
    writes them as they come never holds the whole script."""
    return _Script(plan).chunks(rest_api_id)


#: lines rendered before they are handed on as one piece of text
_CHUNK_LINES = 4096


@dataclass
class _Script:
    plan: Plan
    variables: dict[tuple[str, str], str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    #: the last label seen, and its printable text
    label: str | None = None
    label_text: str = ""
    #: id of a step's `refs` -> (those refs, their keyword elements, the names of those placed
    #: inside a parameter)
    ref_elements: dict[
        int, tuple[Mapping[str, Ref | Sub], tuple[tuple[str, _Node], ...], tuple[str, ...]]
    ] = field(default_factory=dict)

    def chunks(self, rest_api_id: str | None) -> Iterator[str]:
        """The script in pieces of a few thousand lines, made as they are asked for."""
        if rest_api_id is None:
            usage = "python3 import.py REST_API_ID   (or set REST_API_ID)"
            source = 'os.environ.get("REST_API_ID") or (argv[1] if len(argv) > 1 else "")'
        else:
            usage = "python3 import.py"
            source = string_literal(rest_api_id)
        out = [_HEADER.replace("USAGE", usage, 1)]
        out.append(
            f"TITLE = {string_literal(self.plan.title or 'REST API')}  # the document's title\n"
        )
        out.append(f"METHODS = {self.plan.method_count}\n\n\n")
        yield "".join(out)
        yield from self._build()
        yield _RUNTIME.replace("REST_API_ID_SOURCE", source, 1)

    def _build(self) -> Iterator[str]:
        """`def build(run)`, each line ending in a newline, in pieces."""
        lines = self.lines
        add = lines.append
        add("def build(run):")
        add(f'{_INDENT}"""The plan\'s {len(self.plan.steps)} steps, in order."""')
        add(f'{_INDENT}apigateway = run.client("apigateway")')
        add(f"{_INDENT}rest_api_id = run.rest_api_id")
        self.variables[("rest_api", "")] = "rest_api_id"
        if uses_identity(self.plan.steps):
            add(f"{_INDENT}region, account, partition = run.identity()")
            for kind in ("region", "account", "partition"):
                self.variables[(kind, "")] = kind
        add(f"{_INDENT}resource_0 = run.list_resources()")
        self.variables[("resource", "/")] = "resource_0"
        previous = None
        for step in self.plan.steps:
            if step.label != previous:
                add("")
                previous = step.label
            self._step(step)
            if len(lines) >= _CHUNK_LINES:
                add("")  # every line ends in a newline
                yield "\n".join(lines)
                lines.clear()
        add("")
        add(f"{_INDENT}return {len(self.plan.steps)}")
        add("")
        yield "\n".join(lines)
        lines.clear()

    # --- steps ----------------------------------------------------------------------------

    def _at(self, step: Step, indent: str = _INDENT) -> None:
        # a label names document things and is printed on failure: invisible characters are
        # written as escapes, so no escape sequence reaches the user's terminal.
        # `_printable(label + " " + method)`, the label's part made once per label: the
        # escaping goes character by character
        if step.label is not self.label:
            self.label, self.label_text = step.label, _printable(step.label)
        label = string_literal(f"{self.label_text} {_printable_method(step.operation)}")
        line = f"{indent}run.at({label})"
        if _width(line) <= LINE_LENGTH:  # what `_layout` says first, without the group
            self.lines.append(line)
        else:
            self.lines.extend(_layout(_group("run.at(", ")", (("", label),)), indent, "", ""))

    def _step(self, step: Step) -> None:
        self._at(step)
        if step.action == "create_resource":
            self._create_resource(step)
        elif step.action == "ensure":
            self._ensure(step)
        elif step.action == "delete_method":
            resource = _flat(_node(self._ref(step.refs["resourceId"])))
            verb = string_literal(str(step.params["httpMethod"]))
            self.lines.append(f"{_INDENT}if {verb} in run.methods.get({resource}, ()):")
            self._emit(step, _INDENT * 2)
        elif step.tolerate:
            add = self.lines.append
            add(f"{_INDENT}try:")
            self._emit(step, _INDENT * 2)
            add(f"{_INDENT}except ClientError as error:")
            codes = ", ".join(string_literal(c) for c in step.tolerate)
            add(f"{_INDENT * 2}if error_code(error) not in ({codes},):")
            add(f"{_INDENT * 3}raise")
        else:
            self._emit(step, _INDENT)

    def _create_resource(self, step: Step) -> None:
        assert step.saves is not None
        var = self._define(step.saves, "resource")
        lookup = Call("run.resources.get", ((None, step.key),))
        self.lines.extend(layout(lookup, _INDENT, f"{var} = "))
        self.lines.append(f"{_INDENT}if {var} is None:")
        self._emit(step, _INDENT * 2, target="response")
        self.lines.append(f'{_INDENT * 2}{var} = response["id"]')

    def _ensure(self, step: Step) -> None:
        assert step.lookup is not None
        find = Call("run.find", ((None, method_name(step.lookup)), (None, step.key)))
        if step.saves is None:
            self.lines.extend(layout(find, _INDENT, "found = "))
            self.lines.append(f"{_INDENT}if found is None:")
            self._emit(step, _INDENT * 2)
            if step.update is not None:
                self.lines.append(f"{_INDENT}else:")
                self._at(step.update, _INDENT * 2)
                self._emit(step.update, _INDENT * 2)
            return
        var = self._define(step.saves, step.saves.kind)
        self.lines.extend(layout(find, _INDENT, f"{var} = "))
        self.lines.append(f"{_INDENT}if {var} is None:")
        self._emit(step, _INDENT * 2, target="response")
        self.lines.append(f'{_INDENT * 2}{var} = response["id"]')
        if step.update is not None:
            self.lines.append(f"{_INDENT}else:")
            self._at(step.update, _INDENT * 2)
            self._emit(step.update, _INDENT * 2)

    def _emit(self, step: Step, indent: str, target: str | None = None) -> None:
        """`client.method(ref=..., param=...)`: what `layout(Call(...))` makes of the step,
        with the references' elements made once per `refs` mapping (a method's steps share
        one)."""
        client = "apigateway" if step.service == "apigateway" else None
        if client is None:
            client = f"run.client({string_literal(step.service)})"
        named, inner = self._ref_elements(step.refs)
        params = step.params
        for name in inner:  # run-time values inside a parameter (`patchOperations/0/value`)
            params = place(params, name, self._ref(step.refs[name]))
        elements = named + tuple(
            [
                ("" if k is None else k + "=", string_literal(v) if type(v) is str else _node(v))
                for k, v in params.items()
            ]
        )
        opening = f"{client}.{method_name(step.operation)}("
        self.lines.extend(_layout_call(opening, elements, indent, f"{target} = " if target else ""))

    def _ref_elements(
        self, refs: Mapping[str, Ref | Sub]
    ) -> tuple[tuple[tuple[str, _Node], ...], tuple[str, ...]]:
        """The keyword elements of `refs`, and the names of those that go inside a parameter."""
        cached = self.ref_elements.get(id(refs))
        if cached is not None and cached[0] is refs:  # holding `refs`: its id is not reused
            return cached[1], cached[2]
        elements = tuple(
            (name + "=", _node(self._ref(ref))) for name, ref in refs.items() if "/" not in name
        )
        inner = tuple(name for name in refs if "/" in name)
        self.ref_elements[id(refs)] = (refs, elements, inner)
        return elements, inner

    def _define(self, ref: Ref, stem: str) -> str:
        count = self.counts.get(stem, 0) + 1
        self.counts[stem] = count
        var = f"{stem}_{count}"
        self.variables[(ref.kind, ref.key)] = var
        self.ref_elements.clear()  # a reference may now name another variable
        return var

    def _ref(self, ref: Ref | Sub) -> Code | Call:
        if isinstance(ref, Sub):
            return Call(
                "concat",
                tuple((None, p if isinstance(p, str) else self._ref(p)) for p in ref.parts),
            )
        try:
            return Code(self.variables[(ref.kind, ref.key)])
        except KeyError:
            raise ValueError(f"the plan refers to {ref} before any step makes it") from None


def _printable(text: str) -> str:
    if text.isprintable():  # nearly always: no work per character
        return text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


@functools.cache  # a few dozen operations, asked for at every step
def _printable_method(operation: str) -> str:
    return _printable(method_name(operation))
