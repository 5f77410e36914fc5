// Raster images: header probing and decoding into cairo surfaces.
// See image.h for the PDF pass-through and CMYK rules.
#include "image/image.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

namespace galley {

namespace {

// Cairo image surfaces are limited to 32767 pixels per side.
static_assert(kMaxImageSide <= 32767);

// ---------------------------------------------------------------------------
// Small helpers

struct FileCloser {
    void operator()(std::FILE* f) const { if (f) std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

enum class OpenError { None, NotFound, NotRegular, TooLarge, Unreadable };

// What a file that is not a regular one is, for messages.
const char* file_kind(mode_t mode) {
    if (S_ISDIR(mode)) return "it is a folder";
    if (S_ISFIFO(mode)) return "it is a FIFO";
    if (S_ISSOCK(mode)) return "it is a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "it is a device";
    return "it is not a regular file";
}

// Why a file of this type and size is not opened, if it is not.
OpenError refusal(const struct stat& st, std::string& reason) {
    if (!S_ISREG(st.st_mode)) {
        reason = file_kind(st.st_mode);
        return OpenError::NotRegular;
    }
    if (std::uintmax_t(st.st_size) > kMaxImageBytes) {
        reason = "a file of " + std::to_string(st.st_size) + " bytes, limit " + std::to_string(kMaxImageBytes >> 20) +
                 " MiB";
        return OpenError::TooLarge;
    }
    return OpenError::None;
}

OpenError from_errno(int e, std::string& reason) {
    reason = std::strerror(e);
    return e == ENOENT ? OpenError::NotFound : OpenError::Unreadable;
}

// Opens `path` for binary reading; on failure says why in `reason`. Only a
// regular file of at most kMaxImageBytes is opened, and that is known from
// stat() first: opening a FIFO would wait for a writer, and a device may
// never end.
FilePtr open_image_file(const std::string& path, OpenError& err, std::string& reason) {
    struct stat st {};
    err = ::stat(path.c_str(), &st) != 0 ? from_errno(errno, reason) : refusal(st, reason);
    if (err != OpenError::None) return nullptr;
    // O_NONBLOCK: should a FIFO take the file's place after stat(), open()
    // still returns, and fstat() refuses it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        err = from_errno(errno, reason);
        return nullptr;
    }
    err = ::fstat(fd, &st) != 0 ? from_errno(errno, reason) : refusal(st, reason);
    FilePtr f(err == OpenError::None ? ::fdopen(fd, "rb") : nullptr);
    if (!f) {
        if (err == OpenError::None) err = from_errno(errno, reason);
        ::close(fd);
    }
    return f;
}

uint32_t be32(const unsigned char* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// CRC-32 as used by PNG (bitwise; only run over a few small chunks).
uint32_t crc32(const unsigned char* p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; ++i) {
        c ^= p[i];
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

const unsigned char kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

enum class Kind { Png, Jpeg, Other };

// Recognises the file by its first bytes. For a known non-PNG/JPEG format,
// `other` names it (used to make the error message more helpful).
Kind sniff(const unsigned char* p, size_t n, std::string& other) {
    if (n >= 8 && std::memcmp(p, kPngSignature, 8) == 0) return Kind::Png;
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) return Kind::Jpeg;
    if (n == 0) other = "the file is empty";
    else if (n >= 4 && std::memcmp(p, "GIF8", 4) == 0) other = "it is a GIF image";
    else if (n >= 12 && std::memcmp(p, "RIFF", 4) == 0 && std::memcmp(p + 8, "WEBP", 4) == 0)
        other = "it is a WebP image";
    else if (n >= 4 && (std::memcmp(p, "II*\0", 4) == 0 || std::memcmp(p, "MM\0*", 4) == 0))
        other = "it is a TIFF image";
    else if (n >= 12 && std::memcmp(p + 4, "ftyp", 4) == 0 &&
             (std::memcmp(p + 8, "heic", 4) == 0 || std::memcmp(p + 8, "heix", 4) == 0 ||
              std::memcmp(p + 8, "mif1", 4) == 0 || std::memcmp(p + 8, "avif", 4) == 0))
        other = "it is a HEIF/AVIF image";
    else if (n >= 5 && std::memcmp(p, "%PDF-", 5) == 0) other = "it is a PDF file";
    return Kind::Other;
}

std::string not_image_message(const std::string& other) {
    return "is not a PNG or JPEG image" + (other.empty() ? std::string() : " (" + other + ")");
}

// 64-bit FNV-1a.
uint64_t fnv1a64(const std::string& bytes) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

// Outcome of a header/decoder step that can fail with a reason.
struct Problem {
    enum class Kind { None, Damaged, Unsupported } kind = Kind::None;
    std::string reason;
    explicit operator bool() const { return kind != Kind::None; }
};

Problem damaged(std::string reason) { return {Problem::Kind::Damaged, std::move(reason)}; }
Problem unsupported(std::string reason) { return {Problem::Kind::Unsupported, std::move(reason)}; }

// The pixel limits of image.h, judged from the header's size.
Problem check_size(uint64_t w, uint64_t h) {
    const std::string size = std::to_string(w) + " × " + std::to_string(h) + " pixels";
    if (w * h > kMaxImagePixels)
        return unsupported("is too large: " + size + ", limit " + std::to_string(kMaxImagePixels / 1000000) + " MP");
    if (w > uint64_t(kMaxImageSide) || h > uint64_t(kMaxImageSide))
        return unsupported("is too large: " + size + ", limit " + std::to_string(kMaxImageSide) + " pixels a side");
    return {};
}

// ---------------------------------------------------------------------------
// PNG header: signature, IHDR, then chunks up to the first IDAT (pHYs must
// come before IDAT). Reads nothing of the pixel data.

Problem probe_png(std::FILE* f, ImageInfo& info) {
    unsigned char ihdr[8 + 8 + 13 + 4];  // signature, length+type, data, CRC
    size_t got = std::fread(ihdr, 1, sizeof ihdr, f);
    if (got < sizeof ihdr) return damaged("the file is truncated (incomplete PNG header)");
    const unsigned char* chunk = ihdr + 8;
    if (be32(chunk) != 13 || std::memcmp(chunk + 4, "IHDR", 4) != 0)
        return damaged("the PNG header chunk (IHDR) is missing");
    if (crc32(chunk + 4, 4 + 13) != be32(chunk + 8 + 13))
        return damaged("bad CRC in the PNG header chunk (IHDR)");
    const unsigned char* d = chunk + 8;
    uint32_t w = be32(d), h = be32(d + 4);
    int depth = d[8], colour = d[9];
    if (w == 0 || h == 0 || w > 0x7FFFFFFFu || h > 0x7FFFFFFFu)
        return damaged("invalid image size " + std::to_string(w) + "x" + std::to_string(h));
    bool depth_ok = false;
    switch (colour) {
        case 0: depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16; break;
        case 3: depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8; break;
        case 2: case 4: case 6: depth_ok = depth == 8 || depth == 16; break;
        default: break;
    }
    if (!depth_ok || d[10] != 0 || d[11] != 0 || d[12] > 1)
        return damaged("invalid PNG header (colour type " + std::to_string(colour) + ", bit depth " +
                       std::to_string(depth) + ")");
    if (Problem p = check_size(w, h)) return p;
    info.width = int(w);
    info.height = int(h);

    for (;;) {
        unsigned char head[8];
        if (std::fread(head, 1, 8, f) < 8) return damaged("the file is truncated (no image data)");
        uint32_t len = be32(head);
        const unsigned char* type = head + 4;
        if (len > 0x7FFFFFFFu) return damaged("bad PNG chunk length");
        for (int i = 0; i < 4; ++i) {
            unsigned char c = type[i];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return damaged("bad PNG chunk type");
        }
        if (std::memcmp(type, "IDAT", 4) == 0) return {};
        if (std::memcmp(type, "IEND", 4) == 0) return damaged("the PNG file has no image data");
        if (std::memcmp(type, "pHYs", 4) == 0 && len == 9) {
            unsigned char buf[4 + 9 + 4];
            std::memcpy(buf, type, 4);
            if (std::fread(buf + 4, 1, 9 + 4, f) < 9 + 4) return damaged("the file is truncated (no image data)");
            // Like libpng, an ancillary chunk with a bad CRC is ignored.
            if (crc32(buf, 4 + 9) == be32(buf + 13) && buf[4 + 8] == 1) {  // unit: metre
                info.dpi_x = be32(buf + 4) * 0.0254;
                info.dpi_y = be32(buf + 8) * 0.0254;
            }
            continue;
        }
        if (std::fseek(f, long(len) + 4, SEEK_CUR) != 0) return damaged("the file is truncated (no image data)");
    }
}

// ---------------------------------------------------------------------------
// libjpeg glue. libjpeg reports fatal errors through error_exit, which must
// not return: we longjmp back to the setjmp in the function that drives the
// decoder. Those functions keep all state in a struct owned by the caller
// (so no automatic variable of theirs is live across the longjmp) and create
// no C++ objects with destructors.

struct JpegError {
    jpeg_error_mgr pub;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];        // the fatal error
    char first_warning[JMSG_LENGTH_MAX];  // the first warning that means damage
    bool truncated;                       // "Premature end of JPEG file" seen
    bool corrupt;                         // a warning that means damaged data was seen
};

// Warnings about data that viewers read alike whatever they do with it:
// bytes between segments, an unknown JFIF revision or Adobe transform, a
// broken ICC profile (which is not used). Every other warning ("Corrupt JPEG
// data: bad Huffman code", "premature end of data segment", …) means the
// pixels libjpeg made are guesses.
bool benign_warning(int code) {
    return code == JWRN_EXTRANEOUS_DATA || code == JWRN_JFIF_MAJOR || code == JWRN_ADOBE_XFORM ||
           code == JWRN_BOGUS_ICC;
}

void jpeg_on_error_exit(j_common_ptr cinfo) {
    auto* e = reinterpret_cast<JpegError*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, e->message);
    std::longjmp(e->jump, 1);
}

// Warnings (level -1) are collected, trace messages dropped; nothing is
// ever printed.
void jpeg_on_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    auto* e = reinterpret_cast<JpegError*>(cinfo->err);
    if (cinfo->err->msg_code == JWRN_JPEG_EOF) e->truncated = true;
    if (!e->corrupt && !benign_warning(cinfo->err->msg_code)) {
        (*cinfo->err->format_message)(cinfo, e->first_warning);
        e->corrupt = true;
    }
    cinfo->err->num_warnings++;
}

void jpeg_on_output_message(j_common_ptr) {}

// Sets `err` up for one (de)compressor; the caller stores the result in
// its cinfo.err.
jpeg_error_mgr* init_error_manager(JpegError& err) {
    jpeg_error_mgr* mgr = jpeg_std_error(&err.pub);
    err.pub.error_exit = jpeg_on_error_exit;
    err.pub.emit_message = jpeg_on_emit_message;
    err.pub.output_message = jpeg_on_output_message;
    err.message[0] = '\0';
    err.first_warning[0] = '\0';
    err.truncated = false;
    err.corrupt = false;
    return mgr;
}

void install_error_manager(jpeg_decompress_struct& cinfo, JpegError& err) { cinfo.err = init_error_manager(err); }

// The reason to report after a libjpeg failure.
std::string jpeg_reason(const JpegError& err) {
    if (err.truncated) return "the file is truncated (premature end of JPEG file)";
    if (err.message[0]) return err.message;
    return err.corrupt ? std::string(err.first_warning) : std::string("unknown libjpeg error");
}

double jfif_dpi(const jpeg_decompress_struct& c, unsigned density) {
    if (!c.saw_JFIF_marker || density == 0) return 0;
    if (c.density_unit == 1) return density;         // dots per inch
    if (c.density_unit == 2) return density * 2.54;  // dots per cm
    return 0;                                         // aspect ratio only
}

struct JpegProbe {
    jpeg_decompress_struct cinfo;
    JpegError err;
    std::FILE* file;
    ImageInfo* info;
};

bool run_jpeg_probe(JpegProbe* s) {
    install_error_manager(s->cinfo, s->err);
    if (setjmp(s->err.jump)) {
        jpeg_destroy_decompress(&s->cinfo);
        return false;
    }
    jpeg_create_decompress(&s->cinfo);
    jpeg_stdio_src(&s->cinfo, s->file);
    jpeg_read_header(&s->cinfo, TRUE);
    jpeg_decompress_struct& c = s->cinfo;
    s->info->width = int(c.image_width);
    s->info->height = int(c.image_height);
    s->info->dpi_x = jfif_dpi(c, c.X_density);
    s->info->dpi_y = jfif_dpi(c, c.Y_density);
    s->info->cmyk = c.jpeg_color_space == JCS_CMYK || c.jpeg_color_space == JCS_YCCK;
    jpeg_destroy_decompress(&s->cinfo);
    return true;
}

Problem probe_jpeg(std::FILE* f, ImageInfo& info) {
    auto s = std::make_unique<JpegProbe>();
    std::memset(s.get(), 0, sizeof *s);
    s->file = f;
    s->info = &info;
    if (!run_jpeg_probe(s.get())) return damaged(jpeg_reason(s->err));
    if (info.width <= 0 || info.height <= 0) return damaged("invalid image size");
    return check_size(info.width, info.height);
}

// ---------------------------------------------------------------------------
// Checking the compressed data, so that a damaged picture is found where
// its place in the article is known (probe_image) and by `galley check`,
// not first while painting. The pixels are decoded into one row and thrown
// away: a PNG row by row with libpng (CRCs, the zlib stream, filter bytes,
// the chunks after the data, as cairo's reader will meet them); a JPEG at
// an eighth of its size, which still decodes every Huffman code.

struct PngCheck {
    std::FILE* file;
    bool truncated;
    char message[200];
    std::jmp_buf jump;
    png_structp png;
    png_infop info;
    std::vector<unsigned char>* row;
};

void png_check_error(png_structp png, png_const_charp msg) {
    auto* s = static_cast<PngCheck*>(png_get_error_ptr(png));
    std::snprintf(s->message, sizeof s->message, "%s", msg);
    std::longjmp(s->jump, 1);
}

void png_check_warning(png_structp, png_const_charp) {}

void png_check_read(png_structp png, png_bytep out, png_size_t n) {
    auto* s = static_cast<PngCheck*>(png_get_io_ptr(png));
    if (std::fread(out, 1, n, s->file) != n) {
        s->truncated = true;
        png_error(png, "the file is truncated");
    }
}

bool run_png_check(PngCheck* s) {
    s->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, s, png_check_error, png_check_warning);
    if (!s->png) return std::snprintf(s->message, sizeof s->message, "out of memory"), false;
    s->info = png_create_info_struct(s->png);
    if (!s->info || setjmp(s->jump)) {
        png_destroy_read_struct(&s->png, s->info ? &s->info : nullptr, nullptr);
        return false;
    }
    png_set_read_fn(s->png, s, png_check_read);
    png_read_info(s->png, s->info);
    const int passes = png_set_interlace_handling(s->png);
    png_read_update_info(s->png, s->info);
    s->row->resize(png_get_rowbytes(s->png, s->info));
    const png_uint_32 height = png_get_image_height(s->png, s->info);
    for (int pass = 0; pass < passes; ++pass)
        for (png_uint_32 y = 0; y < height; ++y) png_read_row(s->png, s->row->data(), nullptr);
    png_read_end(s->png, nullptr);
    png_destroy_read_struct(&s->png, &s->info, nullptr);
    return true;
}

