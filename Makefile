# Two commands do everything on a fresh clone: `make play` and `make test`.
# Both create .venv on first use and install the project into it.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: play test test-package bench wheel clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

play: $(STAMP)
	$(VENV)/bin/gdviz $(ARGS)

test: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

# The wheel built, installed in a fresh environment and played from another folder (README: Tests).
test-package: $(STAMP)
	$(PY) -m pytest -q -m slow tests/test_package.py

bench: $(STAMP)
	$(PY) -m gdviz.bench $(ARGS)

# The wheel to copy to classroom or kiosk machines (README: "Install for a classroom or a kiosk").
wheel: $(STAMP)
	rm -rf build
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir dist .

clean:
	rm -rf $(VENV) build dist *.egg-info
