#include "flow/pages.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <utility>

#include "common/language.h"

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
    int head_gap = 0;  // blank rows spread under the head
    size_t from = 0;
    FillResult fill;
    int body_top() const { return top + (head ? head_rows + head_gap : 0); }
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

// The first item of the byline and credits that close a story's body.
size_t closing_start(const std::vector<FlowItem>& body, int closing_rows) {
    size_t i = body.size();
    for (int rows = closing_rows; i > 0 && rows > 0;) rows -= body[--i].rows;
    return i;
}
size_t closing_start(const Story& st) { return closing_start(st.body, st.closing_rows); }

// Item i of a body stands apart from the text above it: a heading, a
// picture, a pull quote (a blank row before), the text under a picture,
// the byline (item `closing`).
bool set_off(const std::vector<FlowItem>& body, size_t i, size_t closing) {
    return body[i].space_before > 0 || (i > 0 && body[i - 1].floats) || i == closing;
}

int body_rows(const std::vector<FlowItem>& body, size_t from, size_t to) {
    int n = 0;
    for (size_t i = from; i < to; ++i) n += body[i].rows;
    return n;
}

// Rows the columns a fill uses end short of `depth`, all told, and the
// most one of them does.
struct Shortfall {
    int rows = 0, most = 0;
    // Fewer rows short, no column shorter than before (or than a row).
    bool better_than(const Shortfall& o) const { return rows < o.rows && most <= std::max(o.most, 1); }
};
Shortfall shortfall(const std::vector<FlowItem>& body, size_t k, const FillResult& fr, int columns, int depth) {
    Shortfall s;
    for (int h : column_heights(body, k, fr, columns))
        if (h > 0) s.rows += std::max(0, depth - h), s.most = std::max(s.most, depth - h);
    return s;
}

// Sets paragraph `para` `by` lines longer (shorter when negative) than it
// is, within a line of its first setting, when it can be (else leaves
// it); returns the items gained. Settings are composed on first use.
int lengthen(Story& st, int para, int by) {
    Story::Settings& set = st.loose[static_cast<size_t>(para)];
    const int want = set.now + by;
    if (by == 0 || want < -1 || want > 1) return 0;
    std::vector<FlowItem>& body = st.body;
    auto first = std::find_if(body.begin(), body.end(), [&](const FlowItem& it) { return it.para == para; });
    if (first == body.end()) return 0;
    auto end = std::find_if(first, body.end(), [&](const FlowItem& it) { return it.para != para; });
    std::map<int, std::vector<FlowItem>>& met = *set.met;
    auto found = met.find(want);
    if (found == met.end()) found = met.emplace(want, set.compose(want)).first;
    if (found->second.size() != static_cast<size_t>(first->para_lines + by)) return 0;
    met.try_emplace(set.now, first, end);
    const long at = first - body.begin();
    body.erase(first, end);
    body.insert(body.begin() + at, found->second.begin(), found->second.end());
    set.now = want;
    return by;
}

// Paragraphs set wholly in body items [from, to) that a line more might
// fill a column with (a compositor's 拉行), the longest first: their lines
// loosen least. Whether one can is known when it is tried (lengthen).
std::vector<int> loosenable(const Story& st, size_t from, size_t to) {
    std::vector<std::pair<int, int>> found;  // (-lines, para)
    for (size_t i = from; i < to; ++i) {
        const FlowItem& it = st.body[i];
        if (it.para < 0 || it.para_line != 0 || i + static_cast<size_t>(it.para_lines) > to) continue;
        found.push_back({-it.para_lines, it.para});
    }
    std::sort(found.begin(), found.end());
    std::vector<int> paras;
    for (const auto& f : found) paras.push_back(f.second);
    return paras;
}

// Where each story goes, in rows: pure arithmetic over composed blocks.
class Planner {
public:
    // `shorter`: rows each page is planned without, then spread on it (a
    // page budget the stories do not fill).
    Planner(std::vector<Story>& stories, const MakeupRules& rules, const Geometry& g, int first_top,
            int first_limit, int tail_rows, int shorter = 0)
        : stories_(stories), rules_(rules), g_(g), tail_rows_(tail_rows), shorter_(shorter) {
        pages_.push_back({first_top, first_limit - shorter, {}});
        contents_ = first_limit < g.rows;
        row_ = first_top;
    }

