#include "style/cascade.h"

#include "text/shaped.h"

namespace galley {

Style style_for_language(const Style& style, const std::string& lang) {
    Style s = style;
    const bool cjk = is_cjk_lang(lang);
    for (TextRole* r : {&s.body, &s.kicker, &s.title, &s.subtitle, &s.dateline, &s.summary, &s.heading2,
                        &s.heading3, &s.quote, &s.list, &s.byline, &s.credits, &s.folio, &s.code, &s.caption,
                        &s.masthead, &s.masthead_info, &s.running_head, &s.jump, &s.contents_title, &s.contents}) {
        if (cjk)
            r->italic = false;  // no italic in Chinese faces; Pango would slant them
        else
            r->font.insert(r->font.begin(), r->latin_font.begin(), r->latin_font.end());
    }
    // Latin paragraphs are indented 1 em, not the 2 字 of Chinese ones.
    if (!cjk) s.indent_em = std::min(s.indent_em, 1.0);
    return s;
}

StyledParagraph style_text(const std::string& text, const TextRole& role, const std::string& lang,
                           const SourcePos& pos) {
    StyledParagraph p;
    p.lang = lang;
    p.pos = pos;
    p.runs.push_back({text, role, {}});
    return p;
}

StyledParagraph style_spans(const std::vector<Span>& spans, const TextRole& role, const Style& style,
                            const std::string& lang, const SourcePos& pos) {
    StyledParagraph p;
    p.lang = lang;
    p.pos = pos;
    const bool cjk = is_cjk_lang(lang);
    for (const Span& s : spans) {
        TextRole r = role;
        if (s.code) {
            r.font = style.code.font;
        }
        if (s.strong) r.bold = true;
        // Chinese faces have no italic; emphasis there is bold, as in print.
        if (s.emphasis) (cjk ? r.bold : r.italic) = true;
        if (!s.link.empty()) r.color = style.accent;
        if (!p.runs.empty() && p.runs.back().link == s.link && p.runs.back().role.bold == r.bold &&
            p.runs.back().role.italic == r.italic && p.runs.back().role.font == r.font)
            p.runs.back().text += s.text;
        else
            p.runs.push_back({s.text, r, s.link});
    }
    return p;
}

}  // namespace galley
