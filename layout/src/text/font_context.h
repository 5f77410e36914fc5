// The one FontContext of a process. Shared, read-mostly state only: the
// per-document PangoContext is made by each layout call.
#pragma once
#include <fontconfig/fontconfig.h>
#include <hyphen.h>
#include <pango/pangocairo.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "galley/engine.h"

namespace galley {

struct FontContext {
    FcConfig* config = nullptr;
    PangoFontMap* font_map = nullptr;
    std::map<std::string, HyphenDict*> hyphen;  // by language prefix ("en")
    // Pango's font map and FreeType faces are not thread-safe in 1.50;
    // shaping takes this lock.
    std::mutex shaping;
    std::shared_ptr<PaintFaces> paint_faces;  // given to every Layout made here

    FontContext() = default;
    FontContext(const FontContext&) = delete;
    FontContext& operator=(const FontContext&) = delete;
    ~FontContext();
};

// A fresh PangoContext on the shared font map: 72 dpi, no metric hinting,
// unrounded glyph positions. Caller unrefs.
PangoContext* new_pango_context(FontContext& fonts);

// A warning at each family the style file names that the font
// configuration does not have (the next in its list is used instead).
void check_fonts(const Style& style, FontContext& fonts, Diagnostics& diags);

// The font files the configuration reads, in name order.
std::vector<std::string> font_files(FontContext& fonts);

// The hyphenation dictionary for a BCP 47 tag, or null.
HyphenDict* hyphen_dict(const FontContext& fonts, const std::string& lang);

}  // namespace galley
