#include "common/language.h"
#include "compose/compose.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/timing.h"
#include "style/cascade.h"
#include "text/font_context.h"
#include "text/words.h"

namespace galley {
namespace {

// Everything of a styled paragraph that shaping or setting reads.
std::string paragraph_key(const StyledParagraph& p) {
    std::string key = p.lang;
    char buf[160];
    for (const StyledRun& r : p.runs) {
        key += '\x1d';
        for (const std::string& f : r.role.font) key += f + '\x1f';
        std::snprintf(buf, sizeof buf, "\x1e%.4f %d %d %.4f %.4f %.4f %d %.4f %d %.4f\x1e", r.role.size, r.role.bold,
                      r.role.italic, r.role.color.r, r.role.color.g, r.role.color.b, static_cast<int>(r.role.align),
                      r.role.line_pitch, r.strike, r.rise);
        key += buf + r.link + '\x1e' + r.text;
    }
    return key;
}

}  // namespace

Composer::Composer(FontContext& f, Diagnostics& d, RunStats& s)
    : fonts(f), diags(d), stats(s), pango(new_pango_context(f)) {}

Composer::~Composer() { g_object_unref(pango); }

std::optional<ImageInfo> picture_info(Composer& c, const std::string& path, const std::string& as_written,
                                      const SourcePos& pos) {
    auto key = std::make_pair(path, as_written);
    auto it = c.pictures.find(key);
    if (it == c.pictures.end()) {
        Composer::Probe probe;
        probe.info = probe_image(path, as_written, pos, probe.messages);
        it = c.pictures.emplace(std::move(key), std::move(probe)).first;
    }
    for (const Diagnostic& d : it->second.messages)
        if (c.pictures_reported.emplace(pos.file, pos.line, pos.col, d.message).second)
            c.diags.push_back({d.severity, pos, d.message});
    return it->second.info;
}

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

namespace {

// Knuth–Plass with looser lines before rule-breaking ones: a second pass at
// twice the tolerance, a third that takes any loose line (TeX's emergency
// stretch). `pass` is the pass that fit (3 when none did).
struct Fit {
    LinebreakResult br;
    int pass = 1;
};

Fit fit(const std::vector<Item>& items, LinebreakParams lp, double measure, double tolerance) {
    Fit f;
    lp.tolerance = tolerance;
    f.br = break_lines(items, lp, measure);
    if (f.br.overfull_lines > 0) {
        f.pass = 2;
        lp.tolerance = 2 * tolerance;
        f.br = break_lines(items, lp, measure);
    }
    if (f.br.overfull_lines > 0) {
        f.pass = 3;
        lp.tolerance = 1000;
        f.br = break_lines(items, lp, measure);
    }
    return f;
}

// The narrowest measure (to a quarter point) at which the items still set
// in `lines` lines, none overfull: the balanced measure of a headline. The
// line count falls as the measure grows, so a bisection finds it; each
// trial reuses the items, and the result is memoised with the paragraph.
double balanced_measure(const std::vector<Item>& items, const LinebreakParams& lp, double measure, size_t lines,
                        double tolerance, double natural) {
    auto fits = [&](double m) {
        Fit f = fit(items, lp, m, tolerance);
        return f.br.overfull_lines == 0 && f.br.breaks.size() <= lines;
    };
    double lo = natural / lines / 2, hi = measure;  // lo: too narrow for `lines` lines
    while (hi - lo > 0.25) {
        double mid = (lo + hi) / 2;
        (fits(mid) ? hi : lo) = mid;
    }
    return hi;
}

// Per language, as TeX's hyphenation set-ups have them: English words of
// five letters or more, two before the hyphen and three after; German and
// French two and two, two and three.
ItemParams::HyphenMins hyphen_mins(const std::string& lang) {
    const std::string prefix = lang.substr(0, lang.find('-'));
    if (prefix == "de") return {4, 2, 2};
    if (prefix == "fr") return {4, 2, 3};
    return {5, 2, 3};
}

ItemParams item_params(ComposeContext& cx, const ShapedParagraph& para, const ComposeOptions& o) {
    Composer& c = cx.composer;
    const Style& style = cx.style;
    ItemParams ip;
    ip.indent = o.indent;
    ip.punctuation = style.punctuation;
    ip.level = style.break_level;
    ip.han_latin_gap_em = style.han_latin_gap_em;
    // Latin words in Chinese text are English more often than not.
    const std::string hyphen_lang = is_cjk_lang(para.lang) ? "en" : para.lang;
    const bool latin = std::any_of(para.clusters.begin(), para.clusters.end(),
                                   [](const Cluster& k) { return k.cls == CharClass::Latin; });
    ip.hyphens = o.hyphenate && style.hyphenate && latin ? hyphen_dict(c.fonts, hyphen_lang) : nullptr;
    ip.hyphen_mins = hyphen_mins(hyphen_lang);
    ip.hyphen_penalty = style.hyphen_penalty;
    ip.ragged = o.align != Align::Justify;
    ip.verbatim = o.verbatim;
    // Latin text only: Chinese lines keep their letters' pitch (cjk-rules §4).
    if (!ip.ragged && !o.verbatim && !is_cjk_lang(para.lang)) {
        ip.letter_spacing_em = style.letter_spacing_em;
        ip.expansion = style.expansion;
    }
    ip.short_tail = o.short_tail;
    ip.full_tail = o.balanced;
    return ip;
}

// Where a headline's words start (o.words_only), asked of the dictionary
// only when it must break: one that fits on a line never needs ICU's
// segmenter, whose set-up takes a process 1.5 ms.
void add_word_starts(Composer& c, const ShapedParagraph& para, const ComposeOptions& o, ItemParams& ip,
                     ParagraphItems& items) {
    if (!o.words_only) return;
    double natural = 0;
    for (const Item& it : items.items)
        if (it.kind != Item::Penalty) natural += it.width;
    if (natural <= o.measure) return;
    std::string key = para.lang + '\x1d' + para.text;
    auto it = c.words.find(key);
    if (it == c.words.end()) it = c.words.emplace(key, word_starts(para.text, para.lang)).first;
    ip.word_starts = &it->second;
    items = make_items(para, ip);
}

}  // namespace

std::vector<SetLine> break_and_set(ComposeContext& cx, const ShapedParagraph& para, const ComposeOptions& o) {
    if (para.clusters.empty()) return {};
    Composer& c = cx.composer;
    auto t0 = Clock::now();
    const Style& style = cx.style;
    ItemParams ip = item_params(cx, para, o);
    LinebreakParams lp;
    lp.line_penalty = style.line_penalty;
    lp.flagged_demerits = style.double_hyphen_demerits;
    lp.fitness_demerits = style.fitness_demerits;
    lp.looseness = o.looseness;
    if (ip.ragged) lp.line_stretch = 3 * para.em;
    ParagraphItems items = make_items(para, ip);
    add_word_starts(c, para, o, ip, items);
    Fit f = fit(items.items, lp, o.measure, style.tolerance);
    // Before any word space passes 0.5 em, letters may part twice as far
    // (InDesign's maximum letter spacing past its desired one).
    if (f.pass > 1 && ip.letter_spacing_em > 0) {
        ItemParams wide = ip;
        wide.letter_spacing_em *= 2;
        ParagraphItems more = make_items(para, wide);
        Fit g = fit(more.items, lp, o.measure, style.tolerance);
        if (g.pass == 1) items = std::move(more), f = std::move(g), ip = wide;
    }
    // A line longer only where the first pass finds one, without a word.
    if (o.looseness != 0 && (f.pass > 1 || f.br.overfull_lines > 0)) return {};
    // A headline's tail, then its words, give way when no break keeps them.
    if (f.br.overfull_lines > 0 && ip.full_tail) {
        ip.full_tail = false;
        items = make_items(para, ip);
        f = fit(items.items, lp, o.measure, style.tolerance);
    }
    if (f.br.overfull_lines > 0 && ip.word_starts) {
        ip.word_starts = nullptr;
        items = make_items(para, ip);
        f = fit(items.items, lp, o.measure, style.tolerance);
    }
    if (f.br.overfull_lines == 0 && f.pass == 3) warning(c.diags, para.pos, "loose line: no break within the tolerance");
    // Only when a run is wider than the measure, break at any cluster boundary.
    if (f.br.overfull_lines > 0) {
        ip.emergency = true;
        items = make_items(para, ip);
        lp.tolerance = 1000;
        // TeX's \emergencystretch: a line of a URL or a long number has no
        // glue to fill the measure with; short is better than past the edge.
        lp.line_stretch = std::max(lp.line_stretch, o.measure);
        f.br = break_lines(items.items, lp, o.measure);
        warning(c.diags, para.pos,
                f.br.overfull_lines > 0 ? "overfull line: a run of text is wider than the column"
                                        : "no legal line break; a line was broken where the rules forbid it");
    }
    double measure = o.measure;
    if (o.balanced && ip.ragged && f.br.overfull_lines == 0 && f.br.breaks.size() >= 2) {
        double natural = 0;
        for (const Item& it : items.items) natural += it.kind == Item::Penalty || it.width < 0 ? 0 : it.width;
        measure = balanced_measure(items.items, lp, o.measure, f.br.breaks.size(), style.tolerance, natural);
        f = fit(items.items, lp, measure, style.tolerance);
    }
    c.stats.linebreak += ms_since(t0);
    std::vector<SetLine> lines;
    int from = -1;
    int short_line = 0;
    double short_by = 0;
    for (size_t k = 0; k < f.br.breaks.size(); ++k) {
        const Break& b = f.br.breaks[k];
        bool last = k + 1 == f.br.breaks.size();
        SetLine line = set_line(para, items, from, b.item, b.ratio, o.align == Align::Justify && !last);
        // Word spaces stop at 3/4 em (set_line): past that a line stays
        // short. A line ended by a hard break is short by right.
        const bool forced = items.items[b.item].kind == Item::Penalty && items.items[b.item].penalty <= -kInfPenalty;
        if (o.align == Align::Justify && !last && !forced && !ip.emergency && o.measure - line.width > 0.5 &&
            !short_line)
            short_line = static_cast<int>(k) + 1, short_by = o.measure - line.width;
        // Aligned within the full measure, whatever measure the lines were broken at.
        double shift = o.align == Align::Center ? (o.measure - line.width) / 2
                     : o.align == Align::End    ? o.measure - line.width
                                                : 0;
        for (auto& r : line.runs) r.x += shift;
        lines.push_back(std::move(line));
        from = b.item;
    }
    if (short_line) {
        char buf[120];
        std::snprintf(buf, sizeof buf, "justified line %d left %.1f pt short: its spaces would pass 3/4 em", short_line,
                      short_by);
        warning(c.diags, para.pos, buf);
    }
    return lines;
}

ContentWidths content_widths(ComposeContext& cx, const StyledParagraph& para) {
    const ShapedParagraph& shaped = shape(cx.composer, para);
    ContentWidths w;
    if (shaped.clusters.empty()) return w;
    const ParagraphItems items = make_items(shaped, item_params(cx, shaped, {1e6, 0, Align::Start}));
    double piece = 0, line = 0;
    bool after_box = false;
    for (const Item& it : items.items) {
        switch (it.kind) {
            case Item::Box:
                piece += it.width, line += it.width;
                after_box = true;
                break;
            case Item::Glue:
                if (after_box) w.min = std::max(w.min, piece), piece = 0;
                line += it.width;
                after_box = false;
                break;
            case Item::Penalty:
                if (it.penalty < kInfPenalty) {
                    w.min = std::max(w.min, piece + it.width), piece = 0;
                    after_box = false;
                }
                if (it.penalty <= -kInfPenalty) w.max = std::max(w.max, line), line = 0;
                break;
        }
    }
    w.min = std::max(w.min, piece);
    w.max = std::max({w.max, line, w.min});
    return w;
}

const std::vector<SetLine>& compose(ComposeContext& cx, const StyledParagraph& para, const ComposeOptions& o) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.4f %.4f %d %d %d %d %d %d %d|", o.measure, o.indent, static_cast<int>(o.align),
                  o.hyphenate, o.words_only, o.balanced, o.looseness, o.verbatim, o.short_tail);
    std::string key = buf + paragraph_key(para);
    auto it = cx.composer.lines.find(key);
    if (it != cx.composer.lines.end()) return it->second;
    auto lines = break_and_set(cx, shape(cx.composer, para), o);
    return cx.composer.lines.emplace(std::move(key), std::move(lines)).first->second;
}

void add_runs(std::vector<FrameItem>& out, const SetLine& line, double x, double baseline) {
    for (GlyphRun r : line.runs) {
        r.x += x;
        r.y += baseline;
        out.push_back(std::move(r));
    }
    for (Rule r : line.rules) {
        r.x0 += x, r.x1 += x;
        r.y0 += baseline, r.y1 += baseline;
        out.push_back(r);
    }
}

double role_pitch(const TextRole& role, double body_pitch) {
    return role.line_pitch > 0 ? role.line_pitch : std::max(body_pitch, 1.5 * role.size);
}

double stack(std::vector<FrameItem>& out, const std::vector<SetLine>& lines, const TextRole& role, double x,
             double y, double body_pitch) {
    const double pitch = role_pitch(role, body_pitch);
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
    // A continued story's repeated title (and the contents box's heading): a headline.
    const auto& lines = compose(cx, style_text(text, role, cx.lang, pos), headline_options(width, role.align));
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
