// The engine's front door: fonts once, then documents through the pipeline.
#pragma once
#include <memory>
#include <string>

#include "galley/diagnostics.h"
#include "galley/document.h"
#include "galley/frame.h"
#include "galley/style.h"

namespace galley {

// Fonts, shaping and hyphenation resources shared by every document of a
// process: a private fontconfig configuration, one Pango font map at 72 dpi,
// the hyphenation dictionaries. Create once, pass by reference.
struct FontContext;

struct FontOptions {
    std::string fonts_conf;    // private fontconfig file; empty: the build's
    std::string hyphen_dir = "/usr/share/hyphen";
};

struct FontContextDeleter {
    void operator()(FontContext* fonts) const;
};
using FontContextPtr = std::unique_ptr<FontContext, FontContextDeleter>;

// Throws Failure when the configuration, a font or a dictionary is missing.
FontContextPtr make_font_context(const FontOptions& options);

// Wall-clock milliseconds per stage, for benchmarks.
struct StageTimes {
    double load = 0, shape = 0, linebreak = 0, flow = 0, paint = 0, finish = 0, archive = 0;
};

// Article -> pages of frames. Warnings (overfull lines, substituted fonts)
// are appended to diags.
Layout layout_article(const Document& doc, const Style& style, FontContext& fonts,
                      Diagnostics& diags, StageTimes* times = nullptr);

// Issue -> pages: masthead, contents box, every story with jump lines
// where it continues, running heads, 报尾.
Layout layout_issue(const Issue& issue, const Style& style, FontContext& fonts, Diagnostics& diags,
                    StageTimes* times = nullptr);

struct PdfOptions {
    long long source_date_epoch = -1;  // < 0: the document's own date
    double bleed = 0;          // points added on every side of the trimmed page
    bool crop_marks = false;   // drawn in the bleed, outside the trim
    bool pdfa = false;         // PDF/A-2b post-processing
    // The fonts the layout was made with, when several threads render at
    // once: drawing takes the same lock as shaping (Pango 1.50's fonts are
    // not thread-safe). Cairo's PDF finish and the archive stage run free.
    FontContext* fonts = nullptr;
};

// Writes the PDF to a temporary file beside `path` and renames it into
// place only when complete, so a failed run never replaces a good file.
void write_pdf(const Layout& layout, const std::string& path, const PdfOptions& options,
               StageTimes* times = nullptr);
// A PNG proof of one page, drawn by the same Cairo painter.
void write_png(const Layout& layout, int page, double dpi, const std::string& path);
// Frames as text at fixed precision (classic locale), for golden tests.
std::string dump_frames(const Layout& layout, int first_page = 0, int page_count = -1);

}  // namespace galley
