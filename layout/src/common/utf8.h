// UTF-8: the one decoder and encoder of the engine (and of the font
// preparation tool, which includes this header on its own: header-only, no
// dependency on the rest of Galley).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace galley {

// One decoded character: its code point and how many bytes it took.
struct Utf8Char {
    char32_t cp = 0;
    std::size_t len = 0;  // 0 only at the end of the text
    bool valid = true;    // false: a malformed sequence, cp is U+FFFD, len 1
};

// Decodes the character starting at s[i]. A malformed sequence (a stray
// continuation byte, a truncated sequence, an overlong form, a surrogate, a
// code point above U+10FFFF) decodes as U+FFFD of length 1, so that decoding
// resumes at the next byte. At or past the end: {0, 0}.
inline Utf8Char utf8_decode(std::string_view s, std::size_t i) {
    if (i >= s.size()) return {0, 0, true};
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return {c, 1, true};
    const Utf8Char bad{U'\uFFFD', 1, false};
    std::size_t len;
    char32_t cp, min;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return bad;
    if (i + len > s.size()) return bad;
    for (std::size_t k = 1; k < len; ++k) {
        const unsigned char cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return bad;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return bad;
    return {cp, len, true};
}

// Decodes the code point at s[i] and advances i past it (U+FFFD and one
// byte for a malformed sequence).
inline char32_t utf8_next(const std::string& s, std::size_t& i) {
    Utf8Char ch = utf8_decode(s, i);
    i += ch.len > 0 ? ch.len : 1;
    return ch.cp;
}

// The code point ending just before byte `end` (0 when there is none).
inline char32_t utf8_before(std::string_view s, std::size_t end) {
    if (end == 0 || end > s.size()) return 0;
    std::size_t i = end - 1;
    while (i > 0 && end - i < 4 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    return utf8_decode(s.substr(0, end), i).cp;
}

// Appends `c` encoded as UTF-8.
inline void utf8_append(std::string& s, char32_t c) {
    if (c < 0x80) {
        s += static_cast<char>(c);
    } else if (c < 0x800) {
        s += static_cast<char>(0xC0 | (c >> 6));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        s += static_cast<char>(0xE0 | (c >> 12));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (c >> 18));
        s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// Offset of the first byte that does not start a well-formed sequence
// (reported at the lead byte of a broken one); nullopt when all is valid.
inline std::optional<std::size_t> utf8_find_invalid(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        Utf8Char ch = utf8_decode(s, i);
        if (!ch.valid) return i;
        i += ch.len;
    }
    return std::nullopt;
}

// Why `c` may not stand in text (it would reach Pango and HarfBuzz, which
// cannot take NUL and make no sense of the others): "a control character"
// (C0 but tab, line feed and carriage return; DEL; C1) or "a noncharacter"
// (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF); nullptr when it may.
inline const char* forbidden_char(char32_t c) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F)) return "a control character";
    if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) return "a noncharacter";
    return nullptr;
}

// "U+0000": how messages name a code point.
inline std::string code_point_name(char32_t c) {
    static const char digits[] = "0123456789ABCDEF";
    std::string hex;
    for (char32_t v = c; v > 0 || hex.size() < 4; v >>= 4) hex.insert(hex.begin(), digits[v & 0xF]);
    return "U+" + hex;
}

// Number of code points in (valid) UTF-8: the bytes that are not
// continuation bytes.
inline std::size_t utf8_count(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

// Every code point of `s`, malformed sequences as U+FFFD.
inline std::u32string utf8_decode_all(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        Utf8Char ch = utf8_decode(s, i);
        out += ch.cp;
        i += ch.len;
    }
    return out;
}

// The reverse of utf8_decode_all().
inline std::string utf8_encode(std::u32string_view s) {
    std::string out;
    for (char32_t c : s) utf8_append(out, c);
    return out;
}

// UTF-16BE code units of `s` (supplementary planes as surrogate pairs), no
// byte order mark: PDF text strings and OpenType 'name' records.
inline std::string utf16be_encode(std::u32string_view s) {
    std::string out;
    auto unit = [&out](char32_t u) {
        out += static_cast<char>((u >> 8) & 0xFF);
        out += static_cast<char>(u & 0xFF);
    };
    for (char32_t c : s) {
        if (c < 0x10000) {
            unit(c);
        } else {
            c -= 0x10000;
            unit(0xD800 + (c >> 10));
            unit(0xDC00 + (c & 0x3FF));
        }
    }
    return out;
}

}  // namespace galley
