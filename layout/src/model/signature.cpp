// 落款 found at the end of a Chinese official document's body.
#include <regex>

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

// 2024年3月5日, 二〇二四年三月五日. Alternations, not bracket classes:
// std::regex reads bytes.
bool date_line(const std::string& t) {
    static const std::regex date(
        R"(^(?:\d{4}|(?:〇|零|一|二|三|四|五|六|七|八|九){4})年(?:\d{1,2}|(?:十|一|二|三|四|五|六|七|八|九){1,3})月)"
        R"((?:\d{1,2}|(?:十|一|二|三|四|五|六|七|八|九){1,3})日$)");
    return std::regex_match(t, date);
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
