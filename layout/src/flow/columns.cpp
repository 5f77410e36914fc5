#include "flow/columns.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace galley {

// Rows that must stay with item i in its column: what a heading keeps
// with it, and the lines that keep a paragraph's first and last lines
// from standing alone (no orphan, no widow).
int rows_needed(const std::vector<FlowItem>& items, size_t i, const FillRules& rules) {
    const FlowItem& it = items[i];
    if (i + 1 >= items.size()) return it.rows;
    const FlowItem& next = items[i + 1];
    if (it.keep_with_next) return it.rows + next.space_before + rows_needed(items, i + 1, rules);
    if (next.para_line == it.para_line + 1 && next.para_line > 0) {
        int before = it.para_line + 1, after = it.para_lines - before;
        if (before < rules.min_lines || after < rules.min_lines) return it.rows + rows_needed(items, i + 1, rules);
    }
    return it.rows;
}

namespace {

// Rows of a column that a picture takes which does not start in it: one
// spanning from a column to its left, or floating to its top. Text there
// skips them.
class Taken {
public:
    explicit Taken(int columns) : rows_(static_cast<size_t>(columns)) {}

    void add(int c, int first, int end) {
        auto& in = rows_[static_cast<size_t>(c)];
        in.push_back({first, end});
        std::sort(in.begin(), in.end());
    }
    // `row`, or the first row after the taken rows that hold it.
    int skip(int c, int row) const {
        for (auto [first, end] : rows_[static_cast<size_t>(c)])
            if (first <= row && row < end) row = end;
        return row;
    }
    // The first row from `at` where `n` rows are free in columns c .. c+span-1.
    int clear(int c, int span, int at, int n) const {
        for (bool moved = true; moved;) {
            moved = false;
            for (int k = c; k < c + span; ++k)
                for (auto [first, end] : rows_[static_cast<size_t>(k)])
                    if (first < at + n && at < end) at = end, moved = true;
        }
        return at;
    }
    // The row after `n` rows of lines set from `at` in column c, around the
    // taken rows (lines flow past a picture, above and below it).
    int reach(int c, int at, int n) const {
        int end = at + n;
        for (auto [first, last] : rows_[static_cast<size_t>(c)])
            if (first < end && last > at) end += last - std::max(first, at);
        return end;
    }

private:
    std::vector<std::vector<std::pair<int, int>>> rows_;  // [first, end) per column, sorted
};

int span_of(const FlowItem& it, int columns) { return std::clamp(it.span, 1, columns); }
bool across_all(const FlowItem& it, int columns) { return columns > 1 && span_of(it, columns) == columns; }

// Fills columns one after the other. `full` is the height of a real
// column: a keep longer than that can be met nowhere, so its first item
// goes in at a column top regardless. With `even`, each column but the
// last stops once it holds its share of what is left, so the last column
// is not the short one. A figure that does not fit under the text of its
// column may float to the top of the next column, the text after it
// filling this one first. A picture spanning columns c .. c+span-1 is
// placed in column c (Placement::column is its leftmost column) where all
// of them are free; the text of the columns to its right, filled later,
// goes above and below it. One across all the columns goes only at their
// top, where no text stands above it. A hoisted picture (`hoists`: item, column)
// goes at the top of that column, before the text that precedes it.
class Filler {
public:
    using Hoist = std::pair<size_t, int>;

    Filler(const std::vector<FlowItem>& items, size_t from, size_t end, int columns, int rows, const FillRules& rules,
           int reserve, int full, bool even, const std::vector<Hoist>& hoists)
        : items_(items), from_(from), end_(end), columns_(columns), rows_(rows), rules_(rules), reserve_(reserve),
          full_(full), even_(even), hoists_(hoists), taken_(std::max(columns, 0)),
          spanned_(static_cast<size_t>(std::max(columns, 0))), foot_(static_cast<size_t>(std::max(columns, 0))),
          placed_(end - from), done_(end - from, false) {}

