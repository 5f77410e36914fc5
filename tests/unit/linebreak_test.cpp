// Unit tests for the Knuth–Plass line breaker on constant-width fake items.
//
// Conventions used by the builders below:
//   * Chinese-like text: every character a Box of width 1, separated by
//     Glue(0, stretch 0.25, shrink 0) — every such glue is a legal break.
//   * Latin-like text: every word ONE Box of the given width, separated by
//     Glue(1, 0.5, 0.33). Word k is item 2k, the glue after it item 2k+1.
//   * Every paragraph ends exactly as the real item builder ends it:
//     Penalty(+inf), Glue(0, 1e6, 0), Penalty(-inf).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "linebreak/linebreak.h"

using galley::Break;
using galley::Item;
using galley::kInfPenalty;
using galley::LinebreakParams;
using galley::LinebreakResult;

namespace {

Item box(double w) {
    Item it;
    it.kind = Item::Box;
    it.width = w;
    return it;
}

Item glue(double w, double stretch, double shrink) {
    Item it;
    it.kind = Item::Glue;
    it.width = w;
    it.stretch = stretch;
    it.shrink = shrink;
    return it;
}

Item penalty(double w, double p, bool flagged = false) {
    Item it;
    it.kind = Item::Penalty;
    it.width = w;
    it.penalty = p;
    it.flagged = flagged;
    return it;
}

Item latin_glue() { return glue(1, 0.5, 0.33); }
Item cjk_glue() { return glue(0, 0.25, 0); }

// Appends the paragraph end; returns the index of the final forced break.
int finish(std::vector<Item>& items) {
    items.push_back(penalty(0, kInfPenalty));
    items.push_back(glue(0, 1e6, 0));
    items.push_back(penalty(0, -kInfPenalty));
    return static_cast<int>(items.size()) - 1;
}

std::vector<Item> latin(const std::vector<double>& words) {
    std::vector<Item> items;
    for (size_t k = 0; k < words.size(); ++k) {
        if (k) items.push_back(latin_glue());
        items.push_back(box(words[k]));
    }
    finish(items);
    return items;
}

// n unit characters; character k is item 2k, the glue after it item 2k+1.
std::vector<Item> chinese(int n) {
    std::vector<Item> items;
    for (int k = 0; k < n; ++k) {
        if (k) items.push_back(cjk_glue());
        items.push_back(box(1));
    }
    finish(items);
    return items;
}

std::vector<int> break_items(const LinebreakResult& r) {
    std::vector<int> v;
    for (const Break& b : r.breaks) v.push_back(b.item);
    return v;
}

struct LineMetrics {
    double natural = 0, stretch = 0, shrink = 0;
};

// Independent re-computation of one line's natural width, stretch and shrink:
// the line after break `prev` (-1: paragraph start) up to break `b`. Glue and
// non-forced penalties right after a break are discarded; the break glue
// itself is not part of the line; a penalty break contributes its width
// (the hyphen); trims of the two breaks are subtracted.
LineMetrics line_metrics(const std::vector<Item>& items, int prev, int b) {
    int s = prev + 1;
    if (prev >= 0)
        while (s < b && (items[s].kind == Item::Glue ||
                         (items[s].kind == Item::Penalty && items[s].penalty > -kInfPenalty)))
            ++s;
    LineMetrics m;
    for (int i = s; i < b; ++i) {
        if (items[i].kind == Item::Penalty) continue;
        m.natural += items[i].width;
        if (items[i].kind == Item::Glue) {
            m.stretch += items[i].stretch;
            m.shrink += items[i].shrink;
        }
    }
    if (items[b].kind == Item::Penalty) m.natural += items[b].width;
    m.natural -= items[b].end_trim;
    if (prev >= 0) m.natural -= items[prev].start_trim;
    return m;
}

double adjusted_width(const LineMetrics& m, double ratio) {
    return m.natural + (ratio >= 0 ? ratio * m.stretch : ratio * m.shrink);
}

// Every non-final line is set to exactly its measure, none is overfull, the
// breaks are increasing and the last one is the paragraph end.
void check_justified(const std::vector<Item>& items, const LinebreakResult& res,
                     const std::function<double(int)>& width) {
    REQUIRE_FALSE(res.breaks.empty());
    CHECK(res.breaks.back().item == static_cast<int>(items.size()) - 1);
    CHECK(res.overfull_lines == 0);
    int prev = -1;
    for (size_t line = 0; line < res.breaks.size(); ++line) {
        const Break& b = res.breaks[line];
        INFO("line " << line << " ends at item " << b.item << ", ratio " << b.ratio);
        REQUIRE(b.item > prev);
        CHECK_FALSE(b.overfull);
        CHECK(b.ratio >= -1);
        if (line + 1 < res.breaks.size()) {
            LineMetrics m = line_metrics(items, prev, b.item);
            CHECK(std::fabs(adjusted_width(m, b.ratio) - width(static_cast<int>(line))) < 1e-9);
        }
        prev = b.item;
    }
}

void check_justified(const std::vector<Item>& items, const LinebreakResult& res, double width) {
    check_justified(items, res, [width](int) { return width; });
}

}  // namespace

