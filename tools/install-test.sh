#!/usr/bin/env bash
# Install tests (issue 13), run by CI after the test suite:
#   tools/install-test.sh prefix   install build/ to a temporary prefix, move
#                                  the prefix, render the sample issue with the
#                                  installed galley away from the source tree,
#                                  build examples/ against it with
#                                  find_package(Galley) and pkg-config, run it;
#   tools/install-test.sh deb      cpack -G DEB, `apt install ./galley_*.deb`,
#                                  render the sample issue with /usr/bin/galley,
#                                  `galley --version`, `man galley`; then removes
#                                  the package (needs root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=${BUILD:-build}
work=$(mktemp -d /tmp/galley-install.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The sample issue and its articles, copied away from the source tree.
cp -r samples "$work/samples"

check_pdf() {  # PDF: rendered, with the prepared fonts embedded
  test -s "$1"
  pdffonts "$1" | grep GalleySerifSC > /dev/null
  pdftotext "$1" - | grep 高新区 > /dev/null
  echo "install-test: $1 ok ($(stat -c %s "$1") bytes)"
}

prefix_test() {
  cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
  mv "$work/prefix" "$work/moved"
  local moved=$work/moved
  cd "$work"
  "$moved/bin/galley" --version
  "$moved/bin/galley" render samples/gaoxin-2019-01.yaml -o "$work/issue.pdf" -q
  check_pdf "$work/issue.pdf"
  # The Cairo back end: the program loads the qpdf module from the prefix.
  "$moved/bin/galley" render samples/gaoxin-2019-01.yaml -o "$work/issue-cairo.pdf" -q --pdf-backend cairo
  check_pdf "$work/issue-cairo.pdf"
  # It found its data in the moved prefix, not in the build or source tree.
  "$moved/bin/galley" fonts | grep -x "data $moved/share/galley" > /dev/null
  man -l "$moved/share/man/man1/galley.1" | grep GALLEY_DATA_DIR > /dev/null
  test -f "$moved/share/bash-completion/completions/galley"
  # The example, built against the moved package.
  cmake -S "$src/examples" -B "$work/example" -G Ninja -DCMAKE_PREFIX_PATH="$moved" > "$work/example.log"
  cmake --build "$work/example" >> "$work/example.log"
  "$work/example/render_article" samples/articles/xian-gaoxin-party-building.md "$work/article.pdf" | 
    grep "with the data in $moved/share/galley" > /dev/null
  check_pdf "$work/article.pdf"
  # pkg-config finds it too, relative to the moved .pc file.
  local pc
  pc=$(dirname "$(find "$moved" -name galley.pc)")
  PKG_CONFIG_PATH=$pc g++ -std=c++20 "$src/examples/render_article.cpp" -o "$work/by-pkg-config" \
    $(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs galley) -Wl,-rpath,"$(PKG_CONFIG_PATH=$pc pkg-config --variable=libdir galley)"
  "$work/by-pkg-config" samples/articles/xian-gaoxin-party-building.md "$work/article2.pdf" > /dev/null
  check_pdf "$work/article2.pdf"
  # The shared library loads the qpdf module from beside itself.
  "$work/by-pkg-config" samples/articles/xian-gaoxin-party-building.md "$work/article3.pdf" cairo > /dev/null
  check_pdf "$work/article3.pdf"
  echo "install-test: prefix ok"
}

deb_test() {
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  (cd "$build" && cpack -G DEB > "$work/cpack.log")
  local deb
  deb=$(ls "$build"/galley_*.deb | head -1)
  dpkg-deb -f "$deb" Depends
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$(realpath "$deb")" > "$work/apt.log"
  cd "$work"
  /usr/bin/galley --version
  /usr/bin/galley render samples/gaoxin-2019-01.yaml -o "$work/deb-issue.pdf" -q
  check_pdf "$work/deb-issue.pdf"
  /usr/bin/galley render samples/gaoxin-2019-01.yaml -o "$work/deb-issue-cairo.pdf" -q --pdf-backend cairo
  check_pdf "$work/deb-issue-cairo.pdf"
  /usr/bin/galley fonts | grep -x "data /usr/share/galley" > /dev/null
  man galley | grep GALLEY_DATA_DIR > /dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y galley > /dev/null
  echo "install-test: deb ok ($deb)"
}

case ${1:-prefix} in
  prefix) prefix_test ;;
  deb) deb_test ;;
  *) echo "usage: tools/install-test.sh prefix|deb" >&2; exit 2 ;;
esac
