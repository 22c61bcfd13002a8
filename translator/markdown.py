"""Cells of GitHub Markdown tables (the audit and the crosswalk): whatever a document or a user's
table holds, each row stays one row and each cell one cell."""
from __future__ import annotations

import re


def cell(text: str) -> str:
    """In a GitHub Markdown table, '|' ends the cell (even in a code span) unless escaped."""
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")  # a line break ends the row


def code_cell(text: str) -> str:  # fenced by more backticks than *text* holds in a row
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{cell(text)}{pad}{fence}"
