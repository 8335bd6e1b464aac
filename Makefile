# Two commands from a fresh clone: `make lab` runs the course, `make test` checks it.
# Both use the exact pins of binder/requirements.txt, so instructors see what students see on Binder.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
START  := lessons/00-start-here.ipynb
PYTEST_ARGS ?=
AXE_STAMP := tests/browser/node_modules/.installed
PYODIDE_STAMP := lite/node_modules/.installed
LITE_OUT ?= build/lite
LITE_ARGS ?=
SITE_OUT ?= build/site

.PHONY: lab test check-case lessons bench browser-deps lite site clean

lab: $(VENV)/.lab-installed
	$(VENV)/bin/jupyter lab $(START)

test: $(VENV)/.test-installed $(AXE_STAMP) $(VENV)/.lite-installed $(PYODIDE_STAMP) $(VENV)/.site-installed
	$(PY) -m pytest tests lessons instructors/notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval-sanitize.cfg $(PYTEST_ARGS)

check-case: $(VENV)/.lab-installed
	$(VENV)/bin/course-lib check-case

lessons: $(VENV)/.test-installed
	$(PY) -m course_lib.instructors.build

# The course with no server: a JupyterLite site in $(LITE_OUT) (lite/build.py says what it holds).
# Serve it with any static file server: $(PY) -m http.server -d $(LITE_OUT) 8000
lite: $(VENV)/.lite-installed $(PYODIDE_STAMP)
	$(PY) lite/build.py --out $(LITE_OUT) $(LITE_ARGS)

# The read-only course website (Jupyter Book 1) in $(SITE_OUT)/_build/html; site/build.py says how.
site: $(VENV)/.site-installed
	$(PY) site/build.py --out $(SITE_OUT)

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

# The JupyterLite build tools (lite/requirements.txt), on top of the student pins and constrained to them.
$(VENV)/.lite-installed: $(VENV)/.lab-installed lite/requirements.txt
	grep -E '^[A-Za-z0-9_.-]+==' binder/requirements.txt > $(VENV)/constraints.txt
	$(PY) -m pip install --disable-pip-version-check -c $(VENV)/constraints.txt -r lite/requirements.txt
	touch $@

# The website's build tools (site/requirements.txt: Jupyter Book 1), constrained to the student pins too.
$(VENV)/.site-installed: $(VENV)/.lab-installed site/requirements.txt
	grep -E '^[A-Za-z0-9_.-]+==' binder/requirements.txt > $(VENV)/constraints.txt
	$(PY) -m pip install --disable-pip-version-check -c $(VENV)/constraints.txt -r site/requirements.txt
	touch $@

# The pinned Pyodide runtime (lite/package-lock.json) that make lite copies into the site.
$(PYODIDE_STAMP): lite/package.json lite/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd lite && npm ci --no-audit --no-fund && touch node_modules/.installed; \
	else echo "npm not found: make lite needs it for Pyodide (the Lite tests will skip); install Node.js and npm"; fi

# The pinned axe-core (tests/browser/package-lock.json) that the accessibility tests inject into
# Chromium. Chromium itself comes from the system: apt-get install chromium (.ci/run does).
browser-deps: $(AXE_STAMP)
$(AXE_STAMP): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/browser && npm ci --no-audit --no-fund && touch node_modules/.installed; \
	else echo "npm not found: the accessibility tests will skip; install Node.js and npm, then make browser-deps"; fi

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info lite/node_modules
