// linebreak: Knuth–Plass total-fit breaking over abstract box/glue/penalty
// items. Knows nothing of fonts or Pango, so it is tested with fake items.
#pragma once
#include <limits>
#include <vector>

namespace galley {

inline constexpr double kInfPenalty = 10000;  // >= this: no break here

struct Item {
    enum Kind { Box, Glue, Penalty } kind = Box;
    double width = 0;
    double stretch = 0, shrink = 0;  // glue; a box's: its font expansion, at most its full amount
    double penalty = 0;              // Penalty only; <= -kInfPenalty forces a break
    bool flagged = false;            // a hyphen: consecutive flagged breaks cost extra
    // Width lost by the line that ends here, and by the one that starts
    // after this break (half-width punctuation at the line edges).
    double end_trim = 0, start_trim = 0;
    int ref = -1;  // the caller's index (a cluster), -1 for none
};

struct LinebreakParams {
    double tolerance = 3.0;  // largest adjustment ratio of a feasible line
    double line_penalty = 10;
    double flagged_demerits = 3000;
    double fitness_demerits = 100;
    // Stretch every line has at its end (TeX's \rightskip plus): ragged
    // and centred text is broken for even line lengths with rigid spaces.
    double line_stretch = 0;
    // TeX's \looseness: the feasible setting whose line count is nearest
    // the best one's plus this (a compositor's 拉行, one line more to fill
    // a column), fewest demerits among those.
    int looseness = 0;
};

struct Break {
    int item = 0;      // index of the item the line ends at
    double ratio = 0;  // adjustment ratio of the line ending here
    bool overfull = false;
};

struct LinebreakResult {
    std::vector<Break> breaks;  // one per line; the last is the paragraph end
    int overfull_lines = 0;
};

// `widths(i)` is the measure of line i (0-based). The item list must end
// with a forced break (penalty <= -kInfPenalty). Never loops: when no
// feasible break exists the best infeasible one is taken and marked overfull.
LinebreakResult break_lines(const std::vector<Item>& items, const LinebreakParams& params, double width);
LinebreakResult break_lines(const std::vector<Item>& items, const LinebreakParams& params,
                            const std::vector<double>& widths);

// Greedy first-fit, for comparison in tests and benchmarks.
LinebreakResult break_lines_greedy(const std::vector<Item>& items, double width);

}  // namespace galley
