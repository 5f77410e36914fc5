// The fonts of one document as the PDF embeds them: for each font file
// and face the glyphs its pages show, subset with HarfBuzz (glyphs
// renumbered from 1, .notdef kept), each a Type 0 font with Identity-H
// encoding, so a glyph's CID is its number in the subset; widths from the
// subset's metrics and a ToUnicode map from the runs' text.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "galley/frame.h"
#include "pdf/pdf_file.h"

namespace galley::pdf {

struct EmbeddedFont {
    int object = 0;                                // the Type 0 font
    std::unordered_map<uint32_t, uint16_t> cid;    // glyph in the font file -> CID
    std::unordered_map<uint32_t, double> width;    // glyph in the font file -> advance, 1/1000 em
};

struct EmbeddedFonts {
    std::vector<int> of;  // Layout::fonts[i] -> fonts[of[i]]
    std::vector<EmbeddedFont> fonts;
};

// Subsets and writes the fonts `layout`'s pages show. Throws Failure
// naming the font file when it cannot be read or subset.
EmbeddedFonts embed_fonts(File& file, const Layout& layout);

}  // namespace galley::pdf
