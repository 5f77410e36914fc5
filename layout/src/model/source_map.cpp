#include "model/source_map.h"

#include <algorithm>
#include <cstdio>

#include "common/files.h"
#include "common/utf8.h"

namespace galley::model {

SourceMap::SourceMap(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i)
        if (text_[i] == '\n') starts_.push_back(i + 1);
}

std::string_view SourceMap::line(int line0) const {
    if (line0 < 0 || line0 >= line_count()) return {};
    std::size_t begin = line_start(line0);
    std::size_t end = line0 + 1 < line_count() ? line_start(line0 + 1) - 1 : text_.size();
    if (end > begin && text_[end - 1] == '\r') --end;
    return text_.substr(begin, end - begin);
}

SourcePos SourceMap::at(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    std::size_t line0 = static_cast<std::size_t>(it - starts_.begin()) - 1;
    int col = 1 + static_cast<int>(utf8_count(text_.substr(starts_[line0], offset - starts_[line0])));
    return {file_, static_cast<int>(line0) + 1, col};
}

SourcePos SourceMap::at_line_byte(int line0, int byte_col) const {
    if (line0 < 0) return {file_, 1, 1};
    if (line0 >= line_count()) return at(text_.size());
    std::size_t begin = line_start(line0);
    std::size_t len = line(line0).size();
    std::size_t col = byte_col < 0 ? 0 : std::min(static_cast<std::size_t>(byte_col), len);
    return at(begin + col);
}

std::optional<std::string> read_source_file(const std::string& path, const std::string& what, std::size_t max_bytes,
                                            Diagnostics& diags) {
    std::string why;
    std::optional<std::string> text = read_source(path, max_bytes, &why);
    // Position 0:0: the problem is the file itself, not a place in it.
    if (!text) error(diags, {path, 0, 0}, "cannot read the " + what + ": " + why);
    return text;
}

std::string_view strip_bom(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    return text;
}

bool check_text(const SourceMap& map, const std::string& what, Diagnostics& diags) {
    std::string_view text = map.text();
    if (auto bad = utf8_find_invalid(text)) {
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[*bad]));
        error(diags, map.at(*bad),
              "invalid UTF-8 (byte " + std::string(byte) + "); the " + what + " must be saved as UTF-8");
        return false;
    }
    for (std::size_t i = 0; i < text.size();) {
        Utf8Char ch = utf8_decode(text, i);
        if (const char* why = forbidden_char(ch.cp)) {
            error(diags, map.at(i),
                  code_point_name(ch.cp) + " is " + why + ", which the " + what +
                      " may not hold (only tab and line breaks); remove it");
            return false;
        }
        i += ch.len;
    }
    return true;
}

std::optional<std::string> text_problem(std::string_view s) {
    if (utf8_find_invalid(s)) return "is not valid UTF-8 (an escape such as \\ud800 makes half a character)";
    for (std::size_t i = 0; i < s.size();) {
        Utf8Char ch = utf8_decode(s, i);
        // A carriage return in a value came from an escape: YAML turns the
        // file's line breaks into \n.
        const char* why = ch.cp == '\r' ? "a control character" : forbidden_char(ch.cp);
        if (why) return "holds " + code_point_name(ch.cp) + ", " + why + " (only tab and line breaks may be used)";
        i += ch.len;
    }
    return std::nullopt;
}

bool is_cjk(char32_t c) {
    return (c >= 0x2E80 && c <= 0x2FDF) ||   // radicals
           (c >= 0x3000 && c <= 0x303F) ||   // CJK symbols and punctuation
           (c >= 0x3040 && c <= 0x30FF) ||   // hiragana, katakana
           (c >= 0x3100 && c <= 0x312F) ||   // bopomofo
           (c >= 0x3190 && c <= 0x31FF) ||   // kanbun .. katakana extensions
           (c >= 0x3400 && c <= 0x4DBF) ||   // extension A
           (c >= 0x4E00 && c <= 0x9FFF) ||   // unified ideographs
           (c >= 0xF900 && c <= 0xFAFF) ||   // compatibility ideographs
           (c >= 0xFE30 && c <= 0xFE4F) ||   // compatibility forms
           (c >= 0xFF00 && c <= 0xFFEF) ||   // full-width forms
           (c >= 0x20000 && c <= 0x3FFFF);   // supplementary ideographs
}

namespace {
// Length of the trimmable character starting at i, 0 if it is not one.
std::size_t space_len_at(std::string_view s, std::size_t i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
    if (s.compare(i, 3, "\xE3\x80\x80") == 0) return 3;  // U+3000
    if (s.compare(i, 3, "\xE2\x80\xA8") == 0) return 3;  // U+2028
    return 0;
}
}  // namespace

std::string_view trim_left(std::string_view s) {
    std::size_t i = 0, n;
    while (i < s.size() && (n = space_len_at(s, i)) > 0) i += n;
    return s.substr(i);
}

std::string_view trim_right(std::string_view s) {
    while (!s.empty()) {
        std::size_t n = 0;
        if (space_len_at(s, s.size() - 1) == 1) n = 1;
        else if (s.size() >= 3 && space_len_at(s, s.size() - 3) == 3) n = 3;
        if (n == 0) break;
        s.remove_suffix(n);
    }
    return s;
}

std::string_view trim(std::string_view s) { return trim_right(trim_left(s)); }

}  // namespace galley::model
