// Knuth & Plass, "Breaking Paragraphs into Lines" (1981): total-fit breaking
// with fitness classes, flagged-penalty and fitness demerits.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>
#include <vector>

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

// What stays fixed while a paragraph is broken.
struct Paragraph {
    const std::vector<Item>& items;
    const LinebreakParams& params;
    int distinct_lines;
    std::vector<double> W, Y, Z;  // sums of items [0, i)

    Paragraph(const std::vector<Item>& items, const LinebreakParams& params, int distinct_lines)
        : items(items), params(params), distinct_lines(distinct_lines), W(items.size() + 1, 0),
          Y(items.size() + 1, 0), Z(items.size() + 1, 0) {
        for (size_t i = 0; i < items.size(); ++i) {
            const Item& it = items[i];
            bool counts = it.kind != Item::Penalty;
            W[i + 1] = W[i] + (counts ? it.width : 0);
            Y[i + 1] = Y[i] + (counts ? it.stretch : 0);
            Z[i + 1] = Z[i] + (counts ? it.shrink : 0);
        }
    }
    int size() const { return static_cast<int>(items.size()); }

    bool legal(int b) const {
        const Item& it = items[b];
        return (it.kind == Item::Penalty && it.penalty < kInfPenalty) ||
               (it.kind == Item::Glue && b > 0 && items[b - 1].kind == Item::Box);
    }
    bool forced(int b) const { return items[b].kind == Item::Penalty && items[b].penalty <= -kInfPenalty; }

    // Where the line after a break at b starts: discardable items (glue,
    // penalties) that follow the break are skipped.
    int after(int b) const {
        const int n = size();
        int i = b + 1;
        while (i < n && items[i].kind != Item::Box &&
               !(items[i].kind == Item::Penalty && items[i].penalty <= -kInfPenalty && i != b))
            ++i;
        return i;
    }

    // Natural width of the line from node A to a break at b.
    double natural_width(const Node& A, int b) const {
        const Item& it = items[b];
        const double pw = it.kind == Item::Penalty ? it.width : 0;
        double start_trim = A.item >= 0 ? items[A.item].start_trim : 0;
        return W[b] - A.w + pw - it.end_trim - start_trim;
    }

    Node node_after(int b, int line, int fitness, double demerits, double ratio, bool overfull, int prev) const {
        const int s = after(b);
        return {b, line, fitness, demerits, ratio, overfull, prev, W[s], Y[s], Z[s]};
    }
};

double adjustment_ratio(const Paragraph& P, const Node& A, int b, double L, double target) {
    if (L < target) {
        double y = P.Y[b] - A.y + P.params.line_stretch;
        return y > 0 ? (target - L) / y : INFINITY;
    }
    if (L > target) {
        double z = P.Z[b] - A.z;
        return z > 0 ? (target - L) / z : -INFINITY;
    }
    return 0;
}

double line_demerits(const Paragraph& P, const Node& A, int b, double r, int fc) {
    const Item& it = P.items[b];
    const auto& params = P.params;
    double bad = 100 * std::pow(std::fabs(r), 3);
    double d = std::pow(params.line_penalty + bad, 2);
    if (it.kind == Item::Penalty) {
        if (it.penalty >= 0) d += it.penalty * it.penalty;
        else if (!P.forced(b)) d -= it.penalty * it.penalty;
    }
    if (it.kind == Item::Penalty && it.flagged && A.item >= 0 && P.items[A.item].kind == Item::Penalty &&
        P.items[A.item].flagged)
        d += params.flagged_demerits;
    if (std::abs(fc - A.fitness) > 1) d += params.fitness_demerits;
    return d + A.demerits;
}

// Best way to reach a break per fitness class and, while line widths still
// differ, per line number (two routes with different line counts face
// different measures next; Knuth & Plass keep them apart).
struct Candidate {
    double demerits = INFINITY;
    int prev = -1;
    double ratio = 0;
};

struct Step {
    Step(int b, bool forced) : b(b), forced(forced) {}
    int b;
    bool forced;
    std::map<std::pair<int, int>, Candidate> best;
    std::vector<int> still;  // active nodes that may start a later line
    int best_dropped = -1;
    double best_dropped_score = INFINITY;
};

