# tests/docs: the C API reference. Every MO_API function has its doc comment (the text
# Doxygen attaches to it: the `docs` target); the man pages of docs/man are well-formed troff.
add_test(NAME docs.comments COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/docs/check_doc_comments.py)
set_tests_properties(docs.comments PROPERTIES LABELS "docs;unit")
find_program(MOCORE_GROFF NAMES groff)
if(MOCORE_GROFF)
  file(GLOB _mocore_man_pages CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/man/man3/*.3)
  add_test(NAME docs.man COMMAND ${PROJECT_SOURCE_DIR}/tests/docs/check-man.sh ${MOCORE_GROFF} ${_mocore_man_pages})
  set_tests_properties(docs.man PROPERTIES LABELS "docs;unit")
endif()
if(MOCORE_DOXYGEN AND TARGET docs)
  add_test(NAME docs.doxygen COMMAND ${PROJECT_SOURCE_DIR}/tests/docs/check-doxygen.sh ${MOCORE_DOXYGEN}
           ${PROJECT_BINARY_DIR}/docs/Doxyfile ${MOCORE_DOCS_OUT})
  set_tests_properties(docs.doxygen PROPERTIES LABELS "docs;unit" TIMEOUT 300)
endif()
# README's Python, Lua and Ruby quickstart blocks are the files under examples/ that the
# *.quickstart tests run.
add_test(NAME docs.readme_examples COMMAND ${Python3_EXECUTABLE}
         ${PROJECT_SOURCE_DIR}/tests/docs/check_readme_examples.py ${PROJECT_SOURCE_DIR}/README.md)
set_tests_properties(docs.readme_examples PROPERTIES LABELS "docs;unit")
# docs/fulltext-search.md's program is examples/python/matrixone_sdk/fulltext_search.py, which
# python.fulltext_example runs.
add_test(NAME docs.fulltext_examples COMMAND ${Python3_EXECUTABLE}
         ${PROJECT_SOURCE_DIR}/tests/docs/check_readme_examples.py ${PROJECT_SOURCE_DIR}/docs/fulltext-search.md)
set_tests_properties(docs.fulltext_examples PROPERTIES LABELS "docs;unit")
# docs/vector-search.md's program is examples/python/matrixone_sdk/vector_search.py, which
# python.vector_example runs.
add_test(NAME docs.vector_examples COMMAND ${Python3_EXECUTABLE}
         ${PROJECT_SOURCE_DIR}/tests/docs/check_readme_examples.py ${PROJECT_SOURCE_DIR}/docs/vector-search.md)
set_tests_properties(docs.vector_examples PROPERTIES LABELS "docs;unit")