    // `first_page`: only until page 1 is made up (for first_room), unspread.
    std::vector<PagePlan> run(bool first_page = false) {
        std::deque<size_t> queue;
        for (size_t s = 0; s < stories_.size(); ++s) queue.push_back(s);
        while (!queue.empty() && !(first_page && pages_.size() > 1)) {
            const size_t s = queue.front();
            last_ = queue.size() == 1;
            // The lead starts on page 1 under the masthead whenever its head
            // and a few lines fit there; a story on a page of its own starts
            // there in any case (page 1 may have too little room left under a
            // masthead; without one it is as good as any page).
            const bool room = area() >= stories_[s].head.rows + rules_.min_start_per_column;
            const bool lead = s == 0 && pages_.size() == 1 && room;
            const bool fresh_page = fresh() && (room || pages_.size() > 1 || page().top == 0);
            bool split = false;
            if (fits_here(s)) {
                split = false;
            } else if (lead || fresh_page || (!fits_a_page(s) && can_start(s))) {
                split = true;
            } else if (rules_.reorder && take_later(queue, true)) {
                continue;  // a later story took the room; this one tries again
            } else if (!fresh() && area() >= kHole && can_start(s)) {
                split = true;  // moving it would leave a hole nothing fills
            } else if (rules_.reorder && !fresh() && area() >= kHole && take_later(queue, false)) {
                continue;  // nor would it: a later story starts in the room
            } else {
                new_page();
                continue;
            }
            queue.pop_front();
            place_taking_spare(s, split, queue);
        }
        for (PagePlan& p : pages_) p.limit += shorter_;
        const PagePlan& first = pages_.front();
        if (pages_.size() > 1) first_room_ = first.limit - (first.segments.empty() ? first.top : first.segments.back().bottom());
        if (first_page) return std::move(pages_);
        for (size_t p = 0; p < pages_.size(); ++p) spread(pages_[p], p + 1 == pages_.size());
        return std::move(pages_);
    }

    // The rows the last page's stories end at (for the 报尾).
    int row() const { return row_; }
    // Rows page 1 leaves free at its foot before they are spread (none on
    // a one-page issue: the 报尾 takes them).
    int first_room() const { return first_room_; }
    // Each moved picture's first structure element, and the element it now follows.
    const std::vector<std::pair<int, int>>& moves() const { return moves_; }

private:
    // Rows left empty at a page's foot that an editor calls a hole.
    static constexpr int kHole = 3;
    // Blank rows a page may gain above or under a head.
    static constexpr int kSlot = 1;
    // Paragraphs a page's columns are set tighter by at most, together.
    static constexpr size_t kTighter = 3;

    PagePlan& page() { return pages_.back(); }
    bool fresh() const { return row_ == pages_.back().top && pages_.back().segments.empty(); }
    int area() const { return pages_.back().limit - row_; }
    // The last story leaves room for the 报尾 under it.
    int ending_area(int rows) const { return last_ ? rows - tail_rows_ : rows; }
    void new_page() {
        pages_.push_back({0, g_.rows - shorter_, {}});
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
        // Judged as placed: a picture that stops the page waits after the text.
        FillResult fr = continued_fill(st.body, 0, rows, st.closing_rows);
        std::vector<FlowItem> deferred;
        if (stuck(st.body, fr)) {
            deferred = st.body;
            fr = deferred_fill(deferred, 0, [&](size_t k) { return continued_fill(deferred, k, rows, st.closing_rows); }, nullptr);
        }
        const std::vector<FlowItem>& body = deferred.empty() ? st.body : deferred;
        for (int h : column_heights(body, 0, fr, g_.columns))
            if (h > 0 && h < rules_.min_start_per_column - 1) return false;
        int lines = 0;
        for (size_t i = 0; i < fr.next; ++i) lines += body[i].body_line ? body[i].rows : 0;
        return lines >= rules_.min_start_lines;
    }

    // A page's fill stopped by a picture that does not fit the room left,
    // with text after it that might.
    static bool stuck(const std::vector<FlowItem>& body, const FillResult& fr) {
        return fr.next + 1 < body.size() && body[fr.next].floats;
    }
    // `fill(k)` fills a page from item k on; a picture that stops it goes
    // after the text that fits instead, at the end of the paragraph going
    // on to the next page. Each move is reported as the structure
    // elements of the picture and of what it now follows.
    template <class Fill>
    static FillResult deferred_fill(std::vector<FlowItem>& body, size_t k, Fill fill,
                                    std::vector<std::pair<int, int>>* moved) {
        FillResult fr = fill(k);
        while (stuck(body, fr)) {
            const size_t j = fr.next;
            FlowItem picture = std::move(body[j]);
            body.erase(body.begin() + static_cast<long>(j));
            FillResult without = fill(k);
            size_t at = without.next;
            while (at < body.size() && body[at].para_line > 0) ++at;
            body.insert(body.begin() + static_cast<long>(at), std::move(picture));
            if (without.next == j) return fr;  // nothing more fits: it stays where it was
            if (moved) moved->push_back({first_tag(body[at]), first_tag(body[at - 1])});
            fr = std::move(without);
        }
        return fr;
    }

