# The two commands of this kit (see README.md):
#   make demo   install everything into .venv, build the release, grade example submissions
#   make test   the full test suite (what CI runs through .ci/run, after make lint)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

# Two test processes (pytest-xdist): the suite is sized for a 2-core machine. Each grading batch
# then runs one sandbox at a time (tests/conftest.py), so two cores are busy and never oversold.
# Groups go out in collection order, which tests/conftest.py sorts heaviest first.
TEST_PROCESSES ?= 2

.PHONY: demo test lint release check env clean

demo: env
	$(BIN)/course demo
	@echo "the course command: $(BIN)/course --help (or: source $(BIN)/activate, then course --help)"

test: env
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --no-loadscope-reorder

lint: env
	$(BIN)/ruff check .

release: env
	$(BIN)/course release --lang all

check: env
	$(BIN)/course check

env: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	@# Debian and Ubuntu split venv's ensurepip into a package of its own
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { echo "$(PYTHON) has no venv module: on Debian/Ubuntu, apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# torch on its own first: on machines with a local CPU wheel pip takes it from there
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e .
	touch $@

clean:
	rm -rf build reports submitted autograded feedback gradebook.db
