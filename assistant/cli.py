"""Command line: index, ingest, remove, docs, ask, chat, eval, bench. Heavy imports stay inside commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from assistant.errors import AssistantError
from assistant.settings import get_settings

if TYPE_CHECKING:
    from assistant.answer.types import Answer
    from assistant.index.builder import BuildReport
    from assistant.products.schema import Product
    from assistant.profile.model import Profile
    from assistant.retrieval.fitted import StandardisedLinear
    from assistant.settings import Settings

T = TypeVar("T")

app = typer.Typer(help="秦创原知识产权质押融资智能助手（示例）", no_args_is_help=True, add_completion=False)


@app.callback()
def _fresh_settings() -> None:
    """Each command reads the environment as it is when the command starts (one process can run several: tests,
    scripts that call the app in-process), not as the first command of the process found it."""
    get_settings.cache_clear()


@contextmanager
def _db() -> Iterator[Any]:
    """A transaction on the schema brought up to date first: what every database command needs."""
    from assistant.storage.db import migrate, session_scope

    settings = get_settings()
    migrate(settings)
    with session_scope(settings) as session:
        yield session


def _audit(action: str, target: str | None, detail: dict | None = None) -> None:
    """Corpus and product changes made from the command line are audited like those made through the API."""
    import getpass

    from assistant.storage import repo

    try:
        with _db() as session:
            repo.audit(session, f"cli:{getpass.getuser()}", action, target, detail)
    except Exception as exc:  # the change itself is done; a missing audit row must say so, not hide it
        typer.secho(f"警告：审计日志写入失败（{type(exc).__name__}）", fg="yellow", err=True)


def _fail(exc: AssistantError) -> None:
    typer.secho(f"错误：{exc.message}", fg="red", err=True)
    raise typer.Exit(2)


def _print_report(report: BuildReport) -> None:
    for err in report.errors:
        typer.secho(f"失败：{err.message}", fg="red", err=True)
    if report.version:
        typer.echo(
            f"索引版本 {report.version}：新增 {len(report.added)}，更新 {len(report.updated)}，未变 {len(report.unchanged)}，"
            f"移除 {len(report.removed)}；共 {report.chunk_count} 个段落，用时 {report.seconds:.1f} 秒"
            + ("（已重新训练向量模型）" if report.refitted else "")
        )
        from assistant.index.citations import WARNING, index_issues, record_issues

        directory = get_settings().index_root / report.version
        issues = index_issues(directory) + record_issues(get_settings(), directory)
        warnings = sum(i.severity == WARNING for i in issues)
        if warnings:
            typer.secho(f"引用核对：{warnings} 条警告（问答所引条款不存在、已失效或未载明所述数字，或与产品库当前登记不一致），"
                        "运行 `assistant citations` 查看。", fg="yellow")


@app.command()
def index(
    full: Annotated[bool, typer.Option("--full", help="全量重建（重新训练向量模型）")] = False,
    if_missing: Annotated[bool, typer.Option("--if-missing", help="已有可用索引时什么也不做")] = False,
) -> None:
    """从语料库和已上传文档（重新）构建索引；未变化的文件按内容哈希复用。"""
    from assistant.index.builder import build_index
    from assistant.index.versions import current_version

    if if_missing and current_version(get_settings().index_root):
        typer.echo(f"索引已存在（版本 {current_version(get_settings().index_root)}），跳过构建。")
        return
    try:
        report = build_index(get_settings(), full=full)
    except AssistantError as exc:
        _fail(exc)
    _print_report(report)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help="PDF / DOCX / MD / TXT 文件")]) -> None:
    """新增或替换文档：校验、保存副本到文档库，并增量更新索引。"""
    from assistant.index.ingest import ingest_files

    try:
        report = ingest_files(get_settings(), paths)
        _audit("corpus.upload", None, {"files": [p.name for p in paths], "added": report.added, "updated": report.updated})
    except AssistantError as exc:
        _fail(exc)
    _print_report(report)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def remove(doc_id: str) -> None:
    """从索引和文档库中移除一个文档（按文档编号）。"""
    from assistant.index.ingest import remove_document

    try:
        report = remove_document(get_settings(), doc_id)
        _audit("corpus.remove", doc_id)
    except AssistantError as exc:
        _fail(exc)
    _print_report(report)


@app.command()
def docs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """列出当前索引中的文档及其状态。"""
    from assistant.index.snapshot import get_snapshot

    try:
        snap = get_snapshot(get_settings())
    except AssistantError as exc:
        _fail(exc)
    entries = [e.model_dump() for e in snap.manifest.docs.values()]
    if as_json:
        typer.echo(json.dumps({"version": snap.version, "docs": entries}, ensure_ascii=False))
        return
    for e in entries:
        typer.echo(f"{e['doc_id']:40s} {e['status']:6s} {e['chunks']:4d} 段  {e['title']}")


@app.command()
def citations(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """核对问答等文件的“依据”：所引文件与条款是否存在、是否仍有效、所述数字是否见于所引条款。"""
    from assistant.index.citations import WARNING, current_issues

    try:
        issues = current_issues(get_settings())
    except AssistantError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps([i.to_dict() for i in issues], ensure_ascii=False))
        return
    if not issues:
        typer.echo("引用核对：未发现问题。")
        return
    for i in issues:
        typer.echo(f"[{i.severity}] {i.doc_id}「{i.passage}」：{i.message}")
    warnings = sum(i.severity == WARNING for i in issues)
    typer.echo(f"共 {len(issues)} 条（警告 {warnings}，提示 {len(issues) - warnings}）。")


def _answer_dict(answer: Answer) -> dict:
    data = answer.model_dump()
    return {"answer": data["answer"], "citations": data["citations"], "timings": data["timings"], "refused": data["refused"]}


def _print_answer(answer: Answer) -> None:
    typer.echo(answer.answer)
    if answer.citations:
        typer.echo("\n来源：")
        for c in answer.citations:
            where = "，".join(x for x in (c.doc_number, f"第{c.page}页" if c.page else None, c.article) if x)
            flag = "（已失效）" if c.expired else ""
            typer.echo(f"  [{c.n}] 《{c.title}》{flag}{('：' + where) if where else ''}  ({c.source})")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="问题；为 - 时从标准输入逐行读取")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    include_expired: Annotated[bool | None, typer.Option("--include-expired/--in-force-only", help="是否检索已失效文件")] = None,
) -> None:
    """回答一个政策问题，附来源引用。"""
    from assistant.answer.pipeline import ask as do_ask

    settings = get_settings()
    questions = (line.strip() for line in sys.stdin) if question == "-" else iter([question])
    try:
        for q in questions:
            if not q:
                continue
            answer = do_ask(q, settings, include_expired=include_expired)
            if as_json:
                typer.echo(json.dumps(_answer_dict(answer), ensure_ascii=False))
                sys.stdout.flush()
            else:
                _print_answer(answer)
    except AssistantError as exc:
        _fail(exc)


@app.command()
def chat(as_json: Annotated[bool, typer.Option("--json", help="从标准输入逐行读取用户发言，每轮输出一个 JSON")] = False) -> None:
    """多轮对话：政策问答、产品问答、匹配产品、整理申请信息（输入“退出”结束）。"""
    from assistant.dialogue.manager import DialogueManager
    from assistant.dialogue.persist import ConversationLog

    manager = DialogueManager(get_settings())
    log = ConversationLog(get_settings())
    if as_json:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                result = manager.turn(line)
            except AssistantError as exc:
                _fail(exc)
            log.record(line.strip(), result)
            data = result.model_dump(mode="json", exclude={"slots"})
            typer.echo(json.dumps(data, ensure_ascii=False))
            sys.stdout.flush()
        return
    typer.echo("秦创原知识产权质押融资助手（示例）。可以问政策、问产品，或告诉我公司情况来匹配产品；输入“退出”结束。")
    while True:
        try:
            text = input("\n您> ").strip()
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            break
        if text in {"退出", "exit", "quit"}:
            break
        if not text:
            continue
        try:
            result = manager.turn(text)
        except AssistantError as exc:
            typer.secho(f"错误：{exc.message}", fg="red")
            continue
        if result.apply_product:  # the command line keeps no applications: say where a draft is made
            result.reply += f"\n（命令行对话不保存申请；可运行 `assistant prefill 企业.json --product {result.apply_product} --save`，或在网页“企业咨询”中生成申请表。）"
        log.record(text, result)
        typer.echo(result.reply)
        for c in result.citations:
            where = "，".join(x for x in (c.doc_number, f"第{c.page}页" if c.page else None, c.article) if x)
            typer.echo(f"  [{c.n}] 《{c.title}》{'（已失效）' if c.expired else ''}{('：' + where) if where else ''}")


products_app = typer.Typer(help="产品库：导出 JSON Schema 等", no_args_is_help=True)
app.add_typer(products_app, name="products")


@products_app.command("schema")
def products_schema() -> None:
    """打印产品文件的 JSON Schema。"""
    from assistant.products.schema import Product

    typer.echo(json.dumps(Product.model_json_schema(), ensure_ascii=False, indent=2))


def _load_profile(path: Path) -> Profile:
    from pydantic import ValidationError

    from assistant.profile.model import Profile, chinese_errors

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        typer.secho(f"错误：企业信息文件《{path.name}》无法读取或不是有效的 JSON（{exc}）", fg="red", err=True)
        raise typer.Exit(2) from exc
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        typer.secho(f"错误：企业信息《{path.name}》校验未通过：", fg="red", err=True)
        for msg in chinese_errors(exc):
            typer.secho(f"  - {msg}", fg="red", err=True)
        raise typer.Exit(2) from exc


@products_app.command("export")
def products_export(path: Annotated[Path, typer.Argument(help="导出的 .xlsx 文件")]) -> None:
    """把产品库导出为 Excel（每行一个产品，中文表头）。"""
    from assistant.products.catalog import catalog_for
    from assistant.products.excel import export_workbook

    try:
        products = catalog_for(get_settings())
    except AssistantError as exc:
        _fail(exc)
    export_workbook(products, path)
    typer.echo(f"已导出 {len(products)} 个产品到 {path}")


@products_app.command("import")
def products_import(path: Annotated[Path, typer.Argument(help="产品表格 .xlsx")]) -> None:
    """从 Excel 导入产品（整表校验，任何一行有误则整表拒绝）。"""
    from assistant.products.excel import read_workbook, write_products

    settings = get_settings()
    try:
        products = read_workbook(path)
    except AssistantError as exc:
        _fail(exc)
    write_products(products, settings.products_dir)
    _audit("products.import", None, {"ids": [p.id for p in products]})
    typer.echo(f"已导入 {len(products)} 个产品：{'、'.join(p.name for p in products)}")
    from assistant.index.citations import current_record_issues

    stale = [i for i in current_record_issues(settings) if any(p.name in i.message for p in products)]
    if stale:
        typer.secho(f"引用核对：{len(stale)} 段资料所述的产品数字与刚导入的登记不一致（回答中会标注为旧数字）：", fg="yellow")
        for i in stale:
            typer.echo(f"  {i.doc_id}「{i.passage}」：{i.message}")


@app.command()
def match(
    profile: Annotated[Path | None, typer.Argument(help="企业信息 JSON 文件")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    top: Annotated[int | None, typer.Option("--top", help="只显示前 N 个")] = None,
    product: Annotated[str | None, typer.Option("--product", help="反向匹配：为这个产品给企业名单排序")] = None,
    firms: Annotated[Path | None, typer.Option("--firms", help="企业名单 .xlsx（白名单批量匹配）")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="匹配结果 .xlsx")] = None,
) -> None:
    """为企业匹配产品：单个企业（JSON）、企业名单批量匹配，或按产品反向匹配企业。"""
    from assistant.products.catalog import catalog_for
    from assistant.products.matcher import match_all, near_misses

    settings = get_settings()
    try:
        catalog = catalog_for(settings)
    except AssistantError as exc:
        _fail(exc)
    if firms is not None:
        _match_workbook(catalog, firms, out, product)
        return
    if profile is None:
        typer.secho("错误：请提供企业信息 JSON 文件，或用 --firms 提供企业名单", fg="red", err=True)
        raise typer.Exit(2)
    from assistant.products.matcher import with_subsidies
    from assistant.products.subsidies import load_book

    firm = _load_profile(profile)
    matches = with_subsidies(match_all(catalog, firm), catalog, firm, load_book(settings.corpus_dir))
    shown = matches[:top] if top else matches
    if as_json:
        typer.echo(json.dumps({"matches": [m.to_dict() for m in shown]}, ensure_ascii=False))
        return
    label = {True: "符合", None: "需补充", False: "不符合"}
    for i, m in enumerate(shown, start=1):
        amount = m.indicative_amount
        rng = f"，参考额度{amount['min'] / 1e4:g}–{amount['max'] / 1e4:g}万元" if amount else ""
        typer.echo(f"{i:2d}. [{label[m.eligible]}] {m.institution}「{m.name}」（{m.category}）得分 {m.score}{rng}")
        for r in m.reasons:
            mark = {"pass": "✓", "fail": "✗", "unknown": "?"}[r["status"]]
            typer.echo(f"      {mark} {r['message']}")
        if m.missing:
            typer.echo(f"      需补充：{'、'.join(m.missing)}")
        worth = [x for x in m.subsidies if x.get("counted")]
        if worth:
            typer.echo("      可享补贴（首年估算）：" + "；".join(f"{x['name']}约{x['amount'] / 1e4:.2f}万元" for x in worth))
    close = near_misses(matches)
    if close:
        typer.echo("\n差一点就能申请：")
        for m in close:
            typer.echo(f"  {m.institution}「{m.name}」：{'；'.join(m.hints)}")


def _match_workbook(catalog: list[Product], firms: Path, out: Path | None, product_id: str | None) -> None:
    from assistant.products.batch import read_firms, reverse_match, write_batch, write_reverse

    if out is None:
        typer.secho("错误：请用 --out 指定输出的 .xlsx 文件", fg="red", err=True)
        raise typer.Exit(2)
    try:
        rows, errors = read_firms(firms)
    except AssistantError as exc:
        _fail(exc)
    for e in errors:
        typer.secho(f"跳过：{e}", fg="yellow", err=True)
    if product_id:
        chosen = next((p for p in catalog if p.id == product_id), None)
        if chosen is None:
            typer.secho(f"错误：产品库中没有编号为 {product_id} 的产品", fg="red", err=True)
            raise typer.Exit(2)
        ranked = reverse_match(chosen, rows)
        write_reverse(out, chosen, ranked, errors)
        typer.echo(f"已为「{chosen.name}」排序 {len(ranked)} 家企业（符合 {sum(m.eligible is True for _, _, m in ranked)} 家），结果：{out}")
    else:
        n = write_batch(out, catalog, rows, errors)
        typer.echo(f"已匹配 {len(rows)} 家企业 × {len(catalog)} 个产品，共 {n} 行，结果：{out}")


@app.command()
def subsidy(
    profile: Annotated[Path, typer.Argument(help="企业信息 JSON 文件")],
    product: Annotated[str, typer.Option("--product", help="产品编号")],
    first_loan: Annotated[bool, typer.Option("--first-loan", help="首贷企业")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """政策计算器：这笔贷款可享受的补贴、金额与政策依据。"""
    from assistant.products.catalog import catalog_for
    from assistant.products.subsidies import estimate, load_book

    firm = _load_profile(profile)
    settings = get_settings()
    try:
        chosen = next((p for p in catalog_for(settings) if p.id == product), None)
    except AssistantError as exc:
        _fail(exc)
    if chosen is None:
        typer.secho(f"错误：产品库中没有编号为 {product} 的产品", fg="red", err=True)
        raise typer.Exit(2)
    results = estimate(load_book(settings.corpus_dir), chosen, firm, first_loan=first_loan)
    total = sum(r.amount for r in results if r.counted)
    if as_json:
        typer.echo(json.dumps({"product_id": chosen.id, "total": round(total, 2), "subsidies": [r.model_dump() for r in results]}, ensure_ascii=False))
        return
    typer.echo(f"{chosen.institution}「{chosen.name}」可申请的补贴（首年估算）：")
    for r in results:
        flag = "" if r.counted else f"（{r.note}）"
        typer.echo(f"  · {r.name}：约{r.amount / 1e4:.2f}万元{flag}\n      计算：{r.formula}\n      依据：《{r.basis.title}》{'、'.join(r.basis.articles)}")
        for a in r.assumptions:
            typer.echo(f"      假设：{a}")
    typer.echo(f"合计约{total / 1e4:.2f}万元。以上为测算，实际以主管部门核定为准。")


@app.command()
def prefill(
    profile: Annotated[Path, typer.Argument(help="企业信息 JSON 文件")],
    out: Annotated[Path, typer.Option("--out", help="输出文件：.pdf / .docx / .json")],
    product: Annotated[str | None, typer.Option("--product", help="产品编号；不填则选匹配度最高的符合产品")] = None,
    save: Annotated[bool, typer.Option("--save", help="同时保存为“草稿”状态的申请")] = False,
) -> None:
    """预填服务中心申请表（每个字段标注 用户提供 / 系统推断 / 待补充，并附校验提示）。"""
    from assistant.applications.form import prefill as do_prefill
    from assistant.applications.render import write
    from assistant.products.catalog import catalog_for
    from assistant.products.matcher import match_all

    firm = _load_profile(profile)
    try:
        catalog = catalog_for(get_settings())
    except AssistantError as exc:
        _fail(exc)
    if product:
        chosen = next((p for p in catalog if p.id == product), None)
        if chosen is None:
            typer.secho(f"错误：产品库中没有编号为 {product} 的产品", fg="red", err=True)
            raise typer.Exit(2)
    else:
        best = next((m for m in match_all(catalog, firm) if m.eligible), None)
        if best is None:
            typer.secho("错误：根据现有信息没有符合条件的产品，请用 --product 指定产品或补充企业信息", fg="red", err=True)
            raise typer.Exit(2)
        chosen = next(p for p in catalog if p.id == best.product_id)
    app = do_prefill(firm, chosen)
    if save:
        # the same path as the API: merged into the firm's stored profile, which the draft keeps
        from assistant.applications.form import Application as Form
        from assistant.applications.service import create_application
        from assistant.auth.users import Principal
        from assistant.storage.db import migrate

        migrate(get_settings())
        try:
            stored = create_application(get_settings(), Principal(user_id=0, username="cli", role="staff", enterprise_id=None), firm,
                                        product_id=chosen.id, extra=None)
        except AssistantError as exc:
            _fail(exc)
        app = Form.model_validate(stored.form)
        typer.echo(f"已保存申请 {stored.id}（状态：{stored.status}，版本 {stored.version}）")
    try:
        write(app, out)
    except AssistantError as exc:
        _fail(exc)
    counts = app.counts()
    typer.echo(f"已生成《{out.name}》：{chosen.institution}「{chosen.name}」；用户提供 {counts['用户提供']} 项，系统推断 {counts['系统推断']} 项，待补充 {counts['待补充']} 项")
    for issue in app.issues:
        typer.echo(("  需修正：" if issue.level == "error" else "  待补充：") + issue.message)


applications_app = typer.Typer(help="申请管理：列表、详情、状态流转", no_args_is_help=True)
app.add_typer(applications_app, name="applications")


@applications_app.command("list")
def applications_list(status: Annotated[str | None, typer.Option(help="按状态筛选")] = None) -> None:
    """列出申请。"""
    from assistant.storage import repo

    with _db() as session:
        for a in repo.list_applications(session, status=status):
            typer.echo(f"{a.id}  {a.status:6s}  v{a.version}  {a.institution}  {a.product_id}  {a.form['sections'][0]['fields'][0]['value']}")


@applications_app.command("move")
def applications_move(
    app_id: str,
    status: str,
    version: Annotated[int, typer.Option(help="当前看到的版本号（防止覆盖他人的修改）")],
    actor: Annotated[str, typer.Option(help="操作人")] = "staff",
    note: Annotated[str | None, typer.Option(help="备注")] = None,
) -> None:
    """变更申请状态（草稿 → 已提交 → 受理中 → 已推送银行；推送之后由银行答复）。"""
    from assistant.storage import repo

    try:
        with _db() as session:
            a = repo.transition(session, app_id, status, actor, note, version)
            typer.echo(f"申请 {a.id} 已改为“{a.status}”（版本 {a.version}）")
    except AssistantError as exc:
        _fail(exc)


ledger_app = typer.Typer(help="账本（码链）：校验申请事件的哈希链", no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")


@ledger_app.command("verify")
def ledger_verify(
    document: Annotated[Path | None, typer.Option(help="另行核对一份申请表文件（PDF 等）是否登记在账本中")] = None,
) -> None:
    """逐条校验账本：序号连续、前序哈希相接、内容与哈希相符、每个申请事件都有记录；指出第一条被破坏的记录。"""
    import hashlib

    from assistant.storage import ledger

    with _db() as session:
        report = ledger.verify(session)
        found = None
        if document is not None:
            if not document.is_file():
                typer.secho(f"错误：找不到文件 {document}", fg="red", err=True)
                raise typer.Exit(2)
            found = ledger.find_document(session, hashlib.sha256(document.read_bytes()).hexdigest())
    if report.ok:
        typer.echo(f"账本完整：共 {report.entries} 条记录，哈希链校验通过")
    else:
        where = f"第一条被破坏的记录：第 {report.first_broken} 条" if report.first_broken else "账本记录缺失"
        typer.secho(f"账本被篡改：{where}", fg="red", err=True)
        for problem in report.problems:
            typer.secho(f"  - {problem}", fg="red", err=True)
    if document is not None:
        if found is None:
            typer.secho(f"文件 {document.name} 未登记在账本中（不是本系统生成的申请表，或已被改动）", fg="red", err=True)
        else:
            typer.echo(f"文件 {document.name} 登记于账本第 {found.seq} 条（申请 {found.application_id}，{found.at:%Y-%m-%d %H:%M}）")
    if not report.ok or (document is not None and found is None):
        raise typer.Exit(1)


@ledger_app.command("show")
def ledger_show(app_id: Annotated[str, typer.Argument(help="申请编号")]) -> None:
    """列出一件申请在账本中的全部记录。"""
    from assistant.storage import ledger

    with _db() as session:
        entries = ledger.entries_for(session, app_id)
        for e in entries:
            p = e.payload
            what = f"{p.get('from') or '—'} → {p.get('to')}" if e.action == "event" else f"生成{p.get('format', '')}文件 sha256={p.get('sha256', '')[:16]}…"
            typer.echo(f"#{e.seq}\t{e.at:%Y-%m-%d %H:%M:%S}\t{e.action}\t{what}\t{p.get('actor', '')}\t{e.hash[:16]}…")
    if not entries:
        typer.echo(f"账本中没有申请 {app_id} 的记录")


@app.command("migrate")
def migrate_cmd() -> None:
    """数据库迁移到最新结构（多节点部署时作为发布步骤只运行一次）。"""
    from assistant.storage.db import database_url, migrate

    settings = get_settings()
    migrate(settings)
    url = database_url(settings)
    typer.echo(f"数据库已是最新结构：{url.split('@')[-1] if '@' in url else url}")


@app.command("bench-http")
def bench_http(
    clients: Annotated[str, typer.Option(help="并发客户端数，逗号分隔")] = "1,8,32",
    seconds: Annotated[float, typer.Option(help="每档持续秒数")] = 20.0,
    workers: Annotated[int, typer.Option(help="API 工作进程数")] = 2,
    report: Annotated[Path | None, typer.Option(help="Markdown 报告")] = None,
    out: Annotated[Path | None, typer.Option(help="JSON 结果")] = None,
) -> None:
    """HTTP 负载基准：对真实 `assistant serve` 发起混合请求，报告 p50/p95/p99 与错误数。"""
    from assistant.evaluation.load import render, run_load

    result = run_load(get_settings(), [int(x) for x in clients.split(",") if x.strip()], seconds, workers)
    if out:
        out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    text = render(result)
    if report:
        report.write_text(text, encoding="utf-8")
    typer.echo(text)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    workers: Annotated[int, typer.Option(help="工作进程数（生产环境建议 CPU 核数）")] = 1,
) -> None:
    """启动 Web API（FastAPI；文档见 /docs）。"""
    import uvicorn

    from assistant.storage.db import migrate

    settings = get_settings()
    migrate(settings)  # once, before any worker starts
    if workers > 1:
        uvicorn.run("assistant.api.main:app", host=host, port=port, workers=workers, log_level="info")
    else:
        from assistant.api.app import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


users_app = typer.Typer(help="账号管理：添加、列出、吊销令牌", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[str, typer.Option(help="enterprise | staff | policy_admin | bank")],
    enterprise: Annotated[str | None, typer.Option(help="企业用户所属企业名称")] = None,
    institution: Annotated[str | None, typer.Option(help="银行账号所属银行（产品库中的银行之一，如 长安银行）")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读取密码")] = False,
) -> None:
    """添加账号（密码以 argon2 散列保存）。"""
    import getpass

    from assistant.auth.users import create_user

    password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass("密码：")
    try:
        with _db() as session:
            user = create_user(session, name, password, role, enterprise, institution=institution)
            from assistant.storage import repo

            repo.audit(session, "cli", "user.add", user.username, {"role": role, "institution": user.institution})
            typer.echo(f"已添加账号 {user.username}（{role}{'，' + user.institution if user.institution else ''}）")
    except AssistantError as exc:
        _fail(exc)


@users_app.command("list")
def users_list() -> None:
    """列出账号。"""
    from assistant.auth.users import list_users

    with _db() as session:
        for u in list_users(session):
            typer.echo(f"{u.username}\t{u.role}\t{u.institution or ''}\t{'演示' if u.demo else ''}\t{'停用' if not u.active else ''}")


@users_app.command("revoke")
def users_revoke(name: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """吊销该账号的全部访问令牌。"""
    from assistant.auth.users import revoke_tokens

    try:
        with _db() as session:
            typer.echo(f"已吊销 {revoke_tokens(session, name)} 个令牌")
    except AssistantError as exc:
        _fail(exc)


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="用户名")],
    days: Annotated[float, typer.Option(help="有效天数（供 MCP 客户端、对接系统长期使用）", min=0.01, max=366)] = 90,
) -> None:
    """为账号签发访问令牌（只显示这一次），供 MCP 客户端或对接系统使用；assistant users revoke 可随时吊销。"""
    from assistant.auth.users import issue_token_for
    from assistant.storage import repo

    try:
        with _db() as session:
            token = issue_token_for(session, name, days * 24)
            repo.audit(session, "cli", "user.token", name.strip(), {"days": days})
    except AssistantError as exc:
        _fail(exc)
        return
    typer.echo(token)


@users_app.command("seed-demo")
def users_seed_demo() -> None:
    """创建演示账号（仅开发模式 ASSISTANT_ENV=development 下可登录）。"""
    from assistant.auth.users import DEMO_ACCOUNTS, seed_demo

    if not get_settings().development:
        typer.secho("错误：演示账号只能在开发模式下创建（设置 ASSISTANT_ENV=development）", fg="red", err=True)
        raise typer.Exit(2)
    with _db() as session:
        seed_demo(session)
    for username, password, role, _firm in DEMO_ACCOUNTS:
        typer.echo(f"演示账号 {username} / {password}（{role}）")


@app.command("eval")
def run_eval(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    questions: Annotated[Path, typer.Option(help="评测问题集")] = Path("evals/questions"),
    report: Annotated[Path | None, typer.Option(help="把 Markdown 报告写到此文件")] = None,
    embedder: Annotated[list[str] | None, typer.Option(help="另行对比的本地向量模型目录（可多次指定）")] = None,
    svd_dims: Annotated[str, typer.Option(help="另行对比的 SVD 维数，逗号分隔")] = "",
    docs: Annotated[list[Path] | None, typer.Option(help="评测前另行导入的文档（文件或目录，可多次指定），建临时索引，不动正式索引")] = None,
    config: Annotated[list[str] | None, typer.Option(help="只评测这些检索配置（可多次指定），默认全部")] = None,
) -> None:
    """检索与回答评测：各配置的 recall@k、MRR、nDCG、事实命中率与拒答率。"""
    from contextlib import nullcontext

    from assistant.evaluation.runner import render_markdown, run_all, with_extra_docs

    try:
        dims = [int(x) for x in svd_dims.split(",") if x.strip()]
        from assistant.evaluation.calibration import existing, set_docs

        # the documents given, or those a set about other documents names in DOCS
        docs = existing(docs, "找不到要导入的文档") if docs else (set_docs(questions) if questions.is_dir() else [])
        with with_extra_docs(get_settings(), docs) if docs else nullcontext(get_settings()) as settings:
            result = run_all(settings, questions, only=config, embedders=embedder, svd_dims=dims)
    except AssistantError as exc:
        _fail(exc)
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(render_markdown(result), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(result.summary(), ensure_ascii=False))
    else:
        typer.echo(render_markdown(result))


def _per_set(settings: Settings, sets: list[Path], collect: Callable[[Settings, str, list[Any]], list[T]]) -> list[T]:
    """What ``collect`` gathers from each development set, on a temporary index of the corpus plus the set's DOCS,
    built with the configured embedder (a fitted model is fitted for that embedder)."""
    from assistant.evaluation.calibration import load_set, set_docs
    from assistant.evaluation.runner import with_extra_docs

    out: list[T] = []
    try:
        for directory in sets:
            with with_extra_docs(settings, set_docs(directory)) as s:
                out += collect(s, directory.name, load_set(directory))
    except AssistantError as exc:
        _fail(exc)
    return out


def _publish(text: str, report: Path | None, model: StandardisedLinear | None, resource: str) -> None:
    """Print a fitting report, write it to ``report``, and store the model in the package's resources."""
    from assistant.retrieval.fitted import resource_path, write_fitted

    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(text, encoding="utf-8")
    if model is not None:
        write_fitted(model, resource_path(resource))
    typer.echo(text)


