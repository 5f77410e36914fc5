#include "compose/story.h"

#include <cmath>

#include "common/dates.h"
#include "common/language.h"
#include "common/strings.h"
#include "image/image.h"
#include "style/cascade.h"
#include "style/locale.h"

namespace galley {
namespace {

// A picture's caption with its credit: "图为……（华商网）", "… (AP)".
std::string caption_text(const Image& im, const Locale& words) {
    if (im.credit.empty()) return im.caption;
    if (im.caption.empty()) return im.credit;
    return im.caption + fill(words.caption_credit, im.credit);
}

std::string dateline_text(const Dateline& d, bool cjk, const Locale& words) {
    std::vector<std::string> parts;
    if (!d.place.empty()) parts.push_back(d.place);
    if (!d.source.empty()) parts.push_back(d.source);
    if (d.date) parts.push_back(format_date(*d.date, cjk, true));
    return join(parts, words.fields);
}

void tag_items(std::vector<FrameItem>& items, size_t from, int tag) {
    for (size_t k = from; k < items.size(); ++k) {
        if (auto* r = std::get_if<GlyphRun>(&items[k])) r->tag = tag;
        if (auto* im = std::get_if<ImageItem>(&items[k])) im->tag = tag;
    }
}

int whole_rows(double height, double pitch) { return static_cast<int>(std::ceil(height / pitch - 1e-6)); }

// Builds one story block by block; the structure elements it adds are
// numbered in reading order (tagged PDF).
class StoryBuilder {
public:
    StoryBuilder(const Document& doc, ComposeContext& cx, const Geometry& g, const StoryOptions& options)
        : doc_(doc), cx_(cx), style_(cx.style), g_(g), options_(options), cjk_(is_cjk_lang(cx.lang)),
          words_(locale_for(cx.lang)), indent_(cx.style.indent_em * g.em) {
        story_.title = doc.title;
        art_ = options.structure ? node("Art", 0) : -1;
    }

    Story build() {
        head();
        if (doc_.image && !story_.lead_in_head) figure(*doc_.image, doc_.image->pos);
        if (!doc_.editor_note.empty())
            add(line_items(lines(style_text(doc_.editor_note, style_.summary, cx_.lang, doc_.title_pos),
                                 g_.column_width, indent_, Align::Justify),
                           0, g_));
        for (const Block& b : doc_.body) block(b);
        closing();
        return std::move(story_);
    }

private:
    const std::vector<SetLine>& lines(const StyledParagraph& sp, double measure, double indent, Align align,
                                      bool hyphenate = false) {
        return compose(cx_, sp, {measure, indent, align, hyphenate});
    }
    int node(const std::string& type, int parent, const std::string& alt = "") {
        if (!options_.structure) return -1;
        options_.structure->push_back({type, parent, alt});
        return static_cast<int>(options_.structure->size()) - 1;
    }

    // The head spans the columns, in whole rows so the body stays on the grid.
    void head() {
        double y = 0;
        head_text(y, doc_.kicker, style_.kicker, doc_.title_pos, "P");
        head_text(y, doc_.title, style_.title, doc_.title_pos, "H1");
        head_text(y, doc_.subtitle, style_.subtitle, doc_.title_pos, "P");
        if (doc_.dateline)
            head_text(y, dateline_text(*doc_.dateline, cjk_, words_), style_.dateline, doc_.dateline->pos, "P");
        if (!doc_.summary.empty()) summary(y);
        if (doc_.image && options_.wide_lead) wide_lead(y, *doc_.image);
        // One blank row between the head and the body.
        story_.head.rows = y > 0 ? whole_rows(y, g_.pitch) + 1 : 0;
    }
    void head_text(double& y, const std::string& text, const TextRole& role, const SourcePos& pos, const char* type) {
        if (text.empty()) return;
        auto& out = story_.head.items;
        size_t from = out.size();
        y = stack(out, lines(style_text(text, role, cx_.lang, pos), g_.text_width, 0, role.align), role, 0, y,
                  g_.pitch);
        tag_items(out, from, node(type, art_));
    }
    // The summary between two rules; a blank line in its YAML block parts
    // its paragraphs.
    void summary(double& y) {
        auto& out = story_.head.items;
        y += 0.5 * g_.pitch;
        out.push_back(Rule{0, y, g_.text_width, y, style_.rule_width, style_.accent});
        y += 0.25 * g_.pitch;
        const TextRole& r = style_.summary;
        const std::string& text = doc_.summary;
        for (size_t from = 0; from < text.size();) {
            size_t to = text.find('\n', from);
            if (to == std::string::npos) to = text.size();
            const auto& ls = lines(style_text(text.substr(from, to - from), r, cx_.lang, doc_.title_pos),
                                   g_.text_width - 4 * g_.em, 2 * r.size, r.align);
            size_t first = out.size();
            y = stack(out, ls, r, 2 * g_.em, y, g_.pitch);
            tag_items(out, first, node("P", art_));
            from = to + 1;
        }
        y += 0.5 * g_.pitch;
        out.push_back(Rule{0, y, g_.text_width, y, style_.rule_width, style_.accent});
    }
    // The lead picture across the columns, at most two fifths of the page's
    // height, its caption under it.
    void wide_lead(double& y, const Image& im) {
        auto info = probe_image(im.path, im.src, im.pos, cx_.composer.diags);
        if (!info || info->width <= info->height) return;
        auto& out = story_.head.items;
        double w = g_.text_width, h = w * info->height / info->width;
        double max_h = 0.4 * g_.rows * g_.pitch;
        if (h > max_h) w *= max_h / h, h = max_h;
        y += 0.5 * g_.pitch;
        std::string cap = caption_text(im, words_);
        out.push_back(ImageItem{im.path, (g_.text_width - w) / 2, y, w, h, node("Figure", art_, cap)});
        y += h + 0.25 * g_.pitch;
        size_t first = out.size();
        y = stack(out, lines(style_text(cap, style_.caption, cx_.lang, im.pos), w, 0, Align::Center), style_.caption,
                  (g_.text_width - w) / 2, y, g_.pitch);
        tag_items(out, first, node("Caption", art_));
        story_.lead_in_head = true;
    }

