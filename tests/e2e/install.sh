#!/bin/sh
# tests/e2e/install.sh - `make install` into a staging directory yields a
# library that a program can build against through pkg-config.
. tests/e2e/lib.sh
D=$T/stage
case "${BUILD:-build}" in
build-san) skip install "checked by the plain build (make test); sanitizer objects need -fsanitize to link"; exit 0;;
esac
if ! make -s install PREFIX=/usr DESTDIR="$D" BUILD="${BUILD:-build}" >"$T/log" 2>&1; then
    fail install "make install failed: $(tail -5 "$T/log")"; exit 0
fi
for f in usr/bin/casus usr/include/casus.h usr/lib/libcasus.a usr/lib/libcasus.so.0 \
         usr/lib/pkgconfig/casus.pc usr/share/man/man1/casus.1; do
    [ -e "$D/$f" ] && ok "installed-$(basename "$f")" || fail "installed-$(basename "$f")" "missing"
done
cat >"$T/prog.c" <<'C'
#include <casus.h>
#include <stdio.h>
int main(void)
{
    casus_date d;
    if (casus_date_parse("2024-01-03", 10, &d) != CASUS_OK)
        return 1;
    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = casus_doc_new(ctx);
    printf("%s %d\n", CASUS_VERSION, d.day);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
    return 0;
}
C
flags=$(PKG_CONFIG_SYSROOT_DIR="$D" PKG_CONFIG_PATH="$D/usr/lib/pkgconfig" \
        pkg-config --cflags --libs --static casus 2>"$T/err")
if [ -z "$flags" ]; then fail pkg-config "$(cat "$T/err")"; exit 0; fi
if cc -o "$T/prog" "$T/prog.c" $flags -static-libgcc 2>"$T/err" && LD_LIBRARY_PATH="$D/usr/lib" "$T/prog" >"$T/out"; then
    expect link-via-pkg-config "$T/out" " 3"
else
    fail link-via-pkg-config "$(head -c 400 "$T/err")"
fi
