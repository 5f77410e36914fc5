// --skip-unchanged: a stamp beside each output records a hash of what it
// was made from (the Galley version, the options that change the PDF, the
// fonts, and the bytes of the input, its articles, pictures and style;
// not their paths),
// with the pages and messages of the run that made it.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "galley/diagnostics.h"
#include "galley/engine.h"

namespace galley {

struct Stamp {
    std::string hash;  // SHA-256, hex
    int pages = 0;
    Diagnostics diags;
};

// What the font files are, for stamp_hash: a hash of each one's name, size
// and table checksums.
std::string fonts_digest(const std::vector<std::string>& files);

// The hash of a run of `files` (plus standard input's `text`) with these
// options and fonts (fonts_digest()).
std::string stamp_hash(const std::vector<std::string>& files, const std::string& text, const RenderOptions& options,
                       const std::string& fonts);

// The stamp's path: ".NAME.pdf.galley" beside the output.
std::string stamp_path(const std::string& output);

// The stamp beside `output` when it and the output are there and readable.
std::optional<Stamp> read_stamp(const std::string& output);
void write_stamp(const std::string& output, const Stamp& stamp);

}  // namespace galley
