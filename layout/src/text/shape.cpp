// shape: itemize and shape with Pango/HarfBuzz, cut into clusters, classify.
#include <pango/pango.h>

#include <cmath>

#include "common/language.h"
#include "text/font_context.h"
#include "text/shaped.h"
#include "common/utf8.h"

namespace galley {

static bool in(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }

CharClass classify(char32_t c, double advance, double em, bool cjk) {
    // Quotes, dashes, ellipses and middle dots are Chinese marks only in
    // Chinese text set in a full-width face; in Latin text they are Latin.
    bool full = cjk && advance >= 0.9 * em;
    if (!cjk && (c == 0x2014 || c == 0x2E3A || c == 0x2015)) return CharClass::Connector;
    if (c == 0x2028) return CharClass::HardBreak;
    if (c == 0x3000) return CharClass::IdeoSpace;
    if (c == ' ' || c == 0xA0 || (c >= 0x2000 && c <= 0x200A)) return CharClass::Space;
    if (c >= '0' && c <= '9') return CharClass::Digit;
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x3FFFF) ||
        (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x3040 && c <= 0x30FF && c != 0x30FB) || c == 0x3005 ||
        c == 0x3007 || (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
        (c >= 0xFF41 && c <= 0xFF5A) || (c >= 0xAC00 && c <= 0xD7AF))
        return CharClass::Han;
    if (in(c, U"（《〈「『【〔〖［｛〘〚"))
        return CharClass::Opener;
    if (in(c, U"）》〉」』】〕〗］｝〙〛")) return CharClass::Closer;
    // Curly quotes are Chinese marks only in a full-width face.
    if (in(c, U"“‘")) return full ? CharClass::Opener : CharClass::Other;
    if (in(c, U"”’")) return full ? CharClass::Closer : CharClass::Other;
    if (in(c, U"、，：；")) return CharClass::Pause;
    if (in(c, U"。．？！")) return CharClass::Stop;
    if (in(c, U"·・‧")) return full || c != 0xB7 ? CharClass::MiddleDot : CharClass::Other;
    if (c == 0x2014 || c == 0x2E3A || c == 0x2015) return full ? CharClass::Dash : CharClass::Other;
    if (c == 0x2026 || c == 0x22EF) return full ? CharClass::Ellipsis : CharClass::Other;
    if (in(c, U"–～〜~/／")) return CharClass::Connector;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
        (c >= 0x370 && c <= 0x3FF) || (c >= 0x400 && c <= 0x4FF))
        return CharClass::Latin;
    return CharClass::Other;
}

