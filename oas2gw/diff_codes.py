"""Codes of `diff` and of the generated-file check (E5xx)."""

from __future__ import annotations

from oas2gw.codes import register

E501 = register(
    "E501",
    "generated file is stale",
    "The file is not byte for byte what the document generates now: the document changed (or "
    "the file was edited by hand) and the file was not generated again.",
    "Run the same command without `--check` to write the file, and commit it with the document.",
)
E502 = register(
    "E502",
    "generated file missing",
    "`--check` was asked to compare a file that does not exist.",
    "Generate the file (the same command without `--check`) and commit it.",
)
E503 = register(
    "E503",
    "diff side not recognised",
    "A side of `diff` is neither an OpenAPI document (YAML or JSON, or a CloudFormation "
    "template), nor saved `get-resources`/`get-rest-api`/`get-export` JSON, nor "
    "`apigateway:REST_API_ID`; or it names a file that cannot be read.",
    "Give a document, a saved API Gateway output, or `apigateway:` followed by the REST API id.",
)
