"""Where the files gdviz ships with are: the levels and the fonts.

The repository keeps them at its top level, where people edit them (`levels/`,
`assets/fonts/`). A wheel carries them inside the package instead, as `gdviz/_data/levels`
and `gdviz/_data/fonts`: setup.py maps the two folders there at build time, so the
repository's layout never changes and an installed gdviz (pip, pipx) needs no clone.

Every path the game reads its own files from comes from here. An installed package is
read through `importlib.resources`; a clone (run in place, or installed editable) falls
back to the repository's folders.

    >>> sorted(p.name for p in levels_dir().glob("*.toml"))[0]
    '01-line-learning-rate.toml'
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from functools import lru_cache
from importlib import resources
from pathlib import Path

# name -> (folder inside the installed package, folder in the repository)
BUNDLED = {"levels": ("_data/levels", "levels"), "fonts": ("_data/fonts", "assets/fonts")}
REPOSITORY = Path(__file__).resolve().parent.parent

_unpacked = ExitStack()  # folders unpacked from a zipped install live until the program ends
atexit.register(_unpacked.close)


@lru_cache(maxsize=None)
def bundled_dir(name: str) -> Path:
    """Return the folder of bundled files called `name` ("levels" or "fonts") as a real path."""
    inside, in_clone = BUNDLED[name]
    packaged = resources.files("gdviz").joinpath(inside)
    if packaged.is_dir():
        # A real folder for pygame and fontTools, even when the package is zipped.
        return Path(_unpacked.enter_context(resources.as_file(packaged)))
    return REPOSITORY / in_clone


def levels_dir() -> Path:
    """Return the folder of levels that ship with gdviz."""
    return bundled_dir("levels")


def fonts_dir() -> Path:
    """Return the folder of bundled fonts."""
    return bundled_dir("fonts")
