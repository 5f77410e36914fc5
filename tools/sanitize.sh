#!/usr/bin/env bash
# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer:
# builds build-asan/ with GALLEY_SANITIZE=ON (the library, galley, the
# tests, all with -fsanitize=address,undefined; g++) and runs ctest there.
# Any report fails the test that made it: UBSan halts on the first one, ASan
# always does, and LeakSanitizer checks each process at exit, less the
# system libraries' known leaks in tools/lsan.supp.
#
#   tools/sanitize.sh [CTEST_ARGS...]     e.g. tools/sanitize.sh -R 'style'
set -euo pipefail
cd "$(dirname "$0")/.."

build=build-asan
if [ ! -f $build/CMakeCache.txt ]; then
    # -O1 and line tables only (enough for the reports' stacks): the usual
    # settings of a sanitizer build, quicker to compile than -O2 -g.
    cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGALLEY_SANITIZE=ON \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
fi
echo '*' > $build/.gitignore  # a build folder; not in the repository's .gitignore

# The build runs prepare_fonts (sanitized as well) to make the font subsets.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tools/lsan.supp:print_suppressions=0}
cmake --build $build --target galley galley_tests  # not the benchmark

ctest --test-dir $build --output-on-failure -j2 "$@"
