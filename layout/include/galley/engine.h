// The engine's front door: fonts once, then documents through the pipeline.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "galley/diagnostics.h"
#include "galley/document.h"
#include "galley/frame.h"
#include "galley/style.h"

namespace galley {

// Fonts, shaping and hyphenation resources shared by every document of a
// process: a private fontconfig configuration, one Pango font map at 72 dpi,
// the hyphenation dictionaries. Create once, pass by reference.
struct FontContext;

// Where Galley's run-time data is: the styles (styles/), the prepared
// fonts (fonts/) and the private fontconfig file (fonts.conf). In order:
// $GALLEY_DATA_DIR; beside the code (the library or the program that holds
// it) at the install's relative place (bin/ or lib/ -> ../share/galley);
// share/galley beside it (the build tree). Throws Failure when none holds
// fonts.conf.
std::string data_dir();

struct FontOptions {
    std::string fonts_conf;              // private fontconfig file; empty: data_dir()/fonts.conf
    std::vector<std::string> font_dirs;  // more folders of TTF/OTF/TTC files (--font-path)
    std::string hyphen_dir = "/usr/share/hyphen";
};

struct FontContextDeleter {
    void operator()(FontContext* fonts) const;
};
using FontContextPtr = std::unique_ptr<FontContext, FontContextDeleter>;

// Throws Failure when the configuration, a font or a dictionary is missing.
FontContextPtr make_font_context(const FontOptions& options);

// What each text role of a style asks for (its families, size, weight)
// and the faces it gets for Han and for Latin text, in the style's language:
// `galley fonts`. Adds the style's font_paths to `fonts`; a family the style
// names that no folder holds is a warning at its place.
struct RoleFonts {
    std::string role, request, han, latin;
};
std::vector<RoleFonts> role_fonts(const Style& style, FontContext& fonts, Diagnostics& diags);

// What a run cost: wall-clock milliseconds per stage, and how much text
// went to Pango (each distinct string is itemized once, whole).
struct RunStats {
    double load = 0, shape = 0, linebreak = 0, flow = 0, paint = 0, finish = 0, archive = 0;
    int itemize_calls = 0;   // pango_itemize calls
    int shaped_strings = 0;  // distinct strings shaped (a paragraph's text with its looks)
};

// Article -> pages of frames. Warnings (overfull lines, substituted fonts)
// are appended to diags.
Layout layout_article(const Document& doc, const Style& style, FontContext& fonts,
                      Diagnostics& diags, RunStats* stats = nullptr);

// Issue -> pages: masthead, contents box, every story with jump lines
// where it continues, running heads, 报尾.
Layout layout_issue(const Issue& issue, const Style& style, FontContext& fonts, Diagnostics& diags,
                    RunStats* stats = nullptr);

struct PdfOptions {
    long long source_date_epoch = -1;  // < 0: the document's own date
    double bleed = 0;          // points added on every side of the trimmed page
    bool crop_marks = false;   // drawn in the bleed, outside the trim
    bool pdfa = false;         // PDF/A-2b post-processing
    PdfBackend backend = PdfBackend::Direct;
};

// The finished PDF in memory: painted, then through the archive stage.
// Takes no lock: any number of threads may make PDFs of layouts at once.
std::string pdf_bytes(const Layout& layout, const PdfOptions& options, RunStats* stats = nullptr);
// pdf_bytes written to `path` only when complete, so a failed run never
// replaces a good file; a symlink's target is replaced, a device or "-"
// (standard output) written directly, a folder is an error.
void write_pdf(const Layout& layout, const std::string& path, const PdfOptions& options,
               RunStats* stats = nullptr);
// A PNG proof of one page (0-based) at `dpi`, in memory or written.
std::string png_bytes(const Layout& layout, int page, double dpi);
void write_png(const Layout& layout, int page, double dpi, const std::string& path);
// Frames as text at fixed precision (classic locale), for golden tests.
std::string dump_frames(const Layout& layout, int first_page = 0, int page_count = -1);

// One input through the whole pipeline: load, style, compose, make-up,
// paint, archive, and the proofs asked for.
struct RenderOptions {
    std::string style = "bulletin";  // a name in styles_dir or a path
    bool style_given = false;        // else an issue's own style wins
    std::string styles_dir;  // empty: data_dir()/styles
    long long source_date_epoch = -1;
    bool pdfa = false;               // also the style key pdfa: true
    std::optional<PdfBackend> pdf_backend;  // --pdf-backend; none: the style's pdf_backend
    std::string dump;                // the frame dump, when not empty
    ReadRules read;                  // root, size limit; pictures and a manifest's style stay in the root
};

// An input ready to lay out: an article or an issue, its style, and every
// file it was made from (the input, an issue's articles, pictures, the
// style), for change detection.
struct Input {
    std::optional<Document> doc;
    std::optional<Issue> issue;
    Style style;
    std::vector<std::string> files;
};
// Loads the article or issue manifest at `path` (by its extension), or,
// when `text` is given, the bytes read from standard input (an article
// when they open with front matter, else a manifest), then its style.
Input load_input(const std::string& path, const std::string* text, const RenderOptions& options,
                 Diagnostics& diags);
// The pages: warns of fonts the style names that are not installed.
Layout layout_input(const Input& input, FontContext& fonts, Diagnostics& diags, RunStats* stats = nullptr);
// The PDF options the run and the style ask for.
PdfOptions pdf_options(const Input& input, const RenderOptions& options);

// Errors and warnings go to `diags` (nothing is written when there are
// errors); a Failure is thrown where the run cannot go on.
void render_file(const std::string& input, const std::string& output, const RenderOptions& options,
                 FontContext& fonts, Diagnostics& diags, RunStats* stats = nullptr);

}  // namespace galley