    // Full columns of `rows`, lines left over for the next page: never
    // fewer than min_continuation of them (lines move over to make them).
    // `must`: the story goes on to the next page even if it would end here.
    FillResult continued_fill(const std::vector<FlowItem>& body, size_t k, int rows, int closing,
                              bool must = false) const {
        // The byline and credits are no lines to continue with.
        auto text_left = [&](size_t from) { return body_rows(body, from, body.size()) - closing; };
        const size_t byline = closing_start(body, closing);
        FillResult fr = fill_columns(body, k, g_.columns, rows, fill_rules_, 0, g_.rows);
        int use = rows;
        while (use > 1 && (fr.next < body.size() || must) && text_left(fr.next) < rules_.min_continuation) {
            FillResult fewer = fill_columns(body, k, g_.columns, use - 1, fill_rules_, 0, g_.rows);
            if (fewer.placed.empty()) break;
            fr = std::move(fewer);
            --use;
        }
        if (fr.next >= body.size() || !ragged(body, k, fr, use, g_.rows, byline)) return fr;
        // A column that ends short here, or an end on the next page that
        // cannot be balanced: a row or two fewer here may square both.
        for (int less = 1; less <= 4 && less < use; ++less) {
            FillResult fewer = fill_columns(body, k, g_.columns, use - less, fill_rules_, 0, g_.rows);
            if (fewer.placed.empty() || fewer.next >= body.size()) break;
            if (text_left(fewer.next) < rules_.min_continuation) continue;
            if (!ragged(body, k, fewer, use - less, g_.rows, byline)) return fewer;
        }
        return fr;
    }

    // Columns that spreading cannot square: one ends 3 rows or more above
    // `depth` with too few set-offs and paragraph starts to take the
    // difference (at most two blank rows each); or the rest, if it ends on
    // the next page, does with its set-offs alone (blank rows between its
    // paragraphs would read as section breaks). `closing`: the byline's item.
    bool ragged(const std::vector<FlowItem>& body, size_t k, const FillResult& fr, int depth, int next_rows,
                size_t closing, bool paragraphs = true) const {
        const std::vector<int> height = column_heights(body, k, fr, g_.columns);
        std::vector<int> gaps(g_.columns, 0);
        for (size_t i = 0; i < fr.placed.size(); ++i)
            if (fr.placed[i].row > 0 && body[k + i].span == 1 && !body[k + i].table_row &&
                (set_off(body, k + i, closing) || (paragraphs && body[k + i].para_line == 0)))
                ++gaps[fr.placed[i].column];
        if (fr.next >= body.size()) depth = fr.height;
        for (int c = 0; c < g_.columns; ++c)
            if (height[c] > 0 && depth - height[c] - 2 * gaps[c] >= 3) return true;
        if (fr.next >= body.size() || next_rows <= 0) return false;
        // The rest as the next page sets it: the last story above the 报尾.
        FillResult rest = fill_balanced(body, fr.next, g_.columns, next_rows, fill_rules_, 0, g_.rows);
        if (rest.next >= body.size() && rest.height > ending_area(next_rows))
            rest = fill_balanced(body, fr.next, g_.columns, ending_area(next_rows), fill_rules_, 0, g_.rows);
        return rest.next >= body.size() && ragged(body, fr.next, rest, rest.height, 0, closing, false);
    }

