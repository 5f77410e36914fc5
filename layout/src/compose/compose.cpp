#include "compose/compose.h"

#include <cmath>
#include <cstdio>

#include "common/timing.h"
#include "style/cascade.h"
#include "text/font_context.h"

namespace galley {
namespace {

// Everything of a styled paragraph that shaping or setting reads.
std::string paragraph_key(const StyledParagraph& p) {
    std::string key = p.lang;
    char buf[160];
    for (const StyledRun& r : p.runs) {
        key += '\x1d';
        for (const std::string& f : r.role.font) key += f + '\x1f';
        std::snprintf(buf, sizeof buf, "\x1e%.4f %d %d %.4f %.4f %.4f %d %.4f\x1e", r.role.size, r.role.bold,
                      r.role.italic, r.role.color.r, r.role.color.g, r.role.color.b, static_cast<int>(r.role.align),
                      r.role.line_pitch);
        key += buf + r.link + '\x1e' + r.text;
    }
    return key;
}

}  // namespace

Composer::Composer(FontContext& f, Diagnostics& d, RunStats& s)
    : fonts(f), diags(d), stats(s), pango(new_pango_context(f)) {}

Composer::~Composer() { g_object_unref(pango); }

const ShapedParagraph& shape(Composer& c, const StyledParagraph& para) {
    std::string key = paragraph_key(para);
    auto it = c.shaped.find(key);
    if (it != c.shaped.end()) return it->second;
    auto t0 = Clock::now();
    ShapedParagraph shaped = shape_paragraph(para, c.fonts, c.pango, c.font_table, c.stats.itemize_calls);
    if (!shaped.text.empty()) ++c.stats.shaped_strings;
    c.stats.shape += ms_since(t0);
    return c.shaped.emplace(std::move(key), std::move(shaped)).first->second;
}

std::vector<SetLine> break_and_set(ComposeContext& cx, const ShapedParagraph& para, const ComposeOptions& o) {
    if (para.clusters.empty()) return {};
    Composer& c = cx.composer;
    auto t0 = Clock::now();
    const Style& style = cx.style;
    ItemParams ip;
    ip.indent = o.indent;
    ip.punctuation = style.punctuation;
    ip.level = style.break_level;
    ip.han_latin_gap_em = style.han_latin_gap_em;
    ip.hyphens = o.hyphenate && style.hyphenate ? hyphen_dict(c.fonts, cx.lang) : nullptr;
    ip.hyphen_penalty = style.hyphen_penalty;
    ip.ragged = o.align != Align::Justify;
    LinebreakParams lp;
    lp.tolerance = style.tolerance;
    lp.line_penalty = style.line_penalty;
    lp.flagged_demerits = style.double_hyphen_demerits;
    lp.fitness_demerits = style.fitness_demerits;
    if (ip.ragged) lp.line_stretch = 3 * para.em;
    ParagraphItems items = make_items(para, ip);
    LinebreakResult br = break_lines(items.items, lp, o.measure);
    // Looser lines before rule-breaking ones: a second pass at twice the
    // tolerance, a third that takes any loose line (TeX's emergency
    // stretch), and only when a run is wider than the measure, breaks at
    // any cluster boundary.
    if (br.overfull_lines > 0) {
        lp.tolerance = 2 * style.tolerance;
        br = break_lines(items.items, lp, o.measure);
    }
    if (br.overfull_lines > 0) {
        lp.tolerance = 1000;
        br = break_lines(items.items, lp, o.measure);
        if (br.overfull_lines == 0) warning(c.diags, para.pos, "loose line: no break within the tolerance");
    }
    if (br.overfull_lines > 0) {
        ip.emergency = true;
        items = make_items(para, ip);
        br = break_lines(items.items, lp, o.measure);
        warning(c.diags, para.pos,
                br.overfull_lines > 0 ? "overfull line: a run of text is wider than the column"
                                      : "no legal line break; a line was broken where the rules forbid it");
    }
    c.stats.linebreak += ms_since(t0);
    std::vector<SetLine> lines;
    int from = -1;
    for (size_t k = 0; k < br.breaks.size(); ++k) {
        const Break& b = br.breaks[k];
        bool last = k + 1 == br.breaks.size();
        SetLine line = set_line(para, items, from, b.item, b.ratio, o.align == Align::Justify && !last);
        double shift = o.align == Align::Center ? (o.measure - line.width) / 2
                     : o.align == Align::End    ? o.measure - line.width
                                                : 0;
        for (auto& r : line.runs) r.x += shift;
        lines.push_back(std::move(line));
        from = b.item;
    }
    return lines;
}

const std::vector<SetLine>& compose(ComposeContext& cx, const StyledParagraph& para, const ComposeOptions& o) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.4f %.4f %d %d|", o.measure, o.indent, static_cast<int>(o.align), o.hyphenate);
    std::string key = buf + paragraph_key(para);
    auto it = cx.composer.lines.find(key);
    if (it != cx.composer.lines.end()) return it->second;
    auto lines = break_and_set(cx, shape(cx.composer, para), o);
    return cx.composer.lines.emplace(std::move(key), std::move(lines)).first->second;
}

void add_runs(std::vector<FrameItem>& out, const SetLine& line, double x, double baseline) {
    for (GlyphRun r : line.runs) {
        r.x += x;
        r.y = baseline;
        out.push_back(std::move(r));
    }
}

double stack(std::vector<FrameItem>& out, const std::vector<SetLine>& lines, const TextRole& role, double x,
             double y, double body_pitch) {
    double pitch = role.line_pitch > 0 ? role.line_pitch : std::max(body_pitch, 1.5 * role.size);
    for (const SetLine& l : lines) {
        add_runs(out, l, x, y + baseline_in(pitch, role.size));
        y += pitch;
    }
    return y;
}

HeadBlock text_block(ComposeContext& cx, const std::string& text, const TextRole& role, double width,
                     const Geometry& g, const SourcePos& pos) {
    HeadBlock b;
    if (text.empty()) return b;
    const auto& lines = compose(cx, style_text(text, role, cx.lang, pos), {width, 0, role.align, false});
    double y = stack(b.items, lines, role, 0, 0, g.pitch);
    b.rows = static_cast<int>(std::ceil(y / g.pitch - 1e-6));
    return b;
}

std::vector<FrameItem> one_line(ComposeContext& cx, const std::string& text, const TextRole& role, double width,
                                Align align) {
    std::vector<FrameItem> out;
    const auto& lines = compose(cx, style_text(text, role, cx.lang, {}), {width, 0, align, false});
    for (size_t k = 0; k < lines.size(); ++k) add_runs(out, lines[k], 0, k * role.size * 1.4);
    return out;
}

}  // namespace galley
