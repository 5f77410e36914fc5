#include "compose/story.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "image/image.h"
#include "style/cascade.h"

namespace galley {
namespace {

void tag_items(std::vector<FrameItem>& items, size_t from, int tag) {
    for (size_t k = from; k < items.size(); ++k) {
        if (auto* r = std::get_if<GlyphRun>(&items[k])) r->tag = tag;
        if (auto* im = std::get_if<ImageItem>(&items[k])) im->tag = tag;
    }
}

int whole_rows(double height, double pitch) { return static_cast<int>(std::ceil(height / pitch - 1e-6)); }

// The markers of a story's notes, shared with the settings make-up asks
// for later: the block holding each note's first marker (where the note
// links back to) and, with `notes: column`, the note set to go with it.
struct NoteMarks {
    std::string prefix;
    std::map<int, int> first_block;  // note (from 1) -> block
    std::map<int, FlowItem> at_foot;  // note -> its lines, for the foot of the column
    std::map<int, int> tag;           // note -> its structure element, when set for a foot

    // Anchors the first marker of each note first referred to in `block`,
    // and hands its line the note for the column foot.
    void mark(std::vector<FlowItem>& lines, int block, const Geometry& g) {
        const std::string link = "#" + prefix + "note-";
        std::set<int> seen;
        for (FlowItem& line : lines) {
            std::vector<Anchor> found;
            std::vector<int> notes;
            for (const FrameItem& f : line.items) {
                auto* r = std::get_if<GlyphRun>(&f);
                if (!r || r->link.rfind(link, 0) != 0) continue;
                const int n = std::stoi(r->link.substr(link.size()));
                if (first_block.emplace(n, block).first->second != block || !seen.insert(n).second) continue;
                found.push_back({marker_anchor(prefix, n), r->x, r->y - g.baseline_offset()});
                notes.push_back(n);
            }
            for (Anchor& a : found) line.items.push_back(std::move(a));
            for (int n : notes) {
                auto note = at_foot.find(n);
                if (note == at_foot.end()) continue;
                std::vector<FrameItem> items = note->second.items;
                translate(items, 0, line.note_rows * g.pitch);
                line.notes.insert(line.notes.end(), items.begin(), items.end());
                line.note_rows += note->second.rows;
            }
        }
    }
};

// Builds one story block by block from its styled text; the structure
// elements it adds are numbered in reading order (tagged PDF).
class StoryBuilder {
public:
    StoryBuilder(const StyledDocument& doc, Composer& composer, const Geometry& g, const StoryOptions& options)
        : doc_(doc), cx_{composer, doc.style, doc.lang}, style_(doc.style), g_(g), options_(options),
          indent_(doc.style.indent_em * g.em) {
        story_.title = doc.title;
        story_.section = doc.section;
        if (!doc.summary.empty()) story_.summary = plain(doc.summary.front());
        story_.lang = doc.lang;
        story_.contents_style = doc.style;
        art_ = options.structure ? node("Art", 0) : -1;
        marks_->prefix = doc.note_prefix;
    }

