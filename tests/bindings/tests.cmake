# tests/bindings/tests.cmake — build the SWIG bindings and run each language's test suite
# against the real MariaDB of the `server` fixture (python.tests, lua.tests, ruby.tests).
#
# Not under MOCORE_SANITIZE: the bindings are loaded into the python/lua/ruby interpreters,
# which are not ASan-instrumented; an ASan-instrumented extension only loads with the ASan
# runtime LD_PRELOADed into the interpreter (and then reports the interpreter's own leaks).
# The C library itself is covered by the sanitizer build's unit and integration tests.
# bindings/managers.toml is consistent with abi/mocore.manifest and bindings/mocore.i, and
# docs/managers-reference.md is what bindings/gen-managers.py writes from it.
add_test(NAME bindings.managers_description
         COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bindings/gen-managers.py --check)
set_tests_properties(bindings.managers_description PROPERTIES LABELS "bindings;unit")

if(MOCORE_SANITIZE)
  message(STATUS "mocore bindings: not built with MOCORE_SANITIZE (ASan cannot be loaded into the interpreters)")
  return()
endif()

# (the bindings themselves are built by the top-level CMakeLists.txt: bindings/bindings.cmake)

set(_mocore_bind_env MOCORE_TEST_SERVER_DIR=${MOCORE_TEST_SERVER_DIR})

if(MOCORE_PYTHON_READY)
  execute_process(COMMAND ${Python3_EXECUTABLE} -c "import pytest"
                  RESULT_VARIABLE _no_pytest OUTPUT_QUIET ERROR_QUIET)
  if(_no_pytest EQUAL 0)
    set(_py_runner -m pytest -q -p no:cacheprovider ${PROJECT_SOURCE_DIR}/bindings/python/tests)
  else()
    set(_py_runner -m unittest discover -v -s ${PROJECT_SOURCE_DIR}/bindings/python/tests -t ${PROJECT_SOURCE_DIR}/bindings/python/tests)
  endif()
  add_test(NAME python.tests COMMAND ${Python3_EXECUTABLE} ${_py_runner})
  set_tests_properties(python.tests PROPERTIES FIXTURES_REQUIRED server LABELS "bindings;python"
    TIMEOUT 600
    ENVIRONMENT "PYTHONPATH=${MOCORE_BINDINGS_OUT}/python;PYTHONDONTWRITEBYTECODE=1;${_mocore_bind_env}")
endif()

