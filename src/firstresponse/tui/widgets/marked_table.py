"""A row table whose cursor row carries the cursor mark in its first column, so the row Enter will
open is visible without colour (sunlight, monochrome screens, colour-blind officers)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowKey

from firstresponse.tui.widgets.marks import CURSOR

MARK = CURSOR


class MarkedTable(DataTable[Any]):
    """`DataTable` in row mode with a one-cell marker column before the given columns."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._mark_column: ColumnKey | None = None
        self._marked: RowKey | None = None

    def add_columns(self, *labels: Any) -> list[ColumnKey]:
        if self._mark_column is None:
            self._mark_column = self.add_column(" ", width=1, key="_mark")
        return super().add_columns(*labels)

    def add_row(self, *cells: Any, key: str | None = None, **kwargs: Any) -> RowKey:
        return super().add_row("", *cells, key=key, **kwargs)

    def clear(self, columns: bool = False) -> MarkedTable:
        self._marked = None
        super().clear(columns)
        if columns:
            self._mark_column = None
        return self

    def keep_cursor(self, row: int) -> None:
        """Put the cursor back on `row` (or the last row) after the rows were reloaded."""
        if self.row_count:
            self.move_cursor(row=min(max(row, 0), self.row_count - 1))
            self._mark()

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        self._mark()

    def _mark(self) -> None:
        if self._mark_column is None or not self.row_count:
            return
        try:
            current = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except CellDoesNotExist:  # no rows yet (mid-reload)
            return
        if self._marked is not None and self._marked != current and self._marked in self.rows:
            self.update_cell(self._marked, self._mark_column, "")
        self.update_cell(current, self._mark_column, Text(MARK, style="bold"))
        self._marked = current
