# tests/fuzz: one libFuzzer target per tests/fuzz/fuzz_<name>.c, its seed and regression inputs
# in tests/fuzz/corpus/<name>/ (docs/fuzzing.md).
#
# MOCORE_FUZZ=ON (clang): fuzz_<name> is a libFuzzer program (-fsanitize=fuzzer, ASan, UBSan);
# scripts/test.sh fuzzes each for a bounded time. In every build, fuzz.<name>.corpus replays
# the committed corpus through the target once (no fuzzing): a crash found once stays fixed.
# Without MOCORE_FUZZ the same target is linked with replay_main.c instead of libFuzzer, so the
# release (and valgrind), ASan and gcc builds replay the corpus too.
file(GLOB MOCORE_FUZZ_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_*.c)
find_package(Threads REQUIRED)
foreach(src ${MOCORE_FUZZ_SOURCES})
  get_filename_component(name ${src} NAME_WE)           # fuzz_params
  string(REGEX REPLACE "^fuzz_" "" short ${name})       # params
  if(MOCORE_FUZZ)
    add_executable(${name} ${src})
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    set(_replay $<TARGET_FILE:${name}> -runs=0 -error_exitcode=77 -timeout=30)
  else()
    add_executable(${name} ${src} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.c)
    set(_replay $<TARGET_FILE:${name}>)
  endif()
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src/core ${PROJECT_SOURCE_DIR}/src
                             ${PROJECT_SOURCE_DIR}/tests/fuzz)
  target_compile_definitions(${name} PRIVATE _GNU_SOURCE)
  target_compile_options(${name} PRIVATE ${MOCORE_WARNINGS} -Wno-missing-prototypes)
  target_link_libraries(${name} PRIVATE mocore_static Threads::Threads)
  set(_corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${short})
  if(EXISTS ${_corpus})
    add_test(NAME fuzz.${short}.corpus COMMAND ${_replay} ${_corpus})
    set_tests_properties(fuzz.${short}.corpus PROPERTIES LABELS "fuzz;unit" TIMEOUT 300)
  endif()
endforeach()
