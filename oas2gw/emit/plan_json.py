"""`--to plan`: the plan's steps as JSON, for tools and reviews.

Parameters keep botocore's names; run-time ids appear as `{"ref": "resource", "key": "/pets"}`
under each step's `refs`, never mixed into the literal `params`.
"""

from __future__ import annotations

import json

from oas2gw.plan import Plan


def render_plan_json(plan: Plan) -> str:
    """Deterministic, indented JSON ending in a newline."""
    data = plan.to_json()
    try:
        text = json.dumps(data, indent=2, ensure_ascii=False)
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON document: keep it escaped
        text = json.dumps(data, indent=2, ensure_ascii=True)
    return text + "\n"
