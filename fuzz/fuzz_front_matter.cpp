// The front matter alone: the input is the YAML between the two '---'
// fences, set before a fixed one-paragraph body, so every mutation lands in
// the front matter reader (fields, dates, datelines, credits, images,
// related links, languages). Seeds: the front matter of samples/articles.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "galley/document.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text = "---\n";
    text.append(reinterpret_cast<const char*>(data), size);
    text += "\n---\n\nBody text.\n";
    galley::Diagnostics diags;
    try {
        galley::Document doc = galley::parse_article(text, "fuzz.md", diags);
        (void)doc;
    } catch (const galley::Failure&) {
    }
    return 0;
}
