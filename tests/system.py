"""Debian packages a test needs beside Python (Chromium, Tesseract, CJK fonts): installed when missing and the test
runs as root with apt-get, as `make install` does; elsewhere the test is skipped with what to install."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable

import pytest


def ensure_debian(packages: list[str], present: Callable[[], bool], what: str) -> None:
    if present():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip(f"需要{what}（以 root 运行 apt-get install -y {' '.join(packages)} 后重试）")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:  # a fresh machine may not have package lists yet
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, text=True, timeout=600)
        done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0 or not present():
        pytest.skip(f"无法安装{what}：{done.stderr.strip()[-300:]}")


def ensure_ocr() -> None:
    """Tesseract with its Simplified Chinese data, and a Chinese font to render scans with."""
    from assistant.evaluation.scans import NoChineseFont, chinese_font
    from assistant.ingest.ocr import OcrOptions, unavailable_reason

    def present() -> bool:
        try:
            chinese_font()
        except NoChineseFont:
            return False
        return unavailable_reason(OcrOptions()) is None

    ensure_debian(["tesseract-ocr", "tesseract-ocr-chi-sim", "fonts-noto-cjk"], present, "Tesseract 文字识别、简体中文数据与中文字体")
