// A whole render of an article: parse_article, then layout_article with the
// bulletin style and one FontContext made in LLVMFuzzerInitialize (shaping,
// CJK and Latin items, line breaking, columns, pages), then the frames
// painted by the text-dump painter (no PDF: Cairo and qpdf would dominate
// every execution). Bounded: inputs over kMaxInput bytes are skipped and a
// layout of more than kMaxPages pages is not painted. The article is read as
// SCRATCH/fuzz.md, with the sample pictures in SCRATCH/images/.
// Seeds: samples/articles.
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_support.h"
#include "galley/document.h"
#include "galley/engine.h"
#include "galley/style.h"

namespace {

constexpr size_t kMaxInput = 8192;
constexpr size_t kMaxPages = 20;

std::unique_ptr<galley_fuzz::ScratchDir> scratch;
std::string article_path;
galley::FontContextPtr fonts;
galley::Style style;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    scratch = std::make_unique<galley_fuzz::ScratchDir>("fuzz_render");
    galley_fuzz::copy_source_file("samples/articles/images/gdp-chart.png", scratch->path() / "images");
    galley_fuzz::copy_source_file("samples/articles/images/incubator.jpg", scratch->path() / "images");
    article_path = (scratch->path() / "fuzz.md").string();
    fonts = galley::make_font_context({});
    galley::Diagnostics diags;
    style = galley::load_style(galley::find_style("bulletin", GALLEY_SOURCE_DIR "/styles"), diags);
    if (galley::has_errors(diags)) std::abort();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > kMaxInput) return -1;  // not added to the corpus
    const std::string text(reinterpret_cast<const char*>(data), size);
    galley::Diagnostics diags;
    try {
        galley::Document doc = galley::parse_article(text, article_path, diags);
        if (galley::has_errors(diags)) return 0;
        galley::Layout layout = galley::layout_article(doc, style, *fonts, diags);
        if (layout.pages.size() > kMaxPages) return 0;
        std::string dump = galley::dump_frames(layout);
        (void)dump;
    } catch (const galley::Failure&) {
    }
    return 0;
}
