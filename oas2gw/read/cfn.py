"""CloudFormation and SAM templates: find the OpenAPI body, resolve what the user gave values for.

Many real documents live inside a template as the `DefinitionBody`/`Body` of an API resource.
Intrinsic functions stay as their long JSON form (`{"Fn::Sub": ...}`) unless every value they
need is known: `--var` values, pseudo parameters, parameter defaults and `--condition`s. What
stays unresolved is for the model to report where a literal is needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from oas2gw.diagnostics import Diagnostic, Severity
from oas2gw.read import codes
from oas2gw.read.locate import SourceMap, Tokens
from oas2gw.read.refs import tokens_of
from oas2gw.read.source import quiet_subtrees

#: Resource type -> (property holding the OpenAPI body, API Gateway service).
API_RESOURCES = {
    "AWS::Serverless::Api": ("DefinitionBody", "apigateway"),
    "AWS::ApiGateway::RestApi": ("Body", "apigateway"),
    "AWS::Serverless::HttpApi": ("DefinitionBody", "apigatewayv2"),
    "AWS::ApiGatewayV2::Api": ("Body", "apigatewayv2"),
}
#: Pseudo parameters that have a value without being told.
PSEUDO_DEFAULTS = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
_SUB = re.compile(r"\$\{([^}]*)\}")
_NO_VALUE = object()


def is_template(tree: Any) -> bool:
    if not isinstance(tree, dict) or "openapi" in tree or "swagger" in tree:
        return False
    if "AWSTemplateFormatVersion" in tree:
        return True
    resources = tree.get("Resources")
    return isinstance(resources, dict) and any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) for r in resources.values()
    )


def template_kind(tree: dict[str, Any]) -> str:
    transform = tree.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    if any(isinstance(n, str) and n.startswith("AWS::Serverless") for n in names):
        return "sam"
    resources = tree.get("Resources")
    if isinstance(resources, dict) and any(
        isinstance(r, dict) and str(r.get("Type", "")).startswith("AWS::Serverless::")
        for r in resources.values()
    ):
        return "sam"
    return "cloudformation"


@dataclass
class Selection:
    resource: str
    body: Any
    base: Tokens
    service: str


@dataclass
class TemplateReader:
    """Chooses the API resource and unwraps its body; findings are located in the template."""

    template: dict[str, Any]
    file: str
    source_map: SourceMap
    resource: str | None
    condition: Callable[[str], bool | None]  # --condition values, else the template's own
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def select(self) -> Selection | None:
        resources = self.template.get("Resources")
        candidates: dict[str, tuple[str, str]] = {}
        if isinstance(resources, dict):
            for name, resource in resources.items():
                if not isinstance(resource, dict):
                    continue
                kind = API_RESOURCES.get(str(resource.get("Type")))
                props = resource.get("Properties")
                if kind and isinstance(props, dict) and kind[0] in props:
                    candidates[str(name)] = kind
        rest = [n for n, (_, service) in candidates.items() if service == "apigateway"]
        if self.resource is not None:
            if self.resource not in candidates:
                listed = ", ".join(candidates) or "none"
                self._error(
                    codes.E132,
                    f"no API resource {self.resource!r} with an OpenAPI body (APIs: {listed})",
                    ("Resources",),
                )
                return None
            chosen = self.resource
        elif len(rest) == 1:
            chosen = rest[0]
        elif not rest and len(candidates) == 1:
            chosen = next(iter(candidates))
        elif not candidates:
            self._error(
                codes.E130,
                "the template has no API resource with an inline OpenAPI body "
                "(DefinitionBody/Body)" + _definition_files(resources),
                ("Resources",) if resources else (),
            )
            return None
        else:
            names = rest or list(candidates)
            self._error(
                codes.E131,
                f"the template has several APIs ({', '.join(names)}): choose one with --resource",
                ("Resources",),
            )
            return None
        prop, service = candidates[chosen]
        base: Tokens = ("Resources", chosen, "Properties", prop)
        body = resources[chosen]["Properties"][prop]  # type: ignore[index]
        return self._unwrap(Selection(chosen, body, base, service))

    def _unwrap(self, selection: Selection) -> Selection | None:
        body, base = selection.body, selection.base
        for _ in range(16):
            if not (isinstance(body, dict) and len(body) == 1):
                break
            if "Fn::If" in body:
                args = body["Fn::If"]
                if not (isinstance(args, list) and len(args) == 3 and isinstance(args[0], str)):
                    self._error(
                        codes.E135, "Fn::If takes [condition, value if true, value if false]", base
                    )
                    return None
                name = args[0]
                verdict = self.condition(name)
                if verdict is None:
                    self._error(
                        codes.E133,
                        f"the API body depends on condition {name!r}: "
                        f"give --condition {name}=true|false",
                        base,
                    )
                    return None
                index = 1 if verdict else 2
                body, base = args[index], (*base, "Fn::If", str(index))
            elif "Fn::Transform" in body:
                args = body["Fn::Transform"]
                params = args.get("Parameters") if isinstance(args, dict) else None
                where = params.get("Location") if isinstance(params, dict) else None
                self._error(
                    codes.E134,
                    f"the API body is included from {where!r} (AWS::Include): "
                    "give that file instead",
                    base,
                )
                return None
            else:
                break
        if not isinstance(body, dict):
            self._error(codes.E135, "the API body is not a mapping", base)
            return None
        selection.body, selection.base = body, base
        return selection

    def _error(self, code: str, message: str, tokens: Tokens) -> None:
        location = self.source_map.locate_in(self.file, tokens)
        self.diagnostics.append(
            Diagnostic(code, Severity.ERROR, message, "", location, file=self.file)
        )


def _definition_files(resources: Any) -> str:
    """The files named by `DefinitionUri`/`BodyS3Location`, for the user to read instead."""
    named = []
    for resource in resources.values() if isinstance(resources, dict) else ():
        props = resource.get("Properties") if isinstance(resource, dict) else None
        if isinstance(props, dict):
            for key in ("DefinitionUri", "BodyS3Location"):
                if isinstance(props.get(key), str):
                    named.append(props[key])
    return f"; read the OpenAPI file itself: {', '.join(named)}" if named else ""


def template_values(
    template: dict[str, Any] | None, variables: Mapping[str, str]
) -> dict[str, str]:
    """Values for `Ref`/`Fn::Sub`: pseudo defaults, then parameter defaults, then `--var`s."""
    values = dict(PSEUDO_DEFAULTS)
    params = template.get("Parameters") if template else None
    if isinstance(params, dict):
        for name, spec in params.items():
            default = spec.get("Default") if isinstance(spec, dict) else None
            if isinstance(default, bool):
                values[str(name)] = str(default).lower()
            elif isinstance(default, (str, int, float)):
                values[str(name)] = str(default)
            elif isinstance(default, list) and all(isinstance(d, str) for d in default):
                values[str(name)] = ",".join(default)
    values.update(variables)
    return values


class Intrinsics:
    """Resolves intrinsic functions whose inputs are all known; keeps the rest as they are."""

    def __init__(
        self,
        values: Mapping[str, str],
        conditions: Mapping[str, bool],
        template: dict[str, Any] | None,
        source_map: SourceMap,
        file: str,
        base: Tokens,
    ) -> None:
        self.values = values
        self.template = template or {}
        self.map, self.file, self.base = source_map, file, base
        self.visited: set[int] = set()
        self.conditions = dict(conditions)
        self._evaluating: set[str] = set()

    def resolve(self, tree: Any) -> Any:
        self.visited |= quiet_subtrees(tree, (b'"Ref"', b'"Fn::', b'"Condition"'))
        return self._walk(tree, None)

    def _walk(self, node: Any, path: Any) -> Any:
        """Post-order: arguments first; `path` is a linked (parent, key) chain."""
        if type(node) is dict:
            if id(node) in self.visited:
                return node
            self.visited.add(id(node))
            drop = []
            for key, value in node.items():
                if type(value) is dict or type(value) is list:
                    new = self._walk(value, (path, key))
                    if new is _NO_VALUE:
                        drop.append(key)
                    elif new is not value:
                        node[key] = new
            for key in drop:
                del node[key]
            if len(node) == 1:
                return self._function(node, path)
        elif type(node) is list:
            if id(node) in self.visited:
                return node
            self.visited.add(id(node))
            out, changed = [], False
            for index, value in enumerate(node):
                if type(value) is dict or type(value) is list:
                    new = self._walk(value, (path, index))
                    changed = changed or new is not value
                    if new is _NO_VALUE:
                        continue
                    out.append(new)
                else:
                    out.append(value)
            if changed:
                node[:] = out
        return node

    def _function(self, node: dict[str, Any], path: Any) -> Any:
        ((name, args),) = node.items()
        if name == "Ref":
            if args == "AWS::NoValue":
                return _NO_VALUE
            return self.values.get(args, node) if isinstance(args, str) else node
        if name == "Fn::Sub":
            return self._sub(node, args)
        if name == "Fn::GetAtt":
            if isinstance(args, str):
                args = args.split(".", 1)
            if isinstance(args, list) and len(args) == 2 and all(isinstance(a, str) for a in args):
                return self.values.get(f"{args[0]}.{args[1]}", node)
            return node
        if name == "Fn::Join":
            if (
                isinstance(args, list)
                and len(args) == 2
                and isinstance(args[0], str)
                and isinstance(args[1], list)
                and all(isinstance(a, str) for a in args[1])
            ):
                return args[0].join(args[1])
            return node
        if name == "Fn::Select":
            if isinstance(args, list) and len(args) == 2 and isinstance(args[1], list):
                index = args[0]
                if isinstance(index, str) and index.isdigit():
                    index = int(index)
                if isinstance(index, int) and 0 <= index < len(args[1]):
                    return args[1][index]
            return node
        if name == "Fn::Split":
            if isinstance(args, list) and len(args) == 2 and all(isinstance(a, str) for a in args):
                return args[1].split(args[0])
            return node
        if name == "Fn::FindInMap":
            return self._find_in_map(node, args)
        if name == "Fn::If":
            if isinstance(args, list) and len(args) == 3 and isinstance(args[0], str):
                verdict = self.condition(args[0])
                if verdict is not None:
                    index = 1 if verdict else 2
                    site = self.base + tokens_of(path)
                    self.map.redirect(self.file, site, self.file, (*site, "Fn::If", str(index)))
                    return args[index]
            return node
        return node

    def _sub(self, node: dict[str, Any], args: Any) -> Any:
        local: Mapping[str, Any] = {}
        if isinstance(args, list) and len(args) == 2 and isinstance(args[1], dict):
            args, local = args[0], args[1]
        if not isinstance(args, str):
            return node
        missing = False

        def replace(match: re.Match[str]) -> str:
            nonlocal missing
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            value = local.get(name, self.values.get(name.strip()))
            if isinstance(value, bool):
                value = str(value).lower()
            if isinstance(value, (int, float)):
                value = str(value)
            if not isinstance(value, str):
                missing = True
                return match.group(0)
            return value

        text = _SUB.sub(replace, args)
        return node if missing else text

    def _find_in_map(self, node: dict[str, Any], args: Any) -> Any:
        mappings = self.template.get("Mappings")
        if not (isinstance(args, list) and len(args) == 3 and isinstance(mappings, dict)):
            return node
        value: Any = mappings
        for key in args:
            if not isinstance(key, str) or not isinstance(value, dict) or key not in value:
                return node
            value = value[key]
        return value

    def condition(self, name: str) -> bool | None:
        """A condition's value: given with --condition, or evaluated from the template."""
        if name in self.conditions:
            return self.conditions[name]
        defined = self.template.get("Conditions")
        if not isinstance(defined, dict) or name not in defined or name in self._evaluating:
            return None
        self._evaluating.add(name)
        try:
            verdict = self._evaluate(defined[name])
        finally:
            self._evaluating.discard(name)
        if verdict is not None:
            self.conditions[name] = verdict
        return verdict

    def _evaluate(self, expr: Any) -> bool | None:
        if not (isinstance(expr, dict) and len(expr) == 1):
            return None
        ((name, args),) = expr.items()
        if name == "Condition" and isinstance(args, str):
            return self.condition(args)
        if not isinstance(args, list):
            return None
        if name == "Fn::Equals" and len(args) == 2:
            left, right = (self._function(_copy(a), None) if _is_call(a) else a for a in args)
            if all(isinstance(v, (str, int, float, bool)) for v in (left, right)):
                return str(left) == str(right)
            return None
        verdicts = [self._evaluate(a) for a in args]
        if name == "Fn::Not" and len(verdicts) == 1:
            return None if verdicts[0] is None else not verdicts[0]
        if name == "Fn::And":
            return False if False in verdicts else None if None in verdicts else True
        if name == "Fn::Or":
            return True if True in verdicts else None if None in verdicts else False
        return None


def _is_call(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


_PLACEHOLDER = re.compile(r"\$(\$?)\{([A-Za-z_][A-Za-z0-9_.\-]*)\}")


def substitute_placeholders(tree: Any, variables: Mapping[str, str]) -> Any:
    """Terraform-style `${name}` in plain documents, from `--var` values only; `$${x}` stays."""
    if not variables:
        return tree

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(0)
        return variables.get(match.group(2), match.group(0))

    seen: set[int] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        items = node.items() if type(node) is dict else enumerate(node)
        for key, value in list(items):
            if type(value) is str and "${" in value:
                node[key] = _PLACEHOLDER.sub(replace, value)
            elif type(value) is dict or type(value) is list:
                stack.append(value)
    if type(tree) is str:
        return _PLACEHOLDER.sub(replace, tree)
    return tree
