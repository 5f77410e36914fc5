#include "flow/pages.h"

#include <algorithm>
#include <deque>

namespace galley {
namespace {

// A story's part on one page: its head when it starts there, and the body
// items [from, fill.next) in the columns under it.
struct Segment {
    size_t story = 0;
    bool head = false;  // the story starts here
    bool ends = false;  // and ends here
    int top = 0;        // first row
    int head_rows = 0;
    size_t from = 0;
    FillResult fill;
    int body_top() const { return top + (head ? head_rows : 0); }
    int bottom() const { return body_top() + fill.height; }
};

struct PagePlan {
    int top = 0;    // first row for stories (page 1: under the masthead)
    int limit = 0;  // rows usable (page 1: above the contents box)
    std::vector<Segment> segments;
};

// The structure element of a block's first tagged item.
int first_tag(const FlowItem& it) {
    for (const FrameItem& item : it.items) {
        if (auto* r = std::get_if<GlyphRun>(&item); r && r->tag != kArtifact) return r->tag;
        if (auto* im = std::get_if<ImageItem>(&item); im && im->tag != kArtifact) return im->tag;
    }
    return kArtifact;
}

// The structure in the order make-up left it: a picture moved after text
// reads after that text. `first` (a Figure and the Caption after it) moves
// behind the sibling subtree that holds `after`; every tag is renumbered.
void follow_move(Layout& layout, int first, int after) {
    std::vector<StructNode>& nodes = layout.structure;
    const int n = static_cast<int>(nodes.size());
    if (first < 0 || after < 0 || first >= n || after >= n || after < first) return;
    int count = 1;
    while (first + count < n && nodes[first + count].parent != nodes[first].parent) ++count;  // its children
    if (first + count < n && nodes[first + count].type == "Caption") ++count;
    // The sibling of `first` that holds `after`, and the end of its subtree.
    int top = after;
    while (nodes[top].parent != nodes[first].parent && nodes[top].parent >= 0) top = nodes[top].parent;
    auto inside = [&](int id) {
        for (int a = id; a >= 0; a = nodes[a].parent)
            if (a == top) return true;
        return false;
    };
    int end = top + 1;
    while (end < n && inside(end)) ++end;
    if (end <= first + count) return;
    std::vector<int> order;
    for (int id = 0; id < n; ++id) {
        if (id >= first && id < first + count) continue;
        order.push_back(id);
        if (id == end - 1)
            for (int k = 0; k < count; ++k) order.push_back(first + k);
    }
    std::vector<int> renum(n);
    for (int i = 0; i < n; ++i) renum[order[i]] = i;
    std::vector<StructNode> moved(n);
    for (int i = 0; i < n; ++i) {
        moved[renum[order[i]]] = nodes[order[i]];
        if (moved[i].parent >= 0) moved[i].parent = renum[moved[i].parent];
    }
    nodes = std::move(moved);
    for (Frame& page : layout.pages)
        for (FrameItem& item : page.items) {
            if (auto* r = std::get_if<GlyphRun>(&item); r && r->tag >= 0) r->tag = renum[r->tag];
            if (auto* im = std::get_if<ImageItem>(&item); im && im->tag >= 0) im->tag = renum[im->tag];
        }
}

int body_rows(const std::vector<FlowItem>& body, size_t from, size_t to) {
    int n = 0;
    for (size_t i = from; i < to; ++i) n += body[i].rows;
    return n;
}

// Where each story goes, in rows: pure arithmetic over composed blocks.
class Planner {
public:
    Planner(std::vector<Story>& stories, const MakeupRules& rules, const Geometry& g, int first_top,
            int first_limit, int tail_rows)
        : stories_(stories), rules_(rules), g_(g), tail_rows_(tail_rows) {
        pages_.push_back({first_top, first_limit, {}});
        row_ = first_top;
    }