// ---------------------------------------------------------------------------
// 1. Known optimal breaks where first-fit and total-fit differ.
// ---------------------------------------------------------------------------
TEST_CASE("linebreak: total-fit avoids the loose line greedy leaves", "[linebreak]") {
    // Words 1 2 1 1 1 1 3 6 4 (word k = item 2k, glue after it = item 2k+1),
    // glue (1, 0.5, 0.33), measure 12, ends: penalty 17, glue 18, penalty 19.
    //
    // Greedy: words 0..5 fill line 1 exactly (7 + 5 spaces = 12) -> break 11.
    //   Line 2 then takes "3 6" = 10 (word 8 would make 15), one glue of
    //   stretch 0.5: r = (12-10)/0.5 = 4 > tolerance 3  -> break 15, then 19.
    // Total fit: line 1 = words 0..4 = 6 + 4 = 10, stretch 2.0, r = 1.0
    //   (loose, fitness class adjacent to decent: no fitness demerits);
    //   line 2 = words 5..7 = 1+3+6 + 2 = 12, r = 0; line 3 = word 8.
    //   demerits = (10+100)^2 + (10+0)^2 + (10+~0)^2 = 12100 + 100 + 100.
    //   Every other choice for line 1 is infeasible or worse: ending after
    //   word 5 forces line 2 to r = 4 (or an overfull "3 6 4" last line),
    //   ending after word 3 gives r = 3/1.5 = 2 (badness 800 > 100 here)
    //   and earlier ends exceed the tolerance.
    const auto items = latin({1, 2, 1, 1, 1, 1, 3, 6, 4});
    REQUIRE(items.size() == 20);
    const double measure = 12;

    const LinebreakResult greedy = galley::break_lines_greedy(items, measure);
    CHECK(break_items(greedy) == std::vector<int>{11, 15, 19});
    {
        LineMetrics m = line_metrics(items, 11, 15);
        CHECK(m.natural == Approx(10));
        CHECK((measure - m.natural) / m.stretch == Approx(4.0));  // very loose
    }

    const LinebreakResult tf = galley::break_lines(items, LinebreakParams{}, measure);
    CHECK(break_items(tf) == std::vector<int>{9, 15, 19});
    REQUIRE(tf.breaks.size() == 3);
    CHECK(tf.breaks[0].ratio == Approx(1.0));
    CHECK(tf.breaks[1].ratio == Approx(0.0).margin(1e-12));
    CHECK(break_items(tf) != break_items(greedy));
    check_justified(items, tf, measure);
}

// ---------------------------------------------------------------------------
// 2. Exactly fitting Chinese lines.
// ---------------------------------------------------------------------------
TEST_CASE("linebreak: exactly fitting Chinese lines have ratio 0", "[linebreak]") {
    // 40 unit characters at measure 10: 4 lines of exactly 10 characters.
    // Character k = item 2k; the breaks are the glue after characters 9, 19,
    // 29 (items 19, 39, 59) and the final penalty (item 81).
    const auto items = chinese(40);
    REQUIRE(items.size() == 82);
    const LinebreakResult res = galley::break_lines(items, LinebreakParams{}, 10.0);
    CHECK(break_items(res) == std::vector<int>{19, 39, 59, 81});
    for (const Break& b : res.breaks) {
        CHECK(b.ratio == 0.0);
        CHECK_FALSE(b.overfull);
    }
    check_justified(items, res, 10.0);
}