    // Places story s, whole or split. When its pages keep spare rows that
    // no later story takes, or a picture reads out of order, an editor
    // enlarges a picture and sets paragraphs a line longer (拉行) before
    // leaving white, reading order first: each picture across all the
    // columns at each height from a row taller than it is to its full
    // width is tried, the smallest that costs least kept; then paragraphs
    // a line longer on all its pages, the longest first, each kept that
    // costs no more. Always on as many pages, with no more pictures moved
    // after text and no more stubs.
    void place_taking_spare(size_t s, bool split, const std::deque<size_t>& after) {
        auto place = [&] { split ? place_split(s) : place_whole(s); };
        std::vector<size_t> pictures;
        for (size_t i = 0; i < stories_[s].body.size(); ++i)
            if (stories_[s].body[i].picture >= 0) pictures.push_back(i);
        const bool cjk = is_cjk_lang(stories_[s].lang);
        if (pictures.empty() && !cjk) return place();
        // The plan from the page it starts on (nothing before it changes).
        const size_t base = pages_.size() - 1, moved = moves_.size();
        struct State {
            std::vector<PagePlan> pages;
            int row;
            std::vector<std::pair<int, int>> moves;
            Story story;
        };
        auto state = [&] {
            return State{{pages_.begin() + static_cast<long>(base), pages_.end()}, row_,
                         {moves_.begin() + static_cast<long>(moved), moves_.end()}, stories_[s]};
        };
        auto restore = [&](const State& st) {
            pages_.resize(base);
            pages_.insert(pages_.end(), st.pages.begin(), st.pages.end());
            moves_.resize(moved);
            moves_.insert(moves_.end(), st.moves.begin(), st.moves.end());
            row_ = st.row, stories_[s] = st.story;
        };
        const State before = state();
        place();
        // A picture read out of order weighs more than any spare rows.
        auto cost = [&] { return std::pair<int, int>{out_of_order(s, base), spare_rows(after, base)}; };
        const std::pair<int, int> none{0, 0}, worst{std::numeric_limits<int>::max(), 0};
        std::pair<int, int> least = cost();
        if (least == none) return;
        const size_t pages = pages_.size(), moves = moves_.size();
        const int stubs = stub_ends(s, base);
        State best = state();
        Story best_input = before.story;
        // The story set as `input` placed where it started: what it costs.
        auto attempt = [&](const Story& input) {
            restore(before);
            stories_[s] = input;
            split = !fits_here(s);
            try {
                place();
            } catch (const Failure&) {  // a picture no page of a budget holds
                return worst;
            }
            const bool same = pages_.size() == pages && moves_.size() <= moves && stub_ends(s, base) <= stubs;
            return same ? cost() : worst;
        };
        for (size_t i : pictures) {
            const auto& across = before.story.across[static_cast<size_t>(before.story.body[i].picture)];
            const int full = across(g_.rows).rows;
            for (int rows = before.story.body[i].rows + 1; rows <= full && least != none; ++rows) {
                Story input = before.story;
                input.body[i] = across(rows);
                const auto now = attempt(input);
                if (now < least) least = now, best = state(), best_input = std::move(input);
            }
        }
        // Chinese text keeps the grid between paragraphs: lines, not blank rows.
        Story current = best_input;
        for (int para : cjk ? loosenable(current, 0, current.body.size()) : std::vector<int>{}) {
            if (least.second == 0) break;
            Story input = current;
            if (lengthen(input, para, 1) == 0) continue;
            const auto now = attempt(input);
            if (now < least) least = now, best = state(), current = std::move(input);
            else if (now == least) current = std::move(input);  // a line more, that the next may complete
        }
        restore(best);
    }

    // Pictures of story s set in a column after text that follows them
    // (floated to the next column's top while the text after them fills
    // the rest of theirs): read out of the article's order.
    int out_of_order(size_t s, size_t base) const {
        const std::vector<FlowItem>& body = stories_[s].body;
        int n = 0;
        for (size_t k = base; k < pages_.size(); ++k)
            for (const Segment& seg : pages_[k].segments) {
                if (seg.story != s) continue;
                const std::vector<Placement>& at = seg.fill.placed;
                for (size_t i = 0; i < at.size(); ++i) {
                    if (body[seg.from + i].picture < 0 && !body[seg.from + i].floats) continue;
                    for (size_t j = i + 1; j < at.size(); ++j)
                        if (at[j].column < at[i].column) {
                            ++n;
                            break;
                        }
                }
            }
        return n;
    }

    // Story s's start with fewer than min_start_lines body lines and its
    // end on a page of its own with fewer than min_continuation.
    int stub_ends(size_t s, size_t base) const {
        const Story& st = stories_[s];
        int stubs = 0;
        for (size_t k = base; k < pages_.size(); ++k)
            for (const Segment& seg : pages_[k].segments) {
                if (seg.story != s || (seg.head && seg.ends)) continue;
                int lines = 0;
                for (size_t i = seg.from; i < seg.fill.next; ++i) lines += st.body[i].body_line ? st.body[i].rows : 0;
                if (seg.head ? lines < rules_.min_start_lines : (seg.ends && lines < rules_.min_continuation)) ++stubs;
            }
        return stubs;
    }

    // Rows the columns of the story just placed end short of its pages'
    // feet, all told; on its last page, when a story `after` it fits in or
    // starts in the room left, of its longest column (the last story's
    // last page does not count).
    int spare_rows(const std::deque<size_t>& after, size_t base) {
        const size_t s = page().segments.back().story;
        const bool was_last = last_;
        bool taken = false;
        for (size_t i = 0; i < after.size() && !taken && (i == 0 || rules_.reorder); ++i) {
            last_ = after.size() == 1;
            taken = fits_here(after[i]) || can_start(after[i]);
        }
        last_ = was_last;
        int spare = 0;
        for (size_t k = base; k < pages_.size(); ++k)
            for (const Segment& seg : pages_[k].segments) {
                const PagePlan& p = pages_[k];
                if (seg.story != s || (seg.ends && last_)) continue;
                const int depth = seg.ends && taken ? seg.fill.height : p.limit - seg.body_top();  // above another: square
                spare += shortfall(stories_[s].body, seg.from, seg.fill, g_.columns, depth).rows;
            }
        return spare;
    }