    std::vector<PagePlan> run() {
        std::deque<size_t> queue;
        for (size_t s = 0; s < stories_.size(); ++s) queue.push_back(s);
        while (!queue.empty()) {
            const size_t s = queue.front();
            last_ = queue.size() == 1;
            // The lead starts on page 1 under the masthead whenever its head
            // and a few lines fit there; a story on a page of its own starts
            // there in any case (page 1 may have too little room left).
            const bool room = area() >= stories_[s].head.rows + rules_.min_start_per_column;
            const bool lead = s == 0 && pages_.size() == 1 && room;
            const bool fresh_page = fresh() && (room || pages_.size() > 1);
            if (fits_here(s)) {
                place_whole(s);
            } else if (lead || fresh_page || (!fits_a_page(s) && can_start(s))) {
                place_split(s);
            } else if (rules_.reorder && take_later(queue, true)) {
                continue;  // a later story took the room; this one tries again
            } else if (!fresh() && area() >= kHole && can_start(s)) {
                place_split(s);  // moving it would leave a hole nothing fills
            } else if (rules_.reorder && !fresh() && area() >= kHole && take_later(queue, false)) {
                continue;  // nor would it: a later story starts in the room
            } else {
                new_page();
                continue;
            }
            queue.pop_front();
        }
        for (size_t p = 0; p < pages_.size(); ++p) spread(pages_[p], p + 1 == pages_.size());
        return std::move(pages_);
    }

    // The rows the last page's stories end at (for the 报尾).
    int row() const { return row_; }
    // Each moved picture's first structure element, and the element it now follows.
    const std::vector<std::pair<int, int>>& moves() const { return moves_; }

private:
    // Rows left empty at a page's foot that an editor calls a hole.
    static constexpr int kHole = 3;

    PagePlan& page() { return pages_.back(); }
    bool fresh() const { return row_ == pages_.back().top && pages_.back().segments.empty(); }
    int area() const { return pages_.back().limit - row_; }
    // The last story leaves room for the 报尾 under it.
    int ending_area(int rows) const { return last_ ? rows - tail_rows_ : rows; }
    void new_page() {
        pages_.push_back({0, g_.rows, {}});
        row_ = 0;
    }

    // The whole story, head and balanced body, fits in `rows`.
    std::optional<FillResult> whole(size_t s, int rows) const {
        const Story& st = stories_[s];
        if (st.head.rows > rows) return std::nullopt;
        FillResult fr = fill_balanced(st.body, 0, g_.columns, rows - st.head.rows, fill_rules_, 0, g_.rows);
        if (fr.next < st.body.size()) return std::nullopt;
        return fr;
    }
    bool fits_here(size_t s) const { return whole(s, ending_area(area())).has_value(); }
    bool fits_a_page(size_t s) const { return whole(s, g_.rows).has_value(); }

    // A story starts a page only with enough lines to be read: at least
    // min_start_lines there, and min_start_per_column in each column.
    bool can_start(size_t s) const {
        const Story& st = stories_[s];
        const int rows = area() - st.head.rows;
        if (rows < rules_.min_start_per_column) return false;
        // Judged as placed: a first picture that does not fit after the text.
        std::vector<FlowItem> deferred;
        if (moves_on(st.body, 0, rows)) {
            deferred = st.body;
            defer_float(deferred, 0, rows);
        }
        const std::vector<FlowItem>& body = deferred.empty() ? st.body : deferred;
        FillResult fr = continued_fill(body, 0, rows);
        std::vector<int> height(g_.columns, 0);
        for (size_t k = 0; k < fr.placed.size(); ++k)
            height[fr.placed[k].column] = fr.placed[k].row + body[k].rows;
        for (int h : height)
            if (h > 0 && h < rules_.min_start_per_column - 1) return false;
        return body_rows(body, 0, fr.next) >= rules_.min_start_lines;
    }