    FillResult run() {
        r_.next = from_;
        if (rows_ <= 0 || columns_ <= 0) return r_;
        hoist_here();
        target_ = share(from_);
        for (size_t i = from_; i < end_; ++i) {
            while (!done_[i - from_] && !place(i) && !float_on(i)) {
                if (span_of(items_[i], columns_) > 1 && (!stuck_ || stuck_->first != i))
                    stuck_ = Hoist{i, std::min(column_, columns_ - span_of(items_[i], columns_))};
                if (!next_column(i)) return done();
            }
            // A figure that floats ends its column when few rows are left
            // there: the text after it reads after its caption, as written.
            if (floating_ && *floating_ == i && cap_of(column_) - row_ <= rules_.float_hole && !next_column(i + 1))
                return done();
            if (!floating_) r_.next = i + 1;
        }
        if (floating_ && next_column(end_)) r_.next = end_;
        return done();
    }

    // A spanning picture this fill could not place where it came, and the
    // column whose top could take it instead.
    std::optional<Hoist> stuck() const { return stuck_; }

private:
    // The rows of column c for text: above the jump line's reserve and the
    // notes at its foot.
    int bottom_of(int c) const { return c == columns_ - 1 ? rows_ - reserve_ : rows_; }
    int cap_of(int c) const { return bottom_of(c) - foot_[static_cast<size_t>(c)]; }
    // The rows item i adds at the foot of column c: its notes, and the
    // rule above the column's first.
    int foot_rows(const FlowItem& it, int c) const {
        return it.note_rows > 0 ? it.note_rows + (foot_[static_cast<size_t>(c)] == 0 ? 1 : 0) : 0;
    }

    // The row this column is filled to: the rows left, spanning pictures
    // counted in every column they take, shared out over the columns left.
    int share(size_t i) const {
        if (!even_ || column_ == columns_ - 1) return rows_;
        int left = 0;
        for (size_t k = i; k < end_; ++k)
            if (!done_[k - from_])
                left += (items_[k].rows + items_[k].space_before) * span_of(items_[k], columns_) + items_[k].note_rows;
        for (int c = column_; c < columns_; ++c) left += spanned_[static_cast<size_t>(c)];
        int n = columns_ - column_;
        return std::min(rows_, (left + n - 1) / n);
    }

    bool next_column(size_t i) {
        if (++column_ == columns_) return false;
        committed_ = 0;
        column_has_text_ = false;
        if (floating_) {
            placed_[*floating_ - from_] = {column_, float_row_};
            r_.height = std::max(r_.height, float_row_ + items_[*floating_].rows);
            floating_.reset();
        }
        hoist_here();
        target_ = share(i);
        row_ = taken_.skip(column_, 0);
        return true;
    }

    // The pictures hoisted to this column's top, when they fit there.
    void hoist_here() {
        for (auto [k, c] : hoists_) {
            if (c != column_ || k < from_ || done_[k - from_]) continue;
            const FlowItem& it = items_[k];
            const int span = span_of(it, columns_);
            const int at = taken_.clear(column_, span, taken_.skip(column_, 0), it.rows);
            bool room = column_ + span <= columns_;
            for (int col = column_; col < column_ + span && room; ++col) room = at + it.rows <= cap_of(col);
            if (!room) continue;
            placed_[k - from_] = {column_, at};
            done_[k - from_] = true;
            take(column_, span, at, at + it.rows, true);
            r_.height = std::max(r_.height, at + it.rows);
        }
        row_ = taken_.skip(column_, 0);
    }

