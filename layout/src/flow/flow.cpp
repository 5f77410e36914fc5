// flow: paragraphs -> lines -> columns and pages on one baseline grid.
#include <pango/pangocairo.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "galley/engine.h"
#include "style/cascade.h"
#include "text/font_context.h"
#include "flow/compose.h"

namespace galley {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// A set line waiting for its place: x relative to the block's left edge.
struct PendingLine {
    SetLine line;
    double x = 0;
    int space_before = 0;    // blank grid lines before it (dropped at a column top)
    bool keep_with_next = false;
    bool quote_bar = false;  // a block quote's line: a bar in the margin beside it
    bool bullet = false;     // a list item's first line: a dot in its indent
};

struct Geometry {
    double em, pitch;
    double left, text_width, column_width, gutter;
    double top, bottom;
    int columns, lines_per_column;
    double baseline(int line) const { return top + line * pitch + 0.5 * pitch + 0.38 * em; }
    double column_x(int c) const { return left + c * (column_width + gutter); }
};

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
    g.lines_per_column = std::max(1, static_cast<int>(std::floor((g.bottom - g.top) / g.pitch)));
    return g;
}

void place(Frame& page, const SetLine& line, double x, double y) {
    for (GlyphRun r : line.runs) {
        r.x += x;
        r.y = y;
        page.items.push_back(std::move(r));
    }
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

std::string dateline_text(const Dateline& d, bool cjk) {
    std::vector<std::string> parts;
    if (!d.place.empty()) parts.push_back(d.place);
    if (!d.source.empty()) parts.push_back(d.source);
    if (d.date) {
        const DateTime& t = *d.date;
        char buf[64];
        if (cjk) {
            std::snprintf(buf, sizeof buf, "%d年%d月%d日", t.year, t.month, t.day);
        } else {
            static const char* months[] = {"January", "February", "March", "April", "May", "June", "July",
                                           "August", "September", "October", "November", "December"};
            std::snprintf(buf, sizeof buf, "%s %d, %d", months[(t.month + 11) % 12], t.day, t.year);
        }
        std::string s = buf;
        if (t.has_time) {
            std::snprintf(buf, sizeof buf, " %02d:%02d", t.hour, t.minute);
            s += buf;
        }
        parts.push_back(s);
    }
    return join(parts, cjk ? "\u3000" : " · ");
}

std::string iso_date(const DateTime& t) {
    char buf[64];
    int off = t.has_offset ? t.offset_minutes : 0;
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", t.year, t.month, t.day, t.hour,
                  t.minute, t.second, off < 0 ? '-' : '+', std::abs(off) / 60, std::abs(off) % 60);
    return buf;
}

}  // namespace

