"""The requirement class of the compliance-suite run: what a MariaDB (10.x) / MySQL-family
server supports, opened on top of SQLAlchemy's SuiteRequirements defaults (which are closed
for anything not every database has). Nothing here depends on the driver: mocore and
mysqlclient are measured against the same list."""

from sqlalchemy.testing import exclusions
from sqlalchemy.testing.requirements import SuiteRequirements

_open = property(lambda self: exclusions.open())


def _mariadb(config):
    return config.db.dialect.is_mariadb


class Requirements(SuiteRequirements):
    # DDL
    table_ddl_if_exists = _open
    index_ddl_if_exists = property(lambda self: exclusions.only_if(_mariadb))
    schema_create_delete = _open
    views = _open
    server_defaults = _open
    expression_server_defaults = property(lambda self: exclusions.only_if(_mariadb))
    computed_columns = _open
    computed_columns_stored = _open
    computed_columns_virtual = _open
    computed_columns_reflect_persisted = _open

    # reflection
    foreign_keys_reflect_as_index = _open
    unique_constraints_reflect_as_index = _open
    unique_index_reflect_as_unique_constraints = _open
    cross_schema_fk_reflection = _open
    foreign_key_constraint_name_reflection = _open
    foreign_key_constraint_option_reflection_ondelete = _open
    fk_constraint_option_reflection_ondelete_restrict = _open
    fk_constraint_option_reflection_ondelete_noaction = _open
    foreign_key_constraint_option_reflection_onupdate = _open
    fk_constraint_option_reflection_onupdate_restrict = _open
    comment_reflection = _open
    column_collation_reflection = _open
    reflect_table_options = _open

    # SQL
    boolean_col_expressions = _open
    intersect = _open
    except_ = _open
    window_functions = _open
    ctes = _open
    tuple_in = _open
    update_from = _open
    delete_from = _open
    mod_operator_as_percent_sign = _open
    order_by_label_with_expression = _open
    regexp_match = _open
    regexp_replace = _open
    supports_bitwise_or = _open
    supports_bitwise_and = _open
    supports_bitwise_not = _open
    supports_bitwise_xor = _open
    supports_bitwise_shift = _open

    # types
    json_type = _open
    datetime_historic = _open
    date_historic = _open

    # transactions and the driver
    dbapi_lastrowid = _open
    autocommit = _open
    isolation_level = _open
    savepoints = _open

    # what the MySQL family does not do (SQLAlchemy's own test/requirements.py says the same
    # for mysql/mariadb): DATETIME/TIME without an explicit fsp drop microseconds, literal
    # datetimes come back as strings, VARCHAR needs a length, LIMIT takes no expressions
    datetime_microseconds = property(lambda self: exclusions.closed())
    time_microseconds = property(lambda self: exclusions.closed())
    timestamp_microseconds = property(lambda self: exclusions.closed())
    datetime_implicit_bound = property(lambda self: exclusions.closed())
    time_implicit_bound = property(lambda self: exclusions.closed())
    date_implicit_bound = property(lambda self: exclusions.closed())
    unbounded_varchar = property(lambda self: exclusions.closed())
    sql_expression_limit_offset = property(lambda self: exclusions.closed())

    def get_isolation_levels(self, config):
        return {"default": "REPEATABLE READ",
                "supported": ["SERIALIZABLE", "READ UNCOMMITTED", "READ COMMITTED",
                              "REPEATABLE READ", "AUTOCOMMIT"]}