    Story build() {
        head();
        if (doc_.lead && !story_.lead_in_head) figure(*doc_.lead, doc_.lead_caption);
        if (!doc_.editor_note.runs.empty()) editor_note();
        if (style_.notes == Style::NotePlace::ColumnFoot) foot_notes();
        for (const StyledBlock& b : doc_.body) block(b);
        notes();
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
        head_text(y, doc_.kicker, style_.kicker, "P");
        head_text(y, doc_.headline, style_.title, "H1", true);
        head_text(y, doc_.subtitle, style_.subtitle, "P", true);
        head_text(y, doc_.dateline, style_.dateline, "P");
        if (!doc_.summary.empty()) summary(y);
        if (doc_.lead && options_.wide_lead) wide_lead(y, *doc_.lead);
        // One blank row between the head and the body.
        story_.head.rows = y > 0 ? whole_rows(y, g_.pitch) + 1 : 0;
    }
    // `headline`: balanced lines broken between words (ComposeOptions).
    void head_text(double& y, const StyledParagraph& text, const TextRole& role, const char* type,
                   bool headline = false) {
        if (text.runs.empty()) return;
        auto& out = story_.head.items;
        size_t from = out.size();
        const auto& ls = headline ? compose(cx_, text, headline_options(g_.text_width, role.align))
                                  : lines(text, g_.text_width, 0, role.align);
        y = stack(out, ls, role, 0, y, g_.pitch);
        tag_items(out, from, node(type, art_));
    }
    // The summary's paragraphs between two rules half a row off their
    // lines, on the body's grid (they read as text beside the columns) and
    // indented as the body is. The lower rule lies in the blank row that
    // parts the head from the body.
    void summary(double& y) {
        auto& out = story_.head.items;
        const double p = g_.pitch, top = whole_rows(y + p, p) * p;
        out.push_back(Rule{0, top - 0.5 * p, g_.text_width, top - 0.5 * p, style_.rule_width, style_.accent});
        y = top;
        const TextRole& r = style_.summary;
        for (const StyledParagraph& para : doc_.summary) {
            size_t first = out.size();
            y = stack(out, lines(para, g_.text_width - 4 * g_.em, doc_.style.indent_em * r.size, r.align), r,
                      2 * g_.em, y, p);
            tag_items(out, first, node("P", art_));
        }
        y = whole_rows(y, p) * p;
        out.push_back(Rule{0, y + 0.5 * p, g_.text_width, y + 0.5 * p, style_.rule_width, style_.accent});
        if (doc_.lead && options_.wide_lead) y += 0.5 * p;  // a lead picture starts under the rule
    }
    // A landscape lead picture across the columns, at most two fifths of
    // the page's height, its caption under it.
    void wide_lead(double& y, const Image& im) {
        auto info = picture_info(cx_.composer, im.path, im.src, im.pos);
        if (!info || info->width <= info->height) return;
        auto& out = story_.head.items;
        double w = g_.text_width, h = w * info->height / info->width;
        double max_h = 0.4 * g_.rows * g_.pitch;
        if (h > max_h) w *= max_h / h, h = max_h;
        w *= options_.lead_scale, h *= options_.lead_scale;
        y += 0.5 * g_.pitch;
        out.push_back(ImageItem{im.path, (g_.text_width - w) / 2, y, w, h, node("Figure", art_, plain(doc_.lead_caption))});
        y += h + 0.25 * g_.pitch;
        size_t first = out.size();
        y = stack(out, lines(doc_.lead_caption, w, 0, Align::Center), style_.caption, (g_.text_width - w) / 2, y,
                  g_.pitch);
        tag_items(out, first, node("Caption", art_));
        story_.lead_in_head = true;
    }
    static std::string plain(const StyledParagraph& p) {
        std::string text;
        for (const StyledRun& r : p.runs) text += r.text;
        return text;
    }