static PangoFontDescription* font_description(const TextRole& role) {
    PangoFontDescription* d = pango_font_description_new();
    std::string families;
    for (auto& f : role.font) families += (families.empty() ? "" : ",") + f;
    pango_font_description_set_family(d, families.c_str());
    pango_font_description_set_absolute_size(d, role.size * PANGO_SCALE);
    pango_font_description_set_weight(d, role.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(d, role.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    return d;
}

static constexpr double kUnit = 1.0 / PANGO_SCALE;

namespace {

using Spans = std::vector<std::pair<size_t, size_t>>;  // byte range of each styled run

// The runs' looks as Pango attributes: a font per run; for Latin text no
// ligatures, for Chinese full-width dashes and middle dots.
PangoAttrList* attributes(const StyledParagraph& para, const std::string& text, const Spans& spans, bool cjk) {
    PangoAttrList* attrs = pango_attr_list_new();
    for (size_t i = 0; i < para.runs.size(); ++i) {
        PangoFontDescription* d = font_description(para.runs[i].role);
        PangoAttribute* a = pango_attr_font_desc_new(d);
        pango_font_description_free(d);
        a->start_index = spans[i].first;
        a->end_index = spans[i].second;
        pango_attr_list_insert(attrs, a);
    }
    if (!cjk) {
        // Linux Libertine maps its ft, Th, … ligatures to private-use code
        // points, and cairo's Latin subsets take text from the cmap: the
        // words would not extract. Exact text wins over ligatures.
        PangoAttribute* a = pango_attr_font_features_new("liga 0, clig 0");
        a->start_index = 0;
        a->end_index = text.size();
        pango_attr_list_insert(attrs, a);
        return attrs;
    }
    // Full-width dashes and middle dots come from `fwid` (cjk-rules §2).
    for (size_t i = 0; i < text.size();) {
        size_t next = i;
        char32_t c = utf8_next(text, next);
        if (c == 0x2014 || c == 0x2E3A || c == 0x2015 || c == 0xB7) {
            PangoAttribute* a = pango_attr_font_features_new("fwid");
            a->start_index = i;
            a->end_index = next;
            pango_attr_list_insert(attrs, a);
        }
        i = next;
    }
    return attrs;
}

// Break opportunities over the whole paragraph, and the character index of
// every byte.
struct LogAttrs {
    std::vector<PangoLogAttr> log;
    std::vector<int> char_at;
};

LogAttrs log_attrs(const std::string& text, PangoLanguage* language) {
    LogAttrs la;
    const int nchars = static_cast<int>(g_utf8_strlen(text.c_str(), text.size()));
    la.log.resize(nchars + 1);
    pango_get_log_attrs(text.c_str(), text.size(), -1, language, la.log.data(), nchars + 1);
    la.char_at.assign(text.size() + 1, 0);
    int ci = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        la.char_at[i] = ci;
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) la.char_at[i] = ci++;
    }
    la.char_at[text.size()] = ci;
    return la;
}

// A run's look and this font's hyphen, for hyphenated line ends.
ShapedRun shaped_run(const StyledRun& styled, PangoItem* item, FontTable& table) {
    ShapedRun run;
    run.font = intern_font(table, item->analysis.font);
    run.size = styled.role.size;
    run.color = styled.role.color;
    run.link = styled.link;
    run.strike = styled.strike;
    run.rise = styled.rise;
    run.code = styled.code;
    PangoGlyphString* hy = pango_glyph_string_new();
    pango_shape_with_flags("-", 1, "-", 1, &item->analysis, hy, PANGO_SHAPE_NONE);
    if (hy->num_glyphs > 0) {
        run.hyphen_glyph = hy->glyphs[0].glyph;
        run.hyphen_advance = hy->glyphs[0].geometry.width * kUnit;
    }
    pango_glyph_string_free(hy);
    return run;
}

// A `fwid` —— may come as two clusters; it is one 2-em mark, not two lone
// dashes (cjk-rules §1–2).
bool join_dash(Cluster& p, const Cluster& c) {
    if (c.cls != CharClass::Dash || p.cls != CharClass::Dash || p.run != c.run || p.chars != 1 || c.chars != 1 ||
        p.ch != c.ch || p.end != c.start || p.first_glyph + p.glyph_count != c.first_glyph)
        return false;
    p.end = c.end;
    p.glyph_count += c.glyph_count;
    p.advance += c.advance;
    p.chars = 2;
    return true;
}

// The glyphs of one shaped item cut into clusters and classified.
void add_clusters(ShapedParagraph& out, const PangoItem* item, const PangoGlyphString* gs, uint32_t run_index,
                  const LogAttrs& la, bool cjk) {
    for (int g = 0; g < gs->num_glyphs;) {
        Cluster c;
        c.run = run_index;
        c.start = item->offset + gs->log_clusters[g];
        c.first_glyph = out.glyphs.size();
        int h = g;
        while (h < gs->num_glyphs && gs->log_clusters[h] == gs->log_clusters[g]) {
            auto& gi = gs->glyphs[h];
            out.glyphs.push_back(
                {gi.glyph, gi.geometry.width * kUnit, gi.geometry.x_offset * kUnit, gi.geometry.y_offset * kUnit});
            c.advance += gi.geometry.width * kUnit;
            ++h;
        }
        c.glyph_count = h - g;
        c.end = h < gs->num_glyphs ? item->offset + gs->log_clusters[h] : item->offset + item->length;
        size_t p = c.start;
        c.ch = utf8_next(out.text, p);
        c.chars = la.char_at[c.end] - la.char_at[c.start];
        c.cls = classify(c.ch, c.advance / std::max(c.chars, 1), out.runs[run_index].size, cjk);
        c.uax_break_before = la.log[la.char_at[c.start]].is_line_break;
        if (out.clusters.empty() || !join_dash(out.clusters.back(), c)) out.clusters.push_back(c);
        g = h;
    }
}

}  // namespace

ShapedParagraph shape_paragraph(const StyledParagraph& para, FontContext& fonts, PangoContext* ctx,
                                FontTable& table, int& itemize_calls) {
    std::lock_guard lock(fonts.shaping);
    ShapedParagraph out;
    out.lang = para.lang;
    out.pos = para.pos;
    Spans spans;
    for (auto& r : para.runs) {
        spans.push_back({out.text.size(), out.text.size() + r.text.size()});
        out.text += r.text;
    }
    if (!para.runs.empty()) out.em = para.runs.front().role.size;
    const bool cjk = is_cjk_lang(para.lang);
    PangoLanguage* language = pango_language_from_string(cjk ? "zh-cn" : para.lang.c_str());
    pango_context_set_language(ctx, language);
    PangoAttrList* attrs = attributes(para, out.text, spans, cjk);
    const LogAttrs la = log_attrs(out.text, language);
    PangoGlyphString* gs = pango_glyph_string_new();
    // One itemization of the whole paragraph; an item that runs across a
    // styled run's end is cut there, so each shaped run has one look.
    GList* items = out.text.empty() ? nullptr : pango_itemize(ctx, out.text.c_str(), 0, out.text.size(), attrs, nullptr);
    if (items) ++itemize_calls;
    size_t r = 0;
    for (GList* l = items; l; l = l->next) {
        auto* item = static_cast<PangoItem*>(l->data);
        while (r < spans.size() && static_cast<size_t>(item->offset) >= spans[r].second) ++r;
        if (static_cast<size_t>(item->offset + item->length) > spans[r].second) {
            int bytes = static_cast<int>(spans[r].second - item->offset);
            int chars = static_cast<int>(g_utf8_strlen(out.text.c_str() + item->offset, bytes));
            PangoItem* head = pango_item_split(item, bytes, chars);
            l->data = head;
            items = g_list_insert_before(items, l->next, item);
            item = head;
        }
        pango_shape_with_flags(out.text.c_str() + item->offset, item->length, out.text.c_str(), out.text.size(),
                               &item->analysis, gs, PANGO_SHAPE_NONE);
        out.runs.push_back(shaped_run(para.runs[r], item, table));
        add_clusters(out, item, gs, static_cast<uint32_t>(out.runs.size() - 1), la, cjk);
    }
    g_list_free_full(items, reinterpret_cast<GDestroyNotify>(pango_item_free));
    pango_glyph_string_free(gs);
    pango_attr_list_unref(attrs);
    return out;
}

}  // namespace galley
