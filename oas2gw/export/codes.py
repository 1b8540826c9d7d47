"""Codes of the export sources and of writing an export: E4xx / W4xx."""

from oas2gw.codes import register

E401 = register(
    "E401",
    "AWS call failed",
    "An API Gateway call made while reading a live API failed: no credentials, no access, "
    "a wrong region or endpoint, or no REST API with that id.",
    "Check the REST API id and the AWS environment (AWS_PROFILE, AWS_REGION, "
    "AWS_ENDPOINT_URL); the message carries AWS's own error.",
)
E402 = register(
    "E402",
    "saved JSON unreadable",
    "A `--from-dump` file is not JSON (or not a sequence of JSON objects), or holds none of "
    "the outputs export reads: `get-resources --embed methods`, `get-rest-api`, "
    "`get-authorizers`, `get-request-validators`, `get-models`, `get-gateway-responses`, "
    "`get-documentation-parts`, or a `get-export` document.",
    "Save the output of those `aws apigateway` commands with `--output json`, unchanged.",
)
E403 = register(
    "E403",
    "saved item malformed",
    "An item of a saved API Gateway output lacks a field API Gateway always returns "
    "(a resource without `path`, a method without `httpMethod`) or has a value of the wrong "
    "type; the item is skipped.",
    "Save the output again, unchanged; hand-edited dumps must keep API Gateway's shapes.",
)
E404 = register(
    "E404",
    "document to merge into unreadable",
    "The `--into` document is not YAML or JSON, or its root is not a mapping.",
    "Point `--into` at the OpenAPI document the API was made from.",
)
W401 = register(
    "W401",
    "Swagger 2.0 cannot hold this",
    "Swagger 2.0 has one body schema per operation and one response schema per status code, "
    "while API Gateway keeps a model per content type; only the first model is written.",
    "Export with `--oas 3.0`, which holds a schema per content type.",
)
W402 = register(
    "W402",
    "parameter without an OpenAPI form",
    "A method request or response parameter is of a kind OpenAPI cannot declare "
    "(`multivaluequerystring`, `multivalueheader`, a response parameter that is not a header); "
    "it is left out of the export.",
    "Keep such parameters in the integration's `requestParameters`, or accept the loss.",
)
W403 = register(
    "W403",
    "authorizer not found",
    "A method is authorised by an authorizer the source does not hold (from a saved dump, "
    "authorizers come only from saved `get-authorizers` output); its security is left out.",
    "Add the `get-authorizers` output to `--from-dump`, or export from the live API.",
)
W404 = register(
    "W404",
    "reference kept as an id",
    "A method refers to a request validator or authorizer by id, and the source does not hold "
    "the object with that id, so the export cannot name it; the id is used as its name.",
    "Add the `get-request-validators` / `get-authorizers` output to `--from-dump`.",
)
W405 = register(
    "W405",
    "source part unavailable",
    "A part of the API (documentation parts, gateway responses, ...) could not be read from "
    "the source (an emulator without the call, or no permission); the export lacks it.",
    "Grant the permission the message names, or accept that part missing.",
)
W406 = register(
    "W406",
    "operation absent from the API",
    "With `--into`, the document has an operation that the API does not hold; its API Gateway "
    "parts are left as they are.",
    "Delete the operation from the document if it is gone for good, or deploy it.",
)
W407 = register(
    "W407",
    "selection pattern 'default'",
    "An integration response's selection pattern is the literal text `default`, which "
    "`x-amazon-apigateway-integration` uses as the key of the response without a pattern, so "
    "the export cannot write both apart: when the API also has a response without a pattern, "
    "the one with pattern `default` is left out; otherwise it is written as the default "
    "response.",
    "Give the response an equivalent pattern that is not literally `default`, such as `(default)`.",
)
