// Raster images (PNG, JPEG): probing for layout, decoding for painting.
//
// probe_image() reads the file header (size, resolution, colour model) for
// layout and checks the compressed data without keeping any pixels, so a
// damaged file is reported at the place that names it. load_image_surface()
// decodes the whole file into a cairo image surface for painting.
//
// PDF output notes (cairo 1.16):
// - Grayscale and RGB/YCbCr JPEGs are passed through: the original file
//   bytes are attached as CAIRO_MIME_TYPE_JPEG, so the PDF embeds them
//   unchanged as a /DCTDecode stream (no re-encoding, no quality loss).
// - CMYK and YCCK JPEGs are converted to sRGB pixels on import (their
//   original bytes are never passed through: cairo 1.16 would embed them as
//   /DeviceCMYK without the /Decode array Adobe's inverted CMYK needs, so
//   they would print as a colour negative). The converted pixels are then
//   re-encoded with libjpeg as a baseline sRGB JPEG (quality 90, libjpeg's
//   default 4:2:0, optimised Huffman tables, integer DCT: the same file
//   always gives the same bytes), attached as CAIRO_MIME_TYPE_JPEG, so the
//   PDF stores a /DCTDecode image instead of deflated pixels. Should the
//   re-encoding fail, cairo deflates the pixels as before.
// - Every surface carries CAIRO_MIME_TYPE_UNIQUE_ID derived from the file's
//   bytes (64-bit FNV-1a), so the same image drawn twice -- even from two
//   separately loaded surfaces -- is stored once in the PDF.
// - EXIF orientation is NOT honoured: pixels are used as stored (the
//   pass-through JPEG is shown as stored too, so screen and PDF agree).
//   Resolution comes from PNG pHYs and the JPEG JFIF density only; EXIF
//   resolution tags are not read.
#pragma once

#include <cairo.h>

#include <cstdint>
#include <optional>
#include <string>

#include "galley/diagnostics.h"

namespace galley {

// Limits on pictures, so that no picture costs a run its memory or hangs
// it. Both functions below refuse, before reading a byte of the file:
// anything but a regular file (a folder, a FIFO -- opening one waits for a
// writer --, a device, a socket), and a file over kMaxImageBytes. From the
// header, before any pixel is decoded, they refuse more than
// kMaxImagePixels pixels or a side over kMaxImageSide: a 2.6 MB PNG may
// declare 23000 x 23000 pixels, a 2.1 GB surface. 50 MP is a 200 MB
// surface, more than any picture on a page needs (an A3 page at 300 dpi is
// 17.4 MP).
constexpr std::uintmax_t kMaxImageBytes = std::uintmax_t(64) << 20;  // 64 MiB
constexpr std::uint64_t kMaxImagePixels = 50'000'000;                 // 50 MP
constexpr int kMaxImageSide = 30000;                                   // cairo's own limit is 32767

struct ImageInfo {
    int width = 0, height = 0;
    // Dots per inch from the file header; 0 when the file does not say
    // (no pHYs / no JFIF density, or only an aspect ratio).
    double dpi_x = 0, dpi_y = 0;
    enum class Format { Png, Jpeg } format = Format::Png;
    bool cmyk = false;  // JPEG stored as CMYK or YCCK
};

// What layout needs (size, resolution), and whether the file is whole. The file type is
// recognised by its signature, not its extension. A missing, unreadable or
// unsupported file is an error at `pos` (the Markdown/YAML place that named
// it), worded with `as_written` (the name as the author wrote it):
//   file:line:col: error: image 'x.png' not found
//   file:line:col: error: image 'x.png' is not a regular file (it is a FIFO)
//   file:line:col: error: image 'x.png' is too large: a file of 70000000 bytes, limit 64 MiB
//   file:line:col: error: image 'x.png' is too large: 23000 × 23000 pixels, limit 50 MP
//   file:line:col: error: image 'x.png' is too large: 40000 × 100 pixels, limit 30000 pixels a side
//   file:line:col: error: image 'x.png' is not a PNG or JPEG image
//   file:line:col: error: image 'x.png' is damaged: <reason>
//   file:line:col: error: image 'x.png' cannot be read: <reason>
// and returns nullopt then. The compressed data is checked too (decoded a
// row at a time and thrown away), so a truncated or corrupt file is found
// here rather than while painting; JPEG warnings that mean damaged data
// ("bad Huffman code") count as damage.
std::optional<ImageInfo> probe_image(const std::string& path, const std::string& as_written,
                                     const SourcePos& pos, Diagnostics& diags);

// Decodes `path` for painting. Returns a new CAIRO_FORMAT_RGB24 (JPEG, and
// opaque PNGs) or CAIRO_FORMAT_ARGB32 (PNG with alpha) surface; the caller
// owns the reference and must cairo_surface_destroy() it. Throws
// galley::Failure (diagnostic placed at `path`) when the file is missing,
// unreadable, not a regular file, over the limits above, not a PNG/JPEG,
// or damaged ("image is too large: 23000 × 23000 pixels, limit 50 MP").
// Never prints, never exits.
// Treat the surface as read-only: cairo_surface_flush()/mark_dirty() or
// drawing onto it makes cairo drop the attached mime data (JPEG bytes
// and UNIQUE_ID), so read pixels with cairo_image_surface_get_data() only.
cairo_surface_t* load_image_surface(const std::string& path);

// The CAIRO_MIME_TYPE_UNIQUE_ID that load_image_surface() attaches for a file
// with these bytes: "galley-img-<16 hex digits of FNV-1a 64>-<byte count>".
std::string image_unique_id(const std::string& file_bytes);

}  // namespace galley
