"""Error tree. Each error carries a Chinese message for users; boundaries (CLI, API) turn them into output.

AssistantError
├── IngestError          a document could not be read (names the file)
├── IndexNotBuilt        no index yet: run ``assistant index``
├── IndexBusy            another process holds the writer lock
├── IndexMismatch        the stored index was built with a different embedder/tokenizer
└── ConfigError          a configured model or endpoint is unusable
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base error; ``message`` is Chinese and safe to show to users."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IngestError(AssistantError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"文件《{path}》无法导入：{reason}")
        self.path = path
        self.reason = reason


class IndexNotBuilt(AssistantError):
    def __init__(self) -> None:
        super().__init__("索引尚未建立，请先运行 `assistant index` 从语料库构建索引。")


class IndexBusy(AssistantError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"另一个进程正在写入索引，等待 {seconds:.0f} 秒后仍未释放，请稍后重试。")


class IndexMismatch(AssistantError):
    pass


class ConfigError(AssistantError):
    pass
