#!/bin/sh
# docs/doxygen-filter.sh FILE — Doxygen's INPUT_FILTER (docs/Doxyfile.in): the headers write
# placeholders as <name> and addresses as user@host, which Doxygen would read as HTML tags and
# commands; escaped here so the reference shows them as written (the headers stay plain C).
exec sed -e 's/<\([a-z_][a-z_ ]*\)>/\\<\1\\>/g' -e 's/\([A-Za-z0-9_]\)@\([a-z]\)/\1\\@\2/g' "$1"
