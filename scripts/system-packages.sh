#!/bin/sh
# Debian packages the product uses beside Python: Tesseract with its Simplified Chinese data (scanned PDFs, see
# assistant/ingest/ocr.py) and CJK fonts (PDF application forms, rendered test scans, the browser tests).
# Installed only where the system allows it (root with apt-get); elsewhere it says what to install and goes on:
# without OCR a scanned PDF is refused with the same advice, and everything else works.
PKGS="tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk"
missing=""
for p in $PKGS; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends $missing >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $missing >/dev/null; } \
    || echo "提示：系统软件包安装失败：$missing（扫描件文字识别不可用）"
else
  echo "提示：扫描件文字识别需要系统软件包：$missing（以 root 运行 apt-get install -y$missing）"
fi
exit 0