    // Adds a block's rows; `tag` is its structure element (-2: a new P).
    void add(std::vector<FlowItem> items, int space_before = 0, bool keep = false, bool bar = false, int tag = -2) {
        if (items.empty()) return;
        if (tag == -2) tag = node("P", art_);
        for (auto& it : items) tag_items(it.items, 0, tag);
        items.front().space_before = std::max(space_before, pull_quote_before_ ? 1 : 0);
        pull_quote_before_ = false;
        if (keep) items.back().keep_with_next = true;
        for (auto& it : items) it.bar = bar;
        for (auto& it : items) story_.body.push_back(std::move(it));
    }

    // A picture at the column's width, no taller than half a column (a tall
    // one is narrowed), its caption and credit below it.
    void figure(const Image& im, const SourcePos& pos) {
        std::string cap = caption_text(im, words_);
        std::optional<ImageInfo> info = probe_image(im.path, im.src, pos, cx_.composer.diags);
        if (!info) return;
        FlowItem it;
        double w = g_.column_width;
        double h = info->width > 0 ? w * info->height / info->width : w;
        double max_h = 0.5 * g_.rows * g_.pitch;
        if (h > max_h) {
            w *= max_h / h;
            h = max_h;
        }
        it.items.push_back(
            ImageItem{im.path, (g_.column_width - w) / 2, 0.25 * g_.pitch, w, h, node("Figure", art_, cap)});
        int image_rows = whole_rows(h + 0.25 * g_.pitch, g_.pitch);
        const auto& caption =
            lines(style_text(cap, style_.caption, cx_.lang, pos), g_.column_width, 0, style_.caption.align);
        for (size_t k = 0; k < caption.size(); ++k)
            add_runs(it.items, caption[k], 0, (image_rows + static_cast<int>(k)) * g_.pitch + g_.baseline_offset());
        tag_items(it.items, 1, node("Caption", art_));
        it.rows = image_rows + static_cast<int>(caption.size());
        it.space_before = story_.body.empty() ? 0 : 1;
        story_.body.push_back(std::move(it));
    }

