// Small string helpers shared across the engine.
#pragma once
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace galley {

// Names or tags in one string: join({"崔霖鹏", "李玮"}, "、"). Every item
// counts, empty ones too.
inline std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

// join() of the non-empty items only.
inline std::string join_non_empty(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (const auto& s : v) {
        if (s.empty()) continue;
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

// `s` with &, <, > and " as XML entities (for text and attribute values).
inline std::string xml_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// ASCII letters in lower case (file extensions, charset names, HTML names).
inline std::string ascii_lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// Whether a link may go in a PDF: a PDF link runs what it names in some
// readers, so only web and mail addresses and places in the document.
inline bool safe_link(std::string_view href) {
    const std::string lower = ascii_lower(std::string(href.substr(0, 8)));
    for (std::string_view scheme : {"http://", "https://", "mailto:", "#"})
        if (lower.rfind(scheme, 0) == 0) return true;
    return false;
}

// Non-ASCII and unsafe bytes of a URI percent-encoded (PDF wants 7-bit ASCII; cairo 1.16 writes URIs raw).
inline std::string percent_encode(const std::string& uri) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    auto is_hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    for (size_t i = 0; i < uri.size(); ++i) {
        unsigned char c = uri[i];
        if (c > 0x20 && c < 0x7F && c != '%' && c != '"' && c != '<' && c != '>' && c != '\\' && c != '^' &&
            c != '`' && c != '{' && c != '|' && c != '}') {
            out += static_cast<char>(c);
        } else if (c == '%' && i + 2 < uri.size() && is_hex(uri[i + 1]) && is_hex(uri[i + 2])) {
            out += '%';  // already an escape
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace galley
