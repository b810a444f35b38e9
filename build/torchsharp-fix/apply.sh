#!/usr/bin/env bash
# Makes TorchSharp's native glue library (libLibTorchSharp.so) load on a system
# whose libstdc++ lacks GLIBCXX_3.4.32 (Debian 12 / GCC 12). Runs after every
# build on the copy in the build output only; system files are never touched.
#   usage: apply.sh OUTPUT_DIR INTERMEDIATE_DIR
set -euo pipefail
out=${1%/}
obj=${2%/}
here=$(cd "$(dirname "$0")" && pwd)
glue="$out/libLibTorchSharp.so"
shim_name=libdecoupled_stdcxx_shim.so
marker="$out/torchsharp-fix.json"
missing=GLIBCXX_3.4.32
fallback=GLIBCXX_3.4

[ -f "$glue" ] || exit 0

libstdcxx=$( (/sbin/ldconfig -p 2>/dev/null || ldconfig -p) | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
[ -n "$libstdcxx" ] || libstdcxx=/usr/lib/x86_64-linux-gnu/libstdc++.so.6
if grep -qa "$missing" "$libstdcxx"; then
  printf '{"needed": false, "libstdcxx": "%s"}\n' "$libstdcxx" > "$marker"
  exit 0
fi

# Already patched copy (incremental build that did not re-copy the glue library)?
if command -v patchelf >/dev/null && patchelf --print-needed "$glue" | grep -x "$shim_name" >/dev/null; then
  exit 0
fi

for tool in g++ gcc patchelf; do
  command -v "$tool" >/dev/null || { echo "torchsharp-fix: '$tool' is missing; run ./decoupled (it installs it) or: apt-get install g++ patchelf" >&2; exit 1; }
done

mkdir -p "$obj"
if [ ! -f "$obj/$shim_name" ] || [ "$here/ios_base_library_init_shim.cpp" -nt "$obj/$shim_name" ]; then
  g++ -shared -fPIC -O2 -o "$obj/$shim_name.tmp" "$here/ios_base_library_init_shim.cpp"
  mv -f "$obj/$shim_name.tmp" "$obj/$shim_name"
fi
if [ ! -f "$obj/elf_version_patch" ] || [ "$here/elf_version_patch.c" -nt "$obj/elf_version_patch" ]; then
  gcc -O2 -o "$obj/elf_version_patch.tmp" "$here/elf_version_patch.c"
  mv -f "$obj/elf_version_patch.tmp" "$obj/elf_version_patch"
fi

# Patch a private copy, then rename it over the original: the build may have hard-linked
# the glue library from the NuGet cache, which must stay untouched.
# A unique temp name: two builds of the same output may run at once.
tmp=$(mktemp "$out/.libLibTorchSharp.so.XXXXXX")
trap 'rm -f "$tmp"' EXIT
cp -f "$glue" "$tmp"
rc=0
"$obj/elf_version_patch" "$tmp" "$missing" "$fallback" >/dev/null || rc=$?
# 3: the copy no longer asks for the missing version (another build patched it first).
[ "$rc" = 0 ] || [ "$rc" = 3 ] || { echo "torchsharp-fix: patching $glue failed ($rc)" >&2; exit 1; }
patchelf --print-needed "$tmp" | grep -x "$shim_name" >/dev/null || patchelf --add-needed "$shim_name" "$tmp"
patchelf --set-rpath '$ORIGIN' "$tmp"
cp -f "$obj/$shim_name" "$out/.$shim_name.tmp" && mv -f "$out/.$shim_name.tmp" "$out/$shim_name"
chmod 755 "$tmp"
mv -f "$tmp" "$glue"
printf '{"needed": true, "libstdcxx": "%s", "missing": "%s", "shim": "%s"}\n' "$libstdcxx" "$missing" "$shim_name" > "$marker"
