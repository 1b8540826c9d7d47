"""`load_document`: from a path or text to the OpenAPI tree, its locator and its findings."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oas2gw.diagnostics import Diagnostic, Severity, join_pointer
from oas2gw.read import codes
from oas2gw.read.cfn import (
    Intrinsics,
    TemplateReader,
    is_template,
    substitute_placeholders,
    template_kind,
    template_values,
)
from oas2gw.read.locate import SourceMap, Tokens
from oas2gw.read.refs import RefResolver, make_doc
from oas2gw.read.source import CFN_TAGS, Parsed, decode, parse_text, read_file

_NOT_PATHS = ("", "-", "<text>", "<stdin>")


@dataclass(frozen=True)
class ReadOptions:
    """What the reader accepts; every limit has a CLI flag."""

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 256
    max_aliases: int = 10_000
    resource: str | None = None  # CloudFormation: the API resource's logical id
    variables: Mapping[str, str] = field(default_factory=dict)  # --var NAME=VALUE
    conditions: Mapping[str, bool] = field(default_factory=dict)  # --condition NAME=true|false
    validate_schema: bool = True


@dataclass
class Document:
    name: str
    tree: Any | None
    locator: SourceMap
    diagnostics: list[Diagnostic] = field(default_factory=list)
    openapi_version: str | None = None
    template_kind: str | None = None
    api_service: str = "apigateway"
    #: no intrinsic, no key that is not a string and no unusable `$ref` anywhere in `tree`:
    #: copies that would stub those out can be skipped (False when unknown)
    plain: bool = False


def load_document(
    source: str | os.PathLike[str],
    *,
    text: str | bytes | None = None,
    options: ReadOptions | None = None,
) -> Document:
    """Read one document; never raises: what goes wrong is in `diagnostics`, with `tree` None."""
    options = options or ReadOptions()
    given = os.fspath(source)
    if text is not None:
        name = given if given not in ("", "-") else "<text>"
    else:
        name = "<stdin>" if given in ("", "-") else given
    source_map = SourceMap(name)
    try:
        return _Reader(name, given, text, options, source_map).read()
    except Exception as exc:  # a bug, reported as a finding rather than a traceback
        message = " ".join(f"internal error while reading: {type(exc).__name__}: {exc}".split())
        diag = Diagnostic(codes.E199, Severity.ERROR, message, "", file=name)
        return Document(name, None, source_map, [diag])


class _Reader:
    def __init__(
        self,
        name: str,
        given: str,
        text: str | bytes | None,
        options: ReadOptions,
        source_map: SourceMap,
    ) -> None:
        self.name, self.given, self.text, self.options = name, given, text, options
        self.map = source_map
        self.doc = Document(name, None, source_map)
        self.limits = {
            "max_bytes": options.max_bytes,
            "max_depth": options.max_depth,
            "max_aliases": options.max_aliases,
        }

    def read(self) -> Document:
        parsed = self._parse()
        self.map.add_file(self.name, parsed.text, parsed.format == "json", parsed.outline)
        self.map.set_root(self.name)
        self.doc.diagnostics.extend(parsed.diagnostics)
        root = parsed.tree
        if root is None:
            return self._finish()
        if not isinstance(root, dict):
            self._error(codes.E112, f"the top level is a {_kind(root)}, not a mapping")
            return self._finish()
        body: Any = root
        base: Tokens = ()
        template: dict[str, Any] | None = None
        values = template_values(root if is_template(root) else None, self.options.variables)
        conditions = self.options.conditions
        intrinsics = Intrinsics(values, conditions, None, self.map, self.name, ())
        if is_template(root):
            template = root
            self.doc.template_kind = template_kind(root)
            intrinsics = Intrinsics(values, conditions, template, self.map, self.name, ())
            reader = TemplateReader(
                root, self.name, self.map, self.options.resource, intrinsics.condition
            )
            selection = reader.select()
            self.doc.diagnostics.extend(reader.diagnostics)
            if selection is None:
                return self._finish()
            body, base = selection.body, selection.base
            self.doc.api_service = selection.service
            self.map.set_root(self.name, base)
            intrinsics.base = base
        body = self._resolve(parsed, body, template, intrinsics)
        if body is None:
            return self._finish()
        self.doc.tree = body
        self._version(body)
        self._service(body)
        if self.options.validate_schema and self.doc.openapi_version is not None:
            from oas2gw.read.schema import check_schema

            found = check_schema(body, self.doc.openapi_version, plain=self.doc.plain)
            self.doc.diagnostics.extend(found)
        return self._finish()

    def _parse(self) -> Parsed:
        data: str | bytes | Parsed
        if self.text is not None:
            data = self.text
        elif self.name == "<stdin>":
            data = sys.stdin.buffer.read(self.options.max_bytes + 1)
        else:
            path = Path(self.given)
            if not path.is_file():
                what = "a directory" if path.is_dir() else "no such file"
                return Parsed(self.name).fail(codes.E101, f"cannot read {self.name}: {what}")
            data = read_file(path, self.name, self.options.max_bytes)
        if isinstance(data, Parsed):
            return data
        result = decode(self.name, data, self.options.max_bytes)
        del data  # the bytes go before the tree is built
        return parse_text(
            result, max_depth=self.options.max_depth, max_aliases=self.options.max_aliases
        )

    def _resolve(self, parsed: Parsed, body: Any, template: Any, intrinsics: Intrinsics) -> Any:
        text = parsed.text or ""
        plain = parsed.plain
        if "$ref" in text:
            real = Path(self.given) if self.given not in _NOT_PATHS else None
            resolver = RefResolver(
                make_doc(self.name, real, body, intrinsics.base),
                self.map,
                self.doc.diagnostics,
                **self.limits,
                tree_shaped=parsed.tree_shaped,
                sites=parsed.sites if body is parsed.tree else None,
            )
            body = resolver.resolve()
            if body is None:
                return None
            plain = plain and resolver.plain
        # a plain tree has no intrinsic to resolve (and then the text need not be searched)
        if not plain and (template is not None or _maybe_intrinsics(parsed.format, text)):
            body = intrinsics.resolve(body)
        if template is None and self.options.variables and "${" in text:
            body = substitute_placeholders(body, self.options.variables)
            plain = plain and not self.options.variables  # `$ref`s may have changed
        self.doc.plain = plain
        return body

    def _version(self, body: dict[str, Any]) -> None:
        swagger, openapi = body.get("swagger"), body.get("openapi")
        if swagger is not None and openapi is None:
            if str(swagger) in ("2.0", "2"):
                self.doc.openapi_version = "2.0"
                return
            self._error(codes.E201, f"swagger {swagger!r} is not supported: use '2.0'", "/swagger")
            return
        if openapi is None:
            self._error(
                codes.E201,
                "no 'openapi: 3.0.x' or 'swagger: \"2.0\"' field: not an OpenAPI document",
            )
            return
        version = str(openapi)
        if version.startswith("3.0") and (len(version) == 3 or version[3] == "."):
            self.doc.openapi_version = version
        elif version.startswith("3.1") and (len(version) == 3 or version[3] == "."):
            self.doc.openapi_version = version
            self.doc.diagnostics.append(
                Diagnostic(
                    codes.W202,
                    Severity.WARNING,
                    f"OpenAPI {version}: API Gateway's own importer rejects 3.1 documents",
                    "/openapi",
                )
            )
        else:
            self._error(
                codes.E201,
                f"openapi {version!r} is not supported: use 3.0.x (or 2.0, 3.1)",
                "/openapi",
            )

    def _service(self, body: dict[str, Any]) -> None:
        """HTTP API documents are told apart so the model can refuse them clearly."""
        if self.doc.api_service == "apigatewayv2":
            self._warn_http("the template resource is an HTTP API (apigatewayv2)", "")
            return
        marker = _http_api_marker(body)
        if marker is None:
            return
        pointer, field_name = marker
        if self.doc.template_kind is not None:  # the resource type says REST: it decides
            message = (
                f"{field_name} is an HTTP API (apigatewayv2) field, "
                "but the template resource is a REST API: read as REST"
            )
            self.doc.diagnostics.append(Diagnostic(codes.W136, Severity.WARNING, message, pointer))
            return
        self.doc.api_service = "apigatewayv2"
        self._warn_http(f"{field_name} is only used by HTTP APIs (apigatewayv2)", pointer)

    def _warn_http(self, why: str, pointer: str) -> None:
        self.doc.diagnostics.append(
            Diagnostic(codes.W136, Severity.WARNING, f"HTTP API document: {why}", pointer)
        )

    def _error(self, code: str, message: str, pointer: str = "") -> None:
        self.doc.diagnostics.append(Diagnostic(code, Severity.ERROR, message, pointer))

    def _finish(self) -> Document:
        self.doc.diagnostics = [
            d
            if d.location is not None or (d.file is not None and not d.pointer)
            else _located(d, self.map)
            for d in self.doc.diagnostics
        ]
        return self.doc


def _located(diag: Diagnostic, source_map: SourceMap) -> Diagnostic:
    from dataclasses import replace

    if diag.location is not None or (diag.file is not None and not diag.pointer):
        return diag  # placed already, or a file-level finding (unreadable, empty)
    located = diag.located(source_map)
    return located if located.file is not None else replace(located, file=source_map.name)


_ROOT_MARKERS = ("x-amazon-apigateway-cors", "x-amazon-apigateway-importexport-version")
_INTEGRATION_MARKERS = ("payloadFormatVersion", "integrationSubtype")
_INTEGRATION = "x-amazon-apigateway-integration"


def _http_api_marker(body: dict[str, Any]) -> tuple[str, str] | None:
    for key in _ROOT_MARKERS:
        if key in body:
            return join_pointer("", key), key
    paths = body.get("paths")
    if not isinstance(paths, dict):
        return None
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method, operation in item.items():
            integration = (
                operation.get("x-amazon-apigateway-integration")
                if isinstance(operation, dict)
                else None
            )
            if isinstance(integration, dict):
                for key in _INTEGRATION_MARKERS:
                    if key in integration:
                        pointer = join_pointer(
                            "",
                            "paths",
                            str(path),
                            str(method),
                            "x-amazon-apigateway-integration",
                            key,
                        )
                        return pointer, key
    return None


#: a short tag in YAML text: `!Ref`, `!Sub`... (one search instead of one per tag)
_SHORT_TAG = re.compile("!(?:" + "|".join(sorted(CFN_TAGS, key=len, reverse=True)) + ")")


def _maybe_intrinsics(fmt: str, text: str) -> bool:
    if "Fn::" in text or "Ref" in text:
        return True
    return fmt == "yaml" and _SHORT_TAG.search(text) is not None


def _kind(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )
