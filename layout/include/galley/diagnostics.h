// Diagnostics: every message names its place in the user's file.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace galley {

// 1-based line and column, counted in the original file (columns in
// Unicode code points). line 0 means "the whole file".
struct SourcePos {
    std::string file;
    int line = 0;
    int col = 0;
};

enum class Severity { Warning, Error };

struct Diagnostic {
    Severity severity = Severity::Error;
    SourcePos pos;
    std::string message;
};

using Diagnostics = std::vector<Diagnostic>;

// "file:line:col: error: message" (line/col left out when unknown).
std::string format(const Diagnostic& d);
bool has_errors(const Diagnostics& ds);

inline void error(Diagnostics& ds, SourcePos pos, std::string message) {
    ds.push_back({Severity::Error, std::move(pos), std::move(message)});
}
inline void warning(Diagnostics& ds, SourcePos pos, std::string message) {
    ds.push_back({Severity::Warning, std::move(pos), std::move(message)});
}

// Thrown where a stage cannot go on (unreadable file, missing font).
struct Failure : std::runtime_error {
    Diagnostic diagnostic;
    explicit Failure(Diagnostic d) : std::runtime_error(format(d)), diagnostic(std::move(d)) {}
};

}  // namespace galley
