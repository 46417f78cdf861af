# ABI contract tests (issue 3): symbols vs map vs headers, the abidiff baseline check, and a
# test that proves the checker fails on incompatible changes. See abi/README.md.
find_package(Python3 REQUIRED COMPONENTS Interpreter)

# Dynamic symbols of the built library == abi/mocore.map == MO_API declarations; the committed
# manifest equals a fresh one generated from the headers.
add_test(NAME abi.symbols
         COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/abi/check-symbols.py $<TARGET_FILE:mocore>)
set_tests_properties(abi.symbols PROPERTIES LABELS abi)
