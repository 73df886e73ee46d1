"""Public access to the optimizers: `make(name, **hyperparams)` and `names()`."""

from gdviz.core.optimizers import METHODS, HyperparameterError, Optimizer, Trace, make, names

__all__ = ["METHODS", "HyperparameterError", "Optimizer", "Trace", "make", "names"]
