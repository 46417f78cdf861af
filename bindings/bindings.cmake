# bindings/bindings.cmake — build the SWIG bindings (Python, Lua 5.4, Ruby) from bindings/mocore.i.
#
# Everything here is optional: a missing SWIG or language only skips that binding (with a
# status message), configure never fails. Generated wrappers go to the build tree, never the
# source tree. Each extension links the library's PIC objects directly (no runtime
# dependency on libmocore.so), with hidden visibility so only the module entry is exported.
#
# Outputs (importable straight from the build tree):
#   <build>/bindings/python/mocore/   the Python package (mocore_core.py + _mocore_core.so +
#                                     managers.py, generated from bindings/managers.toml)
#   <build>/bindings/lua/             mocore.lua + mocore_core.so + mocore_managers.lua
#                                     (generated from bindings/managers.toml) + mocore/luasql.lua;
#                                     `cmake --install` puts them in MOCORE_LUA_INSTALL_LMOD/CMOD
#   <build>/bindings/ruby/            mocore.rb + mocore_core.so + mocore/managers.rb
#                                     (generated from bindings/managers.toml)
include_guard(GLOBAL)

set(MOCORE_BINDINGS_SRC ${PROJECT_SOURCE_DIR}/bindings)
set(MOCORE_BINDINGS_OUT ${CMAKE_BINARY_DIR}/bindings)

find_program(MOCORE_SWIG_EXECUTABLE NAMES swig4.0 swig)
if(NOT MOCORE_CALL_READY)
  message(STATUS "mocore bindings: mo_call not available (no Python 3); bindings skipped")
  return()
endif()
if(NOT MOCORE_SWIG_EXECUTABLE)
  message(STATUS "mocore bindings: SWIG not found; Python, Lua and Ruby bindings are skipped")
  return()
endif()

set(MOCORE_SWIG_DEPS ${MOCORE_BINDINGS_SRC}/mocore.i ${MOCORE_BINDINGS_SRC}/managers/call.h
    ${PROJECT_SOURCE_DIR}/capi/mocore/error_categories.def)
