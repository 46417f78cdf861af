"""MatrixOne's SQLAlchemy extensions (the SDK's matrixone.sqlalchemy_ext)."""

from .fulltext_index import (FulltextAlgorithmType, FulltextIndex, FulltextModeType,  # noqa: F401
                             FulltextParserType, FulltextSearchBuilder, create_fulltext_index,
                             fulltext_search_builder)
from .fulltext_search import (FulltextFilter, FulltextGroup, FulltextQueryBuilder,  # noqa: F401
                              FulltextSearchMode, boolean_match, group, natural_match)

__all__ = ["FulltextAlgorithmType", "FulltextIndex", "FulltextModeType", "FulltextParserType",
           "FulltextSearchBuilder", "create_fulltext_index", "fulltext_search_builder",
           "FulltextFilter", "FulltextGroup", "FulltextQueryBuilder", "FulltextSearchMode",
           "boolean_match", "group", "natural_match"]
