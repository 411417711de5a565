"""OFD files (GB/T 33190) written from known lines, for the OFD tests: a package of OFD.xml, Doc_0/Document.xml,
PublicRes.xml and one Content.xml per page, each line split into several TextObjects (as producers write them), in
reading order or shuffled, or one object per character."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
HEAD = '<?xml version="1.0" encoding="UTF-8"?>'


def _objects(lines: list[str], next_id, rng: random.Random, per_char: bool, size: float = 4.2, lead: float = 9.0) -> list[str]:
    out = []
    for n, line in enumerate(lines):
        y, x = 30.0 + n * lead, 25.0
        if per_char:
            pieces = list(line)
        else:  # two or three runs per line
            cuts = sorted(rng.sample(range(1, len(line)), min(2, len(line) - 1))) if len(line) > 3 else []
            pieces = [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
        for piece in pieces:
            width = sum(size if ord(ch) > 0x2E7F else size / 2 for ch in piece)  # a Latin letter is half as wide
            delta = f' DeltaX="g {len(piece) - 1} {size:g}"' if len(piece) > 1 else ""
            out.append(f'<ofd:TextObject ID="{next_id()}" Boundary="{x:.2f} {y:.2f} {width:.2f} {size * 1.2:.2f}" Font="1" Size="{size:g}">'
                       f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{size:g}"{delta}>{escape(piece)}</ofd:TextCode></ofd:TextObject>')
            x += width
    return out


def write_ofd(pages: list[list[str]], path: Path, *, shuffle: bool = False, per_char: bool = False, seed: int = 3) -> Path:
    rng = random.Random(seed)
    counter = iter(range(2, 1_000_000))

    def next_id() -> int:
        return next(counter)

    files: dict[str, str] = {}
    refs = []
    for i, lines in enumerate(pages):
        objects = _objects(lines, next_id, rng, per_char)
        if shuffle:
            rng.shuffle(objects)
        layer = next_id()
        files[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'{HEAD}<ofd:Page xmlns:ofd="{NS}"><ofd:Area><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:Area>'
            f'<ofd:Content><ofd:Layer ID="{layer}" Type="Body">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')
        refs.append(f'<ofd:Page ID="{next_id()}" BaseLoc="Pages/Page_{i}/Content.xml"/>')
    files["Doc_0/Document.xml"] = (
        f'{HEAD}<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>{next_id()}</ofd:MaxUnitID>'
        "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
        f'</ofd:CommonData><ofd:Pages>{"".join(refs)}</ofd:Pages></ofd:Document>')
    files["Doc_0/PublicRes.xml"] = (f'{HEAD}<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
                                    '<ofd:Font ID="1" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
    files["OFD.xml"] = (f'{HEAD}<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
                        "<ofd:DocID>0f0d0000000000000000000000000001</ofd:DocID></ofd:DocInfo>"
                        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ["OFD.xml", *sorted(k for k in files if k != "OFD.xml")]:
            z.writestr(name, files[name])
    return path
