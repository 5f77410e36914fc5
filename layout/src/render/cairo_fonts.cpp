#include "render/cairo_fonts.h"

#include <cairo-ft.h>
#include <hb-subset.h>
#include <cmath>
#include <ft2build.h>
#include FT_FREETYPE_H

#include "galley/diagnostics.h"

namespace galley {

// FT_New_Face and FT_Done_Face must not run at once on one library, and
// cairo may let a face go on any thread, after PaintFaces is gone.
struct FreeTypeLibrary {
    FT_Library library = nullptr;
    std::mutex faces;
    FreeTypeLibrary() {
        if (FT_Init_FreeType(&library) != 0) throw Failure({Severity::Error, {}, "cannot start FreeType"});
    }
    ~FreeTypeLibrary() { FT_Done_FreeType(library); }
};

namespace {

struct OwnedFace {
    std::shared_ptr<FreeTypeLibrary> library;
    FT_Face face = nullptr;
};

void close_face(void* data) {
    auto* owned = static_cast<OwnedFace*>(data);
    {
        std::lock_guard<std::mutex> lock(owned->library->faces);
        FT_Done_Face(owned->face);
    }
    delete owned;
}

const cairo_user_data_key_t kOwnedFace{};

Failure cannot_open(const FontFace& f) {
    return Failure({Severity::Error, {f.file, 0, 0}, "cannot open the font '" + f.name + "'"});
}

}  // namespace

PaintFaces::PaintFaces() : library_(std::make_shared<FreeTypeLibrary>()) {}

PaintFaces::~PaintFaces() {
    for (auto& [key, face] : faces_) cairo_font_face_destroy(face);
    for (auto& [key, face] : subset_faces_) {
        hb_face_destroy(face.plain);
        hb_face_destroy(face.prepared);
    }
}

hb_face_t* PaintFaces::subset_face(const std::string& file, unsigned index) {
    std::unique_lock lock(mutex_);
    SubsetFace& f = subset_faces_[{file, index}];
    if (f.prepared) return hb_face_reference(f.prepared);
    if (!f.plain) {
        hb_blob_t* blob = hb_blob_create_from_file_or_fail(file.c_str());
        if (!blob) return nullptr;
        f.plain = hb_face_create(blob, index);
        hb_blob_destroy(blob);
        hb_blob_t* cff = hb_face_reference_table(f.plain, HB_TAG('C', 'F', 'F', ' '));
        f.cff = hb_blob_get_length(cff) > 0;
        hb_blob_destroy(cff);
        return hb_face_reference(f.plain);
    }
    // CFF fonts are subset by the writer itself (pdf/cff.h) from the plain
    // face; another thread may be preparing this one.
    if (f.preparing || f.cff) return hb_face_reference(f.plain);
    f.preparing = true;
    hb_face_t* plain = hb_face_reference(f.plain);
    lock.unlock();
    hb_face_t* prepared = hb_subset_preprocess(plain);
    lock.lock();
    subset_faces_[{file, index}].prepared = prepared;
    return plain;
}

cairo_font_face_t* PaintFaces::get(const FontFace& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto key = std::make_tuple(f.file, f.index, f.embolden);
    if (auto it = faces_.find(key); it != faces_.end()) return it->second;
    FT_Face ft = nullptr;
    {
        std::lock_guard<std::mutex> open(library_->faces);
        if (FT_New_Face(library_->library, f.file.c_str(), f.index, &ft) != 0) throw cannot_open(f);
    }
    // cairo keeps one face per FT_Face: a synthetic weight needs its own.
    cairo_font_face_t* face = cairo_ft_font_face_create_for_ft_face(ft, 0);
    auto* owned = new OwnedFace{library_, ft};
    if (cairo_font_face_set_user_data(face, &kOwnedFace, owned, close_face) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(face);
        close_face(owned);
        throw cannot_open(f);
    }
    if (f.embolden) cairo_ft_font_face_set_synthesize(face, CAIRO_FT_SYNTHESIZE_BOLD);
    faces_.emplace(key, face);
    return face;
}

CairoFonts::CairoFonts(const Layout& layout)
    : faces_(layout.fonts),
      files_(layout.faces ? layout.faces : std::make_shared<PaintFaces>()),
      fonts_() {}

CairoFonts::~CairoFonts() {
    for (auto& [key, f] : fonts_) cairo_scaled_font_destroy(f);
}

// As pango-cairo makes its fonts: the pattern's matrix scaled to the size,
// metrics unhinted.
cairo_scaled_font_t* CairoFonts::get(int id, double scale_x) {
    if (id < 0 || id >= static_cast<int>(faces_.size()))
        throw Failure({Severity::Error, {}, "glyph run names font " + std::to_string(id) + ", not in the layout"});
    const long step = std::lround(scale_x * 10000);
    cairo_scaled_font_t*& made = fonts_[{id, step}];
    if (made) return made;
    const FontFace& f = faces_[id];
    cairo_font_face_t* face = files_->get(f);
    cairo_matrix_t matrix, identity;
    cairo_matrix_init(&matrix, f.matrix[0], -f.matrix[1], -f.matrix[2], f.matrix[3], 0, 0);
    cairo_matrix_scale(&matrix, f.size * static_cast<double>(step) / 10000, f.size);
    cairo_matrix_init_identity(&identity);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    made = cairo_scaled_font_create(face, &matrix, &identity, options);
    cairo_font_options_destroy(options);
    if (cairo_scaled_font_status(made) != CAIRO_STATUS_SUCCESS) throw cannot_open(f);
    return made;
}

}  // namespace galley
