"""The core must stay importable without pygame (notebooks, servers, the test suite)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import gdviz.core


def core_modules():
    return sorted(f"gdviz.core.{m.name}" for m in pkgutil.iter_modules(gdviz.core.__path__))


def test_core_has_the_expected_modules():
    assert {"gdviz.core.surfaces", "gdviz.core.optimizers", "gdviz.core.sim",
            "gdviz.core.schedules", "gdviz.core.expr"} <= set(core_modules())


def test_core_and_public_api_never_import_pygame():
    imports = "; ".join(f"import {m}" for m in core_modules() + ["gdviz"])
    code = (f"import sys; {imports}; import gdviz; gdviz.simulate('bowl', steps=2); "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pygame', 'matplotlib', 'PIL')); "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).parents[2])
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_sources_import_only_numpy_and_the_standard_library():
    allowed = set(sys.stdlib_module_names) | {"numpy", "gdviz", "__future__"}
    for path in Path(gdviz.core.__file__).parent.glob("*.py"):
        for line in path.read_text().splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                top = words[1].split(".")[0]
                assert top in allowed, f"{path.name} imports {words[1]}"
