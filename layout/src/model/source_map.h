// Internal helpers of the loader: mapping byte offsets of the article text to
// the line:col positions users see, reading and checking source files, and
// the loader's notions of CJK text and white space (UTF-8 itself is
// common/utf8.h).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "galley/diagnostics.h"

namespace galley::model {

// Line table over one article's text. Positions are 1-based, columns in code
// points, so CJK text before an error does not shift the reported column.
class SourceMap {
public:
    SourceMap(std::string_view text, std::string file);

    SourcePos at(std::size_t offset) const;
    // `line0` is 0-based, `byte_col` a byte column within that line (what
    // yaml-cpp's Mark gives).
    SourcePos at_line_byte(int line0, int byte_col) const;

    int line_count() const { return static_cast<int>(starts_.size()); }
    std::size_t line_start(int line0) const { return starts_[static_cast<std::size_t>(line0)]; }
    // The line's text without its line ending.
    std::string_view line(int line0) const;
    std::string_view text() const { return text_; }
    const std::string& file() const { return file_; }

private:
    std::string_view text_;
    std::string file_;
    std::vector<std::size_t> starts_;
};

// The whole file at `path`, a regular file of at most `max_bytes` (see
// read_source). When it cannot be read, reports "cannot read the <what>:
// <why>" (e.g. what = "article") and returns nullopt.
std::optional<std::string> read_source_file(const std::string& path, const std::string& what, std::size_t max_bytes,
                                            Diagnostics& diags);

// `text` without a UTF-8 byte order mark, which is not part of the first
// line's text.
std::string_view strip_bom(std::string_view text);

// Everything after loading assumes valid UTF-8 (column counting, YAML, md4c)
// without controls or noncharacters (Pango aborts on NUL): reports the first
// invalid byte ("the <what> must be saved as UTF-8") or forbidden character
// (forbidden_char) of the map's text and returns false, or returns true.
bool check_text(const SourceMap& map, const std::string& what, Diagnostics& diags);

// What is wrong with a string that YAML escapes made (invalid UTF-8, a
// control character, a noncharacter), worded to follow "the value …";
// nullopt when nothing is.
std::optional<std::string> text_problem(std::string_view s);

// Han, kana, CJK punctuation and full-width forms: scripts written without
// spaces between words, so a line break between two of them joins directly.
bool is_cjk(char32_t cp);

// Whitespace trimmed at the edges of a block or field: ASCII white space,
// U+3000 (ideographic space, often typed as a paragraph indent) and U+2028.
std::string_view trim(std::string_view s);
std::string_view trim_left(std::string_view s);
std::string_view trim_right(std::string_view s);

}  // namespace galley::model