Problem check_png_data(std::FILE* f) {
    std::vector<unsigned char> row;  // outside the setjmp frame
    auto s = std::make_unique<PngCheck>();
    s->file = f;
    s->truncated = false;
    s->message[0] = '\0';
    s->row = &row;
    if (run_png_check(s.get())) return {};
    if (s->truncated) return damaged("the file is truncated");
    return damaged(std::string("the image data is corrupt (libpng: ") + s->message + ")");
}

struct JpegCheck {
    jpeg_decompress_struct cinfo;
    JpegError err;
    std::FILE* file;
};

bool run_jpeg_check(JpegCheck* s) {
    install_error_manager(s->cinfo, s->err);
    if (setjmp(s->err.jump)) {
        jpeg_destroy_decompress(&s->cinfo);
        return false;
    }
    jpeg_create_decompress(&s->cinfo);
    jpeg_decompress_struct& c = s->cinfo;
    jpeg_stdio_src(&c, s->file);
    jpeg_read_header(&c, TRUE);
    c.scale_num = 1;
    c.scale_denom = 8;
    c.dct_method = JDCT_IFAST;
    c.do_fancy_upsampling = FALSE;
    c.do_block_smoothing = FALSE;
    jpeg_start_decompress(&c);
    JSAMPARRAY row = (*c.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&c), JPOOL_IMAGE,
                                            c.output_width * JDIMENSION(c.output_components), 1);
    while (c.output_scanline < c.output_height)
        if (jpeg_read_scanlines(&c, row, 1) == 0) break;
    jpeg_finish_decompress(&c);
    jpeg_destroy_decompress(&c);
    return !s->err.truncated && !s->err.corrupt;
}

