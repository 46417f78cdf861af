"""mocore.matrixone — the MatrixOne Python SDK's API (the ``matrixone`` package of
``matrixone-python-sdk``), served by mocore's C core.

A program written for the SDK switches by changing one import::

    from mocore.matrixone import Client          # was: from matrixone import Client
    client = Client()
    client.connect(host="127.0.0.1", port=6001, user="root", password="111", database="test")
    client.execute("SELECT 1").fetchall()

The modules have the SDK's names (client, async_client, session, exceptions, config, logger,
connection_hooks, version, snapshot, clone, branch, ..., sqlalchemy_ext). The package's
top-level names are imported from their modules on first use (PEP 562), so importing the
package costs little and a module that is not there does not break the others.
See docs/matrixone-sdk.md."""

from importlib import import_module as _import_module

__version__ = "1.0.0"  # the SDK's __version__

# top-level name -> module of this package defining it (as the SDK's __init__ imports them)
_NAMES = {}


def _names(module, *names):
    for name in names:
        _NAMES[name] = module


_names("account", "Account", "AccountManager", "Grant", "Role", "User")
_names("async_client", "AsyncClient", "AsyncResultSet")
_names("client", "Client")
_names("session", "Session", "AsyncSession")
_names("exceptions", "AccountError", "CloneError", "BranchError", "ConfigurationError",
       "ConnectionError", "MatrixOneError", "MoCtlError", "PitrError", "PubSubError",
       "QueryError", "RestoreError", "SnapshotError", "VersionError")
_names("load_data", "LoadDataManager", "AsyncLoadDataManager", "LoadDataFormat",
       "CompressionFormat", "JsonDataStructure")
_names("export", "ExportManager", "AsyncExportManager")
_names("moctl", "MoCtlManager")
_names("pitr", "Pitr", "PitrManager")
_names("pubsub", "Publication", "PubSubManager", "Subscription")
_names("restore", "RestoreManager")
_names("snapshot", "Snapshot", "SnapshotLevel", "SnapshotManager")
_names("clone", "CloneManager")
_names("branch", "BranchManager", "AsyncBranchManager", "DiffOutput", "MergeConflictStrategy")
_names("branch_builder", "create_table_branch", "create_database_branch",
       "delete_table_branch", "delete_database_branch", "diff_table_branch",
       "merge_table_branch", "DiffOutputOption")
_names("clone_builder", "clone_table", "clone_database")
_names("stage", "Stage", "StageManager", "AsyncStageManager")
_names("cdc", "CDCTaskInfo", "CDCWatermarkInfo", "CDCManager", "AsyncCDCManager",
       "build_mysql_uri")
_names("ivf_rank", "IVFRankMode", "IVFRankOptions")
_names("sqlalchemy_ext", "FulltextAlgorithmType", "FulltextFilter", "FulltextIndex",
       "FulltextModeType", "FulltextParserType", "FulltextSearchBuilder", "MatrixOneDialect",
       "Vectorf32", "Vectorf64", "VectorIndex", "VectorIndexType", "VectorOpType",
       "VectorPrecision", "VectorTableBuilder", "VectorType", "VectorTypeDecorator",
       "boolean_match", "create_document_vector_table", "create_fulltext_index",
       "create_hnsw_index", "create_ivfflat_index", "create_product_vector_table",
       "create_vector_index_table", "create_vector_table", "enable_hnsw_indexing",
       "enable_ivf_indexing", "fulltext_search_builder", "group", "natural_match")
_names("version", "FeatureRequirement", "VersionInfo", "VersionManager", "requires_version")
_names("sqlalchemy_select", "select", "compile_select_to_sql")

__all__ = list(_NAMES)


def __getattr__(name):
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_import_module("." + module, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_NAMES))
