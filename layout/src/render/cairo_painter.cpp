// paint: frames to PDF and PNG with Cairo. Glyphs go through
// pango_cairo_show_glyph_item so the PDF maps every glyph to its text.
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>

#include "galley/engine.h"
#include "archive/archive.h"
#include "text/font_context.h"
#include "image/image.h"

namespace galley {
namespace {

void paint_run(cairo_t* cr, const GlyphRun& run) {
    if (run.glyphs.empty()) return;
    PangoGlyphString* gs = pango_glyph_string_new();
    pango_glyph_string_set_size(gs, static_cast<int>(run.glyphs.size()));
    long pen = 0;  // Pango units drawn so far
    for (size_t i = 0; i < run.glyphs.size(); ++i) {
        const Glyph& g = run.glyphs[i];
        gs->glyphs[i].glyph = g.id;
        gs->glyphs[i].geometry.width = static_cast<int>(std::lround(g.advance * PANGO_SCALE));
        // The pen runs from the first glyph's position; x_offset carries
        // the rest, so rounding never accumulates along the run.
        gs->glyphs[i].geometry.x_offset =
            static_cast<int>(std::lround((g.x - run.glyphs[0].x + g.x_offset) * PANGO_SCALE - pen));
        pen += gs->glyphs[i].geometry.width;
        gs->glyphs[i].geometry.y_offset = static_cast<int>(std::lround(g.y_offset * PANGO_SCALE));
        gs->glyphs[i].attr.is_cluster_start = i == 0 || g.cluster != run.glyphs[i - 1].cluster;
        gs->log_clusters[i] = static_cast<int>(g.cluster);
    }
    PangoItem* item = pango_item_new();
    item->offset = 0;
    item->length = static_cast<int>(run.text.size());
    item->num_chars = static_cast<int>(g_utf8_strlen(run.text.c_str(), run.text.size()));
    item->analysis.font = static_cast<PangoFont*>(run.font.pango_font.get());
    g_object_ref(item->analysis.font);
    PangoGlyphItem gi{item, gs, 0, 0, 0};
    cairo_set_source_rgb(cr, run.color.r, run.color.g, run.color.b);
    cairo_move_to(cr, run.x + run.glyphs[0].x, run.y);
    pango_cairo_show_glyph_item(cr, run.text.c_str(), &gi);
    pango_item_free(item);
    pango_glyph_string_free(gs);
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

// Non-ASCII and unsafe bytes of a URI percent-encoded (cairo 1.16 writes
// URIs raw; PDF wants 7-bit ASCII).
std::string percent_encode(const std::string& uri) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    auto is_hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    for (size_t i = 0; i < uri.size(); ++i) {
        unsigned char c = uri[i];
        if (c > 0x20 && c < 0x7F && c != '%' && c != '"' && c != '<' && c != '>' && c != '\\' && c != '^' &&
            c != '`' && c != '{' && c != '|' && c != '}') {
            out += static_cast<char>(c);
        } else if (c == '%' && i + 2 < uri.size() && is_hex(uri[i + 1]) && is_hex(uri[i + 2])) {
            out += '%';  // already an escape
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// Decoded pictures of one document, each loaded once.
struct ImageCache {
    std::map<std::string, cairo_surface_t*> surfaces;
    ~ImageCache() {
        for (auto& [path, s] : surfaces) cairo_surface_destroy(s);
    }
    cairo_surface_t* get(const std::string& path) {
        auto it = surfaces.find(path);
        if (it != surfaces.end()) return it->second;
        return surfaces[path] = load_image_surface(path);
    }
};

void paint_image(cairo_t* cr, const ImageItem& im, ImageCache& cache) {
    cairo_surface_t* s = cache.get(im.path);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    if (w <= 0 || h <= 0) return;
    cairo_save(cr);
    cairo_translate(cr, im.x, im.y);
    cairo_scale(cr, im.width / w, im.height / h);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
}

void paint_item(cairo_t* cr, const FrameItem& item, ImageCache& images, bool tags) {
    if (auto* im = std::get_if<ImageItem>(&item)) {
        paint_image(cr, *im, images);
    } else if (auto* run = std::get_if<GlyphRun>(&item)) {
        // A Markdown link: cairo makes the annotation from the ink.
        if (tags && !run->link.empty()) {
            std::string attrs = "uri=" + quoted(percent_encode(run->link));
            cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs.c_str());
            paint_run(cr, *run);
            cairo_tag_end(cr, CAIRO_TAG_LINK);
        } else {
            paint_run(cr, *run);
        }
    } else if (auto* rule = std::get_if<Rule>(&item)) {
        cairo_set_source_rgb(cr, rule->color.r, rule->color.g, rule->color.b);
        cairo_set_line_width(cr, rule->width);
        cairo_set_line_cap(cr, rule->round ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
        cairo_move_to(cr, rule->x0, rule->y0);
        cairo_line_to(cr, rule->x1, rule->y1);
        cairo_stroke(cr);
    } else if (!tags) {
        return;
    } else if (auto* link = std::get_if<LinkArea>(&item)) {
        char rect[160];
        std::snprintf(rect, sizeof rect, "rect=[%.3f %.3f %.3f %.3f] ", link->x, link->y, link->width, link->height);
        std::string attrs = rect + (link->uri.empty() ? "dest=" + quoted(link->dest) : "uri=" + quoted(percent_encode(link->uri)));
        cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs.c_str());
        cairo_tag_end(cr, CAIRO_TAG_LINK);
    } else if (auto* a = std::get_if<Anchor>(&item)) {
        char pos[80];
        std::snprintf(pos, sizeof pos, " x=%.3f y=%.3f", a->x, a->y);
        std::string attrs = "name=" + quoted(a->name) + pos;
        cairo_tag_begin(cr, CAIRO_TAG_DEST, attrs.c_str());
        cairo_tag_end(cr, CAIRO_TAG_DEST);
    }
}

int tag_of(const FrameItem& item) {
    if (auto* run = std::get_if<GlyphRun>(&item)) return run->tag;
    if (auto* im = std::get_if<ImageItem>(&item)) return im->tag;
    return -1;
}

// Tagged PDF with cairo's structure tags. Elements open and close as the
// items of each page are drawn in reading order (the structure's order),
// so a story that jumps pages stays one Art. Page furniture (running
// heads, folios, rules, jump lines) is drawn first on each page; cairo
// 1.16 cannot mark it /Artifact, so on a page a story continues onto it
// becomes content of that story's Art (the leaf open at the page break
// is closed first, so it never joins a paragraph).
class StructureWriter {
public:
    StructureWriter(cairo_t* cr, const std::vector<StructNode>& nodes) : cr_(cr), nodes_(nodes) {}
    void page(const Frame& page, ImageCache& images) {
        if (nodes_.empty()) {
            for (const FrameItem& item : page.items) paint_item(cr_, item, images, true);
            return;
        }
        // Furniture before the page's first tagged item (masthead, a
        // continuation's repeated title) goes first, the rest (jump lines,
        // contents box, running head, folio) after the story, each while
        // no paragraph is open.
        close_to(std::min<size_t>(open_.size(), 2));  // keep Document and Art
        if (open_.empty()) enter(0);                  // furniture needs an element to sit in
        size_t first = 0;
        while (first < page.items.size() && tag_of(page.items[first]) < 0) ++first;
        std::vector<const FrameItem*> tagged;
        for (size_t k = 0; k < page.items.size(); ++k) {
            if (tag_of(page.items[k]) >= 0)
                tagged.push_back(&page.items[k]);
            else if (k < first)
                furniture(page.items[k], images);
        }
        std::stable_sort(tagged.begin(), tagged.end(),
                         [](const FrameItem* a, const FrameItem* b) { return tag_of(*a) < tag_of(*b); });
        for (const FrameItem* item : tagged) {
            enter(tag_of(*item));
            paint_item(cr_, *item, images, true);
        }
        close_to(std::min<size_t>(open_.size(), 2));
        for (size_t k = first; k < page.items.size(); ++k)
            if (tag_of(page.items[k]) < 0) furniture(page.items[k], images);
    }
    void finish() { close_to(0); }

private:
    // Running heads, folios, rules, jump lines go inside a "Private"
    // element (cairo 1.16 knows no artifacts and accepts only standard
    // structure types); the archive stage makes them /Artifact content.
    // Links and destinations stay outside.
    void furniture(const FrameItem& item, ImageCache& images) {
        bool drawn = std::holds_alternative<GlyphRun>(item) || std::holds_alternative<Rule>(item) ||
                     std::holds_alternative<ImageItem>(item);
        if (drawn) cairo_tag_begin(cr_, "Private", nullptr);
        paint_item(cr_, item, images, true);
        if (drawn) cairo_tag_end(cr_, "Private");
    }
    void close_to(size_t depth) {
        while (open_.size() > depth) {
            cairo_tag_end(cr_, nodes_[open_.back()].type.c_str());
            open_.pop_back();
        }
    }
    void enter(int node) {
        std::vector<int> path;
        for (int n = node; n >= 0; n = nodes_[n].parent) path.push_back(n);
        std::reverse(path.begin(), path.end());
        size_t common = 0;
        while (common < open_.size() && common < path.size() && open_[common] == path[common]) ++common;
        close_to(common);
        for (size_t k = common; k < path.size(); ++k) {
            cairo_tag_begin(cr_, nodes_[path[k]].type.c_str(), nullptr);
            open_.push_back(path[k]);
        }
    }
    cairo_t* cr_;
    const std::vector<StructNode>& nodes_;
    std::vector<int> open_;
};

void paint_page(cairo_t* cr, const Frame& page, ImageCache& images) {
    for (const FrameItem& item : page.items) paint_item(cr, item, images, false);
}

// Trim marks at the four corners, in the bleed only (they stop short of
// the trim so none shows on the cut sheet).
void crop_marks(cairo_t* cr, double w, double h, double bleed) {
    const double gap = std::min(3.0, bleed / 3), len = bleed - gap;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.25);
    for (double x : {bleed, bleed + w})
        for (double y : {bleed, bleed + h}) {
            double sx = x == bleed ? -1 : 1, sy = y == bleed ? -1 : 1;
            cairo_move_to(cr, x + sx * gap, y);
            cairo_line_to(cr, x + sx * (gap + len), y);
            cairo_move_to(cr, x, y + sy * gap);
            cairo_line_to(cr, x, y + sy * (gap + len));
        }
    cairo_stroke(cr);
    cairo_restore(cr);
}

cairo_status_t write_to_file(void* closure, const unsigned char* data, unsigned int length) {
    return std::fwrite(data, 1, length, static_cast<FILE*>(closure)) == length ? CAIRO_STATUS_SUCCESS
                                                                             : CAIRO_STATUS_WRITE_ERROR;
}

// "2019-01-18T13:01:08+08:00" from SOURCE_DATE_EPOCH (UTC).
std::string iso_from_epoch(long long epoch) {
    std::time_t t = static_cast<std::time_t>(epoch);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    return buf;
}

}  // namespace

void write_pdf(const Layout& layout, const std::string& path, const PdfOptions& options, StageTimes* times) {
    namespace fs = std::filesystem;
    using Clock = std::chrono::steady_clock;
    fs::path target(path);
    fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    fs::path tmp = dir / ("." + target.filename().string() + ".tmp" + std::to_string(::getpid()));
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw Failure({Severity::Error, {path, 0, 0}, "cannot write the output file"});
    auto t0 = Clock::now();
    double w = (layout.pages.empty() ? 595.276 : layout.pages[0].width) + 2 * options.bleed;
    double h = (layout.pages.empty() ? 841.89 : layout.pages[0].height) + 2 * options.bleed;
    cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(write_to_file, f, w, h);
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
    auto meta = [&](cairo_pdf_metadata_t key, const std::string& value) {
        if (!value.empty()) cairo_pdf_surface_set_metadata(surface, key, value.c_str());
    };
    meta(CAIRO_PDF_METADATA_TITLE, layout.title);
    meta(CAIRO_PDF_METADATA_AUTHOR, layout.author);
    meta(CAIRO_PDF_METADATA_SUBJECT, layout.subject);
    meta(CAIRO_PDF_METADATA_KEYWORDS, layout.keywords);
    meta(CAIRO_PDF_METADATA_CREATOR, std::string("Galley ") + GALLEY_VERSION);
    // Both dates fixed make the bytes reproducible (platform-notes.md).
    std::string date = options.source_date_epoch >= 0 ? iso_from_epoch(options.source_date_epoch)
                       : !layout.date.empty()         ? layout.date
                                                      : iso_from_epoch(0);
    meta(CAIRO_PDF_METADATA_CREATE_DATE, date);
    meta(CAIRO_PDF_METADATA_MOD_DATE, date);
    cairo_t* cr = cairo_create(surface);
    ImageCache images;
    StructureWriter structure(cr, layout.structure);
    std::unique_lock<std::mutex> fonts_lock;
    if (options.fonts) fonts_lock = std::unique_lock<std::mutex>(options.fonts->shaping);
    try {
        for (size_t p = 0; p < layout.pages.size(); ++p) {
            const double b = options.bleed;
            cairo_pdf_surface_set_size(surface, layout.pages[p].width + 2 * b, layout.pages[p].height + 2 * b);
            std::string label = std::to_string(p + 1);
            cairo_pdf_surface_set_page_label(surface, label.c_str());
            if (options.crop_marks && b > 0) crop_marks(cr, layout.pages[p].width, layout.pages[p].height, b);
            cairo_save(cr);
            cairo_translate(cr, b, b);
            structure.page(layout.pages[p], images);
            cairo_restore(cr);
            if (p + 1 == layout.pages.size()) structure.finish();
            cairo_show_page(cr);
        }
    } catch (...) {
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        std::fclose(f);
        fs::remove(tmp);
        throw;
    }
    // Bookmarks: each entry under the nearest earlier one of a lower level.
    {
        std::vector<std::pair<int, int>> parents;  // (level, outline id)
        for (const OutlineEntry& e : layout.outline) {
            while (!parents.empty() && parents.back().first >= e.level) parents.pop_back();
            int parent = parents.empty() ? CAIRO_PDF_OUTLINE_ROOT : parents.back().second;
            char dest[96];
            std::snprintf(dest, sizeof dest, "page=%d pos=[%.3f %.3f]", e.page + 1, e.x, e.y);
            int id = cairo_pdf_surface_add_outline(surface, parent, e.title.c_str(), dest,
                                                   e.level <= 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : cairo_pdf_outline_flags_t(0));
            parents.push_back({e.level, id});
        }
    }
    if (fonts_lock.owns_lock()) fonts_lock.unlock();
    auto t1 = Clock::now();
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    bool ok = std::fclose(f) == 0 && status == CAIRO_STATUS_SUCCESS;
    if (times) {
        times->paint += std::chrono::duration<double, std::milli>(t1 - t0).count();
        times->finish += std::chrono::duration<double, std::milli>(Clock::now() - t1).count();
    }
    if (!ok) {
        fs::remove(tmp);
        throw Failure({Severity::Error, {path, 0, 0}, std::string("writing the PDF failed: ") + cairo_status_to_string(status)});
    }
    // What cairo cannot write (D: dates, /Lang, /F 4, boxes, /ID, PDF/A)
    // the archive stage adds; only its finished file takes the name.
    auto t2 = Clock::now();
    fs::path archived = tmp.string() + ".a";
    try {
        ArchiveMetadata meta;
        meta.title = layout.title;
        meta.author = layout.author;
        meta.subject = layout.subject;
        meta.keywords = layout.keywords;
        meta.lang = layout.lang;
        meta.date = date;
        for (const StructNode& n : layout.structure)
            if (n.type == "Figure") meta.figure_alts.push_back(n.alt);
        ArchiveOptions ao;
        ao.pdfa = options.pdfa;
        ao.bleed = options.bleed;
        archive_pdf(tmp.string(), archived.string(), meta, ao);
    } catch (...) {
        fs::remove(tmp);
        fs::remove(archived);
        throw;
    }
    fs::remove(tmp);
    fs::rename(archived, target);
    if (times) times->archive += std::chrono::duration<double, std::milli>(Clock::now() - t2).count();
}

void write_png(const Layout& layout, int page, double dpi, const std::string& path) {
    if (page < 0 || page >= static_cast<int>(layout.pages.size()))
        throw Failure({Severity::Error, {path, 0, 0}, "no page " + std::to_string(page + 1) + " to draw"});
    const Frame& f = layout.pages[page];
    double scale = dpi / 72.0;
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(std::ceil(f.width * scale)),
                                                          static_cast<int>(std::ceil(f.height * scale)));
    cairo_t* cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    ImageCache images;
    paint_page(cr, f, images);
    cairo_destroy(cr);
    cairo_status_t status = cairo_surface_write_to_png(surface, path.c_str());
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS)
        throw Failure({Severity::Error, {path, 0, 0}, std::string("writing the PNG failed: ") + cairo_status_to_string(status)});
}

}  // namespace galley
