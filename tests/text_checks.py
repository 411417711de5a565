"""Assertions that text shown to a user (API error bodies, page text, workbook error sheets) is Chinese: no Python
or pydantic wording, no English sentence, no raw field name of our models. Reusable by any test.

What the user typed is echoed inside Chinese quotes (“…”); that part is exempt, since a clerk's own typo (“employes”)
must be shown back to them as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

# Phrases that only ever come from Python, pydantic, FastAPI or a traceback.
FORBIDDEN = ("Input should", "Field required", "invalid literal", "could not convert", "Traceback", "Error", "value is not",
             "String should", "Extra inputs", "validation error", "JSON decode", "Expecting value", "should be", "should have",
             "for further information", "errors.pydantic.dev", "Value error", "Assertion failed", "NoneType", "[type=")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUOTED = re.compile(r"“[^”]*”")  # the user's own input, echoed back
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SENTENCE = re.compile(r"[A-Za-z]{2,}[ ,.:;!?]+[A-Za-z]{2,}")  # “YYYY-MM-DD” and “true/false” are not sentences


def _outside_quotes(text: str) -> str:
    return _QUOTED.sub("“”", text)


def problems(text: str, field_names: Iterable[str] = ()) -> list[str]:
    """Why ``text`` is not fit to show a Chinese user (empty when it is)."""
    out: list[str] = []
    if not text or not text.strip():
        return ["empty text"]
    if not _CJK.search(text):
        out.append("no Chinese at all")
    lowered = text.lower()
    out += [f"contains {p!r}" for p in FORBIDDEN if (p in text if p[0].isupper() else p.lower() in lowered)]
    bare = _outside_quotes(text)
    names = set(field_names)
    out += [f"raw field name {w!r}" for w in _WORD.findall(bare) if w in names]
    out += [f"English sentence {m.group(0)!r}" for m in _SENTENCE.finditer(bare)]
    return out


def amounts(text: str) -> set[float]:
    """The sums of money a text states, in 元."""
    from assistant.evaluation.kinds import figures

    return {v for v, unit in figures(text) if unit == "元"}


def markers(text: str) -> set[int]:
    """The citation numbers an answer's text shows ([1], [2] …)."""
    return {int(m) for m in re.findall(r"\[(\d+)\]", text)}


def assert_one_part_unanswered(ans: Any, answered: str, unanswered: str) -> None:
    """A several-part answer: answered (it shows ``answered``), the part about ``unanswered`` said not to be stated,
    and every citation mark it shows backed by a citation and the other way round."""
    assert not ans.refused
    assert answered in ans.answer
    assert "没有载明" in ans.answer and unanswered in ans.answer
    assert markers(ans.answer) == {c.n for c in ans.citations}


def assert_user_text(text: str, field_names: Iterable[str] = ()) -> None:
    """Fail with the offending text and the reasons."""
    found = problems(text, field_names)
    assert not found, f"{text!r}: {'; '.join(found)}"


def assert_no_python_text(texts: Iterable[str]) -> None:
    """Whole pages (ids, numbers and file names included): only the Python/pydantic wording is checked."""
    for text in texts:
        lowered = text.lower()
        found = [p for p in FORBIDDEN if (p in text if p[0].isupper() else p.lower() in lowered)]
        assert not found, f"{text!r}: contains {found}"


def assert_error_body(body: Any, field_names: Iterable[str] = ()) -> None:
    """An API error body: ``detail`` a Chinese string, ``errors`` (if any) Chinese strings, and no error repeated
    in the detail (each error is shown exactly once)."""
    assert isinstance(body, Mapping), body
    detail = body.get("detail")
    assert isinstance(detail, str), body
    assert_user_text(detail, field_names)
    errors = body.get("errors") or []
    assert isinstance(errors, list), body
    for e in errors:
        assert isinstance(e, str), body
        assert_user_text(e, field_names)
        assert e not in detail, f"error repeated in the detail: {body}"
    assert len(set(errors)) == len(errors), f"an error listed twice: {body}"


def request_field_names(openapi: Mapping[str, Any]) -> set[str]:
    """Every request field name of an OpenAPI spec: body properties (nested models included), query, path, header
    and form parameters."""
    schemas = openapi.get("components", {}).get("schemas", {})
    names: set[str] = set()

    def walk(schema: Any, seen: frozenset[str]) -> None:
        if not isinstance(schema, Mapping):
            return
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                walk(schemas.get(name), seen | {name})
            return
        for key, sub in (schema.get("properties") or {}).items():
            names.add(key)
            walk(sub, seen)
        for key in ("items", "additionalProperties"):
            walk(schema.get(key), seen)
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(key) or []:
                walk(sub, seen)

    for ops in openapi.get("paths", {}).values():
        for op in ops.values():
            if not isinstance(op, Mapping):
                continue
            for p in op.get("parameters") or []:
                names.add(p["name"])
            for content in (op.get("requestBody") or {}).get("content", {}).values():
                walk(content.get("schema"), frozenset())
    return names


def page_texts(at: Any, *, tables: bool = True) -> list[str]:
    """Every piece of text a Streamlit AppTest page shows: markdown, captions, alerts, titles, labels of expanders
    and metrics, and (with ``tables``) every string cell of its tables."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader", "header"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [str(e.label) for e in at.expander]
    parts += [f"{m.label}：{m.value}" for m in at.metric]
    if tables:
        for frame in at.dataframe:
            value = frame.value
            parts += [str(c) for c in value.columns]
            parts += [cell for column in value.columns for cell in value[column].tolist() if isinstance(cell, str) and cell]
    return parts
