"""pandas DataFrames of one parsed plan: the rows and columns of the export tables (exports.py),
so that a notebook and a database see the same table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .exports import TABLES, table_rows

if TYPE_CHECKING:
    from ..model.plan import PlanDocument


def frame(document: PlanDocument, table: str) -> Any:
    """The plan's rows of `table` as a pandas DataFrame (pandas is an optional dependency)."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("DataFrames need pandas: pip install 'vnplanparse[data]'", name="pandas") from None
    rows = table_rows(document.model_dump(mode="json"))[table]
    return pd.DataFrame(rows, columns=[name for name, _ in TABLES[table]])