    // A picture that does not fit the rows left goes after the text that
    // does, at the end of the paragraph going on to the next page; returns
    // the item it now follows, or npos when it stays.
    static bool moves_on(const std::vector<FlowItem>& body, size_t k, int rows) {
        return k + 1 < body.size() && body[k].floats && body[k].rows > rows;
    }
    size_t defer_float(std::vector<FlowItem>& body, size_t k, int rows) const {
        if (!moves_on(body, k, rows)) return npos;
        FlowItem picture = std::move(body[k]);
        body.erase(body.begin() + static_cast<long>(k));
        size_t at = fill_columns(body, k, g_.columns, rows, fill_rules_, 0, g_.rows).next;
        while (at < body.size() && body[at].para_line > 0) ++at;
        body.insert(body.begin() + static_cast<long>(at), std::move(picture));
        return at - 1;
    }

    // Full columns of `rows`, lines left over for the next page: never
    // fewer than min_continuation of them (lines move over to make them).
    FillResult continued_fill(const std::vector<FlowItem>& body, size_t k, int rows) const {
        FillResult fr = fill_columns(body, k, g_.columns, rows, fill_rules_, 0, g_.rows);
        for (int less = 1; less < rows && fr.next < body.size() &&
                           body_rows(body, fr.next, body.size()) < rules_.min_continuation;
             ++less) {
            FillResult fewer = fill_columns(body, k, g_.columns, rows - less, fill_rules_, 0, g_.rows);
            if (fewer.placed.empty()) break;
            fr = std::move(fewer);
        }
        return fr;
    }

    void place_whole(size_t s) {
        FillResult fr = *whole(s, ending_area(area()));
        add({s, true, true, row_, stories_[s].head.rows, 0, fr});
    }

    // Page after page: full columns, then a balanced end; what goes on to
    // the next page is never fewer than min_continuation lines.
    void place_split(size_t s) {
        const Story& st = stories_[s];
        size_t k = 0;
        bool head = true;
        for (;;) {
            const int rows = area() - (head ? st.head.rows : 0);
            if (size_t after = defer_float(stories_[s].body, k, rows); after != npos)
                moves_.push_back({first_tag(stories_[s].body[after + 1]), first_tag(stories_[s].body[after])});
            int use = rows;
            FillResult fr = fill_balanced(st.body, k, g_.columns, rows, fill_rules_, 0, g_.rows);
            if (fr.next >= st.body.size() && last_ && fr.height > ending_area(rows)) {
                // The last story ends above the 报尾, or goes on to the next page.
                FillResult shorter = fill_balanced(st.body, k, g_.columns, ending_area(rows), fill_rules_, 0, g_.rows);
                if (shorter.next >= st.body.size() || !shorter.placed.empty()) fr = shorter, use = ending_area(rows);
            }
            if (fr.next < st.body.size()) fr = continued_fill(st.body, k, use);
            const bool ends = fr.next >= st.body.size();
            if (fr.placed.empty() && !head && fresh())
                throw Failure({Severity::Error, {}, "the style leaves no room on a page for a line of the body"});
            add({s, head, ends, row_, head ? st.head.rows : 0, k, fr});
            if (ends) return;
            k = fr.next;
            head = false;
            new_page();
        }
    }

    void add(Segment seg) {
        row_ = seg.bottom() + (seg.ends ? 1 : 0);
        if (!seg.ends) row_ = page().limit;
        page().segments.push_back(std::move(seg));
    }

    // The first later story that fits whole in the room left (`whole`) or
    // can start there, set there.
    bool take_later(std::deque<size_t>& queue, bool whole) {
        for (size_t i = 1; i < queue.size(); ++i)
            if (whole ? fits_here(queue[i]) : can_start(queue[i])) {
                whole ? place_whole(queue[i]) : place_split(queue[i]);
                queue.erase(queue.begin() + static_cast<long>(i));
                return true;
            }
        return false;
    }

    // No hole: the rows left at a page's foot are shared out as blank rows
    // above the heads of the stories after its first or, with no such
    // place, between the paragraphs of its last story; and no column ends
    // far above the others of its band.
    void spread(PagePlan& p, bool last_page) const {
        if (p.segments.empty()) return;
        for (Segment& seg : p.segments) feather(seg, seg.fill.height);
        int between = last_page ? 0 : between_stories(p);
        if (!last_page && between == 0) {
            Segment& last = p.segments.back();
            feather(last, p.limit - last.body_top());
        }
    }

