#!/usr/bin/env bash
# tests/docs/check-doxygen.sh DOXYGEN DOXYFILE OUTDIR — ctest docs.doxygen: the `docs` target's
# Doxygen run over capi/ succeeds; it warns about no function (every MO_API function is
# documented) and about no doc error (a bad command or tag in a comment). Undocumented
# typedefs, enums and macros are allowed: the opaque handles are documented by the functions.
set -uo pipefail
doxygen=$1 doxyfile=$2 out=$3
rm -rf "$out" && mkdir -p "$out" || exit 1
"$doxygen" "$doxyfile" >"$out/run.log" 2>&1 || { cat "$out/run.log"; echo "FAIL: doxygen"; exit 1; }
bad=$(grep -v -E '\((typedef|enumeration|macro definition|enumvalue|variable)\) of file .* is not documented' "$out/warnings.log")
[[ -z $bad ]] || { echo "$bad"; echo "FAIL: $(wc -l <<<"$bad") Doxygen warnings"; exit 1; }
n=$(grep -ho 'id="[a-z0-9_]*"' "$out"/html/*_8h.html 2>/dev/null | wc -l)
for fn in mo_client_connect mo_client_execute mo_session_open mo_result_next mo_error_last mo_config_from_url; do
    grep -q ">$fn()\?<" "$out"/html/*_8h.html || { echo "FAIL: $fn is not in the reference"; exit 1; }
done
echo "ok: the reference in $out/html ($(ls "$out"/html/*_8h.html | wc -l) header pages, $n anchors), no warning"
