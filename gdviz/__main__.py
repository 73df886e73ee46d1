"""`python -m gdviz`: the same as the `gdviz` command (gdviz/__init__.py silences pygame's banner first)."""

from gdviz.cli import main

main()
