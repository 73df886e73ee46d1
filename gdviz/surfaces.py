"""Public access to the loss surfaces: `get(name)`, `names()`, `from_expression(text)`."""

from gdviz.core.expr import ExpressionError, from_expression
from gdviz.core.surfaces import DataFitSurface, Point, Surface, critical_point, get, names, register

__all__ = ["DataFitSurface", "ExpressionError", "Point", "Surface", "critical_point",
           "from_expression", "get", "names", "register"]