Problem check_jpeg_data(std::FILE* f) {
    auto s = std::make_unique<JpegCheck>();
    std::memset(s.get(), 0, sizeof *s);
    s->file = f;
    if (run_jpeg_check(s.get())) return {};
    return damaged(jpeg_reason(s->err));
}

// ---------------------------------------------------------------------------
// JPEG decoding.

struct JpegDecode {
    jpeg_decompress_struct cinfo;
    JpegError err;
    const unsigned char* data;
    size_t size;
    cairo_surface_t* surface;  // owned until handed back
    bool cmyk;
    bool passthrough;          // the original bytes may go into the PDF as is
    char problem[200];         // a non-libjpeg failure
};

inline unsigned char mul255(unsigned a, unsigned b) { return (unsigned char)((a * b + 127) / 255); }

// One scanline of 4-channel CMYK samples to cairo RGB24 pixels.
//
// Adobe applications (Photoshop etc.) write CMYK/YCCK JPEGs with every
// sample INVERTED (0 = full ink, 255 = no ink) and mark them with an Adobe
// APP14 marker; libjpeg returns the stored values unchanged. Following the
// convention of libjpeg's djpeg, Skia and pdf.js, a file with the Adobe
// marker is taken to be inverted; one without it (rare) to hold plain ink
// amounts. After bringing the samples to the "inverted" form (255 - ink),
// the conversion is the naive, profile-less one:
//     R = 255 (1 - C)(1 - K),  G = 255 (1 - M)(1 - K),  B = 255 (1 - Y)(1 - K)
// Embedded ICC profiles are ignored, so colours are approximate (usually a
// little more saturated than a colour-managed conversion).
void cmyk_row_to_rgb24(const unsigned char* src, unsigned char* dst, unsigned width, bool adobe_inverted) {
    for (unsigned x = 0; x < width; ++x, src += 4, dst += 4) {
        unsigned c = src[0], m = src[1], y = src[2], k = src[3];
        if (!adobe_inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        uint32_t px = 0xFF000000u | (uint32_t(mul255(c, k)) << 16) | (uint32_t(mul255(m, k)) << 8) |
                      uint32_t(mul255(y, k));
        std::memcpy(dst, &px, 4);  // native-endian, as cairo expects
    }
}

bool run_jpeg_decode(JpegDecode* s) {
    install_error_manager(s->cinfo, s->err);
    if (setjmp(s->err.jump)) {
        jpeg_destroy_decompress(&s->cinfo);
        if (s->surface) cairo_surface_destroy(s->surface);
        s->surface = nullptr;
        return false;
    }
    jpeg_create_decompress(&s->cinfo);
    jpeg_decompress_struct& c = s->cinfo;
    jpeg_mem_src(&c, s->data, (unsigned long)s->size);
    jpeg_read_header(&c, TRUE);

    switch (c.jpeg_color_space) {
        case JCS_GRAYSCALE:
        case JCS_RGB:
        case JCS_YCbCr:
            // Straight into cairo's native-endian 0xXXRRGGBB words.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            c.out_color_space = JCS_EXT_XRGB;
#else
            c.out_color_space = JCS_EXT_BGRX;
#endif
            s->cmyk = false;
            break;
        case JCS_CMYK:
        case JCS_YCCK:
            c.out_color_space = JCS_CMYK;  // libjpeg turns YCCK into CMYK
            s->cmyk = true;
            break;
        default:
            std::snprintf(s->problem, sizeof s->problem, "unsupported JPEG colour space (%d components)",
                          c.num_components);
            jpeg_destroy_decompress(&c);
            return false;
    }
    jpeg_start_decompress(&c);
    if (c.output_width == 0 || c.output_height == 0 || c.output_width > unsigned(kMaxImageSide) ||
        c.output_height > unsigned(kMaxImageSide)) {
        std::snprintf(s->problem, sizeof s->problem, "unsupported image size %ux%u", c.output_width,
                      c.output_height);
        jpeg_destroy_decompress(&c);
        return false;
    }
    s->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, int(c.output_width), int(c.output_height));
    if (cairo_surface_status(s->surface) != CAIRO_STATUS_SUCCESS) {
        std::snprintf(s->problem, sizeof s->problem, "cannot create the image surface: %s",
                      cairo_status_to_string(cairo_surface_status(s->surface)));
        cairo_surface_destroy(s->surface);
        s->surface = nullptr;
        jpeg_destroy_decompress(&c);
        return false;
    }
    cairo_surface_flush(s->surface);
    unsigned char* pixels = cairo_image_surface_get_data(s->surface);
    int stride = cairo_image_surface_get_stride(s->surface);
    JSAMPARRAY cmyk_row =
        s->cmyk ? (*c.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&c), JPOOL_IMAGE, c.output_width * 4, 1)
                : nullptr;
    bool adobe_inverted = c.saw_Adobe_marker;
    while (c.output_scanline < c.output_height) {
        unsigned char* dst = pixels + size_t(c.output_scanline) * size_t(stride);
        JDIMENSION n;
        if (s->cmyk) {
            n = jpeg_read_scanlines(&c, cmyk_row, 1);
            if (n == 1) cmyk_row_to_rgb24(cmyk_row[0], dst, c.output_width, adobe_inverted);
        } else {
            JSAMPROW row = dst;
            n = jpeg_read_scanlines(&c, &row, 1);
        }
        if (n == 0) {
            std::snprintf(s->problem, sizeof s->problem, "the JPEG decoder stopped early");
            cairo_surface_destroy(s->surface);
            s->surface = nullptr;
            jpeg_destroy_decompress(&c);
            return false;
        }
    }
    jpeg_finish_decompress(&c);
    // PDF's DCTDecode covers baseline and progressive Huffman JPEGs only.
    s->passthrough = !s->cmyk && !c.arith_code;
    jpeg_destroy_decompress(&c);
    cairo_surface_mark_dirty(s->surface);
    if (s->err.truncated || s->err.corrupt) {  // libjpeg filled what it could not read with grey
        cairo_surface_destroy(s->surface);
        s->surface = nullptr;
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------
// Re-encoding converted CMYK/YCCK pixels as a baseline sRGB JPEG, so that
// the PDF stores a /DCTDecode image rather than deflated pixels (which are
// typically 5-50 times larger for a photograph). Settings are fixed and
// libjpeg's integer DCT is exact, so the same pixels always give the same
// bytes (cairo keys its image cache on UNIQUE_ID, not on these bytes, but
// identical output keeps PDFs reproducible).

constexpr int kReencodeQuality = 90;

// libjpeg destination appending to a std::string owned by the caller.
struct StringDest {
    jpeg_destination_mgr pub;
    std::string* out;
    JOCTET buffer[16384];
};

// Appends `n` bytes; false when memory ran out (no exception may cross
// libjpeg's C frames, and no longjmp may leave a catch block).
bool append_bytes(std::string* out, const JOCTET* data, size_t n) {
    try {
        out->append(reinterpret_cast<const char*>(data), n);
        return true;
    } catch (const std::bad_alloc&) {
        return false;
    }
}

void string_dest_init(j_compress_ptr c) {
    auto* d = reinterpret_cast<StringDest*>(c->dest);
    d->pub.next_output_byte = d->buffer;
    d->pub.free_in_buffer = sizeof d->buffer;
}

boolean string_dest_empty(j_compress_ptr c) {
    auto* d = reinterpret_cast<StringDest*>(c->dest);
    if (!append_bytes(d->out, d->buffer, sizeof d->buffer)) ERREXIT1(c, JERR_OUT_OF_MEMORY, 0);
    string_dest_init(c);
    return TRUE;
}

void string_dest_term(j_compress_ptr c) {
    auto* d = reinterpret_cast<StringDest*>(c->dest);
    if (!append_bytes(d->out, d->buffer, sizeof d->buffer - d->pub.free_in_buffer))
        ERREXIT1(c, JERR_OUT_OF_MEMORY, 0);
}

struct JpegEncode {
    jpeg_compress_struct cinfo;
    JpegError err;
    StringDest dest;
    const unsigned char* pixels;  // cairo RGB24 rows
    int width, height, stride;
};

bool run_jpeg_encode(JpegEncode* s) {
    s->cinfo.err = init_error_manager(s->err);
    if (setjmp(s->err.jump)) {
        jpeg_destroy_compress(&s->cinfo);
        return false;
    }
    jpeg_create_compress(&s->cinfo);
    jpeg_compress_struct& c = s->cinfo;
    s->dest.pub.init_destination = string_dest_init;
    s->dest.pub.empty_output_buffer = string_dest_empty;
    s->dest.pub.term_destination = string_dest_term;
    c.dest = &s->dest.pub;
    c.image_width = JDIMENSION(s->width);
    c.image_height = JDIMENSION(s->height);
    // cairo's native-endian 0xXXRRGGBB words, as decoded.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    c.in_color_space = JCS_EXT_XRGB;
#else
    c.in_color_space = JCS_EXT_BGRX;
#endif
    c.input_components = 4;
    jpeg_set_defaults(&c);  // YCbCr, JFIF, 4:2:0, baseline Huffman
    jpeg_set_quality(&c, kReencodeQuality, TRUE);
    c.dct_method = JDCT_ISLOW;  // exact integer DCT: the same bytes on every CPU
    c.optimize_coding = TRUE;   // per-image Huffman tables: still baseline, smaller
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = const_cast<JSAMPROW>(s->pixels + size_t(c.next_scanline) * size_t(s->stride));
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    return true;
}

// The RGB24 surface's pixels as a baseline JPEG; empty if libjpeg failed
// (the surface is then embedded from its pixels, larger but correct).
std::string encode_surface_jpeg(cairo_surface_t* surface) {
    std::string out;
    auto s = std::make_unique<JpegEncode>();
    std::memset(s.get(), 0, sizeof *s);
    s->dest.out = &out;
    s->pixels = cairo_image_surface_get_data(surface);
    s->width = cairo_image_surface_get_width(surface);
    s->height = cairo_image_surface_get_height(surface);
    s->stride = cairo_image_surface_get_stride(surface);
    if (!run_jpeg_encode(s.get())) return {};
    return out;
}

// ---------------------------------------------------------------------------
// PNG decoding through cairo, from the bytes already in memory (so the
// pixels and the UNIQUE_ID hash come from the very same bytes).

struct MemReader {
    const unsigned char* data;
    size_t size;
    size_t pos;
};

cairo_status_t read_from_memory(void* closure, unsigned char* out, unsigned int length) {
    auto* r = static_cast<MemReader*>(closure);
    if (r->size - r->pos < length) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(out, r->data + r->pos, length);
    r->pos += length;
    return CAIRO_STATUS_SUCCESS;
}

// The words after "image 'NAME' " (or "image ") for a file not opened.
std::string open_message(OpenError e, const std::string& reason) {
    switch (e) {
        case OpenError::NotFound: return "not found";
        case OpenError::NotRegular: return "is not a regular file (" + reason + ")";
        case OpenError::TooLarge: return "is too large: " + reason;
        default: return "cannot be read: " + reason;
    }
}

[[noreturn]] void fail(const std::string& path, std::string message) {
    throw Failure(Diagnostic{Severity::Error, SourcePos{path, 0, 0}, std::move(message)});
}

// Attaches `bytes` (moved to the heap, owned by the surface) as mime data.
void attach_mime(cairo_surface_t* surface, const char* mime, std::string bytes, const std::string& path) {
    auto owned = std::make_unique<std::string>(std::move(bytes));
    const unsigned char* data = reinterpret_cast<const unsigned char*>(owned->data());
    unsigned long length = owned->size();
    cairo_status_t st = cairo_surface_set_mime_data(
        surface, mime, data, length, [](void* p) { delete static_cast<std::string*>(p); }, owned.get());
    if (st != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        fail(path, std::string("cannot attach image data: ") + cairo_status_to_string(st));
    }
    owned.release();  // now owned by the surface
}

}  // namespace

