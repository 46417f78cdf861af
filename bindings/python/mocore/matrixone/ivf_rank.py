"""IVF search ranking modes (the SDK's ``matrixone.ivf_rank``): IVFRankMode is mocore's own
enum (a str Enum: PRE "pre", POST "post", FORCE "force"), IVFRankOptions the SDK's holder.

    client.vector_ops.search_with_rank("docs", "embedding", q, rank_mode=IVFRankMode.PRE)
    # ... ORDER BY distance LIMIT 10 BY RANK WITH OPTION 'mode=pre'"""

from typing import Any, Dict

from ..managers import IVFRankMode

__all__ = ["IVFRankMode", "IVFRankOptions"]


class IVFRankOptions:
    """A rank mode: None (POST), an IVFRankMode or its name in any case."""

    def __init__(self, mode=None):
        if mode is None:
            self.mode = IVFRankMode.POST
        elif isinstance(mode, IVFRankMode):
            self.mode = mode
        elif isinstance(mode, str):
            try:
                self.mode = IVFRankMode(mode.lower())
            except ValueError:
                raise ValueError(f"Invalid IVF rank mode: {mode}. Must be one of: "
                                 f"{', '.join(m.value for m in IVFRankMode)}") from None
        else:
            raise ValueError(f"mode must be IVFRankMode or string, got {type(mode).__name__}")

    def to_sql_option(self) -> str:
        return f"mode={self.mode.value}"

    def to_dict(self) -> Dict[str, Any]:
        return {"mode": self.mode.value}

    def __repr__(self) -> str:
        return f"IVFRankOptions(mode={self.mode.value})"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, IVFRankOptions) and self.mode == other.mode

    __hash__ = None