    // Item i at the next free rows of this column, when it fits there (or
    // cannot fit in any column).
    bool place(size_t i) {
        const FlowItem& it = items_[i];
        const int span = span_of(it, columns_);
        if (column_ + span > columns_) return false;
        row_ = taken_.skip(column_, row_);
        // One across all the columns heads them: under text of its own
        // columns, the text to its right would read above and below it.
        if (across_all(it, columns_) && (column_ > 0 || row_ > taken_.skip(0, 0))) return false;
        const bool top = row_ == 0;
        const int gap = top ? 0 : it.space_before;
        // A table going on in a new column repeats its header above the row.
        const int head = it.head_rows > 0 && !column_has_text_ ? it.head_rows : 0;
        const int at = taken_.clear(column_, span, row_ + gap, it.rows + head) + head;
        const int need = rows_needed(items_, i, rules_) + head;
        const int end = taken_.reach(column_, at - head, need);
        const int notes = foot_rows(it, column_);
        const bool hopeless = need + notes > full_ - (column_ == columns_ - 1 ? reserve_ : 0);
        bool room = end <= cap_of(column_) - notes;
        for (int c = column_ + 1; c < column_ + span; ++c) room = room && at + it.rows <= cap_of(c);
        if (!(((row_ < target_ || row_ < committed_) && room) || (top && hopeless))) return false;
        committed_ = std::max(committed_, end);
        placed_[i - from_] = {column_, at, head > 0};
        foot_[static_cast<size_t>(column_)] += notes;
        column_has_text_ = true;
        if (stuck_ && stuck_->first == i) stuck_.reset();
        take(column_ + 1, span - 1, std::max(row_, at - gap), at + it.rows, true);
        row_ = at + it.rows;
        r_.height = std::max(r_.height, row_);
        return true;
    }

    // A figure that does not fit under this column's text waits for the
    // top of the next column (spanning from there), its rows kept free.
    bool float_on(size_t i) {
        const FlowItem& it = items_[i];
        const int span = span_of(it, columns_);
        if (!it.floats || floating_ || row_ == 0 || i + 1 >= end_ || column_ + 1 + span > columns_)
            return false;
        const int at = taken_.clear(column_ + 1, span, 0, it.rows);
        for (int c = column_ + 1; c <= column_ + span; ++c)
            if (at + it.rows > cap_of(c)) return false;
        floating_ = i;
        float_row_ = at;
        if (stuck_ && stuck_->first == i) stuck_.reset();
        take(column_ + 1, 1, at, at + it.rows, false);
        take(column_ + 2, span - 1, at, at + it.rows, true);
        return true;
    }

    // Rows [first, end) of `count` columns from c are taken; `spanning`:
    // by a picture started in a column to their left (balancing counts them).
    void take(int c, int count, int first, int end, bool spanning) {
        for (int k = c; k < c + count; ++k) {
            taken_.add(k, first, end);
            if (spanning) spanned_[static_cast<size_t>(k)] += end - first;
        }
    }

    FillResult done() {
        r_.placed.assign(placed_.begin(), placed_.begin() + static_cast<long>(r_.next - from_));
        place_notes();
        return r_;
    }

    // The notes of the items placed, in their order, at the foot of their
    // columns under a short rule.
    void place_notes() {
        std::vector<int> total(foot_.size(), 0), at(foot_.size(), 0);
        for (size_t k = 0; k < r_.placed.size(); ++k)
            if (items_[from_ + k].note_rows > 0) {
                int& t = total[static_cast<size_t>(r_.placed[k].column)];
                t += items_[from_ + k].note_rows + (t == 0 ? 1 : 0);
            }
        for (size_t k = 0; k < r_.placed.size(); ++k) {
            const FlowItem& it = items_[from_ + k];
            if (it.note_rows == 0) continue;
            Placement& p = r_.placed[k];
            const size_t c = static_cast<size_t>(p.column);
            p.note_rule = at[c] == 0;
            if (p.note_rule) at[c] = 1;
            p.note_row = bottom_of(p.column) - total[c] + at[c];
            at[c] += it.note_rows;
            r_.height = std::max(r_.height, bottom_of(p.column));
        }
    }

