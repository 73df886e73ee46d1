"""gdviz: watch gradient descent happen.

The engine works without pygame, from a notebook or a script:

    import gdviz
    run = gdviz.simulate("rosenbrock", "adam", start=(-1.5, 2.5), steps=500, lr=0.05)
    run.positions      # (501, 2) array of where the ball went
    run.losses         # (501,) loss at each of those points
    gdviz.plot(run)                   # its contour map and loss by step (needs matplotlib)
    gdviz.animate(run, "adam.gif")    # a GIF drawn by the game's own renderer

Names are loaded on first use, so `import gdviz` stays quick and never imports pygame.
"""

import os
from importlib import import_module
from typing import Any

# pygame prints a banner when first imported unless this is set; every way in (the gdviz
# command, python -m gdviz, main.py, a notebook) imports this package before pygame.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

_LAZY = {
    "simulate": "gdviz.core.sim", "Race": "gdviz.core.sim", "BallSpec": "gdviz.core.sim",
    "Goal": "gdviz.core.sim", "Trajectory": "gdviz.core.sim", "STATUS_NAMES": "gdviz.core.sim",
    "Schedule": "gdviz.core.schedules",
    "surfaces": "gdviz.surfaces", "optimizers": "gdviz.optimizers",
    "load_level": "gdviz.core.levels", "load_levels": "gdviz.core.levels", "run_check": "gdviz.core.lessons",
    "basins": "gdviz.core.basins", "BasinMap": "gdviz.core.basins",
    # Pictures: modules named unlike the functions, so importing one never hides its function.
    "plot": "gdviz.plots", "animate": "gdviz.animations", "Picture": "gdviz.animations",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'gdviz' has no attribute {name!r}")
    module = import_module(_LAZY[name])
    # gdviz.surfaces and gdviz.optimizers are modules; every other name lives inside its module.
    return module if module.__name__ == f"gdviz.{name}" else getattr(module, name)
