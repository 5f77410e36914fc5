// A style file through load_style (a path: the bytes are written to one
// file of this process under /dev/shm each time). Seeds: styles/*.yaml.
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_support.h"
#include "galley/style.h"

namespace {
std::unique_ptr<galley_fuzz::ScratchDir> scratch;
std::string style_path;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    scratch = std::make_unique<galley_fuzz::ScratchDir>("fuzz_style");
    style_path = (scratch->path() / "fuzz.yaml").string();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    galley_fuzz::write_file(style_path, data, size);
    galley::Diagnostics diags;
    try {
        galley::Style style = galley::load_style(style_path, diags);
        (void)style;
    } catch (const galley::Failure&) {
    }
    return 0;
}