TEST_CASE("linebreak: long Chinese paragraph breaks every 20 characters", "[linebreak]") {
    // 10,000 breakable characters at measure 20: 500 full lines.
    const auto items = chinese(10000);
    const LinebreakResult res = galley::break_lines(items, LinebreakParams{}, 20.0);
    REQUIRE(res.breaks.size() == 500);
    for (size_t i = 0; i + 1 < res.breaks.size(); ++i) {
        CHECK(res.breaks[i].item == static_cast<int>(40 * i + 39));
        CHECK(res.breaks[i].ratio == 0.0);
    }
    CHECK(res.overfull_lines == 0);
}

// ---------------------------------------------------------------------------
// 3. Penalties.
// ---------------------------------------------------------------------------
TEST_CASE("linebreak: a forbidden break is never chosen", "[linebreak]") {
    // 20 unit characters at measure 10: the natural break is the glue after
    // character 9 (item 19).
    const auto plain = chinese(20);
    const LinebreakResult free_res = galley::break_lines(plain, LinebreakParams{}, 10.0);
    REQUIRE(break_items(free_res) == std::vector<int>{19, 41});

    // Insert penalty(10000) before that glue (a no-break space / kinsoku):
    // the glue now follows a penalty, so neither it nor the penalty is legal.
    auto items = plain;
    items.insert(items.begin() + 19, penalty(0, kInfPenalty));
    const int forbidden_penalty = 19, forbidden_glue = 20;
    REQUIRE(items[forbidden_glue].kind == Item::Glue);
    const LinebreakResult res = galley::break_lines(items, LinebreakParams{}, 10.0);
    for (const Break& b : res.breaks) {
        CHECK(b.item != forbidden_penalty);
        CHECK(b.item != forbidden_glue);
    }
    check_justified(items, res, 10.0);
    // Line 1 can now hold at most 9 characters (10 would need the forbidden
    // break, 11 do not fit without shrink): it ends at the glue after
    // character 8 (item 17); 9 characters have 8 inner glues, stretch 2.0,
    // so r = (10 - 9) / 2.0 = 0.5.
    REQUIRE_FALSE(res.breaks.empty());
    CHECK(res.breaks[0].item == 17);
    CHECK(res.breaks[0].ratio == Approx(0.5));

    // Also a bare penalty of 10000 between two boxes is not a break.
    std::vector<Item> glued;
    for (int k = 0; k < 30; ++k) {
        if (k) glued.push_back(k == 10 ? penalty(0, kInfPenalty) : cjk_glue());
        glued.push_back(box(1));
    }
    finish(glued);
    const LinebreakResult g = galley::break_lines(glued, LinebreakParams{}, 10.0);
    for (const Break& b : g.breaks) CHECK(b.item != 19);
}

TEST_CASE("linebreak: consecutive hyphens cost flagged_demerits", "[linebreak]") {
    // Latin glue (1, 0.5, 0.33); hyphen = flagged penalty of width 1, cost 50.
    //   0 A(4) 1 glue 2 B1(4) 3 hyphen 4 B2(4) 5 glue 6 C1(4) 7 hyphen
    //   8 C2(0.6) 9 glue 10 E(3) 11..13 paragraph end.          Measure 10.
    // Line 1 must end at the hyphen 3: 4+1+4+1 = 10, r = 0 (ending at 1 has
    // no stretch, at 5 it is 13 wide with 0.33 shrink).
    // Line 2 then either
    //   X: ends at hyphen 7: 4+1+4+1 = 10, r = 0
    //      demerits 100 + 50^2 + flagged  (second hyphen in a row), or
    //   Y: ends at glue 9: 4+1+4+0.6 = 9.6, stretch 0.5, r = 0.8
    //      demerits (10 + 100*0.8^3)^2 = 61.2^2 = 3745.44.
    // Totals (line 1: 2600, last line: 100):
    //   flagged_demerits 0:    X = 5300        < Y = 6445.44 -> X
    //   flagged_demerits 3000: X = 8300        > Y = 6445.44 -> Y
    std::vector<Item> items{box(4), latin_glue(), box(4), penalty(1, 50, true), box(4), latin_glue(),
                            box(4), penalty(1, 50, true), box(0.6), latin_glue(), box(3)};
    finish(items);
    REQUIRE(items.size() == 14);

    LinebreakParams no_flag;
    no_flag.flagged_demerits = 0;
    const LinebreakResult x = galley::break_lines(items, no_flag, 10.0);
    CHECK(break_items(x) == std::vector<int>{3, 7, 13});
    check_justified(items, x, 10.0);

    const LinebreakResult y = galley::break_lines(items, LinebreakParams{}, 10.0);
    CHECK(break_items(y) == std::vector<int>{3, 9, 13});
    REQUIRE(y.breaks.size() == 3);
    CHECK(y.breaks[1].ratio == Approx(0.8));
    check_justified(items, y, 10.0);
    // No two consecutive lines end in a flagged penalty.
    for (size_t i = 1; i < y.breaks.size(); ++i)
        CHECK_FALSE((items[y.breaks[i - 1].item].flagged && items[y.breaks[i].item].flagged));
}

