// The layout's font table as Cairo fonts, opened from their files (no
// Pango).
#pragma once
#include <cairo.h>
#include <hb.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "galley/frame.h"

namespace galley {

struct FreeTypeLibrary;

// The font files painters draw with, each opened once in a FreeType library
// of our own and shared by every painter on every thread (a FontContext
// holds one; see Layout::faces). cairo's own faces, opened from file names,
// are evicted past ten and reopened on whichever thread needs them, and
// crashed cairo 1.16 when two documents painted at once (7 runs in 12 of
// the samples at -j 2 once the Kai face was in use).
struct PaintFaces {
    PaintFaces();
    PaintFaces(const PaintFaces&) = delete;
    PaintFaces& operator=(const PaintFaces&) = delete;
    ~PaintFaces();
    // The cairo face of a file (one per synthetic weight); alive as long
    // as this object.
    cairo_font_face_t* get(const FontFace& f);
    // The HarfBuzz face the one-pass PDF writer subsets face `index` of
    // `file` from (a new reference; null when the file cannot be read): the
    // file mapped, not read. A TrueType face, from the second document that
    // uses it on, is prepared for HarfBuzz's repeated subsetting
    // (hb_subset_preprocess), so that one render alone does not pay for it;
    // CFF faces stay plain, the writer reads their glyphs itself.
    hb_face_t* subset_face(const std::string& file, unsigned index);

private:
    std::shared_ptr<FreeTypeLibrary> library_;
    std::mutex mutex_;
    std::map<std::tuple<std::string, int, bool>, cairo_font_face_t*> faces_;  // file, index, embolden
    struct SubsetFace {
        hb_face_t* plain = nullptr;
        hb_face_t* prepared = nullptr;
        bool preparing = false;
        bool cff = false;
    };
    std::map<std::pair<std::string, unsigned>, SubsetFace> subset_faces_;
};

// One painter's fonts, each size made on first use.
class CairoFonts {
public:
    explicit CairoFonts(const Layout& layout);
    CairoFonts(const CairoFonts&) = delete;
    CairoFonts& operator=(const CairoFonts&) = delete;
    ~CairoFonts();
    // Font `id` of the layout, its glyphs drawn `scale_x` times as wide
    // (font expansion, kept to 1/10,000).
    cairo_scaled_font_t* get(int id, double scale_x = 1);

private:
    const std::vector<FontFace>& faces_;
    std::shared_ptr<PaintFaces> files_;
    std::map<std::pair<int, long>, cairo_scaled_font_t*> fonts_;
};

}  // namespace galley
