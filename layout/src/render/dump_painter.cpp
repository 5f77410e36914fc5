// The text back end: frames as text, the golden-test format: fixed
// precision, and the classic locale (the library never calls setlocale,
// so snprintf is "C").
#include <cmath>
#include <cstdio>

#include "galley/paint.h"

namespace galley {
namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v == 0 ? 0.0 : v);
    return buf;
}

class DumpPainter : public Painter {
public:
    explicit DumpPainter(std::string& out) : out_(out) {}
    void page(const Layout& layout, int index) override {
        const Frame& f = layout.pages[index];
        out_ += "page " + std::to_string(index + 1) + " " + num(f.width) + " " + num(f.height) + "\n";
        for (const FrameItem& item : f.items) std::visit([&](const auto& it) { write(layout, it); }, item);
    }
    void finish(const Layout&) override {}

private:
    void write(const Layout& layout, const GlyphRun& r) {
        const std::string& font = r.font >= 0 && r.font < static_cast<int>(layout.fonts.size())
                                      ? layout.fonts[r.font].name
                                      : std::string("?");
        out_ += "  run " + num(r.x) + " " + num(r.y) + " \"" + font + "\" " + num(r.size) +
                (std::abs(r.scale_x - 1) > 5e-5 ? " x" + num(r.scale_x) : "") + " \"" + r.text + "\"\n   ";
        for (const Glyph& g : r.glyphs) out_ += " " + std::to_string(g.id) + "@" + num(g.x + g.x_offset);
        out_ += "\n";
    }
    void write(const Layout&, const Rule& rule) {
        out_ += "  rule " + num(rule.x0) + " " + num(rule.y0) + " " + num(rule.x1) + " " + num(rule.y1) + " " +
                num(rule.width) + (rule.round ? " round" : "") + "\n";
    }
    void write(const Layout&, const ImageItem& im) {
        std::string name = im.path.substr(im.path.find_last_of('/') + 1);
        out_ += "  image " + num(im.x) + " " + num(im.y) + " " + num(im.width) + " " + num(im.height) + " " + name +
                "\n";
    }
    void write(const Layout&, const LinkArea& l) {
        out_ += "  link " + num(l.x) + " " + num(l.y) + " " + num(l.width) + " " + num(l.height) + " " +
                (l.uri.empty() ? "#" + l.dest : l.uri) + "\n";
    }
    void write(const Layout&, const Anchor& a) {
        out_ += "  anchor " + a.name + " " + num(a.x) + " " + num(a.y) + "\n";
    }
    std::string& out_;
};

}  // namespace

std::unique_ptr<Painter> dump_painter(std::string& out) { return std::make_unique<DumpPainter>(out); }

}  // namespace galley
