// The fonts of one document: what the shaper chose, as plain FontFaces the
// painters can open without Pango. Ids are given in first-use order, so the
// table is the same for the same document.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "galley/frame.h"

typedef struct _PangoFont PangoFont;

namespace galley {

struct FontTable {
    std::vector<FontFace> faces;
    std::map<std::string, int> ids;  // by a key of everything a face holds
};

// The id of a shaper's font, added on first use. Needs the shaping lock.
int intern_font(FontTable& table, PangoFont* font);

}  // namespace galley
