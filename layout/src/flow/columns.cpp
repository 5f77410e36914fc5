#include "flow/columns.h"

#include <algorithm>

namespace galley {

namespace {

// Rows that must stay with item i in its column: a heading takes the
// lines after it, a paragraph's first lines stay together (no orphan),
// and its last lines too (no widow).
int rows_needed(const std::vector<FlowItem>& items, size_t i, const FillRules& rules) {
    const FlowItem& it = items[i];
    int need = it.rows;
    size_t k = i;
    // A heading (or a run of them) with what follows.
    while (k < items.size() && items[k].keep_with_next && k + 1 < items.size()) {
        ++k;
        need += items[k].space_before + items[k].rows;
    }
    if (k != i) {
        for (int extra = 1; extra < rules.keep_after && k + 1 < items.size() && items[k + 1].para_line > 0; ++extra) {
            ++k;
            need += items[k].rows;
        }
        return need;
    }
    // Orphan: a paragraph's first line alone at a column's foot.
    if (it.para_line == 0 && it.para_lines >= rules.min_lines) {
        for (int extra = 1; extra < rules.min_lines && i + extra < items.size(); ++extra)
            need += items[i + extra].rows;
        return need;
    }
    // Widow: leave at least min_lines of the paragraph for the next column.
    int after = it.para_lines - 1 - it.para_line;  // lines after this one
    if (after > 0 && after < rules.min_lines && it.para_line + 1 >= rules.min_lines) {
        for (int extra = 1; extra <= after && i + extra < items.size(); ++extra) need += items[i + extra].rows;
    }
    return need;
}

}  // namespace

static FillResult fill(const std::vector<FlowItem>& items, size_t from, int columns, int rows,
                       const FillRules& rules, int reserve) {
    FillResult r;
    r.next = from;
    if (rows <= 0 || columns <= 0) return r;
    int column = 0, row = 0;
    for (size_t i = from; i < items.size(); ++i) {
        const FlowItem& it = items[i];
        for (;;) {
            const int cap = column == columns - 1 ? rows - reserve : rows;
            const bool top = row == 0;
            const int gap = top ? 0 : it.space_before;
            // At a column top the item goes in even when its keep cannot
            // be met (or it is taller than the column): nothing better exists.
            if (top || row + gap + rows_needed(items, i, rules) <= cap) {
                row += gap;
                r.placed.push_back({column, row});
                row += it.rows;
                r.height = std::max(r.height, row);
                break;
            }
            if (++column == columns) return r;
            row = 0;
        }
        r.next = i + 1;
    }
    return r;
}

FillResult fill_columns(const std::vector<FlowItem>& items, size_t from, int columns, int rows,
                        const FillRules& rules, int reserve) {
    // The reserve is for a jump line: not needed when everything fits.
    FillResult all = fill(items, from, columns, rows, rules, 0);
    if (all.next == items.size() || reserve == 0) return all;
    return fill(items, from, columns, rows, rules, reserve);
}

FillResult fill_balanced(const std::vector<FlowItem>& items, size_t from, int columns, int rows,
                         const FillRules& rules, int reserve) {
    FillResult full = fill_columns(items, from, columns, rows, rules, reserve);
    if (full.next < items.size() || columns == 1) return full;
    int total = 0;
    for (size_t i = from; i < items.size(); ++i) total += items[i].rows;
    for (int h = std::max(1, (total + columns - 1) / columns); h < rows; ++h) {
        FillResult r = fill_columns(items, from, columns, h, rules, 0);
        if (r.next == items.size()) return r;
    }
    return full;
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