    // Adds a block's rows; `tag` is its structure element (-2: a new P).
    // `looser`: sets the same block lines longer or shorter, for make-up
    // to fill a column with instead of blank rows.
    void add(std::vector<FlowItem> items, int space_before = 0, bool keep = false, bool bar = false, int tag = -2,
             std::function<std::vector<FlowItem>(int)> looser = {}) {
        if (items.empty()) return;
        if (tag == -2) tag = node("P", art_);
        const int before = std::max(space_before, blank_row_after_ ? 1 : 0);
        blank_row_after_ = false;
        auto finish = [tag, bar, before, keep, marks = marks_, id = blocks_++, &g = g_](std::vector<FlowItem>& block,
                                                                                    int para) {
            for (auto& it : block) tag_items(it.items, 0, tag), it.bar = bar, it.para = para;
            block.front().space_before = before;
            if (keep) block.back().keep_with_next = true;
            marks->mark(block, id, g);
        };
        int para = -1;
        if (looser) {
            para = static_cast<int>(story_.loose.size());
            story_.loose.push_back({[looser = std::move(looser), finish, para](int looseness) {
                std::vector<FlowItem> block = looser(looseness);
                if (!block.empty()) finish(block, para);
                return block;
            }});
        }
        finish(items, para);
        for (auto& it : items) story_.body.push_back(std::move(it));
    }
    // With `notes: column`, each note set for the foot of the column its
    // first marker is in, when it takes at most a third of a column.
    void foot_notes() {
        for (size_t n = 1; n <= doc_.notes.size(); ++n) {
            std::vector<FlowItem> items = line_items(lines(doc_.notes[n - 1], g_.column_width, 0, Align::Justify), 0, g_);
            if (items.empty() || static_cast<int>(items.size()) > g_.rows / 3) continue;
            FlowItem note;
            note.rows = 0;
            const int tag = node("Note", art_);
            marks_->tag[static_cast<int>(n)] = tag;
            for (FlowItem& line : items) {
                translate(line.items, 0, note.rows * g_.pitch);
                if (note.rows == 0) line.items.push_back(Anchor{note_anchor(doc_.note_prefix, static_cast<int>(n)), 0, 0});
                tag_items(line.items, 0, tag);
                note.items.insert(note.items.end(), line.items.begin(), line.items.end());
                ++note.rows;
            }
            marks_->at_foot.emplace(static_cast<int>(n), std::move(note));
        }
    }
    // Footnotes at the end of the story, under a short rule, each linked
    // from its markers and back to the first: all of them, or with
    // `notes: column` those no column foot takes.
    void notes() {
        bool first = true;
        for (size_t n = 1; n <= doc_.notes.size(); ++n) {
            const TextRole& role = style_.caption;
            const int number = static_cast<int>(n);
            if (marks_->at_foot.count(number) && marks_->first_block.count(number)) continue;
            std::vector<FlowItem> items = line_items(lines(doc_.notes[n - 1], g_.column_width, 0, Align::Justify), 0, g_);
            if (items.empty()) continue;
            items.front().items.push_back(Anchor{note_anchor(doc_.note_prefix, static_cast<int>(n)), 0, 0});
            const bool lead = std::exchange(first, false);
            if (lead) {
                const double y = 0.2 * g_.pitch;
                items.front().items.push_back(Rule{0, y, g_.column_width / 4, y, style_.rule_width, role.color});
            }
            auto tag = marks_->tag.find(number);
            add(std::move(items), lead ? 1 : 0, false, false, tag != marks_->tag.end() ? tag->second : node("Note", art_));
        }
    }
    // A block's lines at its measure.
    std::vector<FlowItem> body_lines(const StyledBlock& b, double inset, double measure) {
        auto items = line_items(lines(b.text.front(), measure, indent_, b.role.align, true), inset, g_);
        for (auto& it : items) it.body_line = true;
        return items;
    }
    // The same lines set `looseness` lines longer (justified blocks of
    // three lines or more: shorter ones rarely can be, and would show it),
    // composed when make-up asks; `mark` is drawn on the first line.
    std::function<std::vector<FlowItem>(int)> looser(const StyledBlock& b, double inset, double measure,
                                                  std::vector<FrameItem> marks = {}) {
        if (b.role.align != Align::Justify || lines(b.text.front(), measure, indent_, b.role.align, true).size() < 3)
            return {};
        const ComposeOptions o{measure, indent_, b.role.align, true};
        return [&composer = cx_.composer, style = style_copy(), lang = cx_.lang, text = b.text.front(), o, inset,
                &g = g_, marks](int looseness) {
            ComposeContext cx{composer, *style, lang};
            ComposeOptions with = o;
            with.looseness = looseness;
            std::vector<FlowItem> items = line_items(compose(cx, text, with), inset, g);
            for (auto& it : items) it.body_line = true;
            if (!items.empty()) items.front().items.insert(items.front().items.end(), marks.begin(), marks.end());
            return items;
        };
    }
    // The article's style, shared by the settings make-up may ask for later.
    std::shared_ptr<const Style> style_copy() {
        if (!shared_style_) shared_style_ = std::make_shared<const Style>(style_);
        return shared_style_;
    }

