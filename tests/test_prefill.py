"""Application pre-fill: field sources, validation issues, and PDF / DOCX / JSON read back."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import docx
from pypdf import PdfReader

from assistant.applications.form import prefill
from assistant.applications.render import write
from assistant.products.catalog import get_catalog
from assistant.profile.model import Profile

ROOT = Path(__file__).resolve().parents[1]
FIRM = "西咸示例智能科技有限公司"
TODAY = dt.date(2026, 11, 24)


def _profile(**over) -> Profile:
    data = {
        "name": FIRM, "uscc": "91110000600037341L", "region": "西咸新区", "founded": "2019-05-20", "employees": 85, "revenue": 32_000_000,
        "debt_ratio": 0.45, "qualifications": ["高新技术企业"], "credit_ok": True,
        "ip_assets": [{"type": "发明专利", "number": "ZL201910380558.X", "title": "一种工业数据采集方法", "status": "有效", "expires": "2039-05-10",
                       "owner": FIRM, "pledged": False, "valuation": 6_000_000}],
        "need": {"amount": 3_000_000, "term_months": 24, "purpose": "研发投入"},
    }
    data.update(over)
    return Profile.model_validate(data)


def _product(pid="cab-qinchuangdai"):
    return next(p for p in get_catalog(ROOT / "corpus") if p.id == pid)


def test_every_field_is_marked_by_source():
    app = prefill(_profile(), _product(), {"contact_person": "张经理"}, TODAY)
    fields = {f.key: f for s in app.sections for f in s.fields}
    assert fields["uscc"].source == "用户提供" and fields["uscc"].value == "91110000600037341L"
    assert fields["product"].source == "系统推断" and "秦创贷" in fields["product"].value
    assert fields["indicative_amount"].source == "系统推断" and fields["indicative_amount"].value == "50–300万元"
    assert fields["contact_person"].source == "用户提供"
    assert fields["legal_rep"].source == "待补充" and "法定代表人" in app.missing()
    assert not [i for i in app.issues if i.level == "error"]


def test_loan_outliving_the_patent_and_amount_over_capacity_are_errors():
    expiring = _profile(
        ip_assets=[{"type": "发明专利", "status": "有效", "expires": "2027-06-30", "owner": FIRM, "pledged": False, "valuation": 2_000_000}],
        need={"amount": 3_000_000, "term_months": 24},
    )
    app = prefill(expiring, _product(), None, TODAY)
    errors = " ".join(i.message for i in app.issues if i.level == "error")
    assert "晚于质押知识产权到期日" in errors
    assert "按质押率测算最高可贷约100万元" in errors


def test_pdf_docx_json_read_back(tmp_path):
    app = prefill(_profile(), _product(), None, TODAY)
    for ext in ("pdf", "docx", "json"):
        write(app, tmp_path / f"app.{ext}")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "app.pdf").pages).replace("\n", "")
    for needle in (FIRM, "91110000600037341L", "ZL201910380558.X", "待补充", "系统推断", "秦创贷"):
        assert needle in text
    d = docx.Document(str(tmp_path / "app.docx"))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert FIRM in cells and "待补充" in cells and "ZL201910380558.X" in cells
    data = json.loads((tmp_path / "app.json").read_text(encoding="utf-8"))
    assert data["product_id"] == "cab-qinchuangdai" and "法定代表人" in data["missing"]
    assert {f["source"] for s in data["sections"] for f in s["fields"]} == {"用户提供", "系统推断", "待补充"}


def test_cli_prefill_picks_the_best_product_and_rejects_bad_input(tmp_path):
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(ROOT / "corpus"), "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    good = tmp_path / "firm.json"
    good.write_text(_profile().model_dump_json(), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "prefill", str(good), "--out", str(tmp_path / "a.pdf")], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr and (tmp_path / "a.pdf").stat().st_size > 1000
    bad_ext = subprocess.run([sys.executable, "-m", "assistant.cli", "prefill", str(good), "--product", "cab-qinchuangdai", "--out", str(tmp_path / "a.xls")],
                             capture_output=True, text=True, env=env, timeout=120)
    assert bad_ext.returncode != 0 and "不支持的输出格式" in bad_ext.stderr


# -- what the firm said, what the system inferred, and what is still missing -------------------------------------

def test_a_field_the_system_inferred_is_marked_so_not_as_stated():
    app = prefill(_profile(founded="2019-01-01"), _product(), None, TODAY, inferred={"founded"})
    fields = {f.key: f for s in app.sections for f in s.fields}
    assert fields["founded"].source == "系统推断" and fields["founded"].value == "2019-01-01"
    stated = {f.key: f for s in prefill(_profile(), _product(), None, TODAY).sections for f in s.fields}
    assert stated["founded"].source == "用户提供"


def test_ip_counts_without_assets_list_one_row_per_type_and_say_what_each_still_needs(tmp_path):
    app = prefill(_profile(ip_assets=None, ip_counts={"发明专利": 5, "软件著作权": 2, "商标": 0}), _product(), None, TODAY)
    rows = [(r.type, r.number, r.count) for r in app.ip_list]
    assert rows == [("发明专利", "（5件，号码待补充）", 5), ("软件著作权", "（2件，号码待补充）", 2)]
    notes = [i.message for i in app.issues if i.field == "知识产权清单"]
    assert any("发明专利5件" in n and "号码" in n and "名称" in n and "到期日" in n and "评估值" in n for n in notes), notes
    assert any("软件著作权2件" in n for n in notes), notes
    write(app, tmp_path / "app.pdf")  # the PDF's IP table shows the rows through render.py's own columns
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "app.pdf").pages).replace("\n", "")
    assert "（5件，号码待补充）" in text and "软件著作权" in text and "发明专利5件" in text


def test_listed_assets_missing_their_details_are_named_item_by_item():
    assets = [{"type": "发明专利", "number": "ZL201910380558.X", "title": "一种工业数据采集方法", "expires": "2039-05-10", "valuation": 6_000_000},
              {"type": "实用新型", "number": None, "title": "一种夹具"}]
    app = prefill(_profile(ip_assets=assets), _product(), None, TODAY)
    notes = [i.message for i in app.issues if i.field == "知识产权清单"]
    assert len(notes) == 1 and "第2项" in notes[0] and "实用新型" in notes[0], notes
    assert "号码" in notes[0] and "到期日" in notes[0] and "评估值" in notes[0] and "名称" not in notes[0]


def test_contact_email_is_a_form_field_and_extra_validates_it_in_chinese():
    import pytest
    from pydantic import ValidationError

    from assistant.applications.form import Extra

    app = prefill(_profile(), _product(), {"contact_email": "zhang@example.cn"}, TODAY)
    fields = {f.key: f for s in app.sections for f in s.fields}
    assert fields["contact_email"].value == "zhang@example.cn" and fields["contact_email"].source == "用户提供"
    assert fields["contact_email"].label == "联系邮箱"
    with pytest.raises(ValidationError) as bad:
        Extra.model_validate({"contact_email": "zhang-at-example", "contact_phone": "call me"})
    messages = [str(e["ctx"]["error"]) for e in bad.value.errors()]
    assert len(messages) == 2 and all(any("\u4e00" <= c <= "\u9fff" for c in m) for m in messages), messages


def test_a_firm_with_no_qualifications_has_stated_it():
    fields = {f.key: f for s in prefill(_profile(qualifications=[]), _product(), None, TODAY).sections for f in s.fields}
    assert fields["qualifications"].value == "无" and fields["qualifications"].source == "用户提供"
    unknown = {f.key: f for s in prefill(_profile(qualifications=None), _product(), None, TODAY).sections for f in s.fields}
    assert unknown["qualifications"].source == "待补充"