@app.command("calibrate")
def calibrate(
    sets: Annotated[list[Path], typer.Option("--set", help="开发问题集目录（可多次指定；目录中的 DOCS 文件列出需另行导入的文档）")],
    report: Annotated[Path | None, typer.Option(help="把阈值曲线报告写到此文件")] = None,
    write: Annotated[bool, typer.Option("--write", help="把拟合的模型写入 assistant/resources/answerability.json")] = False,
    max_false_refusal: Annotated[float, typer.Option(help="开发集上允许的误拒率上限")] = 0.03,
) -> None:
    """拒答校准：在开发集上拟合“能否作答”模型（含隐去金标文件后的反例），输出阈值曲线。"""
    from assistant.evaluation.calibration import collect, cross_validated, fit
    from assistant.evaluation.calibration import report as render
    from assistant.retrieval.embedders import embedder_kind

    settings = get_settings()
    examples = _per_set(settings, sets, collect)
    kind = embedder_kind(settings.embedding_model)
    model = fit(examples, max_false_refusal, kind)
    text = render(model, examples, cross_validated(examples, max_false_refusal, kind), [d.name for d in sets])
    _publish(text, report, model if write else None, "answerability.json")


@app.command("fit-ranker")
def fit_ranker(
    sets: Annotated[list[Path], typer.Option("--set", help="开发问题集目录（可多次指定；目录中的 DOCS 文件列出需另行导入的文档）")],
    report: Annotated[Path | None, typer.Option(help="把拟合报告写到此文件")] = None,
    write: Annotated[bool, typer.Option("--write", help="把拟合的权重写入 assistant/resources/ranker.json")] = False,
) -> None:
    """重排序权重拟合：在开发集上成对拟合候选段落的排序权重，报告留一集交叉验证的召回率。"""
    from assistant.evaluation.ranker_fit import collect, cross_validated, fit
    from assistant.evaluation.ranker_fit import report as render
    from assistant.retrieval.embedders import embedder_kind

    settings = get_settings()
    data = _per_set(settings, sets, collect)
    if not data:
        _fail(AssistantError("开发集中没有可用于拟合的可回答问题。"))
    kind = embedder_kind(settings.embedding_model)
    model = fit(data, kind)
    text = render(model, data, cross_validated(data, kind))
    _publish(text, report, model if write else None, "ranker.json")


