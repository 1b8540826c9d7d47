"""Diagnostic codes of the reading stage: E1xx/W1xx (syntax, limits, `$ref`, templates) and
E2xx/W2xx (OpenAPI version and structure)."""

from __future__ import annotations

from oas2gw.codes import register

# --- bytes and syntax -------------------------------------------------------------------------
E101 = register(
    "E101",
    "cannot read the file",
    "The file does not exist, is a directory, or cannot be opened.",
    "Check the path and its permissions.",
)
E102 = register(
    "E102",
    "not UTF-8 text",
    "The file holds bytes that are not valid UTF-8, or NUL bytes (a binary file).",
    "Save the document as UTF-8 (a byte-order mark is allowed).",
)
E103 = register(
    "E103",
    "empty document",
    "The file is empty or holds only comments and blank lines.",
    "Give an OpenAPI document or a CloudFormation/SAM template.",
)
E104 = register(
    "E104",
    "malformed YAML or JSON",
    "The parser stopped at the given place.",
    "Fix the syntax at the location shown.",
)
E105 = register(
    "E105",
    "document too large",
    "The input is larger than the size limit.",
    "Raise the limit (`--max-bytes`) if the document is trusted.",
)
E106 = register(
    "E106",
    "nesting too deep",
    "The document nests collections deeper than the depth limit, or, with `--max-depth` set "
    "past about 1,000, deeper than Python's recursion can follow.",
    "Flatten the document, or raise the limit (`--max-depth`) if it is trusted.",
)
E107 = register(
    "E107",
    "too many YAML aliases",
    "Expanding the YAML aliases (`*name`) would exceed the alias limit, as an alias bomb does.",
    "Write the repeated parts out, or raise `--max-aliases` if the document is trusted.",
)
E108 = register(
    "E108",
    "recursive YAML alias",
    "An alias refers to a node that contains it, so the document is infinite.",
    "Remove the self-reference.",
)
E109 = register(
    "E109",
    "duplicate mapping key",
    "A key appears twice in one mapping, or two YAML keys are one once written as text (`200` "
    "and `'200'`: one status code). Parsers silently keep one of the values (most the last, "
    "some the first), so a reviewer and the tool can read different documents.",
    "Remove or rename one of the keys.",
)
E110 = register(
    "E110",
    "unknown YAML tag",
    "A tag that is neither a standard YAML tag nor a CloudFormation short form (`!Sub`...).",
    "Remove the tag, or write the value as plain YAML.",
)
E111 = register(
    "E111",
    "unsupported YAML value",
    "A YAML value that has no JSON equivalent, such as a mapping used as a key.",
    "Use strings, numbers, booleans, lists and mappings with scalar keys.",
)
E112 = register(
    "E112",
    "not a mapping",
    "The document's top level is not a mapping (a list or a scalar).",
    "An OpenAPI document or a template is a mapping at the top level.",
)
# --- $ref -------------------------------------------------------------------------------------
E120 = register(
    "E120",
    "$ref target missing",
    "The reference names a place that does not exist in the target document.",
    "Fix the pointer after `#`, or add the missing definition.",
)
E121 = register(
    "E121",
    "$ref cycle",
    "Following the references comes back to where it started, so it cannot be inlined.",
    "Break the cycle (schemas under `definitions`/`components/schemas` may be recursive).",
)
E122 = register(
    "E122",
    "$ref leaves the document's folder",
    "Relative file references must stay inside the folder of the root document; `..` escapes "
    "and absolute paths are refused.",
    "Move the referenced file next to the document, or into a subfolder of it.",
)
E123 = register(
    "E123",
    "remote $ref refused",
    "References with a scheme (`http://`, `https://`, `file://`...) are never followed: reading "
    "a document never touches the network or arbitrary files.",
    "Download the referenced document next to the root document and refer to it by relative path.",
)
E124 = register(
    "E124",
    "$ref file unreadable",
    "The referenced file does not exist or cannot be read, or there is no folder to read it from "
    "(text given directly).",
    "Check the file name; give the document as a file when it refers to other files.",
)
E125 = register(
    "E125",
    "malformed $ref",
    "The `$ref` value is not a string, or its fragment is not a JSON pointer (`#/a/b`).",
    "Write `$ref: '#/path/to/target'` or `$ref: 'file.yaml#/path'`.",
)
E126 = register(
    "E126",
    "$ref expansion too large",
    "Inlining the references would expand the document beyond the expansion limit "
    "(nested references multiply).",
    "Reduce the nesting of references, or raise `--max-aliases` if the document is trusted.",
)
# --- templates and intrinsics -----------------------------------------------------------------
E130 = register(
    "E130",
    "no OpenAPI document in the template",
    "The CloudFormation/SAM template has no API resource with an inline OpenAPI body "
    "(`DefinitionBody` or `Body`).",
    "Give the OpenAPI file itself (e.g. the one named by `DefinitionUri`), or inline the body.",
)
E131 = register(
    "E131",
    "several APIs in the template",
    "More than one API resource carries an OpenAPI body and none was chosen.",
    "Choose one with `--resource NAME`.",
)
E132 = register(
    "E132",
    "resource not found",
    "The resource given with `--resource` is not an API with an OpenAPI body in the template.",
    "Use one of the names listed in the message.",
)
E133 = register(
    "E133",
    "API body depends on a condition",
    "The body is wrapped in `Fn::If` and the condition has no value.",
    "Give the condition with `--condition NAME=true|false`.",
)
E134 = register(
    "E134",
    "AWS::Include not supported",
    "The body is pulled in with `Fn::Transform` `AWS::Include` from a file that is not read.",
    "Give the included OpenAPI file itself.",
)
E135 = register(
    "E135",
    "API body is not a mapping",
    "The `DefinitionBody`/`Body` of the chosen resource is not an OpenAPI mapping.",
    "Inline the OpenAPI document as a mapping.",
)
W136 = register(
    "W136",
    "HTTP API document",
    "The document is for API Gateway HTTP APIs (`apigatewayv2`): the template resource is an "
    "HTTP API, or the document uses HTTP-API-only fields.",
    "Use an `AWS::Serverless::Api`/`AWS::ApiGateway::RestApi` document for REST APIs.",
)
# --- OpenAPI version and structure ------------------------------------------------------------
E201 = register(
    "E201",
    "unknown OpenAPI version",
    "The document has no `swagger: '2.0'` or `openapi: 3.x.y` field, or a version not supported.",
    "Start the document with `openapi: 3.0.3` or `swagger: '2.0'`.",
)
W202 = register(
    "W202",
    "OpenAPI 3.1",
    "API Gateway's own importer rejects OpenAPI 3.1 documents.",
    "Write the document as OpenAPI 3.0.x if it is also imported by API Gateway itself.",
)
E203 = register(
    "E203",
    "OpenAPI structure",
    "The document does not follow the OpenAPI schema of its version (openapi-spec-validator).",
    "Fix the field at the location shown.",
)
E199 = register(
    "E199",
    "internal error while reading",
    "The reader met a case it does not handle; this is a bug.",
    "Report it with the document (or a reduced copy of it).",
)
