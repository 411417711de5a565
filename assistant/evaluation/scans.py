"""Image-only PDFs rendered from known text, and how well OCR reads them back.

A scan of a 红头文件 is a picture of printed text; rendering known text to a picture and saving it as a PDF with no
text layer gives pages whose true text is known, so OCR's character accuracy can be measured (``assistant bench-ocr``)
and a test can ask a question answered only by a scanned page.
"""

from __future__ import annotations

import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from assistant.ingest.ocr import OcrOptions, recognise

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
A4_MM = (210, 297)


class NoChineseFont(RuntimeError):
    pass


def chinese_font() -> Path:
    for name in FONT_CANDIDATES:
        if Path(name).exists():
            return Path(name)
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        listed = ""
    for line in listed.splitlines():
        path = Path(line.split(":")[0].strip())
        if path.exists():
            return path
    raise NoChineseFont("没有可用的中文字体（Debian：apt-get install fonts-noto-cjk）")


@dataclass(frozen=True)
class ScanStyle:
    dpi: int = 300
    font_pt: float = 14.0  # 四号: the body size of an official document is 三号 (16 pt) or close to it
    skew_deg: float = 0.0  # a page fed askew
    noise: float = 0.0  # share of pixels flipped (dust, toner speckle)
    seed: int = 7


DEGRADED = ScanStyle(dpi=200, font_pt=12.0, skew_deg=0.6, noise=0.004)


def render_scan(pages: list[str], out: Path, style: ScanStyle = ScanStyle()) -> list[str]:
    """Write ``pages`` (one string per page, lines separated by newlines and wrapped to the page) as an image-only
    PDF. Returns each page's text as rendered (its lines joined by newlines)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(chinese_font()), int(style.font_pt * style.dpi / 72))
    width, height = (int(mm / 25.4 * style.dpi) for mm in A4_MM)
    margin = int(25 / 25.4 * style.dpi)
    line_h = int(font.size * 1.6)
    rng = random.Random(style.seed)
    images, rendered = [], []
    for page in pages:
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        lines = [wrapped for line in page.split("\n") for wrapped in _wrap(line, font, width - 2 * margin)]
        for n, line in enumerate(lines):
            y = margin + n * line_h
            if y + line_h > height - margin:
                raise ValueError("一页放不下这些文字")
            draw.text((margin, y), line, font=font, fill=0)
        if style.skew_deg:
            image = image.rotate(style.skew_deg, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
        if style.noise:
            pixels = image.load()
            assert pixels is not None
            for _ in range(int(style.noise * width * height)):
                x, y = rng.randrange(width), rng.randrange(height)
                pixels[x, y] = 255 - pixels[x, y]  # type: ignore[operator]
        images.append(image.convert("RGB"))
        rendered.append("\n".join(lines))
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=float(style.dpi))
    return rendered


def _wrap(line: str, font: object, width: int) -> list[str]:
    if not line.strip():
        return []
    out, current = [], ""
    for ch in line:
        if font.getlength(current + ch) > width:  # type: ignore[attr-defined]
            out.append(current)
            current = ch
        else:
            current += ch
    return out + [current]


def char_accuracy(truth: str, read: str) -> float:
    """1 − character error rate, whitespace ignored (OCR's line breaks and spaces are not errors of reading)."""
    ref, hyp = "".join(truth.split()), "".join(read.split())
    if not ref:
        return 1.0 if not hyp else 0.0
    return max(0.0, 1 - Levenshtein.distance(ref, hyp) / len(ref))


def page_texts(paragraphs: list[str], chars: int = 600) -> list[str]:
    """Paragraphs gathered into pages of about ``chars`` characters (a page of 四号 text holds about 900)."""
    pages, current = [], ""
    for para in paragraphs:
        para = para.strip()
        while para:
            room = chars - len(current)
            if room <= 0:
                pages.append(current.rstrip("\n"))
                current, room = "", chars
            current += para[:room] + "\n"
            para = para[room:]
    if current.strip():
        pages.append(current.rstrip("\n"))
    return pages


def _han(text: str) -> str:
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


def bench_ocr(texts: list[str], work: Path, styles: dict[str, ScanStyle], opts: OcrOptions) -> dict[str, dict[str, float]]:
    """Render ``texts`` (one page each) per style, read them back by OCR (no cache) and measure."""
    import statistics
    import time
    from dataclasses import replace

    uncached = replace(opts, cache_dir=None)
    out: dict[str, dict[str, float]] = {}
    for name, style in styles.items():
        pdf = work / f"scan-{name}.pdf"
        truth = render_scan(texts, pdf, style)
        started = time.perf_counter()
        read = recognise(pdf.read_bytes(), list(range(len(texts))), uncached)
        seconds = time.perf_counter() - started
        chars = [char_accuracy(t, read[i]) for i, t in enumerate(truth)]
        han = [char_accuracy(_han(t), _han(read[i])) for i, t in enumerate(truth)]
        out[name] = {
            "pages": len(texts), "dpi": style.dpi, "font_pt": style.font_pt, "skew_deg": style.skew_deg, "noise": style.noise,
            "char_accuracy_median": round(statistics.median(chars), 4), "char_accuracy_mean": round(statistics.fmean(chars), 4),
            "char_accuracy_min": round(min(chars), 4), "han_accuracy_median": round(statistics.median(han), 4),
            "pages_per_second": round(len(texts) / seconds, 3), "seconds_per_page": round(seconds / len(texts), 3),
        }
    return out


def ocr_report(result: dict[str, dict[str, float]], opts: OcrOptions) -> str:
    """``bench_ocr``'s figures as the Markdown report kept in evals/reports/ocr.md."""
    rows = ["| 样式 | 页数 | 字符准确率（中位数） | 平均 | 最低 | 汉字准确率（中位数） | 页/秒 | 秒/页 |", "|---|---|---|---|---|---|---|---|"]
    rows += [f"| {k} | {v['pages']:.0f} | {v['char_accuracy_median']:.3f} | {v['char_accuracy_mean']:.3f} | {v['char_accuracy_min']:.3f} | "
             f"{v['han_accuracy_median']:.3f} | {v['pages_per_second']:.2f} | {v['seconds_per_page']:.2f} |" for k, v in result.items()]
    return ("# 扫描件文字识别（OCR）基准\n\n"
            f"示例语料政策文件的正文，每页约 600 字，渲染为只有图像的 PDF（A4），再以 Tesseract {opts.lang} 按 {opts.dpi} dpi 读回；"
            f"{opts.workers} 页并行、每页一个线程；不使用缓存。字符准确率 = 1 − 编辑距离 / 原文字数（忽略空白）。"
            "degraded：200 dpi、12 磅、倾斜 0.6°、0.4% 像素噪点。\n\n" + "\n".join(rows) + "\n")
