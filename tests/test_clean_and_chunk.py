from pathlib import Path

from assistant.ingest.chunker import chunk_document
from assistant.ingest.clean import clean_pdf_pages
from assistant.ingest.loaders import LoadedDoc, load_document
from assistant.ingest.metadata import DocMeta

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_pdf_cleaning_drops_running_headers_and_page_numbers_and_rejoins_lines():
    pages = [
        "陕西省知识产权局  示例文件\n第一条 为了规范知识产权质押融资风险补偿，\n根据有关规定，制定本办法。\n- 1 -",
        "陕西省知识产权局  示例文件\n第二条 补偿比例为不良贷款本金余额的\n50%，单笔最高600万元。\n- 2 -",
        "陕西省知识产权局  示例文件\n第三条 本办法自发布之日起施行。\n- 3 -",
    ]
    paras = clean_pdf_pages(pages)
    texts = [t for _, t in paras]
    assert texts == [
        "第一条 为了规范知识产权质押融资风险补偿，根据有关规定，制定本办法。",
        "第二条 补偿比例为不良贷款本金余额的50%，单笔最高600万元。",
        "第三条 本办法自发布之日起施行。",
    ]
    assert [p for p, _ in paras] == [1, 2, 3]


def test_pdf_faq_keeps_question_similar_questions_and_answer_apart():
    # a question line without its “？” must not swallow the 相似问 line, and a wrapped 相似问 line stays one line
    pages = ["问：白名单多久更新\n相似问：白名单几个月报一次；\n啥时候能进白名单\n答：每季度更新一次。"]
    assert [t for _, t in clean_pdf_pages(pages)] == ["问：白名单多久更新", "相似问：白名单几个月报一次；啥时候能进白名单", "答：每季度更新一次。"]


def test_line_broken_across_pages_is_joined_and_keeps_first_page():
    pages = ["页眉\n第五条 贷款期限不得超过\n1", "页眉\n专利权剩余有效期。\n2"]
    paras = clean_pdf_pages(pages)
    assert paras == [(1, "第五条 贷款期限不得超过专利权剩余有效期。")]


def _doc(paragraphs: list[tuple[int | None, str]]) -> LoadedDoc:
    meta = DocMeta(doc_id="t-doc", title="测试办法", doc_number="测发〔2024〕1号", level="西咸新区")
    return LoadedDoc(meta=meta, paragraphs=paragraphs, source="t.pdf", fmt="pdf", content_hash="x")


def test_chunks_follow_chapters_and_articles_with_pages():
    chunks = chunk_document(
        _doc([(1, "第一章 总则"), (1, "第一条 目的。"), (2, "第二章 补贴标准"), (2, "第二条 按50%贴息。"), (3, "（一）每年最高30万元；")])
    )
    assert [c.article for c in chunks] == ["第一条", "第二条"]
    assert chunks[1].section == "第二章 补贴标准"
    assert chunks[1].page == 2
    assert "每年最高30万元" in chunks[1].text  # list items stay with their article
    assert chunks[1].doc_number == "测发〔2024〕1号"
    assert chunks[1].id == "t-doc:0001"


def test_long_article_split_at_sentence_ends():
    long_text = "第九条 " + "".join(f"第{i}项要求企业按规定提交材料并经审核通过。" for i in range(60))
    chunks = chunk_document(_doc([(1, long_text)]))
    assert len(chunks) > 1
    assert all(c.article == "第九条" for c in chunks)
    assert all(len(c.text) <= 520 for c in chunks)
    assert all(c.text.endswith("。") for c in chunks[:-1])


def test_faq_entries_become_one_chunk_each():
    doc = _doc([(None, "## 一、基本概念"), (None, "### 问：什么是质押率？"), (None, "答：贷款额度与评估值之比。"), (None, "### 问：要多久？"), (None, "答：约20个工作日。")])
    chunks = chunk_document(doc)
    assert len(chunks) == 2
    assert chunks[0].text.startswith("问：什么是质押率？") and "答：贷款额度" in chunks[0].text
    assert chunks[0].section == "一、基本概念"


def test_every_sample_document_loads_with_metadata_and_chunks():
    files = [p for p in CORPUS.rglob("*") if p.suffix in {".pdf", ".docx", ".md", ".txt"} and "products" not in p.parts]
    assert len(files) >= 15
    formats = {p.suffix for p in files}
    assert formats >= {".pdf", ".docx", ".md", ".txt"}
    assert sum(p.suffix == ".pdf" for p in files) >= 3
    statuses = []
    for path in files:
        doc = load_document(path)
        assert doc.meta.title and doc.meta.level
        chunks = chunk_document(doc)
        assert chunks, path
        statuses.append(doc.meta.status)
        if path.suffix == ".pdf":
            assert all(c.page is not None for c in chunks)
            assert max(c.page for c in chunks) >= 2  # multi-page
    assert sum(s != "现行有效" for s in statuses) >= 2


def test_blank_line_at_a_page_top_does_not_split_a_sentence():
    pages = ["页眉\n第二十二条 国家知识产权局自受理之日起2个工作日内完\n- 3 -", "\n页眉\n\n成审查；准予变更的予以记载。\n- 4 -"]
    assert clean_pdf_pages(pages) == [(1, "第二十二条 国家知识产权局自受理之日起2个工作日内完成审查；准予变更的予以记载。")]


def test_faq_similar_questions_are_searched_but_not_shown():
    doc = _doc([(None, "### 问：贷款能展期吗？"), (None, "相似问：到期还不上能往后拖一拖吗；借款能不能晚点还"),
                (None, "相似问法: 能延期还款吗"), (None, "答：可以向合作银行申请展期。")])
    [chunk] = chunk_document(doc)
    assert chunk.text == "问：贷款能展期吗？\n答：可以向合作银行申请展期。"
    assert chunk.aliases.split("；") == ["到期还不上能往后拖一拖吗", "借款能不能晚点还", "能延期还款吗"]
    assert "晚点还" in chunk.index_text and "能延期还款吗" in chunk.index_text
    # a 相似问 line outside an FAQ entry is ordinary text
    [plain] = chunk_document(_doc([(None, "第一条 相似问：本条不是问答。")]))
    assert "相似问" in plain.text and not plain.aliases
