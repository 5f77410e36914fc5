// paint: frames as text, the golden-test format: fixed precision, and the
// classic locale (the library never calls setlocale, so snprintf is "C").
#include <cstdio>
#include <sstream>

#include "galley/engine.h"

namespace galley {

static std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v == 0 ? 0.0 : v);
    return buf;
}

std::string dump_frames(const Layout& layout, int first_page, int page_count) {
    std::ostringstream out;
    int last = page_count < 0 ? static_cast<int>(layout.pages.size()) : std::min<int>(layout.pages.size(), first_page + page_count);
    for (int p = first_page; p < last; ++p) {
        const Frame& f = layout.pages[p];
        out << "page " << p + 1 << " " << num(f.width) << " " << num(f.height) << "\n";
        for (const FrameItem& item : f.items) {
            if (auto* r = std::get_if<GlyphRun>(&item)) {
                out << "  run " << num(r->x) << " " << num(r->y) << " \"" << r->font.name << "\" " << num(r->size)
                    << " \"" << r->text << "\"\n   ";
                for (const Glyph& g : r->glyphs) out << " " << g.id << "@" << num(g.x + g.x_offset);
                out << "\n";
            } else if (auto* rule = std::get_if<Rule>(&item)) {
                out << "  rule " << num(rule->x0) << " " << num(rule->y0) << " " << num(rule->x1) << " "
                    << num(rule->y1) << " " << num(rule->width) << (rule->round ? " round" : "") << "\n";
            } else if (auto* im = std::get_if<ImageItem>(&item)) {
                std::string name = im->path.substr(im->path.find_last_of('/') + 1);
                out << "  image " << num(im->x) << " " << num(im->y) << " " << num(im->width) << " "
                    << num(im->height) << " " << name << "\n";
            } else if (auto* l = std::get_if<LinkArea>(&item)) {
                out << "  link " << num(l->x) << " " << num(l->y) << " " << num(l->width) << " " << num(l->height)
                    << " " << (l->uri.empty() ? "#" + l->dest : l->uri) << "\n";
            } else if (auto* a = std::get_if<Anchor>(&item)) {
                out << "  anchor " << a->name << " " << num(a->x) << " " << num(a->y) << "\n";
            }
        }
    }
    return out.str();
}

}  // namespace galley
