#include "flow/columns.h"

#include <algorithm>
#include <optional>

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

// `full` is the height of a real column: a keep longer than that can be
// met nowhere, so its first item goes in at a column top regardless.
// With `even`, each column but the last stops once it holds its share of
// what is left, so the last column is not the short one.
// A figure that does not fit under the text of its column may float to
// the top of the next column, the text after it filling this one first.
static FillResult fill(const std::vector<FlowItem>& items, size_t from, int columns, int rows,
                       const FillRules& rules, int reserve, int full, bool even) {
    FillResult r;
    r.next = from;
    if (rows <= 0 || columns <= 0) return r;
    int column = 0, row = 0;
    auto share = [&](size_t i) {
        if (!even || column == columns - 1) return rows;
        int left = 0;
        for (size_t k = i; k < items.size(); ++k) left += items[k].rows + items[k].space_before;
        int n = columns - column;
        return std::min(rows, (left + n - 1) / n);
    };
    auto cap_of = [&](int c) { return c == columns - 1 ? rows - reserve : rows; };
    std::vector<Placement> placed(items.size() - from);
    std::optional<size_t> floating;  // a figure waiting for the next column's top
    int target = share(from);
    int committed = 0;  // rows the items placed so far hold together in this column
    auto next_column = [&](size_t i) {
        if (++column == columns) return false;
        row = 0;
        committed = 0;
        target = share(i);
        if (floating) {
            placed[*floating - from] = {column, 0};
            row = items[*floating].rows;
            r.height = std::max(r.height, row);
            floating.reset();
        }
        return true;
    };
    for (size_t i = from; i < items.size(); ++i) {
        const FlowItem& it = items[i];
        for (;;) {
            const bool last = column == columns - 1;
            const int cap = cap_of(column);
            const bool top = row == 0;
            const int gap = top ? 0 : it.space_before;
            const int need = rows_needed(items, i, rules);
            const bool hopeless = need > full - (last ? reserve : 0);
            if (((row < target || row < committed) && row + gap + need <= cap) || (top && hopeless)) {
                row += gap;
                committed = std::max(committed, row + need);
                placed[i - from] = {column, row};
                row += it.rows;
                r.height = std::max(r.height, row);
                break;
            }
            if (it.floats && !floating && !top && column + 1 < columns && it.rows <= cap_of(column + 1) &&
                i + 1 < items.size()) {
                floating = i;
                break;
            }
            if (!next_column(i)) {
                r.placed.assign(placed.begin(), placed.begin() + (r.next - from));
                return r;
            }
        }
        if (!floating) r.next = i + 1;
    }
    if (floating && next_column(items.size())) r.next = items.size();
    r.placed.assign(placed.begin(), placed.begin() + (r.next - from));
    return r;
}

FillResult fill_columns(const std::vector<FlowItem>& items, size_t from, int columns, int rows,
                        const FillRules& rules, int reserve, int full) {
    if (full <= 0) full = rows;
    // The reserve is for a jump line: not needed when everything fits.
    FillResult all = fill(items, from, columns, rows, rules, 0, full, false);
    if (all.next == items.size() || reserve == 0) return all;
    return fill(items, from, columns, rows, rules, reserve, full, false);
}

FillResult fill_balanced(const std::vector<FlowItem>& items, size_t from, int columns, int rows,
                         const FillRules& rules, int reserve, int full) {
    if (full <= 0) full = rows;
    FillResult whole = fill_columns(items, from, columns, rows, rules, reserve, full);
    if (whole.next < items.size() || columns == 1) return whole;
    int total = 0;
    for (size_t i = from; i < items.size(); ++i) total += items[i].rows;
    // A column holding one lonely row beside taller ones reads as a stray
    // line: a taller setting without it is better, if there is one.
    auto lonely = [&](const FillResult& r) {
        std::vector<int> height(columns, 0);
        for (size_t k = 0; k < r.placed.size(); ++k)
            height[r.placed[k].column] = std::max(height[r.placed[k].column], r.placed[k].row + items[from + k].rows);
        int lowest = rows, highest = 0;
        for (int h : height)
            if (h > 0) lowest = std::min(lowest, h), highest = std::max(highest, h);
        return lowest == 1 && highest >= 2;
    };
    std::optional<FillResult> first;
    for (int h = std::max(1, (total + columns - 1) / columns); h < rows; ++h) {
        for (bool even : {true, false}) {
            FillResult r = fill(items, from, columns, h, rules, 0, full, even);
            if (r.next != items.size()) continue;
            if (!lonely(r)) return r;
            if (!first) first = r;
        }
    }
    if (first) return *first;
    return whole;
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
