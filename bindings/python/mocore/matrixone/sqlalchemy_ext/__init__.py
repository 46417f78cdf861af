"""mocore.matrixone.sqlalchemy_ext — the SDK's SQLAlchemy extensions (``matrixone.sqlalchemy_ext``)
on mocore's dialects: vector types and distance functions, vector and fulltext index DDL,
IVF/HNSW settings, table builders, MatrixOne's JSON type and functions, snapshot reads and the
SDK's dialect name. See docs/vector-search.md and docs/matrixone-sdk.md.

Names are imported from their modules on first use (PEP 562): importing the package is cheap,
and a module that is missing or fails to import breaks only its own names."""

from importlib import import_module as _import_module

# name -> module of this package defining it
_NAMES = {}


def _names(module, *names):
    for name in names:
        _NAMES[name] = module


_names("dialect", "MatrixOneDialect")
_names("vector_type", "VectorType", "Vectorf32", "Vectorf64", "VectorTypeDecorator",
       "VectorColumn", "VectorPrecision", "create_vector_column", "vector_distance_functions",
       "l2_distance", "l2_distance_sq", "cosine_distance", "inner_product",
       "negative_inner_product", "within_distance", "most_similar", "vector_similarity_search")
_names("vector_index", "VectorIndex", "IVFVectorIndex", "HnswVectorIndex", "VectorIndexType",
       "VectorOpType", "CreateVectorIndex", "create_vector_index", "create_ivfflat_index",
       "create_hnsw_index", "VectorIndexBuilder", "vector_index_builder")
_names("ivf_config", "IVFConfig", "create_ivf_config", "enable_ivf_indexing",
       "disable_ivf_indexing", "set_probe_limit", "get_ivf_status")
_names("hnsw_config", "HNSWConfig", "create_hnsw_config", "enable_hnsw_indexing",
       "disable_hnsw_indexing", "get_hnsw_status")
_names("table_builder", "VectorTableBuilder", "create_vector_table", "create_vector_index_table",
       "create_document_vector_table", "create_product_vector_table")
_names("json_functions", "json_extract", "json_extract_string", "json_extract_float64",
       "json_set", "json_insert", "json_replace", "json_quote", "json_unquote", "json_row",
       "JSON_EXTRACT", "JSON_EXTRACT_STRING", "JSON_EXTRACT_FLOAT64", "JSON_SET", "JSON_INSERT",
       "JSON_REPLACE", "JSON_QUOTE", "JSON_UNQUOTE", "JSON_ROW")
_names("json_type", "JSON", "JSONPathElement", "MATRIXONE_JSON")
_names("snapshot", "select", "compile_select", "with_snapshot")
# fulltext (fulltext_index.py, fulltext_search.py)
_names("fulltext_index", "FulltextIndex", "FulltextAlgorithmType", "FulltextModeType",
       "FulltextParserType", "FulltextSearchBuilder", "create_fulltext_index",
       "fulltext_search_builder")
_names("fulltext_search", "FulltextFilter", "FulltextSearchMode", "FulltextSearchAlgorithm",
       "boolean_match", "natural_match", "group")
# the SDK's aliases of fulltext_search names
_ALIASES = {"FulltextSearchManager": ("fulltext_search", "FulltextIndexManager"),
            "AdvancedFulltextSearchBuilder": ("fulltext_search", "FulltextSearchBuilder")}

__all__ = sorted(set(_NAMES) | set(_ALIASES))


def __getattr__(name):
    if name in _ALIASES:
        module, attr = _ALIASES[name]
    else:
        module, attr = _NAMES.get(name), name
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_import_module("." + module, __name__), attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
