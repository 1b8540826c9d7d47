"""docs/import.md: the mapping table is the model's own spellings, and stays so."""

from __future__ import annotations

import re
from pathlib import Path

import botocore.session
from botocore import xform_name

from oas2gw.model.types import integration_api_members
from oas2gw.plan import mapping_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "import.md"


def test_mapping_table_in_docs_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- mapping:start -->\n(.*)<!-- mapping:end -->", text, re.S)
    assert match is not None, "docs/import.md lost its mapping markers"
    assert match.group(1) == mapping_markdown(), (
        "regenerate the table: python -m oas2gw.plan, between the mapping markers"
    )


def test_mapping_table_names_real_botocore_parameters_and_cli_options() -> None:
    service = botocore.session.get_session().get_service_model("apigateway")
    section = ""
    for line in mapping_markdown().splitlines():
        if line.startswith("### "):
            section = line.split("`")[1]
            continue
        cells = [c.strip().strip("`") for c in line.split("|")[1:-1]]
        if len(cells) != 4 or not cells[2] or cells[2].startswith(("boto3", "---")):
            continue
        if section in ("UpdateRestApi",):
            continue
        members = service.operation_model(section).input_shape.members
        assert cells[2] in members, (section, cells[2])
        assert cells[1] == "--" + xform_name(cells[2], "-"), cells


def test_every_put_integration_member_the_model_carries_is_in_the_table() -> None:
    table = mapping_markdown()
    put = table.split("### `PutIntegration`")[1].split("###")[0]
    for member in integration_api_members():
        assert f"| `{member}` |" in put, member
