// fill_columns / fill_balanced on fake FlowItems: pure row arithmetic, no
// fonts. Each fake item only carries what the filler reads (rows,
// para_line/para_lines, keep_with_next, space_before).
#include <algorithm>
#include <map>
#include <random>
#include <tuple>

#include "flow/columns.h"
#include "support.h"

using namespace galley;

namespace {

// A paragraph of `n` one-row lines.
void add_para(std::vector<FlowItem>& items, int n, int space_before = 0) {
    for (int k = 0; k < n; ++k) {
        FlowItem it;
        it.para_line = k;
        it.para_lines = n;
        it.space_before = k == 0 ? space_before : 0;
        items.push_back(it);
    }
}

// A one-line heading that keeps with what follows (as build_story makes it).
void add_heading(std::vector<FlowItem>& items, int space_before = 1) {
    FlowItem it;
    it.space_before = space_before;
    it.keep_with_next = true;
    items.push_back(it);
}

// Which paragraph each item belongs to (a new one starts at para_line 0).
std::vector<int> paragraph_ids(const std::vector<FlowItem>& items) {
    std::vector<int> ids;
    int id = -1;
    for (const FlowItem& it : items) {
        if (it.para_line == 0) ++id;
        ids.push_back(id);
    }
    return ids;
}

// Where every item went when the story is poured into successive areas
// (pages) of `columns` x `rows`: (area, column, row). Fails on no progress.
struct Spot {
    int area = 0, column = 0, row = 0;
};

std::vector<Spot> pour(const std::vector<FlowItem>& items, int columns, int rows, int reserve, bool balanced,
                       int* areas = nullptr) {
    std::vector<Spot> spots;
    size_t k = 0;
    int area = 0;
    while (k < items.size()) {
        FillResult r = balanced ? fill_balanced(items, k, columns, rows, FillRules{}, reserve)
                                : fill_columns(items, k, columns, rows, FillRules{}, reserve);
        REQUIRE(r.placed.size() == r.next - k);
        REQUIRE(r.next > k);  // progress on an empty area
        for (const Placement& p : r.placed) spots.push_back({area, p.column, p.row});
        k = r.next;
        ++area;
    }
    if (areas) *areas = area;
    return spots;
}

// Random mixes of paragraphs (1–9 lines) with now and then a heading.
std::vector<FlowItem> random_story(std::mt19937& rng, bool headings) {
    std::vector<FlowItem> items;
    int paras = std::uniform_int_distribution<int>(1, 14)(rng);
    for (int p = 0; p < paras; ++p) {
        if (headings && p > 0 && std::uniform_int_distribution<int>(0, 4)(rng) == 0) add_heading(items);
        add_para(items, std::uniform_int_distribution<int>(1, 9)(rng));
    }
    return items;
}

// Rows used in one column of a fill (0 when unused).
int column_height(const std::vector<Placement>& placed, const std::vector<FlowItem>& items, size_t from, int column) {
    int h = 0;
    for (size_t i = 0; i < placed.size(); ++i)
        if (placed[i].column == column) h = std::max(h, placed[i].row + items[from + i].rows);
    return h;
}

}  // namespace

TEST_CASE("columns: fills column after column, top to bottom") {
    std::vector<FlowItem> items;
    for (int i = 0; i < 10; ++i) add_para(items, 1);
    FillResult r = fill_columns(items, 0, 3, 4, FillRules{});
    REQUIRE(r.next == 10);
    REQUIRE(r.placed.size() == 10);
    for (int i = 0; i < 10; ++i) {
        INFO("item " << i);
        CHECK(r.placed[i].column == i / 4);
        CHECK(r.placed[i].row == i % 4);
    }
    CHECK(r.height == 4);

    // Starting from the middle: placements are for items [from, next).
    FillResult rest = fill_columns(items, 6, 2, 3, FillRules{});
    REQUIRE(rest.next == 10);
    REQUIRE(rest.placed.size() == 4);
    CHECK(rest.placed[0].column == 0);
    CHECK(rest.placed[0].row == 0);
    CHECK(rest.placed[3].column == 1);
    CHECK(rest.placed[3].row == 0);

    // More than fits: stops at the first item that does not.
    FillResult part = fill_columns(items, 0, 2, 3, FillRules{});
    CHECK(part.next == 6);
    CHECK(part.height == 3);

    // Multi-row items take their rows.
    std::vector<FlowItem> tall(3);
    tall[0].rows = 2;
    tall[1].rows = 3;
    tall[2].rows = 1;
    FillResult t = fill_columns(tall, 0, 2, 4, FillRules{});
    REQUIRE(t.next == 3);
    CHECK(t.placed[0].column == 0);
    CHECK(t.placed[1].column == 1);  // 2 + 3 > 4
    CHECK(t.placed[1].row == 0);
    CHECK(t.placed[2].column == 1);
    CHECK(t.placed[2].row == 3);
}

