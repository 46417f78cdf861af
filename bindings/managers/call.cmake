# bindings/managers/call.cmake — mo_call (bindings/managers/call.h): the manager calls of
# every binding, checked and run in C, with the method table generated from
# bindings/managers.toml (managers_table.c in the build tree, by bindings/managers/emit_c.py).
#
# An object library: the SWIG modules (bindings/bindings.cmake) and the C test
# (tests/unit/test_manager_call.c) compile it in. It is not part of libmocore (its ABI stays
# as it is); like the modules, it uses the library's internal helpers (src/core/internal.h).
include_guard(GLOBAL)
find_package(Python3 COMPONENTS Interpreter QUIET)
if(NOT Python3_EXECUTABLE)
  message(STATUS "mocore: no Python 3 to generate the manager call table; mo_call skipped")
  return()
endif()
set(_call_src ${PROJECT_SOURCE_DIR}/bindings/managers)
set(MOCORE_CALL_TABLE ${CMAKE_BINARY_DIR}/bindings/managers_table.c)
file(GLOB _call_generator CONFIGURE_DEPENDS ${_call_src}/*.py)
file(GLOB _call_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/capi/mocore/*.h)
add_custom_command(OUTPUT ${MOCORE_CALL_TABLE}
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bindings/gen-managers.py --lang c
          --out ${MOCORE_CALL_TABLE}
  DEPENDS ${_call_generator} ${PROJECT_SOURCE_DIR}/bindings/gen-managers.py
          ${PROJECT_SOURCE_DIR}/bindings/managers.toml ${_call_src}/record_fields.c
          ${PROJECT_SOURCE_DIR}/abi/mocore.manifest ${_call_headers}
  COMMENT "managers: the C method table from bindings/managers.toml" VERBATIM)
add_library(mocore_call OBJECT ${_call_src}/call.c ${_call_src}/call_types.c
            ${_call_src}/call_outcome.c ${_call_src}/record_fields.c ${MOCORE_CALL_TABLE})
set_target_properties(mocore_call PROPERTIES POSITION_INDEPENDENT_CODE ON
                      C_VISIBILITY_PRESET hidden)
target_include_directories(mocore_call PUBLIC ${PROJECT_SOURCE_DIR}/capi ${_call_src}
                           ${PROJECT_SOURCE_DIR}/src/core)
target_compile_definitions(mocore_call PRIVATE _GNU_SOURCE)
target_compile_options(mocore_call PRIVATE ${MOCORE_WARNINGS})
set(MOCORE_CALL_READY ON)

# The argument-error vectors (tests/vectors/manager_argument_errors.toml) as JSON, for the C
# test and the test suites of languages without a TOML reader (Ruby's stdlib, Lua): no value
# is null.
set(MOCORE_MANAGER_VECTORS_JSON ${CMAKE_BINARY_DIR}/bindings/vectors/manager_argument_errors.json)
add_custom_command(OUTPUT ${MOCORE_MANAGER_VECTORS_JSON}
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bindings/gen-managers.py
          --vectors ${PROJECT_SOURCE_DIR}/tests/vectors/manager_argument_errors.toml
          --out ${MOCORE_MANAGER_VECTORS_JSON}
  DEPENDS ${PROJECT_SOURCE_DIR}/bindings/gen-managers.py
          ${PROJECT_SOURCE_DIR}/tests/vectors/manager_argument_errors.toml
  COMMENT "managers: the argument-error vectors as JSON" VERBATIM)
add_custom_target(mocore_manager_vectors ALL DEPENDS ${MOCORE_MANAGER_VECTORS_JSON})
