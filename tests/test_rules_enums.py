"""Enum values come from botocore's model file, read without importing botocore."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from oas2gw.model.rules import _botocore_enums

ROOT = Path(__file__).resolve().parent.parent


def test_enums_read_from_the_model_file_are_botocores_own() -> None:
    import botocore.session

    model = botocore.session.get_session().get_service_model("apigateway")
    shapes = (model.shape_for(name) for name in model.shape_names)
    expected = {s.name: tuple(s.enum) for s in shapes if getattr(s, "enum", None)}
    assert expected
    assert _botocore_enums() == expected


def test_loading_a_document_with_known_values_never_imports_botocore() -> None:
    code = (
        "import sys\n"
        "from oas2gw import api\n"
        f"result = api.load({str(ROOT / 'samples' / 'petstore.yaml')!r})\n"
        "assert result.model is not None\n"
        "assert not [m for m in sys.modules if m.startswith('botocore')], 'botocore imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