    const std::vector<FlowItem>& items_;
    const size_t from_, end_;
    const int columns_, rows_;
    const FillRules& rules_;
    const int reserve_, full_;
    const bool even_;
    const std::vector<Hoist>& hoists_;
    Taken taken_;
    std::vector<int> spanned_;  // rows of each column spanning pictures take
    std::vector<int> foot_;     // rows of each column its notes take, with their rule
    std::vector<Placement> placed_;
    std::vector<bool> done_;  // placed ahead of its turn (hoisted)
    std::optional<Hoist> stuck_;
    FillResult r_;
    int column_ = 0, row_ = 0;
    int target_ = 0;
    int committed_ = 0;  // rows the items placed so far hold together in this column
    bool column_has_text_ = false;  // an item was placed in this column in its turn
    std::optional<size_t> floating_;  // a figure waiting for the next column's top
    int float_row_ = 0;               // its row there
};

// Items [from, end) in columns: a spanning picture with no room where it
// comes in the columns left would end the area there, leaving them empty:
// it goes at the top of the last column it could span from instead
// (newspaper practice: a picture heads the columns it sits across), the
// text before it flowing under it, when everything up to it still fits.
// Else it is carried on.
FillResult fill_around(const std::vector<FlowItem>& items, size_t from, size_t end, int columns, int rows,
                       const FillRules& rules, int reserve, int full, bool even) {
    std::vector<Filler::Hoist> hoists;
    Filler first(items, from, end, columns, rows, rules, reserve, full, even, hoists);
    FillResult best = first.run();
    std::optional<Filler::Hoist> stuck = first.stuck();
    while (stuck && stuck->first >= best.next) {
        hoists.push_back(*stuck);
        Filler again(items, from, end, columns, rows, rules, reserve, full, even, hoists);
        FillResult r = again.run();
        if (r.next <= stuck->first) break;
        best = std::move(r);
        stuck = again.stuck();
    }
    return best;
}

FillResult balanced(const std::vector<FlowItem>& items, size_t from, size_t end, int columns, int rows,
                    const FillRules& rules, int reserve, int full);

// A picture across all the columns below text divides them into bands:
// the text before it is balanced above it, the text after it fills the
// columns below, so each band reads across before the next. When the text
// before it does not stand above it, square and two lines deep in every
// column, the area takes that text alone.
FillResult fill(const std::vector<FlowItem>& items, size_t from, size_t end, int columns, int rows,
                const FillRules& rules, int reserve, int full, bool even) {
    size_t j = from + 1;
    while (j < end && !across_all(items[j], columns)) ++j;
    if (j >= end) return fill_around(items, from, end, columns, rows, rules, reserve, full, even);
    const FlowItem& picture = items[j];
    FillResult above = balanced(items, from, j, columns, rows - picture.rows - picture.space_before, rules, 0, full);
    int lowest = above.height;
    for (int h : column_heights(items, from, above, columns)) lowest = std::min(lowest, h);
    // Text that cannot stand square above it, two lines or more in each
    // column: the picture is not set here.
    if (above.next < j || lowest < rules.min_lines || above.height - lowest >= 3)
        return fill_around(items, from, j, columns, rows, rules, reserve, full, even);
    const int at = above.height + picture.space_before;  // under two lines at least
    const int below = at + picture.rows;
    FillResult r = std::move(above);
    r.placed.push_back({0, at});
    r.next = j + 1;
    r.height = below;
    if (j + 1 >= end || below >= rows) return r;
    FillResult rest = fill(items, j + 1, end, columns, rows - below, rules, reserve, full, even);
    for (Placement p : rest.placed) {
        p.row += below;
        if (p.note_row >= 0) p.note_row += below;
        r.placed.push_back(p);
    }
    r.next = rest.next;
    if (!rest.placed.empty()) r.height = below + rest.height;
    return r;
}

}  // namespace

FillResult fill_columns(const std::vector<FlowItem>& items, size_t from, int columns, int rows,
                        const FillRules& rules, int reserve, int full) {
    if (full <= 0) full = rows;
    // The reserve is for a jump line: not needed when everything fits.
    FillResult all = fill(items, from, items.size(), columns, rows, rules, 0, full, false);
    if (all.next == items.size() || reserve == 0) return all;
    return fill(items, from, items.size(), columns, rows, rules, reserve, full, false);
}