    struct Picture {
        std::string path;
        ImageInfo info;
        StyledParagraph caption;
        int figure_tag, caption_tag;
    };
    // A picture across `columns` columns (0: all; more than the style has:
    // all), no taller than half a column (a tall one is narrowed), its
    // caption and credit below it at its measure. One narrower than the
    // columns may be set across them all (Story::across).
    void figure(const Image& im, const StyledParagraph& cap) {
        std::optional<ImageInfo> info = picture_info(cx_.composer, im.path, im.src, cap.pos);
        if (!info) return;
        const int span = im.columns <= 0 ? g_.columns : std::min(im.columns, g_.columns);
        const int figure_tag = node("Figure", art_, plain(cap)), caption_tag = node("Caption", art_);
        FlowItem it = figure_item(cx_, g_, {im.path, *info, cap, figure_tag, caption_tag}, span, g_.rows);
        it.space_before = story_.body.empty() ? 0 : 1;
        if (span < g_.columns) {
            it.picture = static_cast<int>(story_.across.size());
            story_.across.push_back([&composer = cx_.composer, style = style_copy(), lang = cx_.lang,
                                     pic = Picture{im.path, *info, cap, figure_tag, caption_tag}, &g = g_,
                                     before = it.space_before](int rows) {
                ComposeContext cx{composer, *style, lang};
                FlowItem wide = figure_item(cx, g, pic, g.columns, rows);
                wide.space_before = before;
                return wide;
            });
        }
        story_.body.push_back(std::move(it));
    }
    // The picture across `span` columns in `rows` rows at most, caption
    // included, and no taller than half a column: narrowed (centred) to
    // keep within them.
    static FlowItem figure_item(ComposeContext& cx, const Geometry& g, const Picture& pic, int span, int rows) {
        FlowItem it;
        it.span = span;
        const double measure = span * g.column_width + (span - 1) * g.gutter;
        const auto& ls = compose(cx, pic.caption, {measure, 0, cx.style.caption.align, false});
        const int caption_rows = static_cast<int>(ls.size());
        double w = measure;
        double h = pic.info.width > 0 ? w * pic.info.height / pic.info.width : w;
        const double max_h = std::min(0.5 * g.rows, static_cast<double>(rows - caption_rows) - 0.25) * g.pitch;
        if (h > max_h) {
            w *= std::max(0.0, max_h) / h;
            h = std::max(0.0, max_h);
        }
        it.items.push_back(ImageItem{pic.path, (measure - w) / 2, 0.25 * g.pitch, w, h, pic.figure_tag});
        const int image_rows = whole_rows(h + 0.25 * g.pitch, g.pitch);
        for (int k = 0; k < caption_rows; ++k)
            add_runs(it.items, ls[static_cast<size_t>(k)], 0, (image_rows + k) * g.pitch + g.baseline_offset());
        tag_items(it.items, 1, pic.caption_tag);
        it.rows = image_rows + caption_rows;
        it.floats = true;
        return it;
    }

    void block(const StyledBlock& b) {
        if (b.kind != StyledKind::ListItem) list_ = item_ = -1;
        double inset = b.kind == StyledKind::ListItem ? 2 * g_.em * std::max(0, b.list_depth - 1) : 0;
        double measure = g_.column_width - inset;
        switch (b.kind) {
            case StyledKind::Heading: heading(b, inset, measure); break;
            case StyledKind::PullQuote: pull_quote(b, inset, measure); break;
            case StyledKind::Paragraph: paragraph(b, inset, measure); break;
            case StyledKind::ListItem: list_item(b, inset, measure); break;
            case StyledKind::Code: code(b, inset, measure); break;
            case StyledKind::Figure: figure(*b.image, b.text.front()); break;
            case StyledKind::Rule: section_break(); break;
            case StyledKind::Table: table(b); break;
        }
    }

    // ---------------------------------------------------------------
    // Tables. Column widths as CSS's automatic table layout sets them,
    // from the cells' narrowest and widest settings; the table takes the
    // full measure of the columns it spans. One that does not fit a
    // column spans as many as it needs (then it is kept whole, like a
    // picture across columns); wider still, it is set smaller, down to
    // table.min_size; past that it is an error. In one column it breaks
    // between rows, its header repeated at the next column's top.

    struct TableSetting {
        double scale = 1;
        int span = 1;
        double width = 0;
        std::vector<double> widths;  // each column's, padding included
        double pad = 0;              // each side of a cell's text
        bool flush = false;          // three-line rules: no pad at the table's outer edges (as booktabs)
        double pad_left(size_t c) const { return flush && c == 0 ? 0 : pad; }
        double pad_right(size_t c) const { return flush && c + 1 == widths.size() ? 0 : pad; }
        int step = 0;                // 2: every cell on one line; 1: a header wraps; 0: body cells too
        std::vector<double> decimal_end;  // a figures column: where its block of figures ends
    };

    static StyledParagraph scaled(const StyledParagraph& p, double scale) {
        StyledParagraph out = p;
        for (StyledRun& r : out.runs) r.role.size *= scale;
        return out;
    }

