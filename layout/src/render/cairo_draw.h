// Drawing frame items with Cairo, shared by the PDF and PNG painters.
#pragma once
#include <cairo.h>

#include <map>
#include <string>

#include "galley/frame.h"
#include "render/cairo_fonts.h"

namespace galley {

// Decoded pictures of one painter, each loaded once.
class ImageCache {
public:
    ImageCache() = default;
    ImageCache(const ImageCache&) = delete;
    ImageCache& operator=(const ImageCache&) = delete;
    ~ImageCache();
    cairo_surface_t* get(const std::string& path);

private:
    std::map<std::string, cairo_surface_t*> surfaces_;
};

// What a Cairo painter draws with.
struct CairoCanvas {
    cairo_t* cr;
    CairoFonts& fonts;
    ImageCache& images;
};

// Draws one item; with `annotations`, links and destinations too (PDF).
void draw_item(CairoCanvas& canvas, const FrameItem& item, bool annotations);

// A cairo write function appending to the std::string `closure`.
inline cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace galley