    void place_whole(size_t s) {
        FillResult fr = *whole(s, ending_area(area()));
        add({s, true, true, row_, stories_[s].head.rows, 0, 0, fr});
    }

    // Page after page: full columns, then a balanced end; what goes on to
    // the next page is never fewer than min_continuation lines.
    void place_split(size_t s) {
        std::vector<FlowItem>& body = stories_[s].body;
        const HeadBlock& head_block = stories_[s].head;
        size_t k = 0;
        bool head = true;
        for (;;) {
            const int rows = area() - (head ? head_block.rows : 0);
            FillResult fr = deferred_fill(body, k, [&](size_t from) { return page_fill(body, from, rows, stories_[s].closing_rows); }, &moves_);
            const bool ends = fr.next >= body.size();
            if (!ends) fr = fill_continued(stories_[s], k, std::move(fr), rows);
            if (fr.placed.empty() && !head && fresh())
                throw Failure({Severity::Error, {}, "the style leaves no room on a page for a line of the body"});
            add({s, head, ends, row_, head ? head_block.rows : 0, 0, k, fr});
            if (ends) return;
            k = fr.next;
            head = false;
            new_page();
        }
    }

    // One page's part from item k on in `rows`: a balanced end when the
    // rest fits (the last story's above the 报尾), else full columns.
    FillResult page_fill(const std::vector<FlowItem>& body, size_t k, int rows, int closing) const {
        FillResult fr = fill_balanced(body, k, g_.columns, rows, fill_rules_, 0, g_.rows);
        // The last story ends above the 报尾, or fills this page and ends
        // with the 报尾 on the next.
        bool must = false;
        if (fr.next >= body.size() && last_ && fr.height > ending_area(rows)) {
            FillResult shorter = fill_balanced(body, k, g_.columns, ending_area(rows), fill_rules_, 0, g_.rows);
            if (shorter.next >= body.size()) fr = std::move(shorter);
            else must = true;
        }
        if (fr.next < body.size() || must) fr = continued_fill(body, k, rows, closing, must);
        return fr;
    }

    // A page a story goes on from whose columns end short (lines held
    // back for the next page): paragraphs set a line longer fill them,
    // the same text going on; failing that, paragraphs a line shorter make
    // room for what a column's foot missed by a row. Paragraphs are
    // changed one by one; each setting that fills better is kept, the
    // changes after the last one undone.
    FillResult fill_continued(Story& st, size_t k, FillResult fr, int rows) const {
        Shortfall short_by = shortfall(st.body, k, fr, g_.columns, rows);
        std::vector<int> trying;
        size_t next = fr.next;
        for (int para : loosenable(st, k, fr.next)) {
            if (short_by.rows == 0) break;
            const int gained = lengthen(st, para, 1);
            if (gained == 0) continue;
            next += static_cast<size_t>(gained);
            trying.push_back(para);
            for (int h = fr.height; h <= rows; ++h) {
                FillResult r = fill_columns(st.body, k, g_.columns, h, fill_rules_, 0, g_.rows);
                if (r.next > next) break;
                if (r.next < next) continue;
                const Shortfall now = shortfall(st.body, k, r, g_.columns, rows);
                if (now.better_than(short_by) && !ragged(st.body, k, r, rows, g_.rows, closing_start(st))) {
                    fr = std::move(r);
                    short_by = now;
                    trying.clear();
                }
                break;
            }
        }
        for (int para : trying) lengthen(st, para, -1);
        trying.clear();
        // A head or picture kept from a column's foot by a row: paragraphs
        // a line shorter above it make the room (the text after it coming
        // on to this page), a few at most.
        for (int para : loosenable(st, k, fr.next)) {
            if (short_by.rows == 0 || trying.size() == kTighter) break;
            if (lengthen(st, para, -1) == 0) continue;
            trying.push_back(para);
            FillResult r = continued_fill(st.body, k, rows, st.closing_rows);
            if (r.next >= st.body.size() || stuck(st.body, r)) continue;
            const Shortfall now = shortfall(st.body, k, r, g_.columns, rows);
            if (now.better_than(short_by) && !ragged(st.body, k, r, rows, g_.rows, closing_start(st))) {
                fr = std::move(r);
                short_by = now;
                trying.clear();
            }
        }
        for (int para : trying) lengthen(st, para, 1);
        return fr;
    }