    // Column widths at `scale` across `span` columns, as CSS's automatic
    // table layout sets them, in three steps of need: every cell on one
    // line; the body cells on one line (up to 12 characters; a header may
    // wrap); cells wrapped down to 4 characters (or their widest word). The
    // first step the measure holds is taken, the room left shared out in
    // proportion to what the next step would add. `roomy`: the second step
    // at least. None: the table does not fit.
    std::optional<TableSetting> table_setting(const StyledTable& t, double scale, int span, bool roomy) {
        TableSetting ts;
        ts.scale = scale;
        ts.span = span;
        ts.width = span * g_.column_width + (span - 1) * g_.gutter;
        const double em = style_.table.size * scale;
        ts.pad = 0.5 * em;
        ts.flush = style_.table_rules == Style::TableRules::ThreeLine;
        const size_t n = t.align.size();
        std::vector<double> lo(n, 0), body(n, 0), hi(n, 0);
        for (size_t r = 0; r < t.rows.size(); ++r)
            for (size_t c = 0; c < n && c < t.rows[r].size(); ++c) {
                ContentWidths w = content_widths(cx_, scaled(t.rows[r][c], scale));
                lo[c] = std::max(lo[c], w.min);
                hi[c] = std::max(hi[c], w.max);
                if (r > 0) body[c] = std::max(body[c], w.max);
            }
        std::vector<std::vector<double>> steps(3, std::vector<double>(n));
        ts.widths.resize(n);
        for (size_t c = 0; c < n; ++c) {
            const double pads = ts.pad_left(c) + ts.pad_right(c);
            steps[0][c] = std::min(hi[c], std::max(lo[c], 4 * em)) + pads;
            steps[1][c] = std::max(steps[0][c], std::max(lo[c], std::min(body[c], 12 * em)) + pads);
            steps[2][c] = std::max(steps[1][c], hi[c] + pads);
        }
        auto sum = [](const std::vector<double>& v) {
            double total = 0;
            for (double x : v) total += x;
            return total;
        };
        int step = 2;
        while (step >= 0 && sum(steps[static_cast<size_t>(step)]) > ts.width + 1e-6) --step;
        if (step < (roomy ? 1 : 0)) return std::nullopt;
        ts.step = step;
        const std::vector<double>& at = steps[static_cast<size_t>(step)];
        const std::vector<double>& next = steps[static_cast<size_t>(std::min(step + 1, 2))];
        const double room = ts.width - sum(at), more = sum(next) - sum(at);
        for (size_t c = 0; c < n; ++c)
            ts.widths[c] = at[c] + (more > 1e-6 ? room * (next[c] - at[c]) / more : room * at[c] / sum(at));
        return ts;
    }

    // The width of a decimal cell's text from its decimal point on.
    double fraction_width(const StyledParagraph& cell, double scale) {
        std::string text;
        for (const StyledRun& r : cell.runs) text += r.text;
        const size_t point = text.find('.');
        if (point == std::string::npos || cell.runs.empty()) return 0;
        StyledParagraph tail{{{text.substr(point), cell.runs.front().role, {}}}, cell.lang, cell.pos};
        return content_widths(cx_, scaled(tail, scale)).max;
    }

    // One row of the table: its cells' lines, a grid row each, and its
    // rules; text tagged TH or TD under a TR of `section` (-1: untagged,
    // a repeated header).
    FlowItem table_row(const StyledTable& t, const TableSetting& ts, size_t r, const std::vector<double>& frac,
                       const std::vector<double>& max_frac, int section) {
        FlowItem it;
        const bool head = r == 0;
        const int tr = section >= 0 ? node("TR", section) : -1;
        std::vector<double> x(ts.widths.size() + 1, 0);
        for (size_t c = 0; c < ts.widths.size(); ++c) x[c + 1] = x[c] + ts.widths[c];
        int rows = 1;
        for (size_t c = 0; c < ts.widths.size() && c < t.rows[r].size(); ++c) {
            const StyledParagraph cell = scaled(t.rows[r][c], ts.scale);
            const double measure = ts.widths[c] - ts.pad_left(c) - ts.pad_right(c);
            const StyledTable::Align a = head ? StyledTable::Align::Center : t.align[c];
            const Align align = a == StyledTable::Align::Center ? Align::Center
                              : a == StyledTable::Align::End    ? Align::End
                                                                : Align::Start;
            ComposeOptions o{measure, 0, align, false};
            o.short_tail = true;
            const auto& ls = compose(cx_, cell, o);
            const size_t first = it.items.size();
            for (size_t k = 0; k < ls.size(); ++k) {
                double lx = x[c] + ts.pad_left(c);
                if (a == StyledTable::Align::Decimal)
                    lx += std::min(measure, ts.decimal_end[c]) - (max_frac[c] - frac[c]) - ls[k].width;
                add_runs(it.items, ls[k], lx, static_cast<double>(k) * g_.pitch + g_.baseline_offset());
            }
            if (tr >= 0) tag_items(it.items, first, node(head ? "TH" : "TD", tr));
            rows = std::max(rows, static_cast<int>(ls.size()));
        }
        it.rows = rows;
        const double bottom = rows * g_.pitch, thick = 2 * style_.rule_width, thin = style_.rule_width;
        const Color ink = style_.table.color;
        if (style_.table_rules == Style::TableRules::Grid) {
            it.items.push_back(Rule{0, 0, ts.width, 0, thin, ink});
            for (double vx : x) it.items.push_back(Rule{vx, 0, vx, bottom, thin, ink});
            if (r + 1 == t.rows.size()) it.items.push_back(Rule{0, bottom, ts.width, bottom, thin, ink});
            else it.foot.push_back(Rule{0, bottom, ts.width, bottom, thin, ink});
        } else if (head) {
            it.items.push_back(Rule{0, 0, ts.width, 0, thick, ink});
            it.items.push_back(Rule{0, bottom, ts.width, bottom, thin, ink});
        } else if (r + 1 == t.rows.size()) {
            it.items.push_back(Rule{0, bottom, ts.width, bottom, thick, ink});
        } else {
            it.foot.push_back(Rule{0, bottom, ts.width, bottom, thick, ink});
        }
        return it;
    }

