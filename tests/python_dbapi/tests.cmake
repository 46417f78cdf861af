# tests/python_dbapi/tests.cmake — mocore.dbapi (PEP 249), the SQLAlchemy dialect
# mysql+mocore, SQLAlchemy's own dialect compliance suite, and unified transactions, all with
# pytest against the real MariaDB of the `server` fixture.
#
#   python.dbapi        PEP 249 conformance (test_dbapi.py)
#   python.pymysql_compat  PyMySQL's conventions, one test per rule (test_pymysql_compat.py)
#   python.mysqlclient_compat  mysqlclient's surface (cursor classes, mogrify, connect
#                       options, my.cnf) and one mysqlclient program run unchanged on MySQLdb
#                       and mocore.dbapi, outputs compared (test_mysqlclient_compat.py)
#   python.sqlalchemy   Core + ORM through the dialect (test_sqlalchemy.py) and unified
#                       transactions of ORM, raw SQL and managers (test_unified.py)
#   python.sqlalchemy_async  the asyncio dialect mysql+mocore_async: AsyncEngine, AsyncSession,
#                       concurrency in one thread, cancellation (test_sqlalchemy_async.py)
#   python.sqla_suite   sqlalchemy.testing.suite with mocore AND mysqlclient on the same
#                       server; fails when mocore passes fewer tests (sqla_suite/run.py)
#
# Not under MOCORE_SANITIZE (the extension cannot load into an uninstrumented interpreter;
# see tests/bindings/tests.cmake). pytest, sqlalchemy, greenlet and mysqlclient come from
# scripts/deps.sh.
if(MOCORE_SANITIZE)
  return()
endif()
include(${PROJECT_SOURCE_DIR}/bindings/bindings.cmake)
if(NOT MOCORE_PYTHON_READY)
  return()
endif()

set(_dbapi_dir ${PROJECT_SOURCE_DIR}/tests/python_dbapi)
set(_dbapi_env "PYTHONPATH=${MOCORE_BINDINGS_OUT}/python;PYTHONDONTWRITEBYTECODE=1;MOCORE_TEST_SERVER_DIR=${MOCORE_TEST_SERVER_DIR}")

execute_process(COMMAND ${Python3_EXECUTABLE} -c "import pytest"
                RESULT_VARIABLE _dbapi_no_pytest OUTPUT_QUIET ERROR_QUIET)
if(NOT _dbapi_no_pytest EQUAL 0)
  message(STATUS "mocore dbapi tests: pytest not found (scripts/deps.sh installs it); skipped")
  return()
endif()

add_test(NAME python.dbapi
         COMMAND ${Python3_EXECUTABLE} -m pytest -q -p no:cacheprovider ${_dbapi_dir}/test_dbapi.py)
set_tests_properties(python.dbapi PROPERTIES FIXTURES_REQUIRED server
  LABELS "bindings;python" TIMEOUT 300 ENVIRONMENT "${_dbapi_env}")

add_test(NAME python.pymysql_compat
         COMMAND ${Python3_EXECUTABLE} -m pytest -q -p no:cacheprovider
                 ${_dbapi_dir}/test_pymysql_compat.py)
set_tests_properties(python.pymysql_compat PROPERTIES FIXTURES_REQUIRED server
  LABELS "bindings;python" TIMEOUT 300 ENVIRONMENT "${_dbapi_env}")

add_test(NAME python.mysqlclient_compat
         COMMAND ${Python3_EXECUTABLE} -m pytest -q -p no:cacheprovider
                 ${_dbapi_dir}/test_mysqlclient_compat.py)
set_tests_properties(python.mysqlclient_compat PROPERTIES FIXTURES_REQUIRED server
  LABELS "bindings;python" TIMEOUT 300 ENVIRONMENT "${_dbapi_env}")

add_test(NAME python.sqlalchemy
         COMMAND ${Python3_EXECUTABLE} -m pytest -q -p no:cacheprovider ${_dbapi_dir}/test_sqlalchemy.py
                 ${_dbapi_dir}/test_unified.py)
set_tests_properties(python.sqlalchemy PROPERTIES FIXTURES_REQUIRED server
  LABELS "bindings;python" TIMEOUT 300 ENVIRONMENT "${_dbapi_env}")

add_test(NAME python.sqlalchemy_async
         COMMAND ${Python3_EXECUTABLE} -m pytest -q -p no:cacheprovider -o faulthandler_timeout=120
                 ${_dbapi_dir}/test_sqlalchemy_async.py)
set_tests_properties(python.sqlalchemy_async PROPERTIES FIXTURES_REQUIRED server
  LABELS "bindings;python" TIMEOUT 300 ENVIRONMENT "${_dbapi_env}")

add_test(NAME python.sqla_suite
         COMMAND ${Python3_EXECUTABLE} ${_dbapi_dir}/sqla_suite/run.py)
set_tests_properties(python.sqla_suite PROPERTIES FIXTURES_REQUIRED server
  LABELS "bindings;python" TIMEOUT 600 SKIP_RETURN_CODE 77 ENVIRONMENT "${_dbapi_env}")