void try_line(const Paragraph& P, const std::vector<Node>& pool, int a, double target, Step& st) {
    const Node& A = pool[a];
    const double L = P.natural_width(A, st.b);
    const double r = adjustment_ratio(P, A, st.b, L, target);
    if (r < -1 || st.forced) {
        // This node can start no later line: drop it, but remember
        // the least bad one in case nothing feasible remains.
        double score = A.demerits + (r < -1 ? 1e9 * (L - target) : 0);
        if (score < st.best_dropped_score) {
            st.best_dropped_score = score;
            st.best_dropped = a;
        }
    } else {
        st.still.push_back(a);
    }
    // A paragraph's last line is set solid: it shrinks only when no
    // other setting exists (then the fallback below takes it).
    if (r >= -1 && r <= P.params.tolerance && !(st.forced && r < 0)) {
        int fc = fitness_class(r);
        double d = line_demerits(P, A, st.b, r, fc);
        Candidate& c = st.best[{std::min(A.line + 1, P.distinct_lines), fc}];
        if (d < c.demerits) c = {d, a, r};
    }
}

// No feasible line: set this one overfull (or, at a forced break, as loose
// as it is) and go on from here.
Node fallback(const Paragraph& P, const std::vector<Node>& pool, int dropped, int b, double target) {
    const Node& A = pool[dropped];
    const double L = P.natural_width(A, b);
    const double stretch = P.Y[b] - A.y + P.params.line_stretch;
    double r = L > target ? (P.Z[b] > A.z ? std::max(-1.0, (target - L) / (P.Z[b] - A.z)) : 0)
                          : (stretch > 0 ? (target - L) / stretch : 0);
    bool over = L - target > 0.01 && (P.Z[b] - A.z) < L - target;
    return P.node_after(b, A.line + 1, 1, A.demerits + 1e6, r, over, dropped);
}

LinebreakResult trace_back(const std::vector<Node>& pool, const std::vector<int>& active, int looseness) {
    LinebreakResult result;
    if (active.empty()) return result;
    int best = active.front();
    for (int a : active)
        if (pool[a].demerits < pool[best].demerits) best = a;
    if (looseness != 0) {
        const int want = pool[best].line + looseness;
        for (int a : active) {
            const int d = std::abs(pool[a].line - want), db = std::abs(pool[best].line - want);
            if (d < db || (d == db && pool[a].demerits < pool[best].demerits)) best = a;
        }
    }
    for (int k = best; k > 0 && pool[k].item >= 0; k = pool[k].prev) {
        result.breaks.push_back({pool[k].item, pool[k].ratio, pool[k].overfull});
        if (pool[k].overfull) ++result.overfull_lines;
    }
    std::reverse(result.breaks.begin(), result.breaks.end());
    return result;
}

}  // namespace

template <class Widths>
LinebreakResult break_lines(const std::vector<Item>& items, const LinebreakParams& params, Widths&& widths,
                            int distinct_lines) {
    // Looseness compares routes by their line count: keep them all apart.
    const Paragraph P(items, params, params.looseness != 0 ? std::numeric_limits<int>::max() : distinct_lines);
    std::vector<Node> pool;
    pool.push_back({-1, 0, 1, 0, 0, false, -1, P.W[0], P.Y[0], P.Z[0]});
    std::vector<int> active{0};

    for (int b = 0; b < P.size(); ++b) {
        if (!P.legal(b)) continue;
        Step st(b, P.forced(b));
        for (int a : active) try_line(P, pool, a, widths(pool[a].line), st);
        active = std::move(st.still);
        for (auto& [key, c] : st.best) {
            pool.push_back(P.node_after(b, pool[c.prev].line + 1, key.second, c.demerits, c.ratio, false, c.prev));
            active.push_back(static_cast<int>(pool.size()) - 1);
        }
        if (st.best.empty() && active.empty() && st.best_dropped >= 0) {
            pool.push_back(fallback(P, pool, st.best_dropped, b, widths(pool[st.best_dropped].line)));
            active.push_back(static_cast<int>(pool.size()) - 1);
        }
        if (st.forced) {
            // Only nodes ending exactly here survive a forced break.
            std::vector<int> keep;
            for (int a : active)
                if (pool[a].item == b) keep.push_back(a);
            active = std::move(keep);
        }
    }
    return trace_back(pool, active, params.looseness);
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
