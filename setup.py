"""Build configuration that pyproject.toml cannot say: where the bundled files go in a wheel.

The repository keeps the levels and the fonts at its top level (`levels/`, `assets/fonts/`),
where people edit them and where the docs point. A wheel needs them inside the package, so
this maps the two folders to `gdviz/_data/levels` and `gdviz/_data/fonts` at build time:
nothing is copied in the repository, nothing moves. gdviz/resources.py finds them in
either place. Everything else (name, dependencies, package data) is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

BUNDLED = {"gdviz._data.levels": "levels", "gdviz._data.fonts": "assets/fonts"}

setup(
    packages=[*find_namespace_packages(include=["gdviz", "gdviz.*"], exclude=["*.__pycache__", "gdviz._data*"]),
              *BUNDLED],
    package_dir=BUNDLED,
)
