// A CFF font program cut down to the glyphs a document shows, for a PDF's
// FontFile3 /CIDFontType0C. HarfBuzz's subsetter has to build its view of
// the whole font first (18 ms for a Noto CJK face in a cold process, or a
// face prepared once at 0.1-0.25 s and 30 MB); this reads only the glyphs
// asked for, straight from the mapped file.
//
// The result is CID-keyed (Adobe-Identity-0) whether the font was CID- or
// name-keyed: glyph i of `glyphs` becomes glyph and CID i. Charstrings are
// flattened (subroutine calls inlined, TN 5177 4.7) and lose their hints,
// which print does not use; each glyph keeps its Font DICT, and of its
// Private DICT the widths (the blue zones and stem widths serve hints only,
// and go as fontTools' subsetter drops them without hints).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace galley::pdf {

// The subset, or "" when `cff` is not a CFF font this reads (CFF2, Type 1
// charstrings, seac accents, the deprecated arithmetic operators, damage):
// the caller then subsets another way. `glyphs` starts with 0 (.notdef).
std::string cff_subset(std::string_view cff, const std::vector<uint32_t>& glyphs);

// The CID of each glyph of a CID-keyed CFF font, from its charset (a PDF
// shows a CIDFontType0C's glyphs by CID); empty for a name-keyed font or
// one that cannot be read.
std::vector<uint16_t> cff_cids(std::string_view cff);

}  // namespace galley::pdf
