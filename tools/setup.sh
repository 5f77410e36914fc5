#!/usr/bin/env bash
# First command: install what is missing (Debian 12), build, render the samples.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake ninja-build g++ pkg-config
  libcairo2-dev libpango1.0-dev libharfbuzz-dev libyaml-cpp-dev catch2 libmd4c-dev
  libqpdf-dev libpoppler-cpp-dev libhyphen-dev libcli11-dev nlohmann-json3-dev libjpeg-dev libpng-dev libicu-dev libgumbo-dev libdeflate-dev
  hyphen-en-us fonts-noto-cjk fonts-lxgw-wenkai fonts-linuxlibertine fonts-dejavu-core help2man icc-profiles-free poppler-utils python3-pdfminer)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
# Every sample article and issue to out/NAME.pdf, and a proof of each one's
# first page to out/NAME-1.png.
./build/galley render samples/articles samples/*.yaml -o out/
./build/galley proof samples/articles samples/*.yaml -o out/ --pages 1 --dpi 110 --quiet
