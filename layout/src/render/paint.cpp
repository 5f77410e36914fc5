#include <algorithm>

#include "galley/paint.h"

namespace galley {
namespace {

double top_of(const FrameItem& item) {
    return std::visit(
        [](const auto& v) {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, Rule>)
                return std::min(v.y0, v.y1);
            else
                return v.y;
        },
        item);
}

// The page's content in reading order starts with a picture (one
// spanning the columns at the top of the page, say).
bool opens_with_picture(const Frame& page) {
    int first = -1;
    bool image = false;
    for (const FrameItem& item : page.items) {
        int t = item_tag(item);
        if (t == kArtifact || (first >= 0 && t >= first)) continue;
        first = t;
        image = std::holds_alternative<ImageItem>(item);
    }
    return image;
}

}  // namespace

int item_tag(const FrameItem& item) {
    if (auto* run = std::get_if<GlyphRun>(&item)) return run->tag;
    if (auto* im = std::get_if<ImageItem>(&item)) return im->tag;
    return kArtifact;
}

std::vector<Rule> crop_marks(double w, double h, double bleed) {
    const double gap = std::min(3.0, bleed / 3), len = bleed - gap;
    std::vector<Rule> out;
    for (double x : {0.0, w})
        for (double y : {0.0, h}) {
            const double sx = x == 0 ? -1 : 1, sy = y == 0 ? -1 : 1;
            out.push_back(Rule{x + sx * gap, y, x + sx * (gap + len), y, 0.25, Color{0, 0, 0}});
            out.push_back(Rule{x, y + sy * gap, x, y + sy * (gap + len), 0.25, Color{0, 0, 0}});
        }
    return out;
}

std::vector<const FrameItem*> paint_order(const Frame& page) {
    double top = page.height;
    for (const FrameItem& item : page.items)
        if (item_tag(item) != kArtifact) top = std::min(top, top_of(item));
    if (opens_with_picture(page)) top = page.height + 1;  // all furniture first
    std::vector<const FrameItem*> before, tagged, after;
    for (const FrameItem& item : page.items)
        (item_tag(item) != kArtifact ? tagged : top_of(item) < top ? before : after).push_back(&item);
    std::stable_sort(tagged.begin(), tagged.end(),
                     [](const FrameItem* a, const FrameItem* b) { return item_tag(*a) < item_tag(*b); });
    before.insert(before.end(), tagged.begin(), tagged.end());
    before.insert(before.end(), after.begin(), after.end());
    return before;
}

void paint(const Layout& layout, Painter& painter, int first, int count) {
    const int n = static_cast<int>(layout.pages.size());
    const int last = count < 0 ? n : std::min(n, first + count);
    for (int p = std::max(first, 0); p < last; ++p) painter.page(layout, p);
    painter.finish(layout);
}

}  // namespace galley
