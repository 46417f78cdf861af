# frozen_string_literal: true

# Build mocore_core.so: the SWIG wrapper (generated when the gem was staged, see
# bindings/ruby/build-gem.rb) plus the mocore C library's sources, compiled into the one
# extension and linked against libmariadb (pkg-config libmariadb, else mariadb_config).
require "mkmf"

here = __dir__
unless pkg_config("libmariadb")
  mc = find_executable("mariadb_config") or
    abort "mocore: libmariadb not found (install libmariadb-dev, or put mariadb_config on PATH)"
  $CFLAGS << " " << `#{mc} --cflags`.strip
  $libs << " " << `#{mc} --libs`.strip
end
have_library("pthread") or abort "mocore: pthread not found"

dirs = %w[src/core src/managers bindings/managers].map { |d| File.join(here, d) }
$INCFLAGS << " -I#{File.join(here, 'capi')} -I#{File.join(here, 'src/core')} -I#{File.join(here, 'src')}" \
             " -I#{File.join(here, 'bindings')} -I#{File.join(here, 'bindings/managers')}"
$CFLAGS << " -std=gnu11 -D_GNU_SOURCE -fvisibility=hidden"
$VPATH.concat(dirs)
$srcs = ["mocore_ruby_wrap.c"] + dirs.flat_map { |d| Dir[File.join(d, "*.c")].sort.map { |f| File.basename(f) } }
create_makefile("mocore_core")
