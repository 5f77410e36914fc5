// The PDF writer's CFF subsetter (pdf/cff) on any bytes, as it meets a
// font program from a user's font file: glyphs 0-15 asked for. A subset it
// makes must read back the same way (glyphs 0-15 of the subset asked for
// again). Seeds: fuzz/seeds/fuzz_cff, small hinted and subroutinized CFF
// tables made from Noto Serif/Sans CJK SC and Linux Libertine.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/cff.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view cff(reinterpret_cast<const char*>(data), size);
    std::vector<uint32_t> glyphs;
    for (uint32_t g = 0; g < 16; ++g) glyphs.push_back(g);
    const std::string subset = galley::pdf::cff_subset(cff, glyphs);
    if (!subset.empty() && galley::pdf::cff_subset(subset, glyphs).empty()) __builtin_trap();
    return 0;
}
