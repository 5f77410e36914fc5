// 落款 found at the end of a Chinese official document's body.
#include <string_view>

#include "common/utf8.h"
#include "model/markdown_body.h"

namespace galley::model {

namespace {

std::string plain_text(const Block& b) {
    std::string t;
    for (const Span& s : b.spans) t += s.text;
    return t;
}

bool plain_paragraph(const Block& b) {
    if (b.kind != BlockKind::Paragraph || b.quote_depth > 0 || b.list_depth > 0) return false;
    for (const Span& s : b.spans)
        if (s.code || !s.link.empty() || !s.note.empty()) return false;
    return true;
}

// 2024年3月5日, 二〇二四年三月五日: year, month and day each in ASCII digits
// or Han numerals. Matched by hand: compiling it as a std::regex cost a
// cold render 9 M instructions.
bool date_line(const std::string& t) {
    const std::u32string u = utf8_decode_all(t);
    auto digit = [](char32_t c) { return c >= U'0' && c <= U'9'; };
    auto han_digit = [](char32_t c) { return std::u32string_view(U"〇零一二三四五六七八九").find(c) != std::u32string_view::npos; };
    auto han_number = [](char32_t c) { return std::u32string_view(U"十一二三四五六七八九").find(c) != std::u32string_view::npos; };
    size_t i = 0;
    // From lo to hi characters that pass `ok`, then `unit`.
    auto field = [&](auto ok, size_t lo, size_t hi, char32_t unit) {
        size_t n = 0;
        while (i + n < u.size() && n < hi && ok(u[i + n])) ++n;
        if (n < lo || i + n >= u.size() || u[i + n] != unit) return false;
        i += n + 1;
        return true;
    };
    auto number = [&](size_t lo, size_t hi, auto han, size_t han_lo, size_t han_hi, char32_t unit) {
        const size_t at = i;
        if (field(digit, lo, hi, unit)) return true;
        i = at;
        return field(han, han_lo, han_hi, unit);
    };
    return number(4, 4, han_digit, 4, 4, U'年') && number(1, 2, han_number, 1, 3, U'月') &&
           number(1, 2, han_number, 1, 3, U'日') && i == u.size();
}

// A short line that does not end a sentence: an issuing body's name.
bool issuer_line(const std::string& t) {
    const std::u32string u = utf8_decode_all(t);
    if (u.empty() || u.size() > 25) return false;
    for (char32_t c : u)
        if (c == U'。' || c == U'，' || c == U'；' || c == U'：' || c == U'！' || c == U'？' || (c >= '0' && c <= '9'))
            return false;
    return true;
}

bool note_line(const std::string& t) {
    const std::u32string u = utf8_decode_all(t);
    return u.size() >= 3 && u.size() <= 40 && u.front() == U'（' && u.back() == U'）' &&
           u.find(U'）') == u.size() - 1;
}

}  // namespace

void find_signature(Document& doc) {
    if (!doc.lang.empty() && doc.lang.rfind("zh", 0) != 0) return;  // no lang: Chinese, the default
    auto& body = doc.body;
    size_t end = body.size();
    while (end > 0 && plain_paragraph(body[end - 1]) && note_line(plain_text(body[end - 1]))) --end;
    if (end < 3 || !plain_paragraph(body[end - 1]) || !date_line(plain_text(body[end - 1]))) return;
    const size_t date = end - 1;
    size_t first = date;
    while (first > 0 && date - first < 2 && plain_paragraph(body[first - 1]) && issuer_line(plain_text(body[first - 1])))
        --first;
    if (first == date || first == 0) return;  // no issuer, or nothing but the 落款
    Signature s;
    s.pos = body[first].pos;
    for (size_t k = first; k < date; ++k) s.issuers.push_back(plain_text(body[k]));
    s.date = plain_text(body[date]);
    for (size_t k = date + 1; k < body.size(); ++k) s.notes.push_back(plain_text(body[k]));
    body.erase(body.begin() + static_cast<long>(first), body.end());
    doc.signature = std::move(s);
}

}  // namespace galley::model
