# kpidesk: `make run` starts the app, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run demo test lint fmt bench screenshots translations package clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[desktop,server,test,package]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kpidesk

demo: $(STAMP)
	$(BIN)/kpidesk --demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Two test processes (pytest-xdist), each test sent to whichever is free: the suite's long
# tests (randomised sync runs, real servers, the packaged build) then share the two cores CI
# has. TEST_WORKERS=0 runs everything in this one process (as --pdb and -s need).
TEST_WORKERS ?= 2
test: lint
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks $(ARGS)

screenshots: $(STAMP)
	$(BIN)/python resources/screenshots/capture.py resources/screenshots

# Re-extract kpidesk.pot from the code, merge it into each language's .po, compile the .mo files.
# Keywords: _ and N_ (a text), ngettext and the domain's plural_message (singular, plural),
# pgettext (context, text).
LOCALE := resources/locale
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords -k _ -k N_ -k ngettext:1,2 \
		-k pgettext:1c,2 -k plural_message:1,2 --no-location --sort-output --project kpidesk --version 0.1 \
		--msgid-bugs-address "" -o $(LOCALE)/kpidesk.pot .
	$(BIN)/pybabel update -D kpidesk -i $(LOCALE)/kpidesk.pot -d $(LOCALE) --no-fuzzy-matching \
		--ignore-obsolete
	$(BIN)/pybabel compile -D kpidesk -d $(LOCALE) --statistics

# The one-folder desktop build (packaging/kpidesk.spec): dist/kpidesk/kpidesk, then its size.
package: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
		packaging/kpidesk.spec
	du -sh dist/kpidesk

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
