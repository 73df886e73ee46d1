"""Build configuration that pyproject.toml cannot say: where the bundled files go in a wheel.

The repository keeps the levels and the fonts at its top level (`levels/`, `assets/fonts/`),
where people edit them and where the docs point. A wheel needs them inside the package, so
this maps the two folders to `gdviz/_data/levels` and `gdviz/_data/fonts` at build time:
nothing is copied in the repository, nothing moves. gdviz/resources.py finds them in
either place. Everything else (name, dependencies, package data) is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

BUNDLED = {"gdviz._data.levels": "levels", "gdviz._data.fonts": "assets/fonts"}


class FreshData(build_py):
    """Copy the bundled folders afresh on every build: setuptools keeps what an earlier build
    left in build/lib, so a level deleted or renamed since would still ship."""

    def run(self) -> None:
        shutil.rmtree(Path(self.build_lib) / "gdviz" / "_data", ignore_errors=True)
        super().run()


setup(
    packages=[*find_namespace_packages(include=["gdviz", "gdviz.*"], exclude=["*.__pycache__", "gdviz._data*"]),
              *BUNDLED],
    package_dir=BUNDLED,
    cmdclass={"build_py": FreshData},
)