FillResult fill_balanced(const std::vector<FlowItem>& items, size_t from, int columns, int rows,
                         const FillRules& rules, int reserve, int full) {
    if (full <= 0) full = rows;
    return balanced(items, from, items.size(), columns, rows, rules, reserve, full);
}

namespace {

FillResult balanced(const std::vector<FlowItem>& items, size_t from, size_t end, int columns, int rows,
                    const FillRules& rules, int reserve, int full) {
    FillResult whole = fill(items, from, end, columns, rows, rules, 0, full, false);
    if (whole.next < end && reserve > 0) whole = fill(items, from, end, columns, rows, rules, reserve, full, false);
    if (whole.next < end || columns == 1) return whole;
    int total = 0;
    for (size_t i = from; i < end; ++i) total += items[i].rows * span_of(items[i], columns);
    // A column holding one lonely row beside taller ones reads as a stray
    // line: a taller setting without it is better, if there is one.
    // A column that ends 3 rows or more above another (a figure that ended
    // its column) reads as a hole: a setting a row or two taller may
    // square them.
    auto ends = [&](const FillResult& r) {
        int lowest = rows, highest = 0;
        for (int h : column_heights(items, from, r, columns))
            if (h > 0) lowest = std::min(lowest, h), highest = std::max(highest, h);
        return std::pair{lowest, highest};
    };
    auto lonely = [&](const FillResult& r) {
        auto [lowest, highest] = ends(r);
        return lowest == 1 && highest >= 2;
    };
    auto ragged = [&](const FillResult& r) {
        auto [lowest, highest] = ends(r);
        return highest - lowest >= 3;
    };
    std::optional<FillResult> first, uneven;
    int uneven_at = 0;
    for (int h = std::max(1, (total + columns - 1) / columns); h < rows; ++h) {
        if (uneven && h > uneven_at + 2) return *uneven;
        for (bool even : {true, false}) {
            // A figure keeps its place in the reading order (float_hole)
            // unless only the text after it, filling behind it, squares the end.
            for (int hole : {rules.float_hole, 0}) {
                FillRules with = rules;
                with.float_hole = hole;
                FillResult r = fill(items, from, end, columns, h, with, 0, full, even);
                if (r.next != end) continue;
                if (lonely(r)) {
                    if (!first) first = r;
                } else if (!ragged(r)) {
                    return r;
                } else if (!uneven) {
                    uneven = r, uneven_at = h;
                }
                if (hole == 0) break;
            }
        }
    }
    if (uneven) return *uneven;
    if (first) return *first;
    return whole;
}

}  // namespace

std::vector<int> column_heights(const std::vector<FlowItem>& items, size_t from, const FillResult& fr, int columns) {
    std::vector<int> height(static_cast<size_t>(std::max(columns, 0)), 0);
    for (size_t k = 0; k < fr.placed.size(); ++k) {
        const FlowItem& it = items[from + k];
        for (int c = fr.placed[k].column; c < fr.placed[k].column + span_of(it, columns) && c < columns; ++c)
            height[static_cast<size_t>(c)] = std::max(height[static_cast<size_t>(c)], fr.placed[k].row + it.rows);
        if (fr.placed[k].note_row >= 0 && fr.placed[k].column < columns) {
            int& h = height[static_cast<size_t>(fr.placed[k].column)];
            h = std::max(h, fr.placed[k].note_row + it.note_rows);
        }
    }
    return height;
}

void translate(std::vector<FrameItem>& items, double dx, double dy) {
    for (FrameItem& item : items) {
        std::visit(
            [&](auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Rule>) {
                    v.x0 += dx, v.x1 += dx, v.y0 += dy, v.y1 += dy;
                } else {
                    v.x += dx, v.y += dy;
                }
            },
            item);
    }
}

}  // namespace galley