    void table(const StyledBlock& b) {
        const StyledTable& t = *b.table;
        if (t.rows.empty() || t.align.empty()) return;
        std::optional<TableSetting> ts;
        // A column holds it when its cells keep 4 characters a line; it
        // spans more only when they would not.
        for (int span = 1; span <= g_.columns && !ts; ++span) {
            ts = table_setting(t, 1, span, true);
            if (!ts) ts = table_setting(t, 1, span, false);
        }
        const double full = style_.table.size, least = std::min(style_.table_min_size, full);
        // A cell of two lines beside cells of one reads out of order when
        // the text is taken line by line (copied, extracted, read aloud):
        // smaller, down to table.min_size, where every cell then keeps to a line.
        for (double size = full - 0.5; ts && ts->step < 2 && size >= least - 1e-9; size -= 0.5)
            if (auto whole = table_setting(t, size / full, ts->span, false); whole && whole->step == 2) ts = whole;
        for (double size = full - 0.5; !ts && size >= least - 1e-9; size -= 0.5)
            ts = table_setting(t, size / full, g_.columns, false);
        if (!ts && full - least > 1e-9) ts = table_setting(t, least / full, g_.columns, false);
        if (!ts) {
            error(cx_.composer.diags, t.pos,
                  "the table is too wide: its " + std::to_string(t.align.size()) +
                      " columns do not fit the page's text width even at table.min_size " +
                      std::to_string(static_cast<int>(least)) + " pt; split it, or give it fewer columns");
            return;
        }
        // Decimal points in one line down a column.
        // The figures of a column as a block, centred under its header.
        std::vector<std::vector<double>> frac(t.rows.size(), std::vector<double>(t.align.size(), 0));
        std::vector<double> max_frac(t.align.size(), 0), max_int(t.align.size(), 0);
        for (size_t r = 1; r < t.rows.size(); ++r)
            for (size_t c = 0; c < t.align.size() && c < t.rows[r].size(); ++c)
                if (t.align[c] == StyledTable::Align::Decimal) {
                    frac[r][c] = fraction_width(t.rows[r][c], ts->scale);
                    max_frac[c] = std::max(max_frac[c], frac[r][c]);
                    const double whole = content_widths(cx_, scaled(t.rows[r][c], ts->scale)).max;
                    max_int[c] = std::max(max_int[c], whole - frac[r][c]);
                }
        for (size_t c = 0; c < t.align.size(); ++c) {
            const double block = max_int[c] + max_frac[c];
            ts->decimal_end.push_back((ts->widths[c] + block) / 2 - ts->pad_left(c));  // from the cell's text start
        }

        const int table_tag = node("Table", art_);
        std::vector<FlowItem> items;
        if (!b.text.empty()) {
            const int caption = node("Caption", table_tag);
            for (FlowItem& line : line_items(lines(b.text.front(), ts->width, 0, Align::Center), 0, g_)) {
                tag_items(line.items, 0, caption);
                line.keep_with_next = true;
                items.push_back(std::move(line));
            }
        }
        FlowItem head = table_row(t, *ts, 0, frac[0], max_frac, node("THead", table_tag));
        head.keep_with_next = true;
        const FlowItem repeated = table_row(t, *ts, 0, frac[0], max_frac, -1);  // artifacts
        items.push_back(std::move(head));
        const int tbody = t.rows.size() > 1 ? node("TBody", table_tag) : -1;
        const int body_rows = static_cast<int>(t.rows.size()) - 1;
        for (size_t r = 1; r < t.rows.size(); ++r) {
            FlowItem row = table_row(t, *ts, r, frac[r], max_frac, tbody);
            row.table_row = true;
            row.para_line = static_cast<int>(r) - 1;
            row.para_lines = body_rows;
            row.head = repeated.items;
            row.head_rows = repeated.rows;
            items.push_back(std::move(row));
        }
        items.front().space_before = 1;
        blank_row_after_ = true;
        if (ts->span == 1) {
            marks_->mark(items, blocks_++, g_);
            for (FlowItem& it : items) story_.body.push_back(std::move(it));
            return;
        }
        // Wider than a column: one block across the columns it needs, kept
        // whole, moving to a column top as a picture across columns does.
        FlowItem whole;
        whole.span = ts->span;
        whole.floats = true;
        whole.table_row = true;
        whole.space_before = 1;
        whole.rows = 0;
        for (FlowItem& it : items) {
            translate(it.items, 0, whole.rows * g_.pitch);
            for (FrameItem& f : it.items) whole.items.push_back(std::move(f));
            whole.rows += it.rows;
        }
        std::vector<FlowItem> block{std::move(whole)};
        marks_->mark(block, blocks_++, g_);
        story_.body.push_back(std::move(block.front()));
    }
    void heading(const StyledBlock& b, double inset, double measure) {
        auto items = line_items(lines(b.text.front(), measure, 0, b.role.align), inset, g_);
        if (!items.empty()) {
            items.front().outline_level = b.level;
            items.front().outline_title = b.outline_title;
        }
        add(std::move(items), 1, true, false, node(b.level == 2 ? "H2" : "H3", art_));
    }
    // Centred between rules, kept whole, a blank row on each side.
    void pull_quote(const StyledBlock& b, double inset, double measure) {
        const auto& ls = lines(b.text.front(), measure - 2 * g_.em, 0, b.role.align);
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
        blank_row_after_ = true;
    }
    // Other quotes keep the column's measure (their lines stay on the
    // column's edges); a bar in the margin marks them.
    void paragraph(const StyledBlock& b, double inset, double measure) {
        add(body_lines(b, inset, measure), 0, false, b.quote_depth > 0,
            node(b.quote_depth > 0 ? "BlockQuote" : "P", art_), looser(b, inset, measure));
    }
    // A bullet is a dot drawn in the indent.
    // A bullet is a dot drawn in the indent; a task a box (ticked when done).
    void list_item(const StyledBlock& b, double inset, double measure) {
        auto items = body_lines(b, inset, measure);
        std::vector<FrameItem> marks;
        const double x = inset + indent_ - 0.9 * g_.em, y = g_.baseline_offset() - 0.33 * g_.em;
        const Color ink = style_.body.color;
        if (b.bullet) marks.push_back(Rule{x, y, x, y, 0.35 * g_.em, ink, true});
        if (b.task > 0) {
            const double h = 0.35 * g_.em, w = 0.06 * g_.em;  // half the box's side, the line
            for (const auto& [x0, y0, x1, y1] : std::vector<std::array<double, 4>>{
                     {x - h, y - h, x + h, y - h}, {x + h, y - h, x + h, y + h}, {x + h, y + h, x - h, y + h},
                     {x - h, y + h, x - h, y - h}})
                marks.push_back(Rule{x0, y0, x1, y1, w, ink});
            if (b.task == 2) {
                marks.push_back(Rule{x - 0.6 * h, y, x - 0.1 * h, y + 0.55 * h, 1.5 * w, ink, true});
                marks.push_back(Rule{x - 0.1 * h, y + 0.55 * h, x + 0.7 * h, y - 0.65 * h, 1.5 * w, ink, true});
            }
        }
        if (!items.empty()) items.front().items.insert(items.front().items.end(), marks.begin(), marks.end());
        if (list_ < 0) list_ = node("L", art_);
        if (!b.list_continuation || item_ < 0) item_ = node("LI", list_);
        add(std::move(items), 0, false, b.quote_depth > 0, item_, looser(b, inset, measure, marks));
    }
    // Code keeps its lines: an empty one is a blank row.
    void code(const StyledBlock& b, double inset, double measure) {
        const int tag = node("Code", art_);
        for (const StyledParagraph& line : b.text) {
            ComposeOptions o{measure, 0, Align::Start, false};
            o.verbatim = true;
            std::vector<FlowItem> items = line_items(compose(cx_, line, o), inset, g_);
            if (items.empty()) items.emplace_back();
            add(std::move(items), 0, false, false, tag);
        }
    }
    // 按语 before the body: in Kai, set off by rules (inside its rows: the
    // head's blank row is above it, the text follows it directly) or a tint.
    void editor_note() {
        std::vector<FlowItem> items = line_items(lines(doc_.editor_note, g_.column_width, indent_, Align::Justify), 0, g_);
        if (items.empty()) return;
        const double w = g_.column_width, bottom = g_.pitch;
        switch (style_.editor_note_frame) {
            case Style::NoteFrame::Rules:
                items.front().items.push_back(Rule{0, 0.1 * g_.pitch, w, 0.1 * g_.pitch, style_.rule_width, style_.accent});
                items.back().items.push_back(Rule{0, bottom - 0.1 * g_.pitch, w, bottom - 0.1 * g_.pitch,
                                                  style_.rule_width, style_.accent});
                break;
            case Style::NoteFrame::Tint:
                // A band a row deep behind each line, drawn before its text.
                for (FlowItem& it : items)
                    it.items.insert(it.items.begin(), Rule{-0.25 * g_.em, 0.5 * g_.pitch, w + 0.25 * g_.em, 0.5 * g_.pitch,
                                                           g_.pitch, Color{0.93, 0.93, 0.93}});
                break;
            case Style::NoteFrame::None: break;
        }
        add(std::move(items), 0, false, false, node("P", art_));
    }
    // A thematic break: the style's ornament centred (＊　＊　＊), or a short
    // rule when it has none, a blank row on each side; an artifact.
    void section_break() {
        FlowItem it;
        it.space_before = 1;
        if (style_.section_break.empty()) {
            const double y = 0.5 * g_.pitch, w = g_.column_width / 3;
            it.items.push_back(Rule{(g_.column_width - w) / 2, y, (g_.column_width + w) / 2, y, style_.rule_width,
                                    style_.body.color});
        } else {
            TextRole role = style_.body;
            role.align = Align::Center;
            const auto& ls = lines(style_text(style_.section_break, role, cx_.lang, {}), g_.column_width, 0, Align::Center);
            if (!ls.empty()) add_runs(it.items, ls.front(), 0, g_.baseline_offset());
        }
        story_.body.push_back(std::move(it));
        blank_row_after_ = true;
    }