TEST_CASE("columns: no first line alone at a column foot, no last line alone at a column top") {
    // A 4-line paragraph after 5 rows of a 6-row column: its first line
    // would stand alone, so it all moves over.
    std::vector<FlowItem> items;
    add_para(items, 5);
    add_para(items, 4);
    FillResult r = fill_columns(items, 0, 2, 6, FillRules{});
    REQUIRE(r.next == items.size());
    CHECK(r.placed[5].column == 1);
    CHECK(r.placed[5].row == 0);

    // A 5-line paragraph in a 4-row column: 3 + 2, never 4 + 1.
    items.clear();
    add_para(items, 5);
    r = fill_columns(items, 0, 2, 4, FillRules{});
    REQUIRE(r.next == 5);
    CHECK(r.placed[2].column == 0);
    CHECK(r.placed[3].column == 1);
    CHECK(r.placed[3].row == 0);
}

TEST_CASE("columns: random paragraph mixes never leave a widow or an orphan") {
    std::mt19937 rng(20190130);
    int split = 0;
    for (int trial = 0; trial < 3000; ++trial) {
        std::vector<FlowItem> items = random_story(rng, trial % 2 == 1);
        const int columns = std::uniform_int_distribution<int>(1, 3)(rng);
        const int rows = std::uniform_int_distribution<int>(4, 14)(rng);
        // A single column with a reserve row cannot hold a heading's keep of
        // 4 rows in 4 rows (see the case below): not here.
        const int reserve = columns == 1 ? 0 : std::uniform_int_distribution<int>(0, 1)(rng);
        const bool balanced = trial % 3 != 0;
        std::vector<Spot> spots = pour(items, columns, rows, reserve, balanced);
        REQUIRE(spots.size() == items.size());
        std::vector<int> ids = paragraph_ids(items);
        // Lines of each paragraph per (area, column); the part holding its
        // first line and the part holding its last line.
        std::map<int, std::map<std::pair<int, int>, int>> parts;
        std::map<int, std::pair<int, int>> first_part, last_part;
        std::map<int, int> lines_of;
        for (size_t i = 0; i < items.size(); ++i) {
            if (items[i].keep_with_next) continue;  // headings are checked below
            std::pair<int, int> where{spots[i].area, spots[i].column};
            parts[ids[i]][where]++;
            lines_of[ids[i]] = items[i].para_lines;
            if (items[i].para_line == 0) first_part[ids[i]] = where;
            if (items[i].para_line == items[i].para_lines - 1) last_part[ids[i]] = where;
        }
        for (auto& [id, by_column] : parts) {
            if (by_column.size() < 2) continue;
            ++split;
            const int n = lines_of[id];
            INFO("trial " << trial << ", paragraph " << id << " of " << n << " lines, columns " << columns
                          << ", rows " << rows << ", reserve " << reserve << ", balanced " << balanced);
            CHECK(n >= 4);  // 2- and 3-line paragraphs are never split
            CHECK(by_column[first_part[id]] >= 2);  // no orphan at a column foot
            CHECK(by_column[last_part[id]] >= 2);   // no widow at a column top
        }
        // Lines of a paragraph stay in order: same column, consecutive rows.
        for (size_t i = 0; i + 1 < items.size(); ++i) {
            if (items[i + 1].para_line != items[i].para_line + 1 || items[i + 1].para_line == 0) continue;
            const Spot &a = spots[i], &b = spots[i + 1];
            if (a.area == b.area && a.column == b.column) CHECK(b.row == a.row + 1);
        }
    }
    CHECK(split > 500);  // the property was exercised, not vacuous
}