// ---------------------------------------------------------------------------
// 4. end_trim / start_trim (half-width punctuation at the line edges).
// ---------------------------------------------------------------------------
TEST_CASE("linebreak: end_trim and start_trim let a line fit", "[linebreak]") {
    // Runs of unit boxes with no break inside (kinsoku-style), measure 9.5:
    //   items 0..9   : 9 characters + "。"          (10 boxes)
    //   item 10      : glue (0, 0.25, 0), end_trim 0.5 (the 。 loses half),
    //                  start_trim 0.5 (the next line starts with 「)
    //   items 11..20 : "「" + 9 characters          (10 boxes)
    //   item 21      : glue (0, 0.25, 0)
    //   items 22..26 : 5 characters, then the paragraph end 27..29.
    // Line 1: 10 - 0.5 (end trim) = 9.5 -> exact, r = 0.
    // Line 2: 10 - 0.5 (start trim) = 9.5 -> exact, r = 0.
    auto build = [](double end_trim, double start_trim) {
        std::vector<Item> items;
        for (int k = 0; k < 10; ++k) items.push_back(box(1));
        Item g = cjk_glue();
        g.end_trim = end_trim;
        g.start_trim = start_trim;
        items.push_back(g);
        for (int k = 0; k < 10; ++k) items.push_back(box(1));
        items.push_back(cjk_glue());
        for (int k = 0; k < 5; ++k) items.push_back(box(1));
        finish(items);
        return items;
    };

    const auto items = build(0.5, 0.5);
    REQUIRE(items.size() == 30);
    const LinebreakResult res = galley::break_lines(items, LinebreakParams{}, 9.5);
    CHECK(break_items(res) == std::vector<int>{10, 21, 29});
    CHECK(res.overfull_lines == 0);
    REQUIRE(res.breaks.size() == 3);
    CHECK(res.breaks[0].ratio == 0.0);
    CHECK(res.breaks[1].ratio == 0.0);
    check_justified(items, res, 9.5);

    // Control: without the trims both lines are 10 wide with no shrink, so
    // at 9.5 they can only be set overfull.
    const auto untrimmed = build(0, 0);
    const LinebreakResult bad = galley::break_lines(untrimmed, LinebreakParams{}, 9.5);
    CHECK(bad.overfull_lines > 0);

    // Only the end trim: line 1 fits, line 2 is still overfull.
    const auto end_only = build(0.5, 0);
    const LinebreakResult half = galley::break_lines(end_only, LinebreakParams{}, 9.5);
    REQUIRE(half.breaks.size() == 3);
    CHECK_FALSE(half.breaks[0].overfull);
    CHECK(half.breaks[1].overfull);
    CHECK(half.overfull_lines == 1);
}

// ---------------------------------------------------------------------------
// 5. Overfull fallback.
// ---------------------------------------------------------------------------
TEST_CASE("linebreak: an unbreakable run of 10000 boxes is one overfull line", "[linebreak]") {
    std::vector<Item> items(10000, box(1));
    const int end = finish(items);
    REQUIRE(end == 10002);
    const LinebreakResult res = galley::break_lines(items, LinebreakParams{}, 20.0);
    REQUIRE(res.breaks.size() == 1);
    CHECK(res.breaks[0].item == end);
    CHECK(res.breaks[0].overfull);
    CHECK(res.overfull_lines == 1);

    const LinebreakResult g = galley::break_lines_greedy(items, 20.0);
    REQUIRE(g.breaks.size() == 1);
    CHECK(g.breaks[0].item == end);
    CHECK(g.breaks[0].overfull);
}