@app.command("eval-matcher")
def eval_matcher(
    profiles: Annotated[Path, typer.Option(help="标注企业目录")] = Path("evals/profiles"),
    report: Annotated[Path | None, typer.Option(help="把 Markdown 报告写到此文件")] = None,
    firms: Annotated[int, typer.Option(help="批量基准的企业数")] = 10000,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """产品匹配评测：符合集合的精确率/召回率、首选一致率，以及批量匹配基准。"""
    from assistant.evaluation.matching import bench_batch, evaluate_matcher, load_labelled, render
    from assistant.products.catalog import catalog_for

    try:
        catalog = catalog_for(get_settings())
    except AssistantError as exc:
        _fail(exc)
    result = evaluate_matcher(catalog, load_labelled(profiles))
    timing = bench_batch(catalog, firms)
    text = render(result, timing)
    if report:
        report.write_text(text, encoding="utf-8")
    typer.echo(json.dumps({**{k: v for k, v in result.items() if k != "disagreements"}, "bench": timing}, ensure_ascii=False) if as_json else text)


@app.command("eval-dialogues")
def eval_dialogues(
    dialogues: Annotated[Path, typer.Option(help="对话脚本目录")] = Path("evals/dialogues"),
    report: Annotated[Path | None, typer.Option(help="把 Markdown 报告写到此文件")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """多轮对话评测：意图准确率、槽位精确率/召回率/F1、对话成功率。"""
    from assistant.evaluation.dialogues import load_dialogues, render, run_dialogues

    try:
        rep = run_dialogues(get_settings(), load_dialogues(dialogues))
    except AssistantError as exc:
        _fail(exc)
    text = render(rep)
    if report:
        report.write_text(text, encoding="utf-8")
    typer.echo(json.dumps(rep.summary(), ensure_ascii=False) if as_json else text)


@app.command()
def bench(
    synthetic: Annotated[int, typer.Option(help="合成段落数")] = 10000,
    out: Annotated[Path | None, typer.Option(help="把结果写到此 JSON 文件")] = None,
    docs: Annotated[list[Path] | None, typer.Option(help="另行导入的文档（文件或目录），测导入速度与合并后的索引")] = None,
) -> None:
    """性能基准：问答延迟 p50/p95、建索引时间、PDF 导入速度、内存峰值。"""
    from assistant.evaluation.bench import run_bench

    result = run_bench(get_settings(), synthetic, docs)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
    typer.echo(text)


@app.command("bench-ocr")
def bench_ocr_command(
    pages: Annotated[int, typer.Option(help="渲染的页数（取自示例语料的政策文件）")] = 12,
    report: Annotated[Path | None, typer.Option(help="把结果写到此 Markdown 文件（同名 .json 另存数据）")] = None,
) -> None:
    """扫描件文字识别基准：把已知文字渲染成只有图像的 PDF，再用 OCR 读回，测字符准确率与每秒页数。"""
    import tempfile

    from assistant.evaluation.scans import DEGRADED, ScanStyle, bench_ocr, ocr_report, page_texts
    from assistant.index.library import files_under
    from assistant.ingest.loaders import load_document
    from assistant.ingest.ocr import OcrOptions, unavailable_reason

    settings = get_settings()
    opts = OcrOptions.from_settings(settings)
    reason = unavailable_reason(opts)
    if reason:
        _fail(AssistantError(reason))
    paragraphs = [t for path in files_under(settings.corpus_dir / "policies") for _, t in load_document(path, opts).paragraphs]
    texts = page_texts(paragraphs)[:pages]
    styles = {"clean-300dpi-14pt": ScanStyle(), "degraded-200dpi-12pt-skew-noise": DEGRADED}
    with tempfile.TemporaryDirectory() as tmp:
        result = bench_ocr(texts, Path(tmp), styles, opts)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    typer.echo(text)
    if report:
        report.write_text(ocr_report(result, opts), encoding="utf-8")
        report.with_suffix(".json").write_text(text + "\n", encoding="utf-8")


@app.command("mcp")
def mcp_command(
    http: Annotated[int | None, typer.Option("--http", help="在本机此端口以 streamable HTTP 提供服务（http://127.0.0.1:端口/mcp，需 Bearer 令牌）；不填则走标准输入输出")] = None,
    token: Annotated[str | None, typer.Option(envvar="ASSISTANT_MCP_TOKEN", help="标准输入输出模式下的账号令牌（assistant users token 签发）；不填则以访客身份（企业权限）")] = None,
) -> None:
    """MCP 服务：供桌面 AI 客户端、Dify / FastGPT 等智能体调用问答、匹配、补贴测算、产品查询、原文检索与（工作人员）申请预填。"""
    from assistant.mcp_server import http_app, serve_stdio

    settings = get_settings()
    try:
        if http is None:
            serve_stdio(settings, token)
            return
        import uvicorn

        typer.secho(f"MCP 服务：http://127.0.0.1:{http}/mcp（请求头 Authorization: Bearer <令牌>）", err=True)
        uvicorn.run(http_app(settings), host="127.0.0.1", port=http, log_level="warning")
    except AssistantError as exc:
        _fail(exc)


if __name__ == "__main__":
    app()
