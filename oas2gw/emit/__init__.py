"""Renderers of a `Plan`: pure functions from the one plan to text."""

from oas2gw.emit.plan_json import render_plan_json
from oas2gw.emit.shell import ShellScript, render_shell

__all__ = ["ShellScript", "render_plan_json", "render_shell"]