# The Python package as users install it (bindings/python/tests/sdist_smoke.py): sdist, wheel
# built from the sdist, `pip install <the sdist>` in a fresh venv (its build requirements
# pip-downloaded into a local wheelhouse first), the examples against the server; auditwheel
# repair and the repaired wheel in a second venv. Needs the `build` and `wheel` modules
# (scripts/deps.sh); compiles the C core twice more.
if(MOCORE_PYTHON_READY)
  execute_process(COMMAND ${Python3_EXECUTABLE} -c "import build, wheel, setuptools"
                  RESULT_VARIABLE _no_build OUTPUT_QUIET ERROR_QUIET)
  if(_no_build EQUAL 0)
    add_test(NAME python.sdist COMMAND ${Python3_EXECUTABLE}
             ${PROJECT_SOURCE_DIR}/bindings/python/tests/sdist_smoke.py ${CMAKE_BINARY_DIR}/python-sdist)
    set_tests_properties(python.sdist PROPERTIES FIXTURES_REQUIRED server
      LABELS "bindings;python;packaging" TIMEOUT 900 ENVIRONMENT "${_mocore_bind_env}")
  else()
    message(STATUS "mocore bindings: Python modules build/wheel not found (scripts/deps.sh); python.sdist skipped")
  endif()
  # The stubs (mocore/*.pyi) name what the modules export; mypy --strict on examples/python
  # and on the ```python blocks of docs/*.md that are programs (not marked as fragments).
  execute_process(COMMAND ${Python3_EXECUTABLE} -c "import mypy"
                  RESULT_VARIABLE _no_mypy OUTPUT_QUIET ERROR_QUIET)
  if(_no_mypy EQUAL 0)
    file(GLOB _py_examples CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/examples/python/*.py)
    file(GLOB _py_docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
    add_test(NAME python.typing COMMAND ${Python3_EXECUTABLE}
             ${PROJECT_SOURCE_DIR}/bindings/python/tests/typing_check.py ${_py_examples} ${_py_docs})
    set_tests_properties(python.typing PROPERTIES LABELS "bindings;python;unit"
      ENVIRONMENT "PYTHONPATH=${MOCORE_BINDINGS_OUT}/python;PYTHONDONTWRITEBYTECODE=1")
  else()
    message(STATUS "mocore bindings: mypy not found (scripts/deps.sh); python.typing skipped")
  endif()
  # The API reference builds from the docstrings (the docs-python target's script).
  execute_process(COMMAND ${Python3_EXECUTABLE} -c "import pdoc"
                  RESULT_VARIABLE _no_pdoc OUTPUT_QUIET ERROR_QUIET)
  if(_no_pdoc EQUAL 0)
    add_test(NAME python.docs COMMAND ${Python3_EXECUTABLE}
             ${PROJECT_SOURCE_DIR}/scripts/docs-python.py ${CMAKE_BINARY_DIR}/docs/python)
    set_tests_properties(python.docs PROPERTIES LABELS "bindings;python;unit" TIMEOUT 300
      ENVIRONMENT "PYTHONPATH=${MOCORE_BINDINGS_OUT}/python;PYTHONDONTWRITEBYTECODE=1")
  else()
    message(STATUS "mocore bindings: pdoc not found (scripts/deps.sh); python.docs skipped")
  endif()
endif()

# Lua: busted (Debian lua-busted), run by the Lua 5.4 interpreter (the busted script's
# `#!/usr/bin/env lua` may be another Lua version).
find_program(MOCORE_BUSTED NAMES busted)
if(MOCORE_LUA_READY AND MOCORE_LUA_EXECUTABLE AND MOCORE_BUSTED)
  add_test(NAME lua.tests COMMAND ${MOCORE_LUA_EXECUTABLE} ${MOCORE_BUSTED} --output=TAP
           --lpath=${PROJECT_SOURCE_DIR}/bindings/lua/tests/?.lua --pattern=_spec
           ${PROJECT_SOURCE_DIR}/bindings/lua/tests)
  set_tests_properties(lua.tests PROPERTIES FIXTURES_REQUIRED server LABELS "bindings;lua"
    TIMEOUT 600
    # "\\;\\;" is a literal ";;" (Lua's default path) inside the ENVIRONMENT list
    ENVIRONMENT "LUA_PATH=${MOCORE_BINDINGS_OUT}/lua/?.lua\\;\\;;LUA_CPATH=${MOCORE_BINDINGS_OUT}/lua/?.so\\;\\;;MOCORE_SOURCE_DIR=${PROJECT_SOURCE_DIR};MOCORE_MANAGER_VECTORS_JSON=${MOCORE_MANAGER_VECTORS_JSON};${_mocore_bind_env}")
elseif(MOCORE_LUA_READY)
  message(STATUS "mocore bindings: busted not found (apt install lua-busted); lua.tests skipped")
endif()

# The coroutine API (bindings/lua/mocore_async.lua): a plain script, its own poll loop.
if(MOCORE_LUA_READY AND MOCORE_LUA_EXECUTABLE)
  add_test(NAME lua.async COMMAND ${MOCORE_LUA_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bindings/lua/tests/test_async.lua)
  set_tests_properties(lua.async PROPERTIES FIXTURES_REQUIRED server LABELS "bindings;lua"
    TIMEOUT 300 SKIP_RETURN_CODE 77
    ENVIRONMENT "LUA_PATH=${MOCORE_BINDINGS_OUT}/lua/?.lua\\;\\;;LUA_CPATH=${MOCORE_BINDINGS_OUT}/lua/?.so\\;\\;;${_mocore_bind_env}")
endif()

if(MOCORE_RUBY_READY AND EXISTS ${PROJECT_SOURCE_DIR}/bindings/ruby/tests/test_mocore.rb)
  add_test(NAME ruby.tests COMMAND ${MOCORE_RUBY_EXECUTABLE} -I${MOCORE_BINDINGS_OUT}/ruby
           ${PROJECT_SOURCE_DIR}/bindings/ruby/tests/test_mocore.rb)
  set_tests_properties(ruby.tests PROPERTIES FIXTURES_REQUIRED server LABELS "bindings;ruby"
    TIMEOUT 600 ENVIRONMENT "MOCORE_MANAGER_VECTORS_JSON=${MOCORE_MANAGER_VECTORS_JSON};${_mocore_bind_env}")
endif()

# examples/ruby/mysql2_style.rb: a mysql2 program run on mocore's layer (require "mocore/mysql2"),
# against the server of the fixture (its URL is read from the server directory).
if(MOCORE_RUBY_READY AND EXISTS ${PROJECT_SOURCE_DIR}/examples/ruby/mysql2_style.rb)
  add_test(NAME ruby.mysql2_example COMMAND sh -c
           "exec \"$0\" -I \"$1\" \"$2\" \"$(cat \"$3/url\")\""
           ${MOCORE_RUBY_EXECUTABLE} ${MOCORE_BINDINGS_OUT}/ruby
           ${PROJECT_SOURCE_DIR}/examples/ruby/mysql2_style.rb ${MOCORE_TEST_SERVER_DIR})
  set_tests_properties(ruby.mysql2_example PROPERTIES FIXTURES_REQUIRED server LABELS "bindings;ruby;examples"
    TIMEOUT 120 FAIL_REGULAR_EXPRESSION "round trip: false")
endif()

# The README quickstarts (examples/<lang>/quickstart.*, docs.readme_examples keeps README's
# blocks equal to them), each run against the fixture's server (tests/harness/run-example.sh
# passes its URL in MOCORE_URL).
set(_mocore_run_example ${PROJECT_SOURCE_DIR}/tests/harness/run-example.sh ${MOCORE_TEST_SERVER_DIR})
if(MOCORE_PYTHON_READY)
  add_test(NAME python.quickstart COMMAND ${_mocore_run_example} ${Python3_EXECUTABLE}
           ${PROJECT_SOURCE_DIR}/examples/python/quickstart.py)
  add_test(NAME python.mysqlclient_example COMMAND ${_mocore_run_example} ${Python3_EXECUTABLE}
           ${PROJECT_SOURCE_DIR}/examples/python/mysqlclient_style.py)
  # docs/fulltext-search.md's program (the MatrixOne SDK's fulltext API on mocore)
  add_test(NAME python.fulltext_example COMMAND ${_mocore_run_example} ${Python3_EXECUTABLE}
           ${PROJECT_SOURCE_DIR}/examples/python/matrixone_sdk/fulltext_search.py)
  # docs/vector-search.md's program (on MariaDB: its JSON part, the vector SQL shown)
  add_test(NAME python.vector_example COMMAND ${_mocore_run_example} ${Python3_EXECUTABLE}
           ${PROJECT_SOURCE_DIR}/examples/python/matrixone_sdk/vector_search.py)
  # docs/matrixone-sdk.md's async program (AsyncClient and the unified transaction)
  add_test(NAME python.async_transaction_example COMMAND ${_mocore_run_example} ${Python3_EXECUTABLE}
           ${PROJECT_SOURCE_DIR}/examples/python/matrixone_sdk/async_transaction.py)
  # docs/matrixone-sdk.md's program (the Client and the unified transaction)
  add_test(NAME python.transaction_example COMMAND ${_mocore_run_example} ${Python3_EXECUTABLE}
           ${PROJECT_SOURCE_DIR}/examples/python/matrixone_sdk/transaction.py)
  set_tests_properties(python.quickstart python.mysqlclient_example python.fulltext_example
    python.vector_example python.async_transaction_example python.transaction_example
    PROPERTIES FIXTURES_REQUIRED server LABELS "bindings;python;examples" TIMEOUT 120
    ENVIRONMENT "PYTHONPATH=${MOCORE_BINDINGS_OUT}/python;PYTHONDONTWRITEBYTECODE=1")
endif()
if(MOCORE_LUA_READY AND MOCORE_LUA_EXECUTABLE)
  add_test(NAME lua.quickstart COMMAND ${_mocore_run_example} ${MOCORE_LUA_EXECUTABLE}
           ${PROJECT_SOURCE_DIR}/examples/lua/quickstart.lua)
  set_tests_properties(lua.quickstart PROPERTIES FIXTURES_REQUIRED server LABELS "bindings;lua;examples"
    TIMEOUT 120 ENVIRONMENT "LUA_PATH=${MOCORE_BINDINGS_OUT}/lua/?.lua\\;\\;;LUA_CPATH=${MOCORE_BINDINGS_OUT}/lua/?.so\\;\\;")
endif()
if(MOCORE_RUBY_READY)
  add_test(NAME ruby.quickstart COMMAND ${_mocore_run_example} ${MOCORE_RUBY_EXECUTABLE}
           -I${MOCORE_BINDINGS_OUT}/ruby ${PROJECT_SOURCE_DIR}/examples/ruby/quickstart.rb)
  set_tests_properties(ruby.quickstart PROPERTIES FIXTURES_REQUIRED server LABELS "bindings;ruby;examples"
    TIMEOUT 120)
endif()

# The gem, built from the source tree and installed the way users install it (compiles the
# extension: a minute at most).
if(MOCORE_RUBY_READY AND EXISTS ${PROJECT_SOURCE_DIR}/bindings/ruby/tests/gem_smoke.rb)
  add_test(NAME ruby.gem COMMAND ${MOCORE_RUBY_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bindings/ruby/tests/gem_smoke.rb
           ${CMAKE_BINARY_DIR}/ruby-gem)
  set_tests_properties(ruby.gem PROPERTIES FIXTURES_REQUIRED server LABELS "bindings;ruby"
    TIMEOUT 600 ENVIRONMENT "${_mocore_bind_env}")
endif()

# Lua: the LuaSQL-shaped layer runs the same LuaSQL program as LuaSQL itself (lua-sql-mysql),
# with the same output; and the module installed the two ways users install it (luarocks make
# from the tree, cmake --install into a prefix), loaded from the installed tree alone.
if(MOCORE_LUA_READY AND MOCORE_LUA_EXECUTABLE)
  add_test(NAME lua.luasql COMMAND ${PROJECT_SOURCE_DIR}/tests/bindings/luasql-compare.sh
           ${MOCORE_LUA_EXECUTABLE} ${PROJECT_SOURCE_DIR} ${MOCORE_BINDINGS_OUT}/lua ${MOCORE_TEST_SERVER_DIR})
  set_tests_properties(lua.luasql PROPERTIES FIXTURES_REQUIRED server LABELS "bindings;lua"
    TIMEOUT 120 SKIP_RETURN_CODE 77)
  foreach(_mode rock cmake)
    set(_name lua.install_${_mode})
    add_test(NAME ${_name} COMMAND ${PROJECT_SOURCE_DIR}/tests/bindings/lua-install.sh ${_mode}
             ${MOCORE_LUA_EXECUTABLE} ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR} ${MOCORE_TEST_SERVER_DIR})
    set_tests_properties(${_name} PROPERTIES FIXTURES_REQUIRED server LABELS "bindings;lua;install"
      TIMEOUT 600 SKIP_RETURN_CODE 77)
  endforeach()
endif()