    // A story's end whose columns stop short of `depth`: paragraphs set a
    // line longer fill them, before any blank row does.
    void fill_ending(Segment& seg, int depth) const {
        Story& st = stories_[seg.story];
        Shortfall short_by = shortfall(st.body, seg.from, seg.fill, g_.columns, depth);
        std::vector<int> trying;
        for (int para : loosenable(st, seg.from, st.body.size())) {
            if (short_by.rows == 0) break;
            if (lengthen(st, para, 1) == 0) continue;
            trying.push_back(para);
            FillResult r = fill_balanced(st.body, seg.from, g_.columns, depth, fill_rules_, 0, g_.rows);
            if (r.next < st.body.size() || r.height > depth) break;
            const Shortfall now = shortfall(st.body, seg.from, r, g_.columns, depth);
            if (now.better_than(short_by)) {
                seg.fill = std::move(r);
                short_by = now;
                trying.clear();
            }
        }
        for (int para : trying) lengthen(st, para, -1);
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

    // No hole: the rows left at a page's foot are spread over the page in
    // whole rows, first above the heads of the stories after its first (on
    // page 1, under the masthead too) and under every head, at most kSlot
    // rows each (more reads as a hole); then between the paragraphs of its
    // last story, as evenly as its columns allow (in Chinese, above heads,
    // pictures and the byline first). A story that ends above another ends
    // square, its columns feathered flush.
    void spread(PagePlan& p, bool last_page) {
        if (p.segments.empty()) return;
        for (size_t i = 0; i + 1 < p.segments.size(); ++i) {
            fill_ending(p.segments[i], p.segments[i].fill.height);
            feather(p.segments[i], p.segments[i].fill.height);
        }
        Segment& last = p.segments.back();
        if (last_page) {
            fill_ending(last, last.fill.height);
            feather(last, last.fill.height);
            return;
        }
        int left = p.limit - last.bottom();
        std::vector<int*> slots;  // blank rows above a head, under a head
        std::vector<int> above(p.segments.size(), 0);
        for (size_t i = 0; i < p.segments.size(); ++i) {
            if (!p.segments[i].head) continue;
            if (i > 0 || p.top > 0) slots.push_back(&above[i]);
            slots.push_back(&p.segments[i].head_gap);
        }
        for (bool more = true; left > 0 && more;) {
            more = false;
            for (int* slot : slots)
                if (left > 0 && *slot < kSlot) ++*slot, --left, more = true;
        }
        for (size_t i = 0, shift = 0; i < p.segments.size(); ++i) {
            shift += above[i];
            p.segments[i].top += static_cast<int>(shift);
            if (i + 1 < p.segments.size()) shift += p.segments[i].head_gap;
        }
        // Page 1's contents box stands clear of a story ending above it by
        // a few rows, as between two stories, before any go in its columns.
        const int clear = &p == &pages_.front() && contents_ && last.ends ? std::min(left, kSlot + 1) : 0;
        const int depth = p.limit - clear - last.body_top();
        if (!last.ends) {
            feather(last, depth, g_.rows);
            return;
        }
        fill_ending(last, depth);
        // Columns filled in turn down to the foot, the last one short, may
        // leave fewer blank rows between paragraphs than balanced
        // ones stretched to it.
        const std::vector<FlowItem>& body = stories_[last.story].body;
        auto used = [&](const FillResult& r) {
            const std::vector<int> hs = column_heights(body, last.from, r, g_.columns);
            return std::count_if(hs.begin(), hs.end(), [](int h) { return h > 0; });
        };
        Segment best = last;
        int between = feather(best, depth, g_.rows);
        for (int h = last.fill.height + 1; h <= depth && between > 0; ++h) {
            FillResult r = fill_columns(body, last.from, g_.columns, h, fill_rules_, 0, g_.rows);
            if (r.next < body.size() || stuck(body, r) || used(r) < used(last.fill)) continue;
            Segment trial = last;
            trial.fill = std::move(r);
            const int n = feather(trial, depth, g_.rows);
            if (n < between) best = std::move(trial), between = n;
        }
        last = std::move(best);
    }

    // Blank rows at paragraph starts (never at a column's top), at most
    // `most` each, take a column's last line down to `depth` rows; returns
    // the rows put between paragraphs (set-offs take them first).
    int feather(Segment& seg, int depth, int most = 2) const {
        const Story& st = stories_[seg.story];
        const std::vector<FlowItem>& body = st.body;
        const size_t closing = closing_start(st);
        std::vector<Placement>& placed = seg.fill.placed;
        // A picture across columns holds their rows together: they stay. A
        // table across columns holds them down to its foot; what is below
        // it may move down in each column alone.
        std::vector<bool> held(g_.columns, false);
        std::vector<int> held_to(g_.columns, 0);
        std::vector<int> foot(g_.columns, depth);
        int between = 0;
        for (size_t k = 0; k < placed.size(); ++k) {
            const FlowItem& it = body[seg.from + k];
            // Notes stand at their column's foot: its text goes down to their rule.
            if (placed[k].note_row >= 0 && placed[k].column < g_.columns)
                foot[placed[k].column] = std::min(foot[placed[k].column], placed[k].note_row - 1);
            if (it.span <= 1) continue;
            for (int c = placed[k].column; c < placed[k].column + it.span && c < g_.columns; ++c) {
                if (!it.table_row) held[c] = true;
                held_to[c] = std::max(held_to[c], placed[k].row + it.rows);
            }
        }
        for (int c = 0; c < g_.columns; ++c) {
            if (held[c]) continue;
            const int bottom = foot[c];
            std::vector<size_t> in, gaps;
            int h = 0;
            for (size_t k = 0; k < placed.size(); ++k)
                if (placed[k].column == c) {
                    in.push_back(k);
                    h = std::max(h, placed[k].row + body[seg.from + k].rows);
                }
            // A row short squares up only where a gap reads as none: above a
            // heading, a picture or the byline, under a picture; paragraphs
            // keep one pitch apart unless the column would end 3 rows short
            // (makeup-check's K6; a blank row between English paragraphs
            // reads as a section break).
            const bool paragraphs = bottom - h >= 3;
            std::vector<size_t> set_offs;
            bool under_table = held_to[c] > 0;  // the first item under a table across columns is set off
            for (size_t k : in)
                if (placed[k].row < held_to[c]) continue;
                else if (placed[k].row > 0 && (std::exchange(under_table, false) || set_off(body, seg.from + k, closing)))
                    set_offs.push_back(k);
                else if (placed[k].row > 0 && paragraphs && body[seg.from + k].para_line == 0 &&
                         !body[seg.from + k].table_row)
                    gaps.push_back(k);
            if (in.empty() || bottom <= h) continue;
            // Paragraphs part by a blank row only where the set-offs, a row
            // each in turn up to three, cannot take the difference.
            std::vector<int> add(placed.size(), 0);
            int extra = 0;
            for (int round = 0; round < std::min(3, most); ++round)
                for (size_t k : set_offs)
                    if (extra < bottom - h) ++add[k], ++extra;
            const int n = static_cast<int>(gaps.size());
            const int rest = n == 0 ? 0 : std::min(bottom - h - extra, most * n);
            for (int gi = 0; gi < n; ++gi) add[gaps[static_cast<size_t>(gi)]] += rest / n + (gi < rest % n ? 1 : 0);
            extra += rest;
            between += rest;
            if (extra == 0) continue;
            int shift = 0;
            for (size_t k : in) placed[k].row += shift += add[k];
            seg.fill.height = std::max(seg.fill.height, h + extra);
        }
        return between;
    }

    std::vector<Story>& stories_;  // a picture may move after text in a body
    const MakeupRules& rules_;
    const Geometry& g_;
    const FillRules fill_rules_;
    const int tail_rows_;
    const int shorter_;
    std::vector<PagePlan> pages_;
    int row_ = 0;
    bool last_ = false;  // placing the last story
    std::vector<std::pair<int, int>> moves_;
    int first_room_ = 0;
    bool contents_ = false;  // page 1 has a contents box at its foot
};

void place_items(Frame& page, std::vector<FrameItem> items, double x, double y) {
    translate(items, x, y);
    for (auto& it : items) page.items.push_back(std::move(it));
}

// The plan drawn: frames, anchors and bookmarks at their places.
class Emitter {
public:
    Emitter(const std::vector<Story>& stories, const Furniture& f, const FurnitureText& text, const Style& style,
            const Geometry& g, Layout& layout, int entry_lines)
        : stories_(stories), f_(f), text_(text), style_(style), g_(g), layout_(layout), entry_lines_(entry_lines) {}

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
            HeadBlock contents = text_.contents(first_pages, entry_lines_);
            place_items(layout_.pages[0], contents.items, g_.left, g_.row_y(g_.rows - contents.rows));
        }
        for (size_t p = 0; p < layout_.pages.size(); ++p) page_furniture(p);
    }

