// The one FontContext of a process. Shared, read-mostly state only: the
// per-document PangoContext is made by each layout call.
#pragma once
#include <fontconfig/fontconfig.h>
#include <hyphen.h>
#include <pango/pango.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "galley/engine.h"

namespace galley {

struct FontContext {
    FcConfig* config = nullptr;
    PangoFontMap* font_map = nullptr;
    // Hyphenation dictionaries by language prefix ("en"): the files found,
    // each read on its first use (a Chinese document without Latin words
    // reads none), under `hyphen_lock`.
    std::map<std::string, std::string> hyphen_files;
    std::map<std::string, HyphenDict*> hyphen;
    std::mutex hyphen_lock;
    // Pango's font map and FreeType faces are not thread-safe in 1.50;
    // shaping takes this lock.
    std::mutex shaping;
    std::shared_ptr<PaintFaces> paint_faces;  // given to every Layout made here
    std::set<std::string> font_dirs;  // the user's font folders added (--font-path, a style's font_paths)

    FontContext() = default;
    FontContext(const FontContext&) = delete;
    FontContext& operator=(const FontContext&) = delete;
    ~FontContext();
};

// A fontconfig configuration from Galley's fonts.conf, @GALLEY_DATA@ in
// it standing for the file's folder (so the data folder may move); fonts
// not yet read. Throws Failure naming the file.
FcConfig* load_font_config(const std::string& conf);

// A fresh PangoContext on the shared font map: 72 dpi, no metric hinting,
// unrounded glyph positions. Caller unrefs.
PangoContext* new_pango_context(FontContext& fonts);

// A warning at each family the style file names that the font
// configuration does not have (the next in its list is used instead).
void check_fonts(const Style& style, FontContext& fonts, Diagnostics& diags);

// Adds the user's font folders (a style's font_paths) to the shared
// configuration, each once; documents laid out from then on see them.
void add_font_dirs(FontContext& fonts, const std::vector<std::string>& dirs);

// The font files the configuration reads, in name order.
std::vector<std::string> font_files(FontContext& fonts);

// The hyphenation dictionary for a BCP 47 tag (read on first use), or null.
HyphenDict* hyphen_dict(FontContext& fonts, const std::string& lang);

}  // namespace galley