TEST_CASE("linebreak: a word wider than the measure only spoils its own line", "[linebreak]") {
    // Words of 6 (three make exactly 20 = 18 + 2 spaces) and one of 30.
    //   words 0..2 | 3..5 | 6 (=30, overfull) | 7..9 | 10..11 (last)
    // Word k = item 2k, glue after it 2k+1; paragraph end = item 25.
    const auto items = latin({6, 6, 6, 6, 6, 6, 30, 6, 6, 6, 6, 6});
    REQUIRE(items.size() == 26);
    const LinebreakResult res = galley::break_lines(items, LinebreakParams{}, 20.0);
    CHECK(break_items(res) == std::vector<int>{5, 11, 13, 19, 25});
    CHECK(res.overfull_lines == 1);
    REQUIRE(res.breaks.size() == 5);
    for (size_t i = 0; i < res.breaks.size(); ++i) {
        INFO("line " << i);
        CHECK(res.breaks[i].overfull == (i == 2));
        if (i != 2 && i + 1 < res.breaks.size()) CHECK(res.breaks[i].ratio == 0.0);
    }
}

// ---------------------------------------------------------------------------
// 6. Variable line widths.
// ---------------------------------------------------------------------------
TEST_CASE("linebreak: narrower first line", "[linebreak]") {
    // 25 unit characters, widths {5, 10} (the last width repeats): the only
    // 3-line setting is 5 + 10 + 10 characters, all exact.
    // Breaks: glue after char 4 (item 9), after char 14 (item 29), end 51.
    const auto items = chinese(25);
    const std::vector<double> widths{5, 10};
    const LinebreakResult res = galley::break_lines(items, LinebreakParams{}, widths);
    CHECK(break_items(res) == std::vector<int>{9, 29, 51});
    for (const Break& b : res.breaks) CHECK(b.ratio == 0.0);
    check_justified(items, res, [&](int line) { return widths[std::min<size_t>(line, widths.size() - 1)]; });

    // With a constant measure of 10 the same text takes 10 + 10 + 5.
    const LinebreakResult flat = galley::break_lines(items, LinebreakParams{}, 10.0);
    CHECK(break_items(flat) == std::vector<int>{19, 39, 51});
}

// With a non-uniform width list two nodes at the same position with
// different line counts have different futures (Knuth & Plass keep them
// apart for line numbers up to the last "special" width). Merging them let
// the cheaper prefix win and end the paragraph with an overfull line
// although a setting without any overfull line exists.
//
//   0 box 2   1 glue(1,3,0)   2 box 1   3 glue(1,1,0)   4 box 5
//   5 glue(1,1,0)   6 box 8   7..9 paragraph end;   widths {10, 5, 10}
//
// Breaks {3, 5, 9}: line 1 (w 10) "2 _ 1" = 4, stretch 3, r = 2;
//   line 2 (w 5) "5" r = 0; line 3 (w 10) "8" + fill.  No overfull line.
// Breaks {5, 9}: line 1 "2 _ 1 _ 5" = 10, r = 0 (cheaper, same fitness
//   class as the node reached via {3, 5}), but line 2 has width 5 and holds
//   the unbreakable 8: overfull.  The breaker returns this one.
TEST_CASE("linebreak: variable widths keep nodes of different line numbers apart", "[linebreak]") {
    std::vector<Item> items{box(2), glue(1, 3, 0), box(1), glue(1, 1, 0), box(5), glue(1, 1, 0), box(8)};
    finish(items);
    const std::vector<double> widths{10, 5, 10};
    const LinebreakResult res = galley::break_lines(items, LinebreakParams{}, widths);
    CHECK(res.overfull_lines == 0);
    CHECK(break_items(res) == std::vector<int>{3, 5, 9});
}

