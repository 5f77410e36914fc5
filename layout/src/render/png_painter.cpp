// The PNG back end: proofs of any page at any resolution.
#include <cmath>

#include "galley/paint.h"
#include "render/cairo_draw.h"

namespace galley {
namespace {


class PngPainter : public Painter {
public:
    PngPainter(std::vector<std::string>& out, double dpi) : out_(out), dpi_(dpi) {}
    void page(const Layout& layout, int index) override {
        if (!fonts_) fonts_ = std::make_unique<CairoFonts>(layout);
        const Frame& f = layout.pages[index];
        const double scale = dpi_ / 72.0;
        cairo_surface_t* surface =
            cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(std::ceil(f.width * scale)),
                                       static_cast<int>(std::ceil(f.height * scale)));
        cairo_t* cr = cairo_create(surface);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_scale(cr, scale, scale);
        CairoCanvas canvas{cr, *fonts_, images_};
        try {
            for (const FrameItem& item : f.items) draw_item(canvas, item, false);
        } catch (...) {
            cairo_destroy(cr);
            cairo_surface_destroy(surface);
            throw;
        }
        cairo_destroy(cr);
        std::string png;
        cairo_status_t status = cairo_surface_write_to_png_stream(surface, append_bytes, &png);
        cairo_surface_destroy(surface);
        if (status != CAIRO_STATUS_SUCCESS)
            throw Failure({Severity::Error, {}, std::string("making the PNG failed: ") + cairo_status_to_string(status)});
        out_.push_back(std::move(png));
    }
    void finish(const Layout&) override {}

private:
    std::vector<std::string>& out_;
    double dpi_;
    ImageCache images_;
    std::unique_ptr<CairoFonts> fonts_;
};

}  // namespace

std::unique_ptr<Painter> png_painter(std::vector<std::string>& out, double dpi) {
    return std::make_unique<PngPainter>(out, dpi);
}

}  // namespace galley