private:
    void segment(const Segment& seg) {
        const Story& st = stories_[seg.story];
        sections_.resize(layout_.pages.size());
        std::vector<std::string>& here = sections_.back();
        if (!st.section.empty() && std::find(here.begin(), here.end(), st.section) == here.end()) here.push_back(st.section);
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
            if (at.with_head) place_items(pg, it.head, x, y - it.head_rows * g_.pitch);
            place_items(pg, it.items, x, y);
            const bool table_goes_on = i + 1 < seg.fill.placed.size() && seg.fill.placed[i + 1].column == at.column;
            if (!it.foot.empty() && !table_goes_on) place_items(pg, it.foot, x, y);
            if (at.note_row >= 0) {
                const double ny = g_.row_y(seg.body_top() + at.note_row);
                place_items(pg, it.notes, x, ny);
                if (at.note_rule) {
                    const double ry = ny - 0.4 * g_.pitch;
                    pg.items.push_back(Rule{x, ry, x + g_.column_width / 4, ry, style_.rule_width, style_.caption.color});
                }
            }
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
            // The newsletter, issue and date, then the sections of the stories on the page.
            std::string head = f_.running;
            if (p < sections_.size())
                for (const std::string& s : sections_[p]) head += f_.fields + s;
            place_items(pg, text_.line(head, style_.running_head, g_.text_width, Align::Center), g_.left,
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
    const int entry_lines_;
    std::vector<std::vector<std::string>> sections_;  // per page, the sections of its stories
};

}  // namespace