// Every part of a split paragraph of 4+ lines should have at least 2 lines.
// Was a bug (fixed): fill_balanced sets a 3-line tail of a paragraph (its lines 3-5 of 6,
// say, where a page break fell after line 2) at height 2 as 1 | 2: line 3
// stands alone in the first column because lines 4-5 keep together (no
// widow) and do not fit under it. The "lonely" guard in fill_balanced only
// rejects a 1-row column when another column is 3+ rows high, so this
// setting is accepted; 3 | 0 (one column of 3) keeps the part whole. The
// same happens to any story whose continuation is just such a tail.
TEST_CASE("columns: a balanced tail never leaves one line of a paragraph alone in a column") {
    std::vector<FlowItem> items;
    add_para(items, 6);
    // Lines 0-2 went on the previous page; lines 3-5 end the story.
    FillResult r = fill_balanced(items, 3, 2, 30, FillRules{}, 1);
    REQUIRE(r.next == items.size());
    std::map<int, int> per_column;
    for (const Placement& p : r.placed) per_column[p.column]++;
    INFO("height " << r.height << ", columns used " << per_column.size());
    for (auto& [column, lines] : per_column) {
        INFO("column " << column);
        CHECK(lines >= 2);
    }
}

TEST_CASE("columns: a heading never ends a column and takes two lines of its paragraph with it") {
    std::mt19937 rng(7);
    int headings = 0;
    for (int trial = 0; trial < 2000; ++trial) {
        std::vector<FlowItem> items;
        int paras = std::uniform_int_distribution<int>(2, 10)(rng);
        for (int p = 0; p < paras; ++p) {
            if (p > 0 && std::uniform_int_distribution<int>(0, 2)(rng) == 0) add_heading(items);
            add_para(items, std::uniform_int_distribution<int>(2, 8)(rng));
        }
        const int columns = std::uniform_int_distribution<int>(1, 3)(rng);
        const int rows = std::uniform_int_distribution<int>(5, 12)(rng);
        const bool balanced = trial % 2 == 0;
        std::vector<Spot> spots = pour(items, columns, rows, trial % 3 == 0 ? 1 : 0, balanced);
        for (size_t i = 0; i < items.size(); ++i) {
            if (!items[i].keep_with_next) continue;
            ++headings;
            INFO("trial " << trial << ", heading item " << i << ", columns " << columns << ", rows " << rows);
            REQUIRE(i + 2 < items.size());
            // Its paragraph's first two lines share its area and column, right below it.
            for (size_t j = i + 1; j <= i + 2; ++j) {
                CHECK(spots[j].area == spots[i].area);
                CHECK(spots[j].column == spots[i].column);
                CHECK(spots[j].row == spots[i].row + static_cast<int>(j - i));
            }
        }
    }
    CHECK(headings > 1000);
}

namespace {

// Heights of the columns of a fill (0 for an unused column).
std::vector<int> heights_of(const FillResult& r, const std::vector<FlowItem>& items, size_t from, int columns) {
    std::vector<int> h;
    for (int c = 0; c < columns; ++c) h.push_back(column_height(r.placed, items, from, c));
    return h;
}

// fill_balanced's own notion of a bad ending: a 1-row column beside one of 3+.
bool lonely(const std::vector<int>& heights) {
    int lo = 1 << 30, hi = 0;
    for (int h : heights)
        if (h > 0) lo = std::min(lo, h), hi = std::max(hi, h);
    return lo == 1 && hi >= 3;
}

}  // namespace

TEST_CASE("columns: a balanced ending is as short as it can be and its two columns nearly even") {
    std::mt19937 rng(42);
    int checked = 0;
    for (int trial = 0; trial < 2000; ++trial) {
        // Plain paragraphs of 4 or more lines: no keep is longer than 2 rows.
        std::vector<FlowItem> items;
        int paras = std::uniform_int_distribution<int>(1, 8)(rng);
        for (int p = 0; p < paras; ++p) add_para(items, std::uniform_int_distribution<int>(4, 9)(rng));
        const int columns = 2;
        const int rows = 40;
        const int total = static_cast<int>(items.size());
        if (total > columns * rows) continue;
        FillResult r = fill_balanced(items, 0, columns, rows, FillRules{}, 1);
        REQUIRE(r.next == items.size());
        INFO("trial " << trial << ": " << total << " lines, height " << r.height);
        // Minimal: no smaller height holds them all without a lonely
        // column (keeps are at most 2 rows, so every height from 2 on is
        // filled the same way by the plain filler as by the balancer).
        for (int h = 2; h < r.height; ++h) {
            FillResult smaller = fill_columns(items, 0, columns, h, FillRules{});
            INFO("height " << h << " would do");
            CHECK((smaller.next < items.size() || lonely(heights_of(smaller, items, 0, columns))));
        }
        CHECK(r.height >= (total + columns - 1) / columns);
        // Even: the columns differ by at most what a keep moves (2 rows).
        std::vector<int> heights = heights_of(r, items, 0, columns);
        int hi = *std::max_element(heights.begin(), heights.end());
        int lo = *std::min_element(heights.begin(), heights.end());
        CHECK(hi == r.height);
        CHECK(hi - lo <= 2);
        ++checked;
    }
    CHECK(checked > 1500);
}

