#include "render/cairo_fonts.h"

#include <cairo-ft.h>
#include <fontconfig/fontconfig.h>

#include "galley/diagnostics.h"

namespace galley {

CairoFonts::CairoFonts(const std::vector<FontFace>& faces) : faces_(faces), fonts_(faces.size(), nullptr) {}

CairoFonts::~CairoFonts() {
    for (cairo_scaled_font_t* f : fonts_)
        if (f) cairo_scaled_font_destroy(f);
}

// As pango-cairo makes its fonts: the face from its file, the pattern's
// matrix scaled to the size, metrics unhinted.
cairo_scaled_font_t* CairoFonts::get(int id) {
    if (id < 0 || id >= static_cast<int>(fonts_.size()))
        throw Failure({Severity::Error, {}, "glyph run names font " + std::to_string(id) + ", not in the layout"});
    if (fonts_[id]) return fonts_[id];
    const FontFace& f = faces_[id];
    FcPattern* p = FcPatternCreate();
    FcPatternAddString(p, FC_FILE, reinterpret_cast<const FcChar8*>(f.file.c_str()));
    FcPatternAddInteger(p, FC_INDEX, f.index);
    if (f.embolden) FcPatternAddBool(p, FC_EMBOLDEN, FcTrue);
    cairo_font_face_t* face = cairo_ft_font_face_create_for_pattern(p);
    FcPatternDestroy(p);
    cairo_matrix_t matrix, identity;
    cairo_matrix_init(&matrix, f.matrix[0], -f.matrix[1], -f.matrix[2], f.matrix[3], 0, 0);
    cairo_matrix_scale(&matrix, f.size, f.size);
    cairo_matrix_init_identity(&identity);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    fonts_[id] = cairo_scaled_font_create(face, &matrix, &identity, options);
    cairo_font_options_destroy(options);
    cairo_font_face_destroy(face);
    if (cairo_scaled_font_status(fonts_[id]) != CAIRO_STATUS_SUCCESS)
        throw Failure({Severity::Error, {f.file, 0, 0}, "cannot open the font '" + f.name + "'"});
    return fonts_[id];
}

}  // namespace galley