    // Blank rows at paragraph starts (never at a column's top), at most two
    // each, take a column's last line down to `depth` rows.
    void feather(Segment& seg, int depth) const {
        const std::vector<FlowItem>& body = stories_[seg.story].body;
        std::vector<Placement>& placed = seg.fill.placed;
        for (int c = 0; c < g_.columns; ++c) {
            std::vector<size_t> in, gaps;
            int h = 0;
            for (size_t k = 0; k < placed.size(); ++k)
                if (placed[k].column == c) {
                    in.push_back(k);
                    h = std::max(h, placed[k].row + body[seg.from + k].rows);
                    if (placed[k].row > 0 && body[seg.from + k].para_line == 0) gaps.push_back(k);
                }
            if (in.empty() || gaps.empty() || depth - h < 2) continue;
            const int n = static_cast<int>(gaps.size());
            const int extra = std::min(depth - h, 2 * n);
            int shift = 0;
            for (size_t k : in) {
                for (int gi = 0; gi < n; ++gi)
                    if (gaps[gi] == k) shift += extra / n + (gi < extra % n ? 1 : 0);
                placed[k].row += shift;
            }
            seg.fill.height = std::max(seg.fill.height, h + extra);
        }
    }

    int between_stories(PagePlan& p) const {
        const Segment& last = p.segments.back();
        int left = p.limit - last.bottom() - (last.ends ? 1 : 0);
        std::vector<size_t> gaps;
        for (size_t i = 1; i < p.segments.size(); ++i)
            if (p.segments[i].head) gaps.push_back(i);
        if (left <= 0 || gaps.empty()) return 0;
        int shift = 0, spread = 0;
        for (size_t i = 0, gap = 0; i < p.segments.size(); ++i) {
            if (gap < gaps.size() && gaps[gap] == i) {
                int n = left / static_cast<int>(gaps.size()) + (static_cast<int>(gap) < left % static_cast<int>(gaps.size()) ? 1 : 0);
                shift += n;
                spread += n;
                ++gap;
            }
            p.segments[i].top += shift;
        }
        return spread;
    }

    std::vector<Story>& stories_;  // a picture may move after text in a body
    const MakeupRules& rules_;
    const Geometry& g_;
    const FillRules fill_rules_;
    const int tail_rows_;
    std::vector<PagePlan> pages_;
    int row_ = 0;
    bool last_ = false;  // placing the last story
    std::vector<std::pair<int, int>> moves_;
    static constexpr size_t npos = static_cast<size_t>(-1);
};

void place_items(Frame& page, std::vector<FrameItem> items, double x, double y) {
    translate(items, x, y);
    for (auto& it : items) page.items.push_back(std::move(it));
}

// The plan drawn: frames, anchors and bookmarks at their places.
class Emitter {
public:
    Emitter(const std::vector<Story>& stories, const Furniture& f, const FurnitureText& text, const Style& style,
            const Geometry& g, Layout& layout)
        : stories_(stories), f_(f), text_(text), style_(style), g_(g), layout_(layout) {}

    void page(const PagePlan& plan, std::vector<int>& first_pages) {
        Frame frame;
        frame.width = style_.page_width;
        frame.height = style_.page_height;
        layout_.pages.push_back(std::move(frame));
        const int number = static_cast<int>(layout_.pages.size());
        if (number == 1 && f_.masthead.rows > 0) place_items(layout_.pages.back(), f_.masthead.items, g_.left, g_.row_y(0));
        for (size_t i = 0; i < plan.segments.size(); ++i) {
            const Segment& seg = plan.segments[i];
            if (seg.head) first_pages[seg.story] = number;
            segment(seg);
            if (seg.ends && i + 1 < plan.segments.size()) {
                // A rule between two stories, in the middle of the rows between them.
                double y = g_.row_y(seg.bottom()) + 0.5 * (plan.segments[i + 1].top - seg.bottom()) * g_.pitch;
                layout_.pages.back().items.push_back(
                    Rule{g_.left, y, g_.left + g_.text_width, y, style_.rule_width, style_.accent});
            }
        }
    }

