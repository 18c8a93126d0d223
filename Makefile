# Two commands do all the set-up themselves: `make test` and `make demo`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

KATEX := .cache/katex-$(shell sed -n 's/^KATEX_VERSION = .\(.*\).$$/\1/p' tools/render_math.py)

.PHONY: test demo docs katex install clean-venv

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q "torch==2.13.0" -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

demo: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/dynnb forecast --system Lorenz --model dynamix --horizon 1000 --out demo/forecast.csv --plot demo/forecast.png

# KaTeX (typesets the docs' maths at build time, offline) comes once from the npm registry into .cache/, not git
$(KATEX)/dist/katex.js:
	$(PY) tools/render_math.py fetch

katex: $(KATEX)/dist/katex.js

docs: $(STAMP) $(KATEX)/dist/katex.js
	PATH="$(CURDIR)/tools:$(CURDIR)/$(BIN):$$PATH" $(BIN)/nbdev-docs
	$(PY) tools/check_links.py _docs
	$(PY) tools/check_math.py _docs

clean-venv:
	rm -rf $(VENV)
