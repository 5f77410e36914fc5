#include <algorithm>

#include "galley/paint.h"

namespace galley {

void paint(const Layout& layout, Painter& painter, int first, int count) {
    const int n = static_cast<int>(layout.pages.size());
    const int last = count < 0 ? n : std::min(n, first + count);
    for (int p = std::max(first, 0); p < last; ++p) painter.page(layout, p);
    painter.finish(layout);
}

}  // namespace galley