    void block(const Block& b) {
        if (b.kind != BlockKind::ListItem) list_ = item_ = -1;
        double inset = b.kind == BlockKind::ListItem ? 2 * g_.em * std::max(0, b.list_depth - 1) : 0;
        double measure = g_.column_width - inset;
        switch (b.kind) {
            case BlockKind::Heading: heading(b, inset, measure); break;
            case BlockKind::Paragraph:
                // A quote in a larger size is a pull quote.
                if (b.quote_depth > 0 && style_.quote.size > style_.body.size)
                    pull_quote(b, inset, measure);
                else
                    paragraph(b, inset, measure);
                break;
            case BlockKind::ListItem: list_item(b, inset, measure); break;
            case BlockKind::CodeBlock: code_block(b, inset, measure); break;
            case BlockKind::Figure: figure(*b.image, b.pos); break;
            case BlockKind::Rule: break;
        }
    }
    void heading(const Block& b, double inset, double measure) {
        const TextRole& r = b.level <= 2 ? style_.heading2 : style_.heading3;
        auto items =
            line_items(lines(style_spans(b.spans, r, style_, cx_.lang, b.pos), measure, 0, r.align), inset, g_);
        if (!items.empty()) {
            items.front().outline_level = b.level <= 2 ? 2 : 3;
            for (auto& s : b.spans) items.front().outline_title += s.text;
        }
        add(std::move(items), 1, true, false, node(b.level <= 2 ? "H2" : "H3", art_));
    }
    // Centred between rules, kept whole, a blank row on each side.
    void pull_quote(const Block& b, double inset, double measure) {
        const TextRole& r = style_.quote;
        const auto& ls = lines(style_spans(b.spans, r, style_, cx_.lang, b.pos), measure - 2 * g_.em, 0, r.align);
        if (ls.empty()) return;
        FlowItem it;
        it.rows = static_cast<int>(ls.size()) + 1;
        it.space_before = 1;
        double top = 0.25 * g_.pitch, bottom = (it.rows - 0.25) * g_.pitch;
        it.items.push_back(Rule{inset, top, inset + measure, top, style_.rule_width, style_.accent});
        for (size_t k = 0; k < ls.size(); ++k)
            add_runs(it.items, ls[k], inset + g_.em, (k + 0.5) * g_.pitch + g_.baseline_offset());
        it.items.push_back(Rule{inset, bottom, inset + measure, bottom, style_.rule_width, style_.accent});
        tag_items(it.items, 0, node("BlockQuote", art_));
        story_.body.push_back(std::move(it));
        pull_quote_before_ = true;
    }
    // Other quotes keep the column's measure (their lines stay on the
    // column's edges); a bar in the margin marks them.
    void paragraph(const Block& b, double inset, double measure) {
        const TextRole& r = b.quote_depth > 0 ? style_.quote : style_.body;
        add(line_items(lines(style_spans(b.spans, r, style_, cx_.lang, b.pos), measure, indent_, r.align, true),
                       inset, g_),
            0, false, b.quote_depth > 0, node(b.quote_depth > 0 ? "BlockQuote" : "P", art_));
    }
    // An item reads as a paragraph: numbers run in as text; a bullet is a
    // dot drawn in the indent (not the author's text, so not in the PDF's
    // text either).
    void list_item(const Block& b, double inset, double measure) {
        std::vector<Span> spans = b.spans;
        if (!b.list_continuation && b.ordered) {
            Span m;
            m.text = fill(words_.list_number, std::to_string(b.number));
            m.pos = b.pos;
            spans.insert(spans.begin(), m);
        }
        auto items = line_items(lines(style_spans(spans, style_.list, style_, cx_.lang, b.pos), measure, indent_,
                                      style_.list.align, true),
                                inset, g_);
        if (!b.list_continuation && !b.ordered && !items.empty()) {
            double x = inset + indent_ - 0.9 * g_.em, y = g_.baseline_offset() - 0.33 * g_.em;
            items.front().items.push_back(Rule{x, y, x, y, 0.35 * g_.em, style_.body.color, true});
        }
        if (list_ < 0) list_ = node("L", art_);
        if (!b.list_continuation || item_ < 0) item_ = node("LI", list_);
        add(std::move(items), 0, false, b.quote_depth > 0, item_);
    }
    void code_block(const Block& b, double inset, double measure) {
        std::string text;
        for (auto& s : b.spans) text += s.text;
        for (size_t start = 0; start <= text.size();) {
            size_t end = text.find('\n', start);
            std::string one = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
            if (!one.empty())
                add(line_items(lines(style_text(one, style_.code, cx_.lang, b.pos), measure, 0, Align::Start), inset,
                               g_));
            if (end == std::string::npos) break;
            start = end + 1;
        }
    }

    // Byline, credits and related lines close the story and stay with its
    // last lines.
    void closing() {
        auto& body = story_.body;
        const size_t first = body.size();
        auto line = [&](const std::string& text, const TextRole& role, Align align) {
            add(line_items(lines(style_text(text, role, cx_.lang, doc_.title_pos), g_.column_width, 0, align), 0, g_));
        };
        if (!doc_.byline.empty())
            line(fill(words_.byline, join(doc_.byline, words_.byline_names)), style_.byline, style_.byline.align);
        for (const Credit& c : doc_.credits) line(c.role + words_.label + c.name, style_.credits, style_.credits.align);
        for (const Related& r : doc_.related) line(fill(words_.related, r.title), style_.caption, Align::Start);
        if (first > 0)
            for (size_t i = first - 1; i + 1 < body.size(); ++i) body[i].keep_with_next = true;
    }

    const Document& doc_;
    ComposeContext& cx_;
    const Style& style_;
    const Geometry& g_;
    const StoryOptions& options_;
    const bool cjk_;
    const Locale& words_;
    const double indent_;
    Story story_;
    int art_ = -1;
    int list_ = -1, item_ = -1;  // the open L and LI elements
    bool pull_quote_before_ = false;  // a pull quote wants a blank row after it too
};

}  // namespace

std::vector<FlowItem> line_items(const std::vector<SetLine>& lines, double x, const Geometry& g) {
    std::vector<FlowItem> out;
    const int n = static_cast<int>(lines.size());
    for (int k = 0; k < n; ++k) {
        FlowItem it;
        add_runs(it.items, lines[k], x, g.baseline_offset());
        it.para_line = k;
        it.para_lines = n;
        out.push_back(std::move(it));
    }
    return out;
}

Story build_story(const Document& doc, ComposeContext& cx, const Geometry& g, const StoryOptions& options) {
    return StoryBuilder(doc, cx, g, options).build();
}

}  // namespace galley
