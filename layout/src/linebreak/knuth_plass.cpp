// Knuth & Plass, "Breaking Paragraphs into Lines" (1981): total-fit breaking
// with fitness classes, flagged-penalty and fitness demerits.
#include <algorithm>
#include <cmath>
#include <map>

#include "linebreak/linebreak.h"

namespace galley {
namespace {

struct Node {
    int item;        // break position (-1: paragraph start)
    int line;        // lines before this break
    int fitness;
    double demerits;
    double ratio;
    bool overfull;
    int prev;        // index in the node pool
    double w, y, z;  // sums of the items after the break
};

int fitness_class(double r) {
    if (r < -0.5) return 0;
    if (r <= 0.5) return 1;
    if (r <= 1) return 2;
    return 3;
}

}  // namespace

template <class Widths>
LinebreakResult break_lines(const std::vector<Item>& items, const LinebreakParams& params, Widths&& widths,
                            int distinct_lines) {
    const int n = static_cast<int>(items.size());
    std::vector<double> W(n + 1, 0), Y(n + 1, 0), Z(n + 1, 0);  // sums of items [0, i)
    for (int i = 0; i < n; ++i) {
        const Item& it = items[i];
        bool counts = it.kind != Item::Penalty;
        W[i + 1] = W[i] + (counts ? it.width : 0);
        Y[i + 1] = Y[i] + (it.kind == Item::Glue ? it.stretch : 0);
        Z[i + 1] = Z[i] + (it.kind == Item::Glue ? it.shrink : 0);
    }
    // Sums at the start of the line after a break at b: discardable items
    // (glue, penalties) that follow the break are skipped.
    auto after = [&](int b) {
        int i = b + 1;
        while (i < n && items[i].kind != Item::Box &&
               !(items[i].kind == Item::Penalty && items[i].penalty <= -kInfPenalty && i != b))
            ++i;
        return i;
    };

    std::vector<Node> pool;
    pool.push_back({-1, 0, 1, 0, 0, false, -1, W[0], Y[0], Z[0]});
    std::vector<int> active{0};

    for (int b = 0; b < n; ++b) {
        const Item& it = items[b];
        bool legal = (it.kind == Item::Penalty && it.penalty < kInfPenalty) ||
                     (it.kind == Item::Glue && b > 0 && items[b - 1].kind == Item::Box);
        if (!legal) continue;
        const bool forced = it.kind == Item::Penalty && it.penalty <= -kInfPenalty;
        const double pw = it.kind == Item::Penalty ? it.width : 0;

        // Best way to reach b per fitness class and, while line widths still
        // differ, per line number (two routes with different line counts
        // face different measures next; Knuth & Plass keep them apart).
        struct Candidate { double demerits = INFINITY; int prev = -1; double ratio = 0; };
        std::map<std::pair<int, int>, Candidate> best;
        std::vector<int> still;
        int best_dropped = -1;
        double best_dropped_score = INFINITY;
        for (int a : active) {
            const Node& A = pool[a];
            double target = widths(A.line);
            double start_trim = A.item >= 0 ? items[A.item].start_trim : 0;
            double L = W[b] - A.w + pw - it.end_trim - start_trim;
            double r;
            if (L < target) {
                double y = Y[b] - A.y + params.line_stretch;
                r = y > 0 ? (target - L) / y : INFINITY;
            } else if (L > target) {
                double z = Z[b] - A.z;
                r = z > 0 ? (target - L) / z : -INFINITY;
            } else {
                r = 0;
            }
            if (r < -1 || forced) {
                // This node can start no later line: drop it, but remember
                // the least bad one in case nothing feasible remains.
                double score = A.demerits + (r < -1 ? 1e9 * (L - target) : 0);
                if (score < best_dropped_score) { best_dropped_score = score; best_dropped = a; }
            } else {
                still.push_back(a);
            }
            // A paragraph's last line is set solid: it shrinks only when no
            // other setting exists (then the fallback below takes it).
            if (r >= -1 && r <= params.tolerance && !(forced && r < 0)) {
                double bad = 100 * std::pow(std::fabs(r), 3);
                double d = std::pow(params.line_penalty + bad, 2);
                if (it.kind == Item::Penalty) {
                    if (it.penalty >= 0) d += it.penalty * it.penalty;
                    else if (!forced) d -= it.penalty * it.penalty;
                }
                if (it.kind == Item::Penalty && it.flagged && A.item >= 0 &&
                    items[A.item].kind == Item::Penalty && items[A.item].flagged)
                    d += params.flagged_demerits;
                int fc = fitness_class(r);
                if (std::abs(fc - A.fitness) > 1) d += params.fitness_demerits;
                d += A.demerits;
                Candidate& c = best[{std::min(A.line + 1, distinct_lines), fc}];
                if (d < c.demerits) c = {d, a, r};
            }
        }
        active = std::move(still);
        const int s = after(b);
        bool added = false;
        for (auto& [key, c] : best) {
            const Node& P = pool[c.prev];
            pool.push_back({b, P.line + 1, key.second, c.demerits, c.ratio, false, c.prev, W[s], Y[s], Z[s]});
            active.push_back(static_cast<int>(pool.size()) - 1);
            added = true;
        }
        if (!added && active.empty() && best_dropped >= 0) {
            // No feasible line: set this one overfull (or, at a forced
            // break, as loose as it is) and go on from here.
            const Node& P = pool[best_dropped];
            double target = widths(P.line);
            double start_trim = P.item >= 0 ? items[P.item].start_trim : 0;
            double L = W[b] - P.w + pw - it.end_trim - start_trim;
            double r = L > target ? (Z[b] > P.z ? std::max(-1.0, (target - L) / (Z[b] - P.z)) : 0)
                                  : (Y[b] - P.y + params.line_stretch > 0 ? (target - L) / (Y[b] - P.y + params.line_stretch) : 0);
            bool over = L - target > 0.01 && (Z[b] - P.z) < L - target;
            pool.push_back({b, P.line + 1, 1, P.demerits + 1e6, r, over, best_dropped, W[s], Y[s], Z[s]});
            active.push_back(static_cast<int>(pool.size()) - 1);
        }
        if (forced) {
            // Only nodes ending exactly here survive a forced break.
            std::vector<int> keep;
            for (int a : active)
                if (pool[a].item == b) keep.push_back(a);
            active = std::move(keep);
        }
    }

    LinebreakResult result;
    if (active.empty()) return result;
    int best = active.front();
    for (int a : active)
        if (pool[a].demerits < pool[best].demerits) best = a;
    for (int k = best; k > 0 && pool[k].item >= 0; k = pool[k].prev) {
        result.breaks.push_back({pool[k].item, pool[k].ratio, pool[k].overfull});
        if (pool[k].overfull) ++result.overfull_lines;
    }
    std::reverse(result.breaks.begin(), result.breaks.end());
    return result;
}

LinebreakResult break_lines(const std::vector<Item>& items, const LinebreakParams& params, double width) {
    return break_lines(items, params, [width](int) { return width; }, 0);
}

LinebreakResult break_lines(const std::vector<Item>& items, const LinebreakParams& params,
                            const std::vector<double>& widths) {
    return break_lines(
        items, params,
        [&widths](int line) { return widths.empty() ? 0.0 : widths[std::min<size_t>(line, widths.size() - 1)]; },
        static_cast<int>(widths.size()));
}

LinebreakResult break_lines_greedy(const std::vector<Item>& items, double width) {
    LinebreakResult result;
    double line = 0;
    int last_legal = -1;
    int start = 0;
    for (int i = 0; i < static_cast<int>(items.size()); ++i) {
        const Item& it = items[i];
        bool legal = (it.kind == Item::Penalty && it.penalty < kInfPenalty) ||
                     (it.kind == Item::Glue && i > start && items[i - 1].kind == Item::Box);
        // A legal break that fits, or the first one after a run wider
        // than the measure (so an overwide word costs one line, not all).
        if (legal && (line + (it.kind == Item::Penalty ? it.width : 0) <= width || last_legal < start)) last_legal = i;
        if (it.kind == Item::Penalty && it.penalty <= -kInfPenalty) {
            result.breaks.push_back({i, 0, line > width});
            break;
        }
        if (it.kind != Item::Penalty) line += it.width;
        if (line > width && last_legal >= start) {
            result.breaks.push_back({last_legal, 0, false});
            start = last_legal + 1;
            while (start < static_cast<int>(items.size()) && items[start].kind == Item::Glue) ++start;
            i = start - 1;
            line = 0;
            last_legal = start - 1;
        }
    }
    return result;
}

}  // namespace galley
