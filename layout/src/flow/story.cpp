#include "flow/story.h"

#include <cmath>
#include <cstdio>

#include "image/image.h"
#include "style/cascade.h"

namespace galley {

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

namespace {

void add_runs(std::vector<FrameItem>& out, const SetLine& line, double x, double baseline) {
    for (GlyphRun r : line.runs) {
        r.x += x;
        r.y = baseline;
        out.push_back(std::move(r));
    }
}

// Lines of a head role stacked at the role's own pitch from y; returns the
// new y (the bottom of the last line's band).
double stack(std::vector<FrameItem>& out, const std::vector<SetLine>& lines, const TextRole& role, double x,
             double y, double body_pitch) {
    double pitch = role.line_pitch > 0 ? role.line_pitch : std::max(body_pitch, 1.5 * role.size);
    for (const SetLine& l : lines) {
        add_runs(out, l, x, y + 0.5 * pitch + 0.38 * role.size);
        y += pitch;
    }
    return y;
}

// A picture's caption with its credit: "图为……（华商网）", "… (AP)".
std::string caption_text(const Image& im, bool cjk) {
    if (im.credit.empty()) return im.caption;
    if (im.caption.empty()) return im.credit;
    return im.caption + (cjk ? "（" + im.credit + "）" : " (" + im.credit + ")");
}

std::string dateline_text(const Dateline& d, bool cjk) {
    std::vector<std::string> parts;
    if (!d.place.empty()) parts.push_back(d.place);
    if (!d.source.empty()) parts.push_back(d.source);
    if (d.date) parts.push_back(format_date(*d.date, cjk, true));
    return join(parts, cjk ? "\u3000" : " · ");
}

}  // namespace

std::vector<FlowItem> line_items(std::vector<SetLine> lines, double x, const Geometry& g) {
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

HeadBlock text_block(ComposeContext& cx, const std::string& text, const TextRole& role, double width,
                     const Geometry& g, const SourcePos& pos) {
    HeadBlock b;
    if (text.empty()) return b;
    auto lines = compose(cx, style_text(text, role, cx.lang, pos), {width, 0, role.align, false});
    double y = stack(b.items, lines, role, 0, 0, g.pitch);
    b.rows = static_cast<int>(std::ceil(y / g.pitch - 1e-6));
    return b;
}

Story build_story(const Document& doc, ComposeContext& cx, const Geometry& g, const StoryOptions& options) {
    const Style& style = cx.style;
    const std::string& lang = cx.lang;
    const bool cjk = is_cjk_lang(lang);
    Story story;
    story.title = doc.title;
    auto comp = [&](const StyledParagraph& sp, double measure, double indent, Align align, bool hyphenate = false) {
        return compose(cx, sp, {measure, indent, align, hyphenate});
    };
    // Structure elements, numbered in reading order (tagged PDF).
    auto node = [&](const std::string& type, int parent, const std::string& alt = "") {
        if (!options.structure) return -1;
        options.structure->push_back({type, parent, alt});
        return static_cast<int>(options.structure->size()) - 1;
    };
    auto tag_items = [](std::vector<FrameItem>& items, size_t from, int tag) {
        for (size_t k = from; k < items.size(); ++k) {
            if (auto* r = std::get_if<GlyphRun>(&items[k])) r->tag = tag;
            if (auto* im = std::get_if<ImageItem>(&items[k])) im->tag = tag;
        }
    };
    const int art = options.structure ? node("Art", 0) : -1;

    // Head: spans the columns; whole rows so the body stays on the grid.
    {
        std::vector<FrameItem>& out = story.head.items;
        double y = 0;
        auto head_text = [&](const std::string& text, const TextRole& role, const SourcePos& pos,
                             const char* type = "P") {
            if (text.empty()) return;
            size_t from = out.size();
            y = stack(out, comp(style_text(text, role, lang, pos), g.text_width, 0, role.align), role, 0, y, g.pitch);
            tag_items(out, from, node(type, art));
        };
        head_text(doc.kicker, style.kicker, doc.title_pos);
        head_text(doc.title, style.title, doc.title_pos, "H1");
        head_text(doc.subtitle, style.subtitle, doc.title_pos);
        if (doc.dateline) head_text(dateline_text(*doc.dateline, cjk), style.dateline, doc.dateline->pos);
        if (!doc.summary.empty()) {
            y += 0.5 * g.pitch;
            out.push_back(Rule{0, y, g.text_width, y, style.rule_width, style.accent});
            y += 0.25 * g.pitch;
            const TextRole& r = style.summary;
            // A blank line in the summary's YAML block parts its paragraphs.
            size_t from = 0;
            while (from < doc.summary.size()) {
                size_t to = doc.summary.find('\n', from);
                if (to == std::string::npos) to = doc.summary.size();
                auto lines = comp(style_text(doc.summary.substr(from, to - from), r, lang, doc.title_pos),
                                  g.text_width - 4 * g.em, 2 * r.size, r.align);
                size_t first = out.size();
                y = stack(out, lines, r, 2 * g.em, y, g.pitch);
                tag_items(out, first, node("P", art));
                from = to + 1;
            }
            y += 0.5 * g.pitch;
            out.push_back(Rule{0, y, g.text_width, y, style.rule_width, style.accent});
        }
        // The lead picture across the columns, at most two fifths of the
        // page's height, its caption under it.
        if (doc.image && options.wide_lead) {
            const Image& im = *doc.image;
            if (auto info = probe_image(im.path, im.src, im.pos, cx.diags); info && info->width > info->height) {
                double w = g.text_width, h = w * info->height / info->width;
                double max_h = 0.4 * g.rows * g.pitch;
                if (h > max_h) w *= max_h / h, h = max_h;
                y += 0.5 * g.pitch;
                std::string cap = caption_text(im, cjk);
                out.push_back(ImageItem{im.path, (g.text_width - w) / 2, y, w, h, node("Figure", art, cap)});
                y += h + 0.25 * g.pitch;
                size_t first = out.size();
                y = stack(out, comp(style_text(cap, style.caption, lang, im.pos), w, 0, Align::Center), style.caption,
                          (g.text_width - w) / 2, y, g.pitch);
                tag_items(out, first, node("Caption", art));
                story.lead_in_head = true;
            }
        }
        // One blank row between the head and the body.
        story.head.rows = y > 0 ? static_cast<int>(std::ceil(y / g.pitch - 1e-6)) + 1 : 0;
    }

    auto& body = story.body;
    bool pull_quote_before = false;  // a pull quote wants a blank row after it too
    // Adds a block's rows; `tag` is its structure element (-2: a new P).
    auto add = [&](std::vector<FlowItem> items, int space_before = 0, bool keep = false, bool bar = false,
                   int tag = -2) {
        if (items.empty()) return;
        if (tag == -2) tag = node("P", art);
        for (auto& it : items) tag_items(it.items, 0, tag);
        items.front().space_before = std::max(space_before, pull_quote_before ? 1 : 0);
        pull_quote_before = false;
        if (keep) items.back().keep_with_next = true;
        for (auto& it : items) it.bar = bar;
        for (auto& it : items) body.push_back(std::move(it));
    };
    const double indent = style.indent_em * g.em;

    // A picture at the column's width, its caption and credit below it.
    auto figure = [&](const Image& im, const SourcePos& pos) {
        std::string cap = caption_text(im, cjk);
        std::optional<ImageInfo> info = probe_image(im.path, im.src, pos, cx.diags);
        if (!info) return;
        FlowItem it;
        double w = g.column_width;
        double h = info->width > 0 ? w * info->height / info->width : w;
        // No taller than half a column: a tall picture is narrowed.
        double max_h = 0.5 * g.rows * g.pitch;
        if (h > max_h) {
            w *= max_h / h;
            h = max_h;
        }
        it.items.push_back(ImageItem{im.path, (g.column_width - w) / 2, 0.25 * g.pitch, w, h, node("Figure", art, cap)});
        int image_rows = static_cast<int>(std::ceil((h + 0.25 * g.pitch) / g.pitch - 1e-6));
        auto caption = comp(style_text(cap, style.caption, lang, pos), g.column_width, 0, style.caption.align);
        for (size_t k = 0; k < caption.size(); ++k)
            add_runs(it.items, caption[k], 0, (image_rows + static_cast<int>(k)) * g.pitch + g.baseline_offset());
        tag_items(it.items, 1, node("Caption", art));
        it.rows = image_rows + static_cast<int>(caption.size());
        it.space_before = body.empty() ? 0 : 1;
        body.push_back(std::move(it));
    };

    if (doc.image && !story.lead_in_head) figure(*doc.image, doc.image->pos);
    if (!doc.editor_note.empty())
        add(line_items(comp(style_text(doc.editor_note, style.summary, lang, doc.title_pos), g.column_width, indent,
                            Align::Justify),
                       0, g));

    int list = -1, item = -1;  // the open L and LI elements
    for (const Block& b : doc.body) {
        if (b.kind != BlockKind::ListItem) list = item = -1;
        double inset = b.kind == BlockKind::ListItem ? 2 * g.em * std::max(0, b.list_depth - 1) : 0;
        double measure = g.column_width - inset;
        switch (b.kind) {
            case BlockKind::Heading: {
                const TextRole& r = b.level <= 2 ? style.heading2 : style.heading3;
                auto items = line_items(comp(style_spans(b.spans, r, style, lang, b.pos), measure, 0, r.align), inset, g);
                if (!items.empty()) {
                    items.front().outline_level = b.level <= 2 ? 2 : 3;
                    for (auto& s : b.spans) items.front().outline_title += s.text;
                }
                add(std::move(items), 1, true, false, node(b.level <= 2 ? "H2" : "H3", art));
                break;
            }
            case BlockKind::Paragraph: {
                // A quote in a larger size is a pull quote: centred between
                // rules, kept whole, a blank row on each side.
                if (b.quote_depth > 0 && style.quote.size > style.body.size) {
                    const TextRole& r = style.quote;
                    auto lines = comp(style_spans(b.spans, r, style, lang, b.pos), measure - 2 * g.em, 0, r.align);
                    if (lines.empty()) break;
                    FlowItem it;
                    it.rows = static_cast<int>(lines.size()) + 1;
                    it.space_before = 1;
                    double top = 0.25 * g.pitch, bottom = (it.rows - 0.25) * g.pitch;
                    it.items.push_back(Rule{inset, top, inset + measure, top, style.rule_width, style.accent});
                    for (size_t k = 0; k < lines.size(); ++k)
                        for (GlyphRun run : lines[k].runs) {
                            run.x += inset + g.em;
                            run.y = (k + 0.5) * g.pitch + g.baseline_offset();
                            it.items.push_back(std::move(run));
                        }
                    it.items.push_back(Rule{inset, bottom, inset + measure, bottom, style.rule_width, style.accent});
                    tag_items(it.items, 0, node("BlockQuote", art));
                    body.push_back(std::move(it));
                    pull_quote_before = true;
                    break;
                }
                // Other quotes keep the column's measure (their lines stay on
                // the column's edges); a bar in the margin marks them.
                const TextRole& r = b.quote_depth > 0 ? style.quote : style.body;
                add(line_items(comp(style_spans(b.spans, r, style, lang, b.pos), measure, indent, r.align, true),
                               inset, g),
                    0, false, b.quote_depth > 0, node(b.quote_depth > 0 ? "BlockQuote" : "P", art));
                break;
            }
            case BlockKind::ListItem: {
                // An item reads as a paragraph: numbers run in as text; a
                // bullet is a dot drawn in the indent (not the author's
                // text, so not in the PDF's text either).
                std::vector<Span> spans = b.spans;
                if (!b.list_continuation && b.ordered) {
                    Span m;
                    m.text = cjk ? "（" + std::to_string(b.number) + "）" : std::to_string(b.number) + ". ";
                    m.pos = b.pos;
                    spans.insert(spans.begin(), m);
                }
                auto items = line_items(
                    comp(style_spans(spans, style.list, style, lang, b.pos), measure, indent, style.list.align, true),
                    inset, g);
                if (!b.list_continuation && !b.ordered && !items.empty()) {
                    double x = inset + indent - 0.9 * g.em, y = g.baseline_offset() - 0.33 * g.em;
                    items.front().items.push_back(Rule{x, y, x, y, 0.35 * g.em, style.body.color, true});
                }
                if (list < 0) list = node("L", art);
                if (!b.list_continuation || item < 0) item = node("LI", list);
                add(std::move(items), 0, false, b.quote_depth > 0, item);
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
                        add(line_items(comp(style_text(one, style.code, lang, b.pos), measure, 0, Align::Start), inset,
                                       g));
                    if (end == std::string::npos) break;
                    start = end + 1;
                }
                break;
            }
            case BlockKind::Figure:
                figure(*b.image, b.pos);
                break;
            case BlockKind::Rule:
                break;
        }
    }
    // Byline and credits close the story, flush right (bulletin use), and
    // stay with its last lines.
    const size_t closing = body.size();
    if (!doc.byline.empty()) {
        std::string text = cjk ? "（记者 " + join(doc.byline, " ") + "）" : "By " + join(doc.byline, " and ");
        add(line_items(comp(style_text(text, style.byline, lang, doc.title_pos), g.column_width, 0, style.byline.align),
                       0, g));
    }
    for (const Credit& c : doc.credits) {
        std::string text = c.role + (cjk ? "：" : ": ") + c.name;
        add(line_items(comp(style_text(text, style.credits, lang, doc.title_pos), g.column_width, 0,
                            style.credits.align),
                       0, g));
    }
    for (const Related& r : doc.related) {
        std::string text = cjk ? "相关阅读：" + r.title : "Related: " + r.title;
        add(line_items(comp(style_text(text, style.caption, lang, doc.title_pos), g.column_width, 0, Align::Start), 0,
                       g));
    }
    if (closing > 0)
        for (size_t i = closing - 1; i + 1 < body.size(); ++i) body[i].keep_with_next = true;
    return story;
}

}  // namespace galley
