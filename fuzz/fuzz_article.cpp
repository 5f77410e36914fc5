// A whole article file (front matter and Markdown body) through the loader:
// parse_article, as `galley render x.md` reads one. Seeds: samples/articles.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "galley/document.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    galley::Diagnostics diags;
    try {
        galley::Document doc = galley::parse_article(text, "fuzz.md", diags);
        (void)doc;
    } catch (const galley::Failure&) {
    }
    return 0;
}