// Was a bug (fixed): with three or more columns the balanced ending is not balanced.
// fill_balanced finds the least height h that holds the rest, then fills
// the columns one after another to h, so the last column gets what is
// left: nineteen 2-row keeps (9 paragraphs of 4 lines and one of 2, 38
// rows) in 3 columns come out 14 | 14 | 10 although 14 | 12 | 12 holds
// them at the same height; 41 single lines in 5 columns (the broadsheet)
// come out 9 | 9 | 9 | 9 | 5 instead of 9 | 8 | 8 | 8 | 8, with no keep at
// all. The gap grows with the number of columns (up to columns - 1 rows
// even without keeps).
TEST_CASE("columns: a balanced ending in three or five columns keeps its columns nearly even") {
    {
        std::vector<FlowItem> items;
        for (int p = 0; p < 9; ++p) add_para(items, 4);
        add_para(items, 2);
        FillResult r = fill_balanced(items, 0, 3, 40, FillRules{}, 1);
        REQUIRE(r.next == items.size());
        std::vector<int> h = heights_of(r, items, 0, 3);
        INFO(h[0] << " | " << h[1] << " | " << h[2]);
        CHECK(*std::max_element(h.begin(), h.end()) - *std::min_element(h.begin(), h.end()) <= 2);
    }
    {
        std::vector<FlowItem> items;
        for (int p = 0; p < 41; ++p) add_para(items, 1);
        FillResult r = fill_balanced(items, 0, 5, 40, FillRules{}, 1);
        REQUIRE(r.next == items.size());
        std::vector<int> h = heights_of(r, items, 0, 5);
        INFO(h[0] << " | " << h[1] << " | " << h[2] << " | " << h[3] << " | " << h[4]);
        CHECK(*std::max_element(h.begin(), h.end()) - *std::min_element(h.begin(), h.end()) <= 1);
    }
}

TEST_CASE("columns: a story that fits leaves no reserve, one that does not keeps the reserve row free") {
    // Exactly fills 2 x 5: everything fits, so the jump-line row is not needed.
    std::vector<FlowItem> items;
    add_para(items, 5);
    add_para(items, 5);
    FillResult fit = fill_columns(items, 0, 2, 5, FillRules{}, 1);
    CHECK(fit.next == items.size());
    CHECK(column_height(fit.placed, items, 0, 1) == 5);
    FillResult fitb = fill_balanced(items, 0, 2, 5, FillRules{}, 1);
    CHECK(fitb.next == items.size());

    // One line more: the last column ends a row early.
    std::mt19937 rng(99);
    for (int trial = 0; trial < 500; ++trial) {
        std::vector<FlowItem> story;
        while (story.size() < 60) add_para(story, std::uniform_int_distribution<int>(1, 7)(rng));
        const int columns = std::uniform_int_distribution<int>(1, 3)(rng);
        const int rows = std::uniform_int_distribution<int>(4, 15)(rng);
        for (bool balanced : {false, true}) {
            FillResult r = balanced ? fill_balanced(story, 0, columns, rows, FillRules{}, 1)
                                    : fill_columns(story, 0, columns, rows, FillRules{}, 1);
            if (r.next == story.size()) continue;
            INFO("trial " << trial << ", columns " << columns << ", rows " << rows << ", balanced " << balanced);
            CHECK(column_height(r.placed, story, 0, columns - 1) <= rows - 1);
            for (int c = 0; c + 1 < columns; ++c) CHECK(column_height(r.placed, story, 0, c) <= rows);
        }
    }
}

TEST_CASE("columns: space before an item is dropped at a column top") {
    std::vector<FlowItem> items;
    for (int i = 0; i < 4; ++i) add_para(items, 1, 1);
    FillResult r = fill_columns(items, 0, 2, 3, FillRules{});
    REQUIRE(r.next == 4);
    CHECK(r.placed[0].row == 0);  // first item of the area: no gap
    CHECK(r.placed[1].column == 0);
    CHECK(r.placed[1].row == 2);  // one blank row
    CHECK(r.placed[2].column == 1);
    CHECK(r.placed[2].row == 0);  // top of column 2: its blank row is dropped
    CHECK(r.placed[3].row == 2);

    // A heading with its blank row lands at the next column's top.
    items.clear();
    add_para(items, 4);
    add_heading(items, 1);
    add_para(items, 3);
    r = fill_columns(items, 0, 2, 5, FillRules{});
    REQUIRE(r.next == items.size());
    CHECK(r.placed[4].column == 1);
    CHECK(r.placed[4].row == 0);
    CHECK(r.placed[5].row == 1);
}

