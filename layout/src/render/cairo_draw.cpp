#include "render/cairo_draw.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

#include "common/strings.h"
#include "image/image.h"

namespace galley {
namespace {

// Glyphs with the text they show (cairo_show_text_glyphs), so the PDF maps
// every glyph back to its characters. Positions are rounded to Pango units
// along the run as pango-cairo does, so rounding never accumulates.
void draw_run(CairoCanvas& c, const GlyphRun& run) {
    if (run.glyphs.empty()) return;
    const double base_x = run.x + run.glyphs[0].x, base_y = run.y, unit = 1024;
    std::vector<cairo_glyph_t> glyphs;
    std::vector<cairo_text_cluster_t> clusters;
    std::vector<uint32_t> starts;  // byte offset of each cluster
    long pen = 0;
    for (size_t i = 0; i < run.glyphs.size(); ++i) {
        const Glyph& g = run.glyphs[i];
        long width = std::lround(g.advance * unit);
        long dx = std::lround((g.x - run.glyphs[0].x + g.x_offset) * unit - pen);
        long dy = std::lround(g.y_offset * unit);
        if (i == 0 || g.cluster != run.glyphs[i - 1].cluster) {
            clusters.push_back({0, 0});
            starts.push_back(g.cluster);
        }
        if (drawn_glyph(g.id)) {
            glyphs.push_back({g.id, base_x + (pen + dx) / unit, dy == 0 ? base_y : base_y + dy / unit});
            ++clusters.back().num_glyphs;
        }
        pen += width;
    }
    for (size_t k = 0; k < clusters.size(); ++k) {
        uint32_t end = k + 1 < clusters.size() ? starts[k + 1] : static_cast<uint32_t>(run.text.size());
        clusters[k].num_bytes = static_cast<int>(end - starts[k]) + (k == 0 ? static_cast<int>(starts[0]) : 0);
    }
    cairo_set_scaled_font(c.cr, c.fonts.get(run.font, run.scale_x));
    cairo_set_source_rgb(c.cr, run.color.r, run.color.g, run.color.b);
    cairo_show_text_glyphs(c.cr, run.text.c_str(), static_cast<int>(run.text.size()), glyphs.data(),
                           static_cast<int>(glyphs.size()), clusters.data(), static_cast<int>(clusters.size()),
                           cairo_text_cluster_flags_t(0));
}

// Cairo tag attributes are quoted with '; a quote or backslash inside is
// escaped with a backslash.
std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

void draw_image(CairoCanvas& c, const ImageItem& im) {
    cairo_surface_t* s = c.images.get(im.path);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    if (w <= 0 || h <= 0) return;
    cairo_save(c.cr);
    cairo_translate(c.cr, im.x, im.y);
    cairo_scale(c.cr, im.width / w, im.height / h);
    cairo_set_source_surface(c.cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(c.cr), CAIRO_FILTER_GOOD);
    cairo_paint(c.cr);
    cairo_restore(c.cr);
}

void draw_rule(cairo_t* cr, const Rule& rule) {
    cairo_set_source_rgb(cr, rule.color.r, rule.color.g, rule.color.b);
    cairo_set_line_width(cr, rule.width);
    cairo_set_line_cap(cr, rule.round ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
    cairo_move_to(cr, rule.x0, rule.y0);
    cairo_line_to(cr, rule.x1, rule.y1);
    cairo_stroke(cr);
}

void link_area(cairo_t* cr, const LinkArea& link) {
    char rect[160];
    std::snprintf(rect, sizeof rect, "rect=[%.3f %.3f %.3f %.3f] ", link.x, link.y, link.width, link.height);
    std::string attrs =
        rect + (link.uri.empty() ? "dest=" + quoted(link.dest) : "uri=" + quoted(percent_encode(link.uri)));
    cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs.c_str());
    cairo_tag_end(cr, CAIRO_TAG_LINK);
}

void anchor(cairo_t* cr, const Anchor& a) {
    char pos[80];
    std::snprintf(pos, sizeof pos, " x=%.3f y=%.3f", a.x, a.y);
    std::string attrs = "name=" + quoted(a.name) + pos;
    cairo_tag_begin(cr, CAIRO_TAG_DEST, attrs.c_str());
    cairo_tag_end(cr, CAIRO_TAG_DEST);
}

}  // namespace

ImageCache::~ImageCache() {
    for (auto& [path, s] : surfaces_) cairo_surface_destroy(s);
}

cairo_surface_t* ImageCache::get(const std::string& path) {
    auto it = surfaces_.find(path);
    if (it != surfaces_.end()) return it->second;
    return surfaces_[path] = load_image_surface(path);
}

void draw_item(CairoCanvas& c, const FrameItem& item, bool annotations) {
    if (auto* im = std::get_if<ImageItem>(&item)) {
        draw_image(c, *im);
    } else if (auto* run = std::get_if<GlyphRun>(&item)) {
        // A Markdown link: cairo makes the annotation from the ink; "#name"
        // goes to a place in the document (a note, its marker).
        if (annotations && !run->link.empty()) {
            std::string attrs = run->link[0] == '#' ? "dest=" + quoted(run->link.substr(1))
                                                    : "uri=" + quoted(percent_encode(run->link));
            cairo_tag_begin(c.cr, CAIRO_TAG_LINK, attrs.c_str());
            draw_run(c, *run);
            cairo_tag_end(c.cr, CAIRO_TAG_LINK);
        } else {
            draw_run(c, *run);
        }
    } else if (auto* rule = std::get_if<Rule>(&item)) {
        draw_rule(c.cr, *rule);
    } else if (!annotations) {
        return;
    } else if (auto* link = std::get_if<LinkArea>(&item)) {
        link_area(c.cr, *link);
    } else if (auto* a = std::get_if<Anchor>(&item)) {
        anchor(c.cr, *a);
    }
}

}  // namespace galley
