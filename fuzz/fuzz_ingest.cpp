// A saved page through galley ingest: its text, and the same bytes as HTML
// (gumbo, charset detection, GB18030 conversion). Seeds: tests/data/ingest.
#include <cstdint>
#include <string>

#include "galley/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string page(reinterpret_cast<const char*>(data), size);
    galley::Diagnostics diags;
    try {
        (void)galley::ingest_text(page, "fuzz.txt", diags);
        (void)galley::ingest_html(page, "fuzz.html", diags);
    } catch (const galley::Failure&) {
    }
    return 0;
}