TEST_CASE("columns: an item taller than a column is still placed") {
    std::vector<FlowItem> items;
    add_para(items, 2);
    FlowItem figure;
    figure.rows = 12;
    items.push_back(figure);
    add_para(items, 2);
    FillResult r = fill_columns(items, 0, 2, 5, FillRules{});
    REQUIRE(r.placed.size() >= 3);
    CHECK(r.placed[2].column == 1);  // at the top of the next column
    CHECK(r.placed[2].row == 0);
    // Poured page after page, everything goes somewhere and the loop ends.
    for (bool balanced : {false, true}) {
        int areas = 0;
        std::vector<Spot> spots = pour(items, 1, 5, 1, balanced, &areas);
        CHECK(spots.size() == items.size());
        CHECK(areas <= 3);
    }
    // A single tall item alone, and the balancer with it.
    std::vector<FlowItem> one{figure};
    FillResult b = fill_balanced(one, 0, 2, 5, FillRules{});
    CHECK(b.next == 1);
    CHECK(b.placed.size() == 1);
    // A keep chain longer than a column (heading + 3-line paragraph in 3 rows).
    items.clear();
    add_heading(items, 0);
    add_para(items, 3);
    int areas = 0;
    std::vector<Spot> spots = pour(items, 1, 3, 0, false, &areas);
    CHECK(spots.size() == items.size());
}

// Was a bug (fixed): fill_columns with a reserve row cannot place a keep exactly as tall
// as a single-column area, even in an empty area: the last (only) column's
// capacity is rows - reserve, so the keep does not fit, and it is not
// "taller than a column" (need > rows) either, so the force-at-top rule
// does not take it. Nothing is placed and next == from. The Paginator then
// sets a jump line and a new page whose area is the same, and loops for
// ever, adding pages, for a one-column style whose continuation area
// equals such a keep (heading + paragraph, figure + caption, closing
// lines). The force rule should compare with the column's capacity.
TEST_CASE("columns: one column with a reserve row still takes a keep as tall as the column") {
    std::vector<FlowItem> items;
    add_heading(items, 1);
    add_para(items, 3);  // heading + 3 lines: a keep of 4 rows
    add_para(items, 5);
    FillResult r = fill_columns(items, 0, 1, 4, FillRules{}, 1);
    CHECK(r.next > 0);  // progress on an empty area
    FillResult b = fill_balanced(items, 0, 1, 4, FillRules{}, 1);
    CHECK(b.next > 0);
}

TEST_CASE("columns: nothing is placed in an empty area") {
    std::vector<FlowItem> items;
    add_para(items, 3);
    FillResult r = fill_columns(items, 0, 2, 0, FillRules{});
    CHECK(r.next == 0);
    CHECK(r.placed.empty());
    r = fill_balanced(items, 0, 0, 10, FillRules{});
    CHECK(r.next == 0);
    r = fill_balanced(items, 3, 2, 10, FillRules{});  // from the end
    CHECK(r.next == 3);
    CHECK(r.placed.empty());
}

TEST_CASE("columns: translate moves every kind of item") {
    Rule rule;
    rule.x0 = 1, rule.y0 = 2, rule.x1 = 3, rule.y1 = 4;
    std::vector<FrameItem> items{GlyphRun{}, rule, ImageItem{"a", 1, 1, 5, 5}, LinkArea{}, Anchor{"x", 0, 0}};
    translate(items, 10, 20);
    CHECK(std::get<GlyphRun>(items[0]).x == 10);
    CHECK(std::get<GlyphRun>(items[0]).y == 20);
    CHECK(std::get<Rule>(items[1]).x0 == 11);
    CHECK(std::get<Rule>(items[1]).y1 == 24);
    CHECK(std::get<ImageItem>(items[2]).y == 21);
    CHECK(std::get<LinkArea>(items[3]).x == 10);
    CHECK(std::get<Anchor>(items[4]).y == 20);
}