std::string image_unique_id(const std::string& file_bytes) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(file_bytes)));
    return std::string("galley-img-") + hex + "-" + std::to_string(file_bytes.size());
}

std::optional<ImageInfo> probe_image(const std::string& path, const std::string& as_written,
                                     const SourcePos& pos, Diagnostics& diags) {
    const std::string name = "image '" + as_written + "' ";
    OpenError oe;
    std::string reason;
    FilePtr f = open_image_file(path, oe, reason);
    if (oe != OpenError::None) {
        error(diags, pos, name + open_message(oe, reason));
        return std::nullopt;
    }
    unsigned char head[12];
    size_t n = std::fread(head, 1, sizeof head, f.get());
    if (std::ferror(f.get())) {
        error(diags, pos, name + "cannot be read: " + std::strerror(errno));
        return std::nullopt;
    }
    std::string other;
    Kind kind = sniff(head, n, other);
    if (kind == Kind::Other) {
        error(diags, pos, name + not_image_message(other));
        return std::nullopt;
    }
    std::rewind(f.get());
    ImageInfo info;
    info.format = kind == Kind::Png ? ImageInfo::Format::Png : ImageInfo::Format::Jpeg;
    Problem p = kind == Kind::Png ? probe_png(f.get(), info) : probe_jpeg(f.get(), info);
    if (!p) {
        std::rewind(f.get());
        p = kind == Kind::Png ? check_png_data(f.get()) : check_jpeg_data(f.get());
    }
    if (p.kind == Problem::Kind::Damaged) {
        error(diags, pos, name + "is damaged: " + p.reason);
        return std::nullopt;
    }
    if (p.kind == Problem::Kind::Unsupported) {
        error(diags, pos, name + p.reason);
        return std::nullopt;
    }
    return info;
}