Layout layout_article(const Document& doc, const Style& base_style, FontContext& fonts, Diagnostics& diags,
                      StageTimes* times_out) {
    StageTimes local;
    StageTimes& times = times_out ? *times_out : local;
    const std::string lang = doc.lang.empty() ? base_style.lang : doc.lang;
    const bool cjk = is_cjk_lang(lang);
    const Style style = style_for_language(base_style, lang);
    const Geometry g = geometry(style);
    PangoContext* ctx = new_pango_context(fonts);
    ComposeContext cx{fonts, ctx, style, lang, diags, times};
    auto comp = [&](const StyledParagraph& sp, double measure, double indent, Align align, bool hyphenate = false) {
        return compose(cx, sp, {measure, indent, align, hyphenate});
    };

    Layout layout;
    layout.title = doc.title;
    layout.author = join(doc.byline, cjk ? "、" : ", ");
    layout.subject = doc.summary;
    layout.keywords = join(doc.tags, ", ");
    layout.lang = lang;
    if (doc.dateline && doc.dateline->date) layout.date = iso_date(*doc.dateline->date);

    auto t_flow = Clock::now();
    double shaping_before = times.shape + times.linebreak;
    auto new_page = [&] {
        Frame f;
        f.width = style.page_width;
        f.height = style.page_height;
        layout.pages.push_back(std::move(f));
    };
    new_page();

    // Page 1 head: kicker, title, subtitle, dateline and summary span all
    // columns; the body grid starts on the next whole line below them.
    double y = g.top;
    auto head_block = [&](const std::string& text, const TextRole& role, double inset, const SourcePos& pos) {
        if (text.empty()) return;
        double pitch = role.line_pitch > 0 ? role.line_pitch : role.size * 1.5;
        auto lines = comp(style_text(text, role, lang, pos), g.text_width - 2 * inset, 0, role.align);
        for (auto& l : lines) {
            y += pitch;
            place(layout.pages.back(), l, g.left + inset, y - (pitch - role.size) / 2 - 0.12 * role.size);
        }
    };
    head_block(doc.kicker, style.kicker, 0, doc.title_pos);
    head_block(doc.title, style.title, 0, doc.title_pos);
    head_block(doc.subtitle, style.subtitle, 0, doc.title_pos);
    if (doc.dateline) head_block(dateline_text(*doc.dateline, cjk), style.dateline, 0, doc.dateline->pos);
    if (!doc.summary.empty()) {
        y += 0.5 * g.pitch;
        Rule top{g.left, y, g.left + g.text_width, y, style.rule_width, style.accent};
        layout.pages.back().items.push_back(top);
        y += 0.25 * g.pitch;
        TextRole r = style.summary;
        double pitch = r.line_pitch > 0 ? r.line_pitch : g.pitch;
        // A blank line in the summary's YAML block separates its paragraphs.
        size_t from = 0;
        while (from < doc.summary.size()) {
            size_t to = doc.summary.find('\n', from);
            if (to == std::string::npos) to = doc.summary.size();
            auto lines = comp(style_text(doc.summary.substr(from, to - from), r, lang, doc.title_pos),
                                      g.text_width - 4 * g.em, 2 * r.size, r.align);
            for (auto& l : lines) {
                y += pitch;
                place(layout.pages.back(), l, g.left + 2 * g.em, y - (pitch - r.size) / 2 - 0.12 * r.size);
            }
            from = to + 1;
        }
        y += 0.5 * g.pitch;
        Rule bottom{g.left, y, g.left + g.text_width, y, style.rule_width, style.accent};
        layout.pages.back().items.push_back(bottom);
    }
    int first_line = static_cast<int>(std::ceil((y - g.top) / g.pitch - 1e-6));
    if (y > g.top) first_line += 1;  // a blank line between head and body

    // The body and the closing lines, as one list of lines on the grid.
    std::vector<PendingLine> pending;
    auto add = [&](std::vector<SetLine> lines, double x, int space_before, int keep_first, bool bar = false) {
        for (size_t k = 0; k < lines.size(); ++k) {
            PendingLine p{std::move(lines[k]), x, k == 0 ? space_before : 0, false, bar};
            pending.push_back(std::move(p));
        }
        // A heading stays with what follows it.
        if (keep_first && !pending.empty()) pending.back().keep_with_next = true;
    };
    const double indent = style.indent_em * g.em;
    for (const Block& b : doc.body) {
        double inset = b.kind == BlockKind::ListItem ? 2 * g.em * std::max(0, b.list_depth - 1) : 0;
        double measure = g.column_width - inset;
        switch (b.kind) {
            case BlockKind::Heading: {
                const TextRole& r = b.level <= 2 ? style.heading2 : style.heading3;
                add(comp(style_spans(b.spans, r, style, lang, b.pos), measure, 0, r.align), inset,
                    1, 1);
                break;
            }
            case BlockKind::Paragraph: {
                // Quotes keep the column's measure (lines stay on the
                // column's edges); a bar in the margin marks them.
                const TextRole& r = b.quote_depth > 0 ? style.quote : style.body;
                add(comp(style_spans(b.spans, r, style, lang, b.pos), measure, indent, r.align, true), inset,
                    0, 0, b.quote_depth > 0);
                break;
            }
            case BlockKind::ListItem: {
                // An item reads as a paragraph: numbers run in as text, a
                // bullet is a dot drawn in the indent (it is not the
                // author's text, so it is not in the PDF's text either).
                std::vector<Span> spans = b.spans;
                if (!b.list_continuation && b.ordered) {
                    Span m;
                    m.text = cjk ? "（" + std::to_string(b.number) + "）" : std::to_string(b.number) + ". ";
                    m.pos = b.pos;
                    spans.insert(spans.begin(), m);
                }
                size_t first = pending.size();
                add(comp(style_spans(spans, style.list, style, lang, b.pos), measure, indent, style.list.align,
                         true),
                    inset, 0, 0, b.quote_depth > 0);
                if (!b.list_continuation && !b.ordered && first < pending.size()) pending[first].bullet = true;
                break;
            }
            case BlockKind::CodeBlock: {
                std::string text;
                for (auto& s : b.spans) text += s.text;
                size_t start = 0;
                while (start <= text.size()) {
                    size_t end = text.find('\n', start);
                    std::string one = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
                    if (!one.empty())
                        add(comp(style_text(one, style.code, lang, b.pos), measure, 0, Align::Start), inset, 0, 0);
                    if (end == std::string::npos) break;
                    start = end + 1;
                }
                break;
            }
            case BlockKind::Figure: {
                // The picture itself is placed by the newsletter flow; a
                // single article keeps its caption and credit in the text.
                const Image& im = *b.image;
                std::string cap = im.caption + (im.credit.empty() ? "" : (cjk ? "（" + im.credit + "）" : " (" + im.credit + ")"));
                warning(diags, b.pos, "image '" + im.src + "' is not placed in single-article layout; its caption is");
                add(comp(style_text(cap, style.dateline, lang, b.pos), measure, 0, Align::Center), inset, 1, 0);
                break;
            }
            case BlockKind::Rule:
                break;
        }
    }
    // Byline and credits close the article, flush right (bulletin use).
    if (!doc.byline.empty()) {
        std::string text = cjk ? "（记者 " + join(doc.byline, " ") + "）" : "By " + join(doc.byline, " and ");
        add(comp(style_text(text, style.byline, lang, doc.title_pos), g.column_width, 0, style.byline.align), 0, 0, 0);
    }
    for (const Credit& c : doc.credits) {
        std::string text = c.role + (cjk ? "：" : ": ") + c.name;
        add(comp(style_text(text, style.credits, lang, doc.title_pos), g.column_width, 0, style.credits.align), 0, 0, 0);
    }

    // Fill columns top to bottom, left to right, page after page. On page
    // 1 the columns start below the head.
    first_line = std::min(first_line, g.lines_per_column - 1);
    auto top_line = [&] { return layout.pages.size() == 1 ? first_line : 0; };
    int column = 0, line = first_line;
    auto next_column = [&] {
        if (++column == g.columns) {
            column = 0;
            new_page();
        }
        line = top_line();
    };
    for (size_t i = 0; i < pending.size(); ++i) {
        PendingLine& p = pending[i];
        if (line >= g.lines_per_column) next_column();
        bool at_top = line == top_line();
        int need = (at_top ? 0 : p.space_before) + 1;
        // Keep a heading with the two lines after it.
        int keep = 0;
        for (size_t k = i; k < pending.size() && pending[k].keep_with_next; ++k) ++keep;
        if (keep) keep += 2;
        if (!at_top && line + need - 1 + keep >= g.lines_per_column) {
            next_column();
            need = 1;
        }
        line += need - 1;
        place(layout.pages.back(), p.line, g.column_x(column) + p.x, g.baseline(line));
        if (p.bullet) {
            double x = g.column_x(column) + p.x + indent - 0.9 * g.em, y = g.baseline(line) - 0.33 * g.em;
            layout.pages.back().items.push_back(Rule{x, y, x, y, 0.35 * g.em, style.body.color, true});
        }
        if (p.quote_bar) {
            double x = g.column_x(column) - 0.6 * g.em;
            double top = g.top + line * g.pitch;
            layout.pages.back().items.push_back(Rule{x, top, x, top + g.pitch, 1.5 * style.rule_width, style.accent});
        }
        ++line;
    }
    // Folios: "- 1 -" centred below the text block (a lone — may not start a line).
    for (size_t p = 0; p < layout.pages.size(); ++p) {
        std::string folio = "- " + std::to_string(p + 1) + " -";
        // Shaped as Latin so the spaces around the dashes stay.
        auto lines = comp(style_text(folio, style.folio, "en", {}), g.text_width, 0, Align::Center);
        if (!lines.empty()) place(layout.pages[p], lines.front(), g.left, g.bottom + 1.5 * g.pitch);
    }
    times.flow += ms_since(t_flow) - (times.shape + times.linebreak - shaping_before);
    g_object_unref(ctx);
    return layout;
}

}  // namespace galley