file(GLOB _mocore_capi_headers ${PROJECT_SOURCE_DIR}/capi/mocore/*.h)
list(APPEND MOCORE_SWIG_DEPS ${_mocore_capi_headers})

# mocore_swig(<lang> <out-wrapper.c> <outdir> <extra swig flags...>)
function(mocore_swig lang wrapper outdir)
  add_custom_command(OUTPUT ${wrapper}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
    COMMAND ${MOCORE_SWIG_EXECUTABLE} -${lang} ${ARGN} -I${PROJECT_SOURCE_DIR}/capi
            -I${MOCORE_BINDINGS_SRC} -outdir ${outdir} -o ${wrapper} ${MOCORE_BINDINGS_SRC}/mocore.i
    DEPENDS ${MOCORE_SWIG_DEPS} ${MOCORE_BINDINGS_SRC}/${lang}/mocore_${lang}.i
    COMMENT "SWIG ${lang}: mocore.i" VERBATIM)
endfunction()

# mocore_binding_module(<target> <wrapper.c> <output dir> <output name>)
function(mocore_binding_module target wrapper outdir outname)
  # mo_call (bindings/managers/call.cmake): the manager calls, checked and run in C
  add_library(${target} MODULE ${wrapper} $<TARGET_OBJECTS:mocore_objects>
              $<TARGET_OBJECTS:mocore_call>)
  set_target_properties(${target} PROPERTIES PREFIX "" SUFFIX ".so" OUTPUT_NAME ${outname}
    LIBRARY_OUTPUT_DIRECTORY ${outdir} C_VISIBILITY_PRESET hidden)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/capi ${MOCORE_BINDINGS_SRC})
  # SWIG-generated code is not held to the project's warning set.
  target_compile_options(${target} PRIVATE -Wno-unused-parameter -Wno-missing-field-initializers)
  target_link_libraries(${target} PRIVATE PkgConfig::MARIADB pthread)
  target_link_options(${target} PRIVATE ${MOCORE_LTO_LINK_OPTIONS})
endfunction()

# mocore_copy_files(<target> <dest dir> <files...>): copy the pure-language layer at build time.
function(mocore_copy_files target dest)
  set(outs)
  foreach(f ${ARGN})
    get_filename_component(n ${f} NAME)
    add_custom_command(OUTPUT ${dest}/${n} COMMAND ${CMAKE_COMMAND} -E copy ${f} ${dest}/${n}
                       DEPENDS ${f} VERBATIM)
    list(APPEND outs ${dest}/${n})
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${outs})
endfunction()

# mocore_copy_tree(<target> <source root> <dest dir> <files...>): as mocore_copy_files, keeping
# each file's path relative to <source root> (a package with subpackages).
function(mocore_copy_tree target root dest)
  set(outs)
  foreach(f ${ARGN})
    file(RELATIVE_PATH rel ${root} ${f})
    add_custom_command(OUTPUT ${dest}/${rel} COMMAND ${CMAKE_COMMAND} -E copy ${f} ${dest}/${rel}
                       DEPENDS ${f} VERBATIM)
    list(APPEND outs ${dest}/${rel})
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${outs})
endfunction()

# mocore_generate_managers(<target> <lang> <output file>): one language's manager layer,
# generated from bindings/managers.toml by bindings/gen-managers.py (which first checks the
# description against abi/mocore.manifest and bindings/mocore.i; a mismatch fails the build).
file(GLOB MOCORE_MANAGERS_GENERATOR CONFIGURE_DEPENDS ${MOCORE_BINDINGS_SRC}/managers/*.py)
list(APPEND MOCORE_MANAGERS_GENERATOR ${MOCORE_BINDINGS_SRC}/gen-managers.py
     ${MOCORE_BINDINGS_SRC}/managers.toml ${MOCORE_BINDINGS_SRC}/managers/record_fields.c
     ${PROJECT_SOURCE_DIR}/abi/mocore.manifest)
find_package(Python3 COMPONENTS Interpreter QUIET)
function(mocore_generate_managers target lang output)
  if(NOT Python3_EXECUTABLE)
    message(WARNING "mocore bindings: no Python 3 interpreter (>= 3.11, or tomli) to generate the ${lang} managers")
    return()
  endif()
  add_custom_command(OUTPUT ${output}
    COMMAND ${Python3_EXECUTABLE} ${MOCORE_BINDINGS_SRC}/gen-managers.py --lang ${lang} --out ${output}
    DEPENDS ${MOCORE_MANAGERS_GENERATOR}
    COMMENT "managers: ${lang} from bindings/managers.toml" VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${output})
endfunction()

# The argument-error vectors as JSON (MOCORE_MANAGER_VECTORS_JSON): bindings/managers/call.cmake.

# ---------------------------------------------------------------- Python
if("python" IN_LIST MOCORE_BINDINGS)
  find_package(Python3 COMPONENTS Interpreter Development.Module QUIET)
endif()
if("python" IN_LIST MOCORE_BINDINGS AND Python3_FOUND)
  set(_out ${MOCORE_BINDINGS_OUT}/python/mocore)
  set(_wrap ${MOCORE_BINDINGS_OUT}/python/mocore_python_wrap.c)
  mocore_swig(python ${_wrap} ${_out} -threads)
  mocore_binding_module(mocore_python ${_wrap} ${_out} _mocore_core)
  target_link_libraries(mocore_python PRIVATE Python3::Module)
  # src/core: mo_py_quote_identifier calls the library's identifier function (internal.h).
  # src/managers: mo_py_create_table_sql renders create_table's statement (managers_internal.h).
  target_include_directories(mocore_python PRIVATE ${PROJECT_SOURCE_DIR}/src/core
                             ${PROJECT_SOURCE_DIR}/src/managers)
  file(GLOB _py CONFIGURE_DEPENDS ${MOCORE_BINDINGS_SRC}/python/mocore/*.py)
  mocore_copy_files(mocore_python_files ${_out} ${_py})
  # mocore.matrixone (the MatrixOne SDK's API) and its subpackages (sqlalchemy_ext ...)
  file(GLOB_RECURSE _py_sub CONFIGURE_DEPENDS ${MOCORE_BINDINGS_SRC}/python/mocore/matrixone/*.py)
  mocore_copy_tree(mocore_python_subpackages ${MOCORE_BINDINGS_SRC}/python/mocore ${_out} ${_py_sub})
  mocore_generate_managers(mocore_python_managers python ${_out}/managers.py)
  set(MOCORE_PYTHON_READY ON)
  # The Python API reference, from the docstrings (pdoc): <build>/docs/python/index.html.
  add_custom_target(docs-python
    COMMAND ${CMAKE_COMMAND} -E env PYTHONPATH=${MOCORE_BINDINGS_OUT}/python PYTHONDONTWRITEBYTECODE=1
            ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/docs-python.py ${CMAKE_BINARY_DIR}/docs/python
    DEPENDS mocore_python mocore_python_files mocore_python_managers
    COMMENT "Python API reference (pdoc) in ${CMAKE_BINARY_DIR}/docs/python" VERBATIM)
  message(STATUS "mocore bindings: Python ${Python3_VERSION} (${Python3_EXECUTABLE})")
else()
  message(STATUS "mocore bindings: Python 3 development files not found; Python binding skipped")
endif()

# ---------------------------------------------------------------- Lua 5.4
find_package(PkgConfig QUIET)
pkg_check_modules(MOCORE_LUA QUIET IMPORTED_TARGET lua5.4)
if(NOT MOCORE_LUA_FOUND)
  pkg_check_modules(MOCORE_LUA QUIET IMPORTED_TARGET lua-5.4)
endif()
find_program(MOCORE_LUA_EXECUTABLE NAMES lua5.4 lua54)
# Where `cmake --install` puts the Lua module, relative to the prefix (or absolute: the rock
# passes its own directories). share/lua/5.4 and lib/lua/5.4 are on Lua 5.4's default
# package.path / package.cpath for the prefixes /usr/local and /usr, and luarocks' layout.
set(MOCORE_LUA_INSTALL_LMOD ${CMAKE_INSTALL_DATADIR}/lua/5.4 CACHE STRING "Install directory of the Lua files of the Lua binding")
set(MOCORE_LUA_INSTALL_CMOD lib/lua/5.4 CACHE STRING "Install directory of the C module of the Lua binding (mocore_core.so)")
if("lua" IN_LIST MOCORE_BINDINGS AND MOCORE_LUA_FOUND AND EXISTS ${MOCORE_BINDINGS_SRC}/lua/mocore_lua.i)
  set(_out ${MOCORE_BINDINGS_OUT}/lua)
  set(_wrap ${_out}/mocore_lua_wrap.c)
  mocore_swig(lua ${_wrap} ${_out})
  mocore_binding_module(mocore_lua ${_wrap} ${_out} mocore_core)
  # A Lua C module resolves the lua_* symbols from the interpreter: only the headers.
  target_include_directories(mocore_lua PRIVATE ${MOCORE_LUA_INCLUDE_DIRS} ${PROJECT_SOURCE_DIR}/src/core)
  mocore_copy_files(mocore_lua_files ${_out} ${MOCORE_BINDINGS_SRC}/lua/mocore.lua
                    ${MOCORE_BINDINGS_SRC}/lua/mocore_managers_runtime.lua)
  mocore_generate_managers(mocore_lua_managers lua ${_out}/mocore_managers.lua)
  set(MOCORE_LUA_READY ON)
  message(STATUS "mocore bindings: Lua 5.4 (${MOCORE_LUA_EXECUTABLE})")
  mocore_copy_files(mocore_lua_async_files ${_out} ${MOCORE_BINDINGS_SRC}/lua/mocore_async.lua)
  # require "mocore.luasql": the LuaSQL-shaped layer
  file(GLOB _lua_sub CONFIGURE_DEPENDS ${MOCORE_BINDINGS_SRC}/lua/mocore/*.lua)
  mocore_copy_files(mocore_lua_sub_files ${_out}/mocore ${_lua_sub})
  install(TARGETS mocore_lua LIBRARY DESTINATION ${MOCORE_LUA_INSTALL_CMOD} COMPONENT lua)
  install(FILES ${_out}/mocore.lua ${_out}/mocore_async.lua ${_out}/mocore_managers_runtime.lua
          ${_out}/mocore_managers.lua DESTINATION ${MOCORE_LUA_INSTALL_LMOD} COMPONENT lua)
  install(FILES ${_lua_sub} DESTINATION ${MOCORE_LUA_INSTALL_LMOD}/mocore COMPONENT lua)
else()
  message(STATUS "mocore bindings: Lua 5.4 headers not found; Lua binding skipped")
endif()

# ---------------------------------------------------------------- Ruby
find_program(MOCORE_RUBY_EXECUTABLE NAMES ruby)
if("ruby" IN_LIST MOCORE_BINDINGS AND MOCORE_RUBY_EXECUTABLE AND EXISTS ${MOCORE_BINDINGS_SRC}/ruby/mocore_ruby.i)
  execute_process(COMMAND ${MOCORE_RUBY_EXECUTABLE} -rrbconfig -e
    "print RbConfig::CONFIG['rubyhdrdir'], ';', RbConfig::CONFIG['rubyarchhdrdir'], ';', RbConfig::CONFIG['libdir'], ';', RbConfig::CONFIG['RUBY_SO_NAME']"
    OUTPUT_VARIABLE _rb RESULT_VARIABLE _rb_rc ERROR_QUIET)
  list(LENGTH _rb _rb_n)
  if(_rb_rc EQUAL 0 AND _rb_n EQUAL 4)
    list(GET _rb 0 _rb_hdr)
    list(GET _rb 1 _rb_archhdr)
    list(GET _rb 2 _rb_libdir)
    list(GET _rb 3 _rb_soname)
  endif()
  if(_rb_hdr AND EXISTS ${_rb_hdr}/ruby.h)
    set(_out ${MOCORE_BINDINGS_OUT}/ruby)
    set(_wrap ${_out}/mocore_ruby_wrap.c)
    mocore_swig(ruby ${_wrap} ${_out})
    # The GVL-releasing shims, generated from the ABI manifest (see bindings/ruby/gen_nogvl.rb).
    add_custom_command(OUTPUT ${_out}/mocore_ruby_nogvl.h
      COMMAND ${MOCORE_RUBY_EXECUTABLE} ${MOCORE_BINDINGS_SRC}/ruby/gen_nogvl.rb
              ${PROJECT_SOURCE_DIR}/abi/mocore.manifest ${_out}/mocore_ruby_nogvl.h
      DEPENDS ${MOCORE_BINDINGS_SRC}/ruby/gen_nogvl.rb ${PROJECT_SOURCE_DIR}/abi/mocore.manifest
      COMMENT "Ruby: GVL shims from abi/mocore.manifest" VERBATIM)
    mocore_binding_module(mocore_ruby ${_wrap} ${_out} mocore_core)
    target_sources(mocore_ruby PRIVATE ${_out}/mocore_ruby_nogvl.h)
    # src/core: mo_rb_escape_string calls the library's string-literal function (internal.h).
    target_include_directories(mocore_ruby PRIVATE ${_rb_hdr} ${_rb_archhdr} ${_out}
                               ${PROJECT_SOURCE_DIR}/src/core)
    target_link_directories(mocore_ruby PRIVATE ${_rb_libdir})
    target_link_libraries(mocore_ruby PRIVATE ${_rb_soname})
    target_compile_options(mocore_ruby PRIVATE -Wno-unused-variable)
    mocore_copy_files(mocore_ruby_files ${_out} ${MOCORE_BINDINGS_SRC}/ruby/lib/mocore.rb)
    file(GLOB _rb_lib CONFIGURE_DEPENDS ${MOCORE_BINDINGS_SRC}/ruby/lib/mocore/*.rb)
    mocore_copy_files(mocore_ruby_lib_files ${_out}/mocore ${_rb_lib})
    mocore_generate_managers(mocore_ruby_managers ruby ${_out}/mocore/managers.rb)
    set(MOCORE_RUBY_READY ON)
    message(STATUS "mocore bindings: Ruby (${MOCORE_RUBY_EXECUTABLE})")
  else()
    message(STATUS "mocore bindings: Ruby headers not found (ruby-dev); Ruby binding skipped")
  endif()
else()
  message(STATUS "mocore bindings: Ruby not found; Ruby binding skipped")
endif()
