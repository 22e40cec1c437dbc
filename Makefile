# The two commands: `make demo` runs the platform with demo communes, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install migrate messages bench clean

$(STAMP): requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m civic.devserver

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate

# Needs gettext (msgfmt); the compiled catalogues are committed.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l fr -l nl -l en --ignore=.venv --ignore=var --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var

bench: $(STAMP)
	$(BIN)/python bench/commune_create.py
	$(BIN)/python bench/vote_load.py
	$(BIN)/python bench/newsletter_send.py
	$(BIN)/python bench/report_pdf.py

clean:
	rm -rf var/test-media .pytest_cache
