#!/usr/bin/env bash
# tests/docs/check-man.sh GROFF PAGE... — ctest docs.man: each man page renders with no
# groff warning (-ww), has NAME, SYNOPSIS, DESCRIPTION and RETURN VALUE sections, and its
# SYNOPSIS declares the function the page is named after exactly as capi/mocore/*.h does.
set -uo pipefail
groff=$1; shift
src=$(cd "$(dirname "$0")/../.." && pwd)
fail=0 n=0
for page in "$@"; do
    n=$((n + 1))
    name=$(basename "$page" .3)
    warn=$("$groff" -man -Tutf8 -ww -z "$page" 2>&1)
    [[ -z $warn ]] || { echo "FAIL $name: groff: $warn"; fail=1; }
    for s in NAME SYNOPSIS DESCRIPTION "RETURN VALUE"; do
        grep -q "^\.SH \"\?$s\"\?\$" "$page" || { echo "FAIL $name: no $s section"; fail=1; }
    done
    # the header's declaration, whitespace-normalised, must appear in the page's SYNOPSIS
    decl=$(awk -v fn="$name" '$0 ~ "^MO_API .*[ *]" fn "\\(" {p=1} p {printf "%s ", $0} p && /;/ {exit}' \
           "$src"/capi/mocore/*.h | sed 's/^MO_API //; s/  */ /g; s/( /(/g; s/ $//')
    [[ -n $decl ]] || { echo "FAIL $name: no MO_API declaration of $name in capi/mocore"; fail=1; continue; }
    syn=$("$groff" -man -Tascii -P-cbou "$page" 2>/dev/null | sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' |
          tr '\n' ' ' | sed 's/  */ /g; s/( /(/g')
    [[ $syn == *"$decl"* ]] || { echo "FAIL $name: SYNOPSIS does not declare: $decl"; fail=1; }
done
(( fail == 0 )) && echo "ok: $n man pages"
exit $fail