    // 报尾 at the foot of the last page (above the contents box on a
    // one-page issue), or of a page of its own.
    void tail(int row, int limit) {
        if (f_.tail.rows <= 0) return;
        if (row + f_.tail.rows > limit) {
            PagePlan fresh{0, g_.rows, {}};
            std::vector<int> none(stories_.size(), 0);
            page(fresh, none);
            limit = g_.rows;
        }
        place_items(layout_.pages.back(), f_.tail.items, g_.left, g_.row_y(limit - f_.tail.rows));
    }

    void furniture(const std::vector<int>& first_pages) {
        if (f_.contents_rows > 0) {
            HeadBlock contents = text_.contents(first_pages);
            place_items(layout_.pages[0], contents.items, g_.left, g_.row_y(g_.rows - contents.rows));
        }
        for (size_t p = 0; p < layout_.pages.size(); ++p) page_furniture(p);
    }

private:
    void segment(const Segment& seg) {
        const Story& st = stories_[seg.story];
        Frame& pg = layout_.pages.back();
        const int page_index = static_cast<int>(layout_.pages.size()) - 1;
        if (seg.head) {
            pg.items.push_back(Anchor{"story-" + std::to_string(seg.story + 1), g_.left, g_.row_y(seg.top)});
            layout_.outline.push_back({st.title, 1, page_index, g_.left, g_.row_y(seg.top)});
            place_items(pg, st.head.items, g_.left, g_.row_y(seg.top));
        }
        for (size_t i = 0; i < seg.fill.placed.size(); ++i) {
            const FlowItem& it = st.body[seg.from + i];
            const Placement& at = seg.fill.placed[i];
            double x = g_.column_x(at.column), y = g_.row_y(seg.body_top() + at.row);
            if (it.outline_level > 0) layout_.outline.push_back({it.outline_title, it.outline_level, page_index, x, y});
            place_items(pg, it.items, x, y);
            if (it.bar) {
                double bx = x - 0.6 * g_.em;
                pg.items.push_back(Rule{bx, y, bx, y + it.rows * g_.pitch, 1.5 * style_.rule_width, style_.accent});
            }
        }
    }

    // Running heads on later pages, folios ("- 1 -") on all.
    void page_furniture(size_t p) {
        Frame& pg = layout_.pages[p];
        if (p > 0 && !f_.running.empty()) {
            place_items(pg, text_.line(f_.running, style_.running_head, g_.text_width, Align::Center), g_.left,
                        g_.top - 0.6 * g_.pitch);
            double ry = g_.top - 0.3 * g_.pitch;
            pg.items.push_back(Rule{g_.left, ry, g_.left + g_.text_width, ry, style_.rule_width, style_.accent});
        }
        place_items(pg, text_.folio("- " + std::to_string(p + 1) + " -"), g_.left, g_.bottom + 1.5 * g_.pitch);
    }

    const std::vector<Story>& stories_;
    const Furniture& f_;
    const FurnitureText& text_;
    const Style& style_;
    const Geometry& g_;
    Layout& layout_;
};

}  // namespace

void make_up(std::vector<Story>& stories, const Furniture& furniture, const MakeupRules& rules,
             const FurnitureText& text, const Style& style, const Geometry& g, Layout& layout) {
    std::vector<int> first_pages(stories.size(), 0);
    Planner planner(stories, rules, g, furniture.masthead.rows, g.rows - furniture.contents_rows, furniture.tail.rows);
    std::vector<PagePlan> plan = planner.run();
    Emitter emit(stories, furniture, text, style, g, layout);
    for (const PagePlan& p : plan) emit.page(p, first_pages);
    emit.tail(planner.row(), plan.back().limit);
    emit.furniture(first_pages);
    // Later moves first: their places are not shifted by earlier ones.
    for (auto it = planner.moves().rbegin(); it != planner.moves().rend(); ++it) follow_move(layout, it->first, it->second);
}

}  // namespace galley