// ---------------------------------------------------------------------------
// 7. Tolerance.
// ---------------------------------------------------------------------------
TEST_CASE("linebreak: tolerance bounds the adjustment ratio", "[linebreak]") {
    // Nine words of 4 at measure 15.5: three words = 14 with stretch 1.0, so
    // r = 1.5; two words are far too loose (r = 13) and four too tight
    // (19 - 15.5 = 3.5 > 0.99 shrink). The only setting is 3 + 3 + 3.
    const auto items = latin({4, 4, 4, 4, 4, 4, 4, 4, 4});
    REQUIRE(items.size() == 20);

    LinebreakParams loose;
    loose.tolerance = 2;
    const LinebreakResult ok = galley::break_lines(items, loose, 15.5);
    CHECK(break_items(ok) == std::vector<int>{5, 11, 19});
    CHECK(ok.overfull_lines == 0);
    for (size_t i = 0; i < ok.breaks.size(); ++i) {
        CHECK(ok.breaks[i].ratio <= 2.0);
        if (i + 1 < ok.breaks.size()) CHECK(ok.breaks[i].ratio == Approx(1.5));
    }
    check_justified(items, ok, 15.5);

    LinebreakParams strict;
    strict.tolerance = 1;
    const LinebreakResult tight = galley::break_lines(items, strict, 15.5);
    REQUIRE_FALSE(tight.breaks.empty());
    CHECK(tight.breaks.back().item == 19);
    CHECK((tight.overfull_lines > 0 || break_items(tight) != break_items(ok)));
    // Whatever it did, every line it reports as not overfull is within the
    // tolerance, except possibly the last.
    for (size_t i = 0; i + 1 < tight.breaks.size(); ++i)
        if (!tight.breaks[i].overfull) CHECK(tight.breaks[i].ratio <= 1.0);
}

// ---------------------------------------------------------------------------
// Greedy comparison breaker.
// ---------------------------------------------------------------------------
// break_lines_greedy after a line overflows with no legal break before the
// overflow (a word wider than the measure): the first legal break after it
// ends that line, and breaking goes on normally.
//   words 30 6 6 6 6 6 6 at measure 20 -> greedy returns the single break 15
//   (expected: 1 after the wide word, then 7 after "6 6 6", then 15).
TEST_CASE("linebreak: greedy breaks again after an overwide word", "[linebreak]") {
    const auto items = latin({30, 6, 6, 6, 6, 6, 6});
    REQUIRE(items.size() == 16);
    const LinebreakResult g = galley::break_lines_greedy(items, 20.0);
    CHECK(break_items(g) == std::vector<int>{1, 7, 15});
}

// ---------------------------------------------------------------------------
// Looseness (a compositor's 拉行): one line more to fill a column.
// ---------------------------------------------------------------------------
TEST_CASE("linebreak: looseness 1 sets a paragraph a line longer within the tolerance", "[linebreak]") {
    auto items = chinese(105);  // 5 full lines of 20 and 5 characters
    // Orphan control as the item builder sets it: no break before the last character.
    items[207] = penalty(0, kInfPenalty);
    LinebreakParams lp;
    lp.tolerance = 1;
    REQUIRE(galley::break_lines(items, lp, 20.0).breaks.size() == 6);
    lp.looseness = 1;
    const LinebreakResult loose = galley::break_lines(items, lp, 20.0);
    REQUIRE(loose.breaks.size() == 7);
    CHECK(loose.overfull_lines == 0);
    for (size_t k = 0; k + 1 < loose.breaks.size(); ++k) {
        CHECK(loose.breaks[k].ratio >= 0);
        CHECK(loose.breaks[k].ratio <= 1);
    }
    // Characters before the last line (the glue after character j is item 2j + 1).
    const int before = (loose.breaks[5].item + 1) / 2;
    CHECK(105 - before >= 2);  // the new last line is not one character
}

TEST_CASE("linebreak: looseness finds the nearest feasible line count", "[linebreak]") {
    LinebreakParams lp;
    lp.tolerance = 1;
    // 20 + 2 characters: three lines would stretch each far past the tolerance.
    lp.looseness = 1;
    CHECK(galley::break_lines(chinese(22), lp, 20.0).breaks.size() == 2);
    // Nothing shrinks: one line fewer is never feasible.
    lp.looseness = -1;
    CHECK(galley::break_lines(chinese(105), lp, 20.0).breaks.size() == 6);
}
