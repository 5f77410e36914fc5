#include "flow/compose.h"

#include <chrono>

#include "text/font_context.h"

namespace galley {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

}  // namespace

ShapedParagraph shape(ComposeContext& cx, const StyledParagraph& para) {
    auto t0 = Clock::now();
    ShapedParagraph shaped = shape_paragraph(para, cx.fonts, cx.pango);
    cx.times.shape += ms_since(t0);
    return shaped;
}

std::vector<SetLine> break_and_set(ComposeContext& cx, const ShapedParagraph& para, const ComposeOptions& o) {
    if (para.clusters.empty()) return {};
    auto t0 = Clock::now();
    const Style& style = cx.style;
    ItemParams ip;
    ip.indent = o.indent;
    ip.punctuation = style.punctuation;
    ip.level = style.break_level;
    ip.han_latin_gap_em = style.han_latin_gap_em;
    ip.hyphens = o.hyphenate && style.hyphenate ? hyphen_dict(cx.fonts, cx.lang) : nullptr;
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
        if (br.overfull_lines == 0) warning(cx.diags, para.pos, "loose line: no break within the tolerance");
    }
    if (br.overfull_lines > 0) {
        ip.emergency = true;
        items = make_items(para, ip);
        br = break_lines(items.items, lp, o.measure);
        warning(cx.diags, para.pos,
                br.overfull_lines > 0 ? "overfull line: a run of text is wider than the column"
                                      : "no legal line break; a line was broken where the rules forbid it");
    }
    cx.times.linebreak += ms_since(t0);
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

std::vector<SetLine> compose(ComposeContext& cx, const StyledParagraph& para, const ComposeOptions& options) {
    return break_and_set(cx, shape(cx, para), options);
}

}  // namespace galley
