"""Product library admin (policy team): workbook export, workbook/YAML import (all-or-nothing), retire/restore."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, File, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.background import BackgroundTask

from assistant.api.deps import AdminUser, SettingsDep
from assistant.api.routes.match import XLSX
from assistant.api.uploads import save_upload
from assistant.products.catalog import catalog_for, set_retired
from assistant.products.cells import columns_for
from assistant.products.excel import BY_PATH, WorkbookError, export_workbook, read_workbook, write_products
from assistant.products.schema import Product
from assistant.profile.messages import reason
from assistant.storage import repo
from assistant.storage.db import session_scope

router = APIRouter(prefix="/admin/products", tags=["知识库管理"])


class ImportResult(BaseModel):
    imported: int
    products: list[str]
    # passages in force that state an imported product's figure differently from its new record (answers mark them)
    outdated_passages: list[str] = []


class RetireProduct(BaseModel):
    retired: bool = True


def _read_yaml(path: Path) -> list[Product]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise WorkbookError([f"不是有效的 YAML：{exc}"]) from exc
    items = data if isinstance(data, list) else [data]
    products, errors = [], []
    for i, item in enumerate(items, start=1):
        try:
            products.append(Product.model_validate(item))
        except ValidationError as exc:
            # named by the product library's own column names (the workbook's), never a field or a profile label
            for e in exc.errors():
                columns, _partial = columns_for(e, BY_PATH)
                errors.append(f"第{i}个产品" + (f"「{'、'.join(columns)}」" if columns else "") + f"：{reason(e)}")
    if errors:
        raise WorkbookError(errors)
    return products


@router.get("/export", summary="导出产品库 Excel", response_class=FileResponse, responses={200: {"content": {XLSX: {}}}})
def export(settings: SettingsDep, _: AdminUser) -> FileResponse:
    work = Path(tempfile.mkdtemp(prefix="export-"))
    path = work / "产品库.xlsx"
    export_workbook(catalog_for(settings), path)
    return FileResponse(path, media_type=XLSX, filename=path.name, background=BackgroundTask(shutil.rmtree, work, ignore_errors=True))


@router.post("/import", summary="导入产品（.xlsx 或 .yaml；任何一行有误则整表拒绝并列出行错误）",
             responses={422: {"description": "行错误", "content": {"application/json": {}}}})
def import_(settings: SettingsDep, user: AdminUser, file: Annotated[UploadFile, File()]) -> Any:
    work = Path(tempfile.mkdtemp(prefix="import-"))
    try:
        path = save_upload(file, work, settings, allowed=(".xlsx", ".yaml", ".yml"))
        try:
            products = read_workbook(path) if path.suffix == ".xlsx" else _read_yaml(path)
        except WorkbookError as exc:
            return JSONResponse({"detail": "产品表格未通过校验，未导入任何产品", "errors": exc.errors}, status_code=422)
        write_products(products, settings.products_dir)
        for p in products:  # importing a retired product brings it back
            set_retired(settings.products_dir, p.id, False)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with session_scope(settings) as session:
        repo.audit(session, user.actor, "products.import", None, {"ids": [p.id for p in products]})
    from assistant.index.citations import current_record_issues

    stale = [f"{i.doc_id}「{i.passage}」：{i.message}" for i in current_record_issues(settings) if any(p.name in i.message for p in products)]
    return ImportResult(imported=len(products), products=[p.id for p in products], outdated_passages=stale)


@router.post("/{product_id}/retire", summary="下架或恢复产品")
def retire(product_id: str, body: RetireProduct, settings: SettingsDep, user: AdminUser) -> dict[str, Any]:
    if product_id not in {p.id for p in catalog_for(settings, include_retired=True)}:
        raise repo.NotFound(f"产品库中没有编号为 {product_id} 的产品")
    set_retired(settings.products_dir, product_id, body.retired)
    with session_scope(settings) as session:
        repo.audit(session, user.actor, "products.retire" if body.retired else "products.restore", product_id)
    return {"product_id": product_id, "retired": body.retired}
