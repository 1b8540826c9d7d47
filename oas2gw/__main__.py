"""`python -m oas2gw`."""

from oas2gw.cli import run

run()
