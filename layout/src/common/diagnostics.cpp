#include "galley/diagnostics.h"

#include <algorithm>

namespace galley {

std::string format(const Diagnostic& d) {
    std::string out = d.pos.file.empty() ? std::string("galley") : d.pos.file;
    if (d.pos.line > 0) {
        out += ":" + std::to_string(d.pos.line);
        if (d.pos.col > 0) out += ":" + std::to_string(d.pos.col);
    }
    out += d.severity == Severity::Error ? ": error: " : ": warning: ";
    out += d.message;
    return out;
}

bool has_errors(const Diagnostics& ds) {
    return std::any_of(ds.begin(), ds.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

}  // namespace galley