cairo_surface_t* load_image_surface(const std::string& path) {
    OpenError oe;
    std::string reason;
    FilePtr f = open_image_file(path, oe, reason);
    if (oe != OpenError::None) fail(path, "image " + open_message(oe, reason));
    std::string bytes;
    char buf[65536];
    size_t n;
    // No more than the limit, should the file grow after it was opened.
    while (bytes.size() <= kMaxImageBytes && (n = std::fread(buf, 1, sizeof buf, f.get())) > 0) bytes.append(buf, n);
    if (std::ferror(f.get())) fail(path, std::string("image cannot be read: ") + std::strerror(errno));
    if (bytes.size() > kMaxImageBytes)
        fail(path, "image is too large: a file of more than " + std::to_string(kMaxImageBytes >> 20) + " MiB");
    f.reset();

    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    std::string other;
    Kind kind = sniff(data, bytes.size(), other);
    if (kind == Kind::Other) fail(path, "image " + not_image_message(other));

    cairo_surface_t* surface = nullptr;
    bool passthrough = false;
    std::string reencoded;  // a CMYK JPEG's sRGB pixels as a baseline JPEG
    // Check the header first: the size limits hold before any pixel is
    // decoded, and cairo reports every libpng failure as "out of memory",
    // which would be a poor message for a broken file.
    FilePtr mem(fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb"));
    if (!mem) fail(path, std::string("image cannot be read: ") + std::strerror(errno));
    ImageInfo info;
    Problem p = kind == Kind::Png ? probe_png(mem.get(), info) : probe_jpeg(mem.get(), info);
    mem.reset();
    if (p.kind == Problem::Kind::Damaged) fail(path, "image is damaged: " + p.reason);
    if (p.kind == Problem::Kind::Unsupported) fail(path, "image " + p.reason);
    if (kind == Kind::Png) {
        MemReader reader{data, bytes.size(), 0};
        surface = cairo_image_surface_create_from_png_stream(read_from_memory, &reader);
        cairo_status_t st = cairo_surface_status(surface);
        if (st != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(surface);
            if (st == CAIRO_STATUS_READ_ERROR) fail(path, "image is damaged: the file is truncated");
            // cairo 1.16 turns libpng errors (bad CRC, corrupt compressed
            // data) into CAIRO_STATUS_NO_MEMORY; the header is known good
            // and the surface size within limits, so damage is far likelier.
            if (st == CAIRO_STATUS_NO_MEMORY)
                fail(path, "image is damaged: libpng could not decode the image data "
                           "(or memory ran out)");
            fail(path, std::string("image is damaged: ") + cairo_status_to_string(st));
        }
    } else {
        auto s = std::make_unique<JpegDecode>();
        std::memset(s.get(), 0, sizeof *s);
        s->data = data;
        s->size = bytes.size();
        if (!run_jpeg_decode(s.get())) {
            if (s->problem[0]) fail(path, std::string("image cannot be decoded: ") + s->problem);
            fail(path, "image is damaged: " + jpeg_reason(s->err));
        }
        surface = s->surface;
        passthrough = s->passthrough;
        if (s->cmyk) reencoded = encode_surface_jpeg(surface);
    }

    attach_mime(surface, CAIRO_MIME_TYPE_UNIQUE_ID, image_unique_id(bytes), path);
    if (passthrough) attach_mime(surface, CAIRO_MIME_TYPE_JPEG, std::move(bytes), path);
    else if (!reencoded.empty()) attach_mime(surface, CAIRO_MIME_TYPE_JPEG, std::move(reencoded), path);
    return surface;
}

}  // namespace galley
