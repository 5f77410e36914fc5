#include "style/cascade.h"

#include <algorithm>
#include <cmath>

#include "common/language.h"
#include "style/geometry.h"

namespace galley {

Style style_for_language(const Style& style, const std::string& lang) {
    Style s = style;
    const bool cjk = is_cjk_lang(lang);
    std::vector<TextRole*> roles{&s.body};
    for (auto& [name, role] : text_roles(s)) roles.push_back(role);
    for (TextRole* r : roles) {
        if (cjk)
            r->italic = false;  // no italic in Chinese faces; Pango would slant them
        else
            r->font.insert(r->font.begin(), r->latin_font.begin(), r->latin_font.end());
    }
    // Latin paragraphs are indented 1 em, not the 2 字 of Chinese ones.
    if (!cjk) s.indent_em = std::min(s.indent_em, 1.0);
    return s;
}

Geometry geometry(const Style& s) {
    Geometry g;
    g.em = s.body.size;
    g.pitch = s.body.line_pitch > 0 ? s.body.line_pitch : 1.6 * s.body.size;
    g.columns = std::max(1, s.columns);
    g.gutter = s.gutter_em * g.em;
    double avail = s.page_width - s.margin_inner - s.margin_outer;
    // Columns hold a whole number of characters (cjk-rules §5).
    g.column_width = std::floor((avail - g.gutter * (g.columns - 1)) / g.columns / g.em) * g.em;
    g.text_width = g.columns * g.column_width + (g.columns - 1) * g.gutter;
    g.left = s.margin_inner + (avail - g.text_width) / 2;
    g.top = s.margin_top;
    g.bottom = s.page_height - s.margin_bottom;
    g.rows = std::max(1, static_cast<int>(std::floor((g.bottom - g.top) / g.pitch)));
    return g;
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
        if (!s.note.empty()) {
            // A note's marker: its number, smaller and raised, in the text's colour.
            r.size = 0.6 * role.size;
            p.runs.push_back({s.text, r, s.link, false, 0.4 * role.size});
            continue;
        }
        if (!s.link.empty()) r.color = style.accent;
        const StyledRun* last = p.runs.empty() ? nullptr : &p.runs.back();
        if (last && last->link == s.link && last->role.bold == r.bold && last->role.italic == r.italic &&
            last->role.font == r.font && last->strike == s.strike && last->rise == 0 && last->code == s.code)
            p.runs.back().text += s.text;
        else
            p.runs.push_back({s.text, r, s.link, s.strike, 0, s.code});
    }
    return p;
}

}  // namespace galley
