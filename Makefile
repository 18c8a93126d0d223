# Two commands do all the set-up themselves: `make test` and `make demo`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test demo docs install clean-venv

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

docs: $(STAMP)
	PATH="$(CURDIR)/tools:$(CURDIR)/$(BIN):$$PATH" $(BIN)/nbdev-docs

clean-venv:
	rm -rf $(VENV)
