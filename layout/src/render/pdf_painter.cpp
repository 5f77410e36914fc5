// The PDF back end: cairo's PDF surface, tagged in reading order.
#include <cairo-pdf.h>

#include <algorithm>
#include <cstdio>

#include "archive/archive.h"
#include "galley/paint.h"
#include "render/cairo_draw.h"

namespace galley {
namespace {

// Tagged PDF with cairo's structure tags. A page's content is drawn in
// paint_order(), elements opening and closing as it goes, so a story that
// runs over pages stays one Art; its furniture while no paragraph is open.
class StructureWriter {
public:
    StructureWriter(CairoCanvas& canvas, const std::vector<StructNode>& nodes) : c_(canvas), nodes_(nodes) {}
    void page(const Frame& page) {
        if (nodes_.empty()) {
            for (const FrameItem& item : page.items) draw_item(c_, item, true);
            return;
        }
        close_to(std::min<size_t>(open_.size(), 2));  // keep Document and Art
        if (open_.empty()) enter(0);                  // furniture needs an element to sit in
        bool content = false;
        for (const FrameItem* item : paint_order(page)) {
            const int tag = item_tag(*item);
            if (tag == kArtifact) {
                if (content) close_to(std::min<size_t>(open_.size(), 2));
                content = false;
                artifact(*item);
            } else {
                content = true;
                enter(tag);
                draw_item(c_, *item, true);
            }
        }
        close_to(std::min<size_t>(open_.size(), 2));
    }
    void finish() { close_to(0); }

private:
    // Cairo 1.16 knows no artifacts and accepts only standard structure
    // types: artifacts are drawn inside a kArtifactCarrier element, which
    // the archive stage turns into /Artifact content. Links and
    // destinations stay outside.
    void artifact(const FrameItem& item) {
        bool drawn = std::holds_alternative<GlyphRun>(item) || std::holds_alternative<Rule>(item) ||
                     std::holds_alternative<ImageItem>(item);
        if (drawn) cairo_tag_begin(c_.cr, kArtifactCarrier, nullptr);
        draw_item(c_, item, true);
        if (drawn) cairo_tag_end(c_.cr, kArtifactCarrier);
    }
    void close_to(size_t depth) {
        while (open_.size() > depth) {
            cairo_tag_end(c_.cr, nodes_[open_.back()].type.c_str());
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
            cairo_tag_begin(c_.cr, nodes_[path[k]].type.c_str(), nullptr);
            open_.push_back(path[k]);
        }
    }
    CairoCanvas& c_;
    const std::vector<StructNode>& nodes_;
    std::vector<int> open_;
};


// Bookmarks: each entry under the nearest earlier one of a lower level.
void outline(cairo_surface_t* surface, const std::vector<OutlineEntry>& entries) {
    std::vector<std::pair<int, int>> parents;  // (level, outline id)
    for (const OutlineEntry& e : entries) {
        while (!parents.empty() && parents.back().first >= e.level) parents.pop_back();
        int parent = parents.empty() ? CAIRO_PDF_OUTLINE_ROOT : parents.back().second;
        char dest[96];
        std::snprintf(dest, sizeof dest, "page=%d pos=[%.3f %.3f]", e.page + 1, e.x, e.y);
        int id = cairo_pdf_surface_add_outline(surface, parent, e.title.c_str(), dest,
                                               e.level <= 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : cairo_pdf_outline_flags_t(0));
        parents.push_back({e.level, id});
    }
}

class PdfPainter : public Painter {
public:
    PdfPainter(std::string& out, const PdfPaintOptions& options) : out_(out), options_(options) {}
    ~PdfPainter() override {
        if (cr_) cairo_destroy(cr_);
        if (surface_) cairo_surface_destroy(surface_);
    }
    void page(const Layout& layout, int index) override {
        if (!cr_) begin(layout);
        const Frame& f = layout.pages[index];
        const double b = options_.bleed;
        cairo_pdf_surface_set_size(surface_, f.width + 2 * b, f.height + 2 * b);
        cairo_pdf_surface_set_page_label(surface_, std::to_string(index + 1).c_str());
        cairo_save(cr_);
        cairo_translate(cr_, b, b);
        if (options_.crop_marks && b > 0)
            for (const Rule& mark : crop_marks(f.width, f.height, b)) draw_item(*canvas_, mark, false);
        structure_->page(f);
        cairo_restore(cr_);
        if (index + 1 == static_cast<int>(layout.pages.size())) structure_->finish();
        cairo_show_page(cr_);
    }
    void finish(const Layout& layout) override {
        if (!cr_) begin(layout);
        outline(surface_, layout.outline);
        cairo_destroy(cr_);
        cr_ = nullptr;
        cairo_surface_finish(surface_);
        cairo_status_t status = cairo_surface_status(surface_);
        cairo_surface_destroy(surface_);
        surface_ = nullptr;
        if (status != CAIRO_STATUS_SUCCESS)
            throw Failure({Severity::Error, {},
                           std::string("writing the PDF failed: ") + cairo_status_to_string(status)});
    }

private:
    void begin(const Layout& layout) {
        const double b = options_.bleed;
        double w = (layout.pages.empty() ? 595.276 : layout.pages[0].width) + 2 * b;
        double h = (layout.pages.empty() ? 841.89 : layout.pages[0].height) + 2 * b;
        surface_ = cairo_pdf_surface_create_for_stream(append_bytes, &out_, w, h);
        cairo_pdf_surface_restrict_to_version(surface_, CAIRO_PDF_VERSION_1_5);
        metadata(layout.info);
        cr_ = cairo_create(surface_);
        fonts_ = std::make_unique<CairoFonts>(layout);
        canvas_ = std::make_unique<CairoCanvas>(CairoCanvas{cr_, *fonts_, images_});
        structure_ = std::make_unique<StructureWriter>(*canvas_, layout.structure);
    }
    void metadata(const DocumentInfo& info) {
        auto meta = [&](cairo_pdf_metadata_t key, const std::string& value) {
            if (!value.empty()) cairo_pdf_surface_set_metadata(surface_, key, value.c_str());
        };
        meta(CAIRO_PDF_METADATA_TITLE, info.title);
        meta(CAIRO_PDF_METADATA_SUBJECT, info.subject);
        meta(CAIRO_PDF_METADATA_CREATOR, std::string("Galley ") + GALLEY_VERSION);
        // Both dates fixed make the bytes reproducible (platform-notes.md).
        meta(CAIRO_PDF_METADATA_CREATE_DATE, options_.date);
        meta(CAIRO_PDF_METADATA_MOD_DATE, options_.date);
    }

    std::string& out_;
    PdfPaintOptions options_;
    cairo_surface_t* surface_ = nullptr;
    cairo_t* cr_ = nullptr;
    ImageCache images_;
    std::unique_ptr<CairoFonts> fonts_;
    std::unique_ptr<CairoCanvas> canvas_;
    std::unique_ptr<StructureWriter> structure_;
};

}  // namespace

std::unique_ptr<Painter> pdf_painter(std::string& out, const PdfPaintOptions& options) {
    return std::make_unique<PdfPainter>(out, options);
}

}  // namespace galley
