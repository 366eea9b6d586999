# ganaug: the two commands are `make book` and `make test`. Each sets up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help book test book-check colab-check lint clean venv student reproduce

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# uv installs the same packages as pip in half the time (it downloads side by side and
# byte-compiles on every core); pip takes over where uv cannot reach an index. Byte-compiling
# matters: where PYTHONDONTWRITEBYTECODE is set, nothing else writes the .pyc files.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e ".[book,test]" \
		|| $(BIN)/python -m pip install --quiet -e ".[book,test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

venv: $(STAMP) ## create .venv and install ganaug with the book and test extras

book: $(STAMP) ## build the rendered book into _build/html (executes only the notebooks a change touches)
	$(BIN)/jupyter-book build . --builder html

test: $(STAMP) ## run lint, unit tests and doctests (the notebooks run in book-check and colab-check)
	GANAUG_PROFILE=smoke $(BIN)/python -m pytest -n 2 -m "not book"

book-check: $(STAMP) ## build the book on the smoke profile, warnings as errors, and visit every page in a browser
	GANAUG_PROFILE=smoke $(BIN)/python -m pytest -m book tests/test_book.py tests/test_browser.py

colab-check: $(STAMP) ## run every Colab edition as a student does (ganaug pip-installed from git, outside the clone); prove every exercise check
	GANAUG_PROFILE=smoke $(BIN)/python tests/colab_like.py

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

student: $(STAMP) ## regenerate the exercises' student editions (python -m ganaug notebooks)
	$(BIN)/python -m ganaug notebooks

reproduce: $(STAMP) ## run or resume the chapter 5 study (book profile, real data, 2-core CPU) into results/book
	$(BIN)/python -m ganaug reproduce --profile book --out results/book

clean: ## remove the built book
	rm -rf _build