namespace {

// A picture with its caption: `rows` rows across `span` columns, a blank
// row before it (as build_story makes it).
FlowItem picture(int rows, int span) {
    FlowItem it;
    it.rows = rows;
    it.span = span;
    it.space_before = 1;
    it.floats = true;
    return it;
}

// Each (column, row) cell a fill covers, with the item covering it; fails
// when two items share a cell or an item runs past the last column.
std::map<std::pair<int, int>, size_t> cells(const FillResult& r, const std::vector<FlowItem>& items, size_t from,
                                            int columns) {
    std::map<std::pair<int, int>, size_t> out;
    for (size_t k = 0; k < r.placed.size(); ++k) {
        const FlowItem& it = items[from + k];
        const Placement& p = r.placed[k];
        const int span = std::min(it.span, columns);
        INFO("item " << from + k << " at column " << p.column << ", row " << p.row << ", span " << span);
        CHECK(p.column >= 0);
        CHECK(p.column + span <= columns);
        for (int c = p.column; c < p.column + span; ++c)
            for (int row = p.row; row < p.row + it.rows; ++row) {
                INFO("cell " << c << ", " << row);
                CHECK(out.emplace(std::pair{c, row}, from + k).second);
            }
    }
    return out;
}

// Text (everything but pictures) reads column after column, top to bottom;
// a picture across all `columns` starts a band below it, read after.
void check_reading_order(const FillResult& r, const std::vector<FlowItem>& items, size_t from, int columns = 0) {
    std::tuple<int, int, int> last{-1, -1, -1};
    int band = 0;
    for (size_t k = 0; k < r.placed.size(); ++k) {
        if (columns > 1 && items[from + k].span >= columns) ++band;
        if (items[from + k].floats) continue;
        std::tuple<int, int, int> at{band, r.placed[k].column, r.placed[k].row};
        INFO("item " << from + k);
        CHECK(at > last);
        last = at;
    }
}

}  // namespace

TEST_CASE("columns: a picture spanning 2 of 3 columns at the top, the text under it in both") {
    std::vector<FlowItem> items{picture(4, 2)};
    add_para(items, 20);
    FillResult r = fill_columns(items, 0, 3, 10, FillRules{});
    REQUIRE(r.next == items.size());
    cells(r, items, 0, 3);
    check_reading_order(r, items, 0);
    CHECK(r.placed[0].column == 0);
    CHECK(r.placed[0].row == 0);
    // Lines 0-5 under it in column 1, 6-11 under it in column 2, the rest in column 3.
    CHECK(r.placed[1].column == 0);
    CHECK(r.placed[1].row == 4);
    CHECK(r.placed[6].row == 9);
    CHECK(r.placed[7].column == 1);
    CHECK(r.placed[7].row == 4);
    CHECK(r.placed[12].column == 1);
    CHECK(r.placed[13].column == 2);
    CHECK(r.placed[13].row == 0);
    CHECK(r.placed[20].row == 7);
    CHECK(r.height == 10);
}

TEST_CASE("columns: a picture spanning from the middle of a column, the next column's text above and below it") {
    std::vector<FlowItem> items;
    add_para(items, 3);
    items.push_back(picture(3, 2));
    add_para(items, 17);
    FillResult r = fill_columns(items, 0, 3, 10, FillRules{});
    REQUIRE(r.next == items.size());
    auto taken = cells(r, items, 0, 3);
    check_reading_order(r, items, 0);
    // Under the 3 lines and a blank row of column 1, across columns 1 and 2.
    CHECK(r.placed[3].column == 0);
    CHECK(r.placed[3].row == 4);
    // Column 1 goes on under it (rows 7-9); column 2 fills rows 0-2 above
    // it and 7-9 below, its blank row above the picture left free too.
    CHECK(r.placed[4].column == 0);
    CHECK(r.placed[4].row == 7);
    CHECK(r.placed[7].column == 1);
    CHECK(r.placed[7].row == 0);
    CHECK(r.placed[9].row == 2);
    CHECK(r.placed[10].column == 1);
    CHECK(r.placed[10].row == 7);
    CHECK(r.placed[13].column == 2);
    CHECK(r.placed[13].row == 0);
    CHECK(taken.count({1, 3}) == 0);
    for (int row = 4; row < 7; ++row) CHECK(taken.at({1, row}) == 3);

    // Too low in its column: it floats to the next column's top, spanning
    // columns 2 and 3. With more rows left than FillRules::float_hole, the
    // text after it fills column 1 first.
    items.clear();
    add_para(items, 8);
    items.push_back(picture(4, 2));
    add_para(items, 14);
    FillRules fill_behind;
    fill_behind.float_hole = 1;
    r = fill_columns(items, 0, 3, 10, fill_behind);
    REQUIRE(r.next == items.size());
    cells(r, items, 0, 3);
    check_reading_order(r, items, 0);
    CHECK(r.placed[8].column == 1);
    CHECK(r.placed[8].row == 0);
    CHECK(r.placed[9].column == 0);
    CHECK(r.placed[9].row == 8);
    CHECK(r.placed[11].column == 1);
    CHECK(r.placed[11].row == 4);
    CHECK(r.placed[17].column == 2);
    CHECK(r.placed[17].row == 4);
    // With the 2 rows left within float_hole (4), column 1 ends there: the
    // text after the picture starts under it, read after its caption.
    r = fill_columns(items, 0, 3, 10, FillRules{});
    CHECK(r.next == items.size() - 2);  // the 2 rows of column 1 not filled: 2 lines go on
    cells(r, items, 0, 3);
    check_reading_order(r, items, 0);
    CHECK(r.placed[8].column == 1);
    CHECK(r.placed[8].row == 0);
    CHECK(r.placed[9].column == 1);
    CHECK(r.placed[9].row == 4);
    for (size_t i = 9; i < r.next; ++i) CHECK(r.placed[i].column >= 1);
}

