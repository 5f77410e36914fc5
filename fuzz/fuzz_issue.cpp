// An issue manifest through model::parse_issue. The manifest is read as
// SCRATCH/issues/fuzz.yaml; SCRATCH/articles/ holds copies of two sample
// articles, so entries like ../articles/town-library-reopens.md (as in the
// sample issues) resolve and are loaded. Seeds: samples/issues/*.yaml.
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_support.h"
#include "galley/document.h"
#include "model/issue_manifest.h"

namespace {
std::unique_ptr<galley_fuzz::ScratchDir> scratch;
std::string manifest_path;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    scratch = std::make_unique<galley_fuzz::ScratchDir>("fuzz_issue");
    galley_fuzz::copy_source_file("samples/articles/town-library-reopens.md", scratch->path() / "articles");
    galley_fuzz::copy_source_file("samples/articles/xian-gaoxin-party-building.md", scratch->path() / "articles");
    galley_fuzz::fs::create_directories(scratch->path() / "issues");
    manifest_path = (scratch->path() / "issues" / "fuzz.yaml").string();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    galley::Diagnostics diags;
    try {
        galley::Issue issue = galley::model::parse_issue(text, manifest_path, diags);
        (void)issue;
    } catch (const galley::Failure&) {
    }
    return 0;
}