int make_up(std::vector<Story>& stories, const Furniture& furniture, const MakeupRules& rules,
            const FurnitureText& text, const Style& style, const Geometry& g, Layout& layout) {
    // Page 1 alone planned above a contents box of `rows`: the rows it
    // leaves, and the stories it holds (each whole or started).
    auto first_page = [&](int rows) {
        // Only the stories page 1 may hold (their heads alone fill it), one
        // more to judge the room by, are copied: trials set stories again.
        size_t k = 0;
        for (int heads = 0; k < stories.size() && heads <= g.rows; ++k) heads += std::max(1, stories[k].head.rows);
        std::vector<Story> trial(stories.begin(), stories.begin() + static_cast<long>(rules.reorder ? stories.size() : std::min(stories.size(), k + 1)));
        Planner p(trial, rules, g, furniture.masthead.rows, g.rows - rows, furniture.tail.rows);
        const std::vector<PagePlan> plan = p.run(true);
        std::vector<std::pair<size_t, bool>> held;
        for (const Segment& seg : plan.front().segments) held.push_back({seg.story, seg.ends});
        return std::make_pair(p.first_room(), held);
    };
    // Rows page 1 leaves under its stories when no later one starts there
    // (a lead too long for the room beside it, too short to go on) go to
    // the contents box: an editor's 本期导读 then prints each story's
    // summary under its title, in as many lines as the rows allow.
    int first_limit = g.rows - furniture.contents_rows, entry_lines = 0;
    if (furniture.contents_rows > 0 && text.contents) {
        const auto [room, held] = first_page(furniture.contents_rows);
        const std::vector<int> any(stories.size(), 1);
        // Entry lines whose box fits the room: the most for each height.
        std::vector<int> fitting;
        // (Six more lines that add no row: the summaries are whole.)
        for (int n = 1, rows = furniture.contents_rows, grew = 0; room >= 3 && n <= grew + 6; ++n) {
            const int now = text.contents(any, n).rows;
            if (now - furniture.contents_rows > room) break;
            if (now > rows) fitting.push_back(n), rows = now, grew = n;
            else if (now == rows && !fitting.empty()) fitting.back() = n;
        }
        // Page 1 must keep its stories as they were (set again for the
        // room, the lead might end otherwise).
        for (auto n = fitting.rbegin(); n != fitting.rend(); ++n) {
            const int rows = text.contents(any, *n).rows;
            const auto [now, now_held] = first_page(rows);
            if (now_held == held && now < room) {
                first_limit = g.rows - rows, entry_lines = *n;
                break;
            }
        }
    }
    // A page budget the stories fall short of: every page planned a row
    // shorter, then two, until they take the pages asked for; the rows
    // saved are spread on the pages. Trials run on copies (pictures move).
    int shorter = 0;
    auto pages_with = [&](int k) {
        std::vector<Story> trial = stories;
        Planner p(trial, rules, g, furniture.masthead.rows, first_limit, furniture.tail.rows, k);
        const std::vector<PagePlan> plan = p.run();
        return static_cast<int>(plan.size()) + (p.row() + furniture.tail.rows > plan.back().limit ? 1 : 0);
    };
    if (rules.pages > 0 && pages_with(0) < rules.pages)
        for (int k = 1; k < first_limit - furniture.masthead.rows; ++k) {
            const int n = pages_with(k);
            if (n > rules.pages) break;
            shorter = k;
            if (n == rules.pages) break;
        }
    std::vector<int> first_pages(stories.size(), 0);
    Planner planner(stories, rules, g, furniture.masthead.rows, first_limit, furniture.tail.rows, shorter);
    std::vector<PagePlan> plan = planner.run();
    Emitter emit(stories, furniture, text, style, g, layout, entry_lines);
    for (const PagePlan& p : plan) emit.page(p, first_pages);
    emit.tail(planner.row(), plan.back().limit);
    emit.furniture(first_pages);
    // Later moves first: their places are not shifted by earlier ones.
    for (auto it = planner.moves().rbegin(); it != planner.moves().rend(); ++it) follow_move(layout, it->first, it->second);
    return shorter * static_cast<int>(plan.size());
}

}  // namespace galley