TEST_CASE("columns: a spanning picture with no room in the columns left is carried on") {
    // It comes in the last of 3 columns: it cannot span 2 there.
    std::vector<FlowItem> items;
    add_para(items, 12);
    items.push_back(picture(3, 2));
    add_para(items, 4);
    FillResult r = fill_columns(items, 0, 3, 5, FillRules{});
    CHECK(r.next == 12);
    cells(r, items, 0, 3);
    // The next area takes it at its top.
    FillResult next = fill_columns(items, r.next, 3, 5, FillRules{});
    REQUIRE(next.next == items.size());
    CHECK(next.placed[0].column == 0);
    CHECK(next.placed[0].row == 0);
    cells(next, items, r.next, 3);
    // Too tall for the rows left under the text of columns 1 and 2, and no
    // column to float to: carried on as well.
    items.clear();
    add_para(items, 3);
    items.push_back(picture(4, 3));
    add_para(items, 4);
    r = fill_columns(items, 0, 3, 6, FillRules{});
    CHECK(r.next == 3);
    // Every item goes somewhere when poured page after page.
    for (bool balanced : {false, true}) {
        int areas = 0;
        std::vector<Spot> spots = pour(items, 3, 6, 0, balanced, &areas);
        CHECK(spots.size() == items.size());
        CHECK(areas == 2);
    }
}

TEST_CASE("columns: a balanced ending with a spanning picture") {
    std::vector<FlowItem> items;
    add_para(items, 6);
    items.push_back(picture(4, 2));
    add_para(items, 12);
    FillResult r = fill_balanced(items, 0, 3, 30, FillRules{}, 1);
    REQUIRE(r.next == items.size());
    auto taken = cells(r, items, 0, 3);
    check_reading_order(r, items, 0);
    std::vector<int> h(3, 0);
    for (auto& [cell, item] : taken) h[cell.first] = std::max(h[cell.first], cell.second + 1);
    INFO(h[0] << " | " << h[1] << " | " << h[2]);
    // 6 + 1 + 12 lines and 2 x 4 picture rows: 27 rows, 9 or 10 a column.
    CHECK(r.height <= 10);
    CHECK(*std::max_element(h.begin(), h.end()) - *std::min_element(h.begin(), h.end()) <= 2);
    CHECK(r.height == *std::max_element(h.begin(), h.end()));
}

