# Two commands from a fresh clone: `make lab` runs the course, `make test` checks it.
# Both use the exact pins of binder/requirements.txt, so instructors see what students see on Binder.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
START  := lessons/00-start-here.ipynb
PYTEST_ARGS ?=
AXE_STAMP := tests/browser/node_modules/.installed

.PHONY: lab test check-case lessons bench browser-deps clean

lab: $(VENV)/.lab-installed
	$(VENV)/bin/jupyter lab $(START)

test: $(VENV)/.test-installed $(AXE_STAMP)
	$(PY) -m pytest tests lessons instructors/notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval-sanitize.cfg $(PYTEST_ARGS)

check-case: $(VENV)/.lab-installed
	$(VENV)/bin/course-lib check-case

lessons: $(VENV)/.test-installed
	$(PY) -m course_lib.build

# Speed and size as ratios against floors measured in the same run (benchmarks/README.md);
# writes benchmarks/results.md and results.json. BENCH_ARGS="--repeat 9" for more repetitions.
bench: $(VENV)/.test-installed
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# The student environment: the Binder pins, then the package itself as an editable install, so
# an instructor's edits to the case files show up without reinstalling.
$(VENV)/.lab-installed: binder/requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "The course needs Python 3.11 or newer; run make PYTHON=python3.12 (or another).")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -r binder/requirements.txt
	$(PY) -m pip install --disable-pip-version-check --no-deps -e .
	touch $@

# The test tools on top, constrained to the same pins so nothing the students use is upgraded.
$(VENV)/.test-installed: $(VENV)/.lab-installed
	grep -E '^[A-Za-z0-9_.-]+==' binder/requirements.txt > $(VENV)/constraints.txt
	$(PY) -m pip install --disable-pip-version-check -c $(VENV)/constraints.txt -e '.[test]'
	touch $@

# The pinned axe-core (tests/browser/package-lock.json) that the accessibility tests inject into
# Chromium. Chromium itself comes from the system: apt-get install chromium (.ci/run does).
browser-deps: $(AXE_STAMP)
$(AXE_STAMP): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/browser && npm ci --no-audit --no-fund && touch node_modules/.installed; \
	else echo "npm not found: the accessibility tests will skip; install Node.js and npm, then make browser-deps"; fi

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
