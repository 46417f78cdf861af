#!/bin/sh
# examples/consumer/build-pkgconfig.sh OUT — build the consumer with pkg-config only.
# PKG_CONFIG_PATH must name <install prefix>/lib/pkgconfig when mocore is not installed
# in a system location. The library directory is recorded as an rpath.
set -eu
out=${1:-consumer-pkgconfig}
here=$(dirname "$0")
libdir=$(pkg-config --variable=libdir mocore)
${CC:-cc} -std=c11 -Wall -Wextra -o "$out" "$here/consumer.c" \
    $(pkg-config --cflags mocore) $(pkg-config --libs mocore) -Wl,-rpath,"$libdir"