TEST_CASE("columns: a picture spanning every column") {
    // Below text it divides the columns into bands: the text before it
    // balanced above it, the text after it in the columns below.
    std::vector<FlowItem> items;
    add_para(items, 4);
    items.push_back(picture(3, 2));
    add_para(items, 6);
    FillResult r = fill_columns(items, 0, 2, 10, FillRules{});
    REQUIRE(r.next == items.size());
    auto taken = cells(r, items, 0, 2);
    check_reading_order(r, items, 0, 2);
    CHECK(r.placed[2].column == 1);
    CHECK(r.placed[2].row == 0);  // the text before it: two rows in each column
    CHECK(r.placed[4].column == 0);
    CHECK(r.placed[4].row == 3);
    CHECK(taken.count({0, 2}) == 0);  // the blank row before the picture
    CHECK(r.placed[5].row == 6);      // the text after it, under it
    CHECK(r.placed[9].column == 1);
    CHECK(r.placed[9].row == 6);
    // A span wider than the columns is all of them.
    items[4].span = 5;
    FillResult wide = fill_columns(items, 0, 2, 10, FillRules{});
    CHECK(wide.next == items.size());
    CHECK(wide.placed[4].column == 0);
    CHECK(wide.placed[4].row == 3);
    // Text that fills the area above it leaves it the foot; what follows
    // it goes on to the next area.
    items.clear();
    add_para(items, 12);
    items.push_back(picture(3, 2));
    add_para(items, 2);
    r = fill_columns(items, 0, 2, 10, FillRules{});
    cells(r, items, 0, 2);
    check_reading_order(r, items, 0, 2);
    CHECK(r.next == 13);
    CHECK(r.placed[6].column == 1);
    CHECK(r.placed[6].row == 0);
    CHECK(r.placed[12].row == 7);
    // Text that does not fit above it: the picture is carried on.
    items.clear();
    add_para(items, 16);
    items.push_back(picture(3, 2));
    add_para(items, 2);
    r = fill_columns(items, 0, 2, 10, FillRules{});
    CHECK(r.next == 16);
    // So is one under text too short to stand two lines deep in each column.
    items.clear();
    add_para(items, 3);
    items.push_back(picture(3, 2));
    add_para(items, 6);
    r = fill_columns(items, 0, 2, 10, FillRules{});
    CHECK(r.next == 3);
    // At the top of an area it heads the columns.
    r = fill_columns(items, 3, 2, 10, FillRules{});
    REQUIRE(r.next == items.size());
    CHECK(r.placed[0].row == 0);
    CHECK(r.placed[1].row == 3);
}

TEST_CASE("columns: a spanning picture with no room where it comes heads the last columns it can span") {
    // It comes in the last of 3 columns: it goes at the top of columns 2 and 3.
    std::vector<FlowItem> items;
    add_para(items, 22);
    items.push_back(picture(4, 2));
    add_para(items, 4);
    FillResult r = fill_columns(items, 0, 3, 10, FillRules{});
    REQUIRE(r.next == 23);
    cells(r, items, 0, 3);
    check_reading_order(r, items, 0);
    CHECK(r.placed[22].column == 1);
    CHECK(r.placed[22].row == 0);
    CHECK(r.placed[9].column == 0);
    CHECK(r.placed[10].column == 1);
    CHECK(r.placed[10].row == 4);
    CHECK(r.placed[16].column == 2);
    CHECK(r.placed[16].row == 4);
    CHECK(r.placed[21].row == 9);
}

TEST_CASE("columns: random stories with spanning pictures never overlap and read in order") {
    std::mt19937 rng(2019);
    int spanning = 0;
    for (int trial = 0; trial < 3000; ++trial) {
        const int columns = std::uniform_int_distribution<int>(1, 4)(rng);
        const int rows = std::uniform_int_distribution<int>(6, 20)(rng);
        std::vector<FlowItem> items;
        int paras = std::uniform_int_distribution<int>(1, 12)(rng);
        for (int p = 0; p < paras; ++p) {
            if (std::uniform_int_distribution<int>(0, 3)(rng) == 0)
                items.push_back(picture(std::uniform_int_distribution<int>(2, rows / 2)(rng),
                                        std::uniform_int_distribution<int>(1, columns + 1)(rng)));
            add_para(items, std::uniform_int_distribution<int>(1, 9)(rng));
        }
        const bool balanced = trial % 2 == 0;
        const int reserve = columns == 1 ? 0 : trial % 3 == 0;
        INFO("trial " << trial << ", columns " << columns << ", rows " << rows << ", balanced " << balanced);
        size_t k = 0;
        for (int area = 0; k < items.size(); ++area) {
            FillResult r = balanced ? fill_balanced(items, k, columns, rows, FillRules{}, reserve)
                                    : fill_columns(items, k, columns, rows, FillRules{}, reserve);
            REQUIRE(r.next > k);
            REQUIRE(r.placed.size() == r.next - k);
            for (const auto& [cell, item] : cells(r, items, k, columns)) {
                CHECK(cell.second < rows);
                if (items[item].span > 1) ++spanning;
            }
            check_reading_order(r, items, k, columns);
            k = r.next;
        }
    }
    CHECK(spanning > 1000);
}