    // 落款 as GB/T 9704 sets it: the date with four characters' space on its
    // right, each issuer line centred over the date, notes with the body's
    // indent. (The standard's blank line above it is left out: a bulletin's
    // rows run on without gaps, as pdf-check holds them.)
    void signature() {
        const double col = g_.column_width;
        double date_w = 0;
        for (const StyledBlock& b : doc_.signature)
            if (b.level == 2)
                if (const auto& ls = lines(b.text.front(), col, 0, Align::Start); ls.size() == 1) date_w = ls.front().width;
        const double date_x = std::max(0.0, col - 4 * g_.em - date_w), centre = date_x + date_w / 2;
        for (const StyledBlock& b : doc_.signature) {
            const auto& ls = lines(b.text.front(), col, b.level == 3 ? indent_ : 0, Align::Start);
            double x = 0;
            if (b.level != 3 && ls.size() == 1) {
                const double w = ls.front().width;
                x = b.level == 2 ? date_x : std::clamp(centre - w / 2, 0.0, std::max(0.0, col - w));
            }
            add(line_items(ls, x, g_));
        }
    }

    // Byline, credits and related lines close the story and stay with its
    // last lines.
    void closing() {
        auto& body = story_.body;
        const size_t first = body.size();
        signature();
        for (const StyledBlock& b : doc_.closing)
            add(line_items(lines(b.text.front(), g_.column_width, 0, b.role.align), 0, g_));
        if (first > 0)
            for (size_t i = first - 1; i + 1 < body.size(); ++i) body[i].keep_with_next = true;
        for (size_t i = first; i < body.size(); ++i) story_.closing_rows += body[i].rows;
    }

    const StyledDocument& doc_;
    ComposeContext cx_;
    const Style& style_;
    const Geometry& g_;
    const StoryOptions& options_;
    const double indent_;
    Story story_;
    int art_ = -1;
    int list_ = -1, item_ = -1;  // the open L and LI elements
    bool blank_row_after_ = false;  // a pull quote or a table wants a blank row after it too
    std::shared_ptr<NoteMarks> marks_ = std::make_shared<NoteMarks>();
    int blocks_ = 0;  // blocks added so far
    std::shared_ptr<const Style> shared_style_;
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

Story build_story(const StyledDocument& doc, Composer& composer, const Geometry& g, const StoryOptions& options) {
    return StoryBuilder(doc, composer, g, options).build();
}

}  // namespace galley
