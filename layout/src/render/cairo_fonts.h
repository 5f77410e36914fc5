// The layout's font table as Cairo fonts, opened from their files (no
// Pango): each face once per painter, on first use.
#pragma once
#include <cairo.h>

#include <vector>

#include "galley/frame.h"

namespace galley {

class CairoFonts {
public:
    explicit CairoFonts(const std::vector<FontFace>& faces);
    CairoFonts(const CairoFonts&) = delete;
    CairoFonts& operator=(const CairoFonts&) = delete;
    ~CairoFonts();
    cairo_scaled_font_t* get(int id);

private:
    const std::vector<FontFace>& faces_;
    std::vector<cairo_scaled_font_t*> fonts_;
};

}  // namespace galley
