"""Write small XLSX rosters for tests, so no binary file is kept in the repository."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook


def write_xlsx(
    path: Path, rows: list[list[Any]], sheet: str = "Class members", before: tuple[str, ...] = ()
) -> Path:
    """A workbook whose sheet `sheet` holds `rows` from A1; `before` are sheets to its left."""
    book = Workbook()
    book.active.title = before[0] if before else sheet
    for name in before[1:]:
        book.create_sheet(name)
    ws = book.create_sheet(sheet) if before else book.active
    for row in rows:
        ws.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def xlsx_from_yaml(spec: Path, path: Path) -> Path:
    """Build `path` from a YAML description: `sheet` (its name) and `rows` (lists of cells).

    YAML's own types carry over: 2025-09-09 is a date cell, 12345678 a number cell.
    """
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    return write_xlsx(path, data["rows"], data.get("sheet", "Sheet1"))
