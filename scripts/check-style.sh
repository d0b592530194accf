#!/usr/bin/env bash
# The house style, checked cheaply (CI runs it as the ctest test `style`):
#   1. clang-format-14 (.clang-format) on every tracked C++ file: no file may need reformatting;
#   2. clang-tidy-14 with only readability-identifier-naming (.clang-tidy: snake_case names,
#      CamelCase types, members_ with a trailing underscore) on every server/ source and the
#      server/ headers they include, in parallel (VG_STYLE_JOBS, default: the cores).
#   scripts/check-style.sh [BUILD_DIR]   (BUILD_DIR: a configured build with
#                                         compile_commands.json; default build/test)
# Only the naming check runs here: the other checks of .clang-tidy cost minutes of analysis
# and are for editors. scripts/setup.sh installs both tools.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-$root/build/test}
jobs=${VG_STYLE_JOBS:-$(nproc)}
cd "$root"

for tool in clang-format-14 clang-tidy-14 run-clang-tidy-14; do
    command -v "$tool" >/dev/null || { echo "style: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done
[[ -f $build_dir/compile_commands.json ]] ||
    { echo "style: no $build_dir/compile_commands.json (configure a build first)" >&2; exit 1; }

status=0
start=$(date +%s)
mapfile -t sources < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.cc')
if ! clang-format-14 --dry-run -Werror "${sources[@]}"; then
    echo "style: the files above need clang-format-14 -i" >&2
    status=1
fi
formatted=$(date +%s)

# run-clang-tidy takes regexes over the compile database's paths: every TU under server/.
if ! run-clang-tidy-14 -quiet -p "$build_dir" -j "$jobs" \
    -clang-tidy-binary "$(command -v clang-tidy-14)" \
    -checks='-*,readability-identifier-naming' -header-filter="^$root/server/" \
    "^$root/server/" >"$build_dir/style-tidy.log" 2>&1; then
    # Each wrong name once (a header's names are reported by every file that includes it).
    grep -E "(error|warning):" "$build_dir/style-tidy.log" | sort -u | head -200 >&2 || true
    echo "style: names that break .clang-tidy's readability-identifier-naming (whole log:" \
        "$build_dir/style-tidy.log)" >&2
    status=1
fi
echo "style: clang-format $((formatted - start)) s, clang-tidy naming $(($(date +%s) - formatted)) s" \
    "(${#sources[@]} files formatted, -j $jobs)"
exit $status
