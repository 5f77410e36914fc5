// Image stage: header probing (size, dpi, errors at the naming place) and
// decoding into cairo surfaces (pixels, JPEG pass-through, CMYK handling,
// UNIQUE_ID). Valid fixtures are generated here at run time (PNG with cairo,
// JPEG with libjpeg's compressor); the committed ones in tests/data/images/
// are the broken files:
//   damaged.png       PNG signature + IHDR chunk with a wrong CRC (45 bytes)
//   not-an-image.png  a text file renamed .png
#include "support.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <vector>

#include <jpeglib.h>

#include "image/image.h"

using namespace galley;

namespace {

namespace fs = std::filesystem;

std::string image_dir() {
    fs::path dir = fs::path(test::temp_dir()) / "images";
    fs::create_directories(dir);
    return dir.string();
}

std::string fixture(const std::string& name) { return std::string(GALLEY_TEST_DATA) + "/images/" + name; }

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    REQUIRE(out.good());
}

// ---- PNG fixtures ---------------------------------------------------------

// A w x h PNG filled with one opaque colour (written by cairo).
std::string make_png(const std::string& name, int w, int h, double r, double g, double b) {
    std::string path = image_dir() + "/" + name;
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t* cr = cairo_create(s);
    cairo_set_source_rgb(cr, r, g, b);
    cairo_paint(cr);
    cairo_destroy(cr);
    REQUIRE(cairo_surface_write_to_png(s, path.c_str()) == CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    return path;
}

uint32_t crc32(const std::string& s) {
    uint32_t c = 0xFFFFFFFFu;
    for (unsigned char ch : s) {
        c ^= ch;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

std::string be32(uint32_t v) {
    return {char(v >> 24), char((v >> 16) & 0xFF), char((v >> 8) & 0xFF), char(v & 0xFF)};
}

// cairo 1.16 writes no pHYs chunk; insert one right after IHDR.
void add_phys(const std::string& path, uint32_t ppm_x, uint32_t ppm_y) {
    std::string png = test::read_file(path);
    std::string body = "pHYs" + be32(ppm_x) + be32(ppm_y) + std::string(1, '\x01');
    std::string chunk = be32(9) + body + be32(crc32(body));
    png.insert(8 + 8 + 13 + 4, chunk);
    write_bytes(path, png);
}

// ---- JPEG fixtures --------------------------------------------------------

struct JpegSpec {
    int width = 40, height = 30;
    J_COLOR_SPACE in_space = JCS_RGB;  // JCS_RGB, JCS_GRAYSCALE or JCS_CMYK
    J_COLOR_SPACE file_space = JCS_UNKNOWN;  // JCS_UNKNOWN: libjpeg's default for in_space
    std::vector<unsigned char> pixel;  // one sample per component, used everywhere
    bool pattern = false;  // vary the samples (a bigger, noisier file) instead
    bool smooth = false;   // photo-like smooth gradients in every component instead
    int density_unit = 0, x_density = 1, y_density = 1;
    bool adobe_marker = true;  // only meaningful for CMYK/YCCK
};

std::string make_jpeg(const std::string& name, const JpegSpec& spec) {
    jpeg_compress_struct c;
    jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    unsigned char* buf = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&c, &buf, &size);
    c.image_width = JDIMENSION(spec.width);
    c.image_height = JDIMENSION(spec.height);
    c.in_color_space = spec.in_space;
    c.input_components = int(spec.pixel.size());
    jpeg_set_defaults(&c);
    if (spec.file_space != JCS_UNKNOWN) jpeg_set_colorspace(&c, spec.file_space);
    jpeg_set_quality(&c, 95, TRUE);
    if (spec.in_space == JCS_CMYK) c.write_Adobe_marker = spec.adobe_marker;
    c.density_unit = UINT8(spec.density_unit);
    c.X_density = UINT16(spec.x_density);
    c.Y_density = UINT16(spec.y_density);
    jpeg_start_compress(&c, TRUE);
    std::vector<unsigned char> row;
    for (int x = 0; x < spec.width; ++x) row.insert(row.end(), spec.pixel.begin(), spec.pixel.end());
    while (c.next_scanline < c.image_height) {
        if (spec.pattern)
            for (size_t i = 0; i < row.size(); ++i)
                row[i] = (unsigned char)((i * 7 + c.next_scanline * 13 + (i * c.next_scanline) % 51) & 0xFF);
        if (spec.smooth) {
            size_t n = spec.pixel.size(), y = c.next_scanline, w = size_t(spec.width), h = size_t(spec.height);
            for (size_t i = 0; i < row.size(); ++i) {
                size_t x = i / n, k = i % n;
                size_t ramp[4] = {x * 150 / w, y * 150 / h, (x + y) * 150 / (w + h), 60};
                row[i] = (unsigned char)(240 - ramp[k % 4]);
            }
        }
        JSAMPROW r = row.data();
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    std::string bytes(reinterpret_cast<char*>(buf), size);
    std::free(buf);
    std::string path = image_dir() + "/" + name;
    write_bytes(path, bytes);
    return path;
}

JpegSpec rgb_red_spec() {
    JpegSpec s;
    s.pixel = {255, 0, 0};
    s.density_unit = 1;  // dots per inch
    s.x_density = 300;
    s.y_density = 150;
    return s;
}

// Pure red as Adobe CMYK. The ink is C=0 M=255 Y=255 K=0; libjpeg writes
// the samples exactly as given (it never inverts), and jpeg_set_colorspace
// (JCS_CMYK) turns write_Adobe_marker on, so -- like Photoshop -- we hand
// it the INVERTED samples 255-ink = (255, 0, 0, 255).
JpegSpec adobe_cmyk_red_spec() {
    JpegSpec s;
    s.in_space = JCS_CMYK;
    s.file_space = JCS_CMYK;
    s.pixel = {255, 0, 0, 255};
    s.adobe_marker = true;
    return s;
}

// A 96 x 64 Adobe CMYK photo stand-in: smooth gradients in all four inks.
std::string smooth_cmyk_jpeg() {
    JpegSpec s = adobe_cmyk_red_spec();
    s.width = 96;
    s.height = 64;
    s.smooth = true;
    return make_jpeg("smooth-cmyk.jpg", s);
}

std::string rgb_jpeg() { return make_jpeg("red-rgb.jpg", rgb_red_spec()); }
std::string cmyk_jpeg() { return make_jpeg("red-cmyk-adobe.jpg", adobe_cmyk_red_spec()); }
std::string gray_jpeg() {
    JpegSpec s;
    s.width = 17;
    s.height = 9;
    s.in_space = JCS_GRAYSCALE;
    s.pixel = {128};
    s.density_unit = 2;  // dots per cm
    s.x_density = 118;
    s.y_density = 118;
    return make_jpeg("gray.jpg", s);
}

// ---- helpers --------------------------------------------------------------

struct Rgb {
    int r, g, b;
};

// Reads a pixel without cairo_surface_flush(): flushing tells cairo the
// pixels are about to change, and cairo drops the surface's mime data then.
Rgb pixel(cairo_surface_t* s, int x, int y) {
    const unsigned char* row = cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s);
    uint32_t px;
    std::memcpy(&px, row + 4 * x, 4);
    return {int((px >> 16) & 0xFF), int((px >> 8) & 0xFF), int(px & 0xFF)};
}

std::string mime(cairo_surface_t* s, const char* type) {
    const unsigned char* data = nullptr;
    unsigned long len = 0;
    cairo_surface_get_mime_data(s, type, &data, &len);
    return data ? std::string(reinterpret_cast<const char*>(data), len) : std::string();
}

bool has_mime(cairo_surface_t* s, const char* type) {
    const unsigned char* data = nullptr;
    unsigned long len = 0;
    cairo_surface_get_mime_data(s, type, &data, &len);
    return data != nullptr;
}

// A JPEG decoded with libjpeg to RGB, with what its header says.
struct Decoded {
    int width = 0, height = 0, components = 0;
    J_COLOR_SPACE space = JCS_UNKNOWN;
    bool progressive = false, arithmetic = false;
    std::vector<unsigned char> rgb;  // width * height * 3
};

Decoded decode_jpeg(const std::string& bytes) {
    jpeg_decompress_struct c;
    jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);  // a broken JPEG exits the test run: fine here
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, reinterpret_cast<const unsigned char*>(bytes.data()), (unsigned long)bytes.size());
    jpeg_read_header(&c, TRUE);
    Decoded d;
    d.components = c.num_components;
    d.space = c.jpeg_color_space;
    d.progressive = c.progressive_mode;
    d.arithmetic = c.arith_code;
    c.out_color_space = JCS_RGB;
    jpeg_start_decompress(&c);
    d.width = int(c.output_width);
    d.height = int(c.output_height);
    d.rgb.resize(size_t(d.width) * size_t(d.height) * 3);
    while (c.output_scanline < c.output_height) {
        JSAMPROW row = d.rgb.data() + size_t(c.output_scanline) * size_t(d.width) * 3;
        jpeg_read_scanlines(&c, &row, 1);
    }
    jpeg_finish_decompress(&c);
    jpeg_destroy_decompress(&c);
    return d;
}

// Mean absolute difference per channel between a decoded JPEG and a surface.
double mean_abs_diff(const Decoded& d, cairo_surface_t* s) {
    double sum = 0;
    for (int y = 0; y < d.height; ++y)
        for (int x = 0; x < d.width; ++x) {
            const unsigned char* q = d.rgb.data() + (size_t(y) * size_t(d.width) + size_t(x)) * 3;
            Rgb p = pixel(s, x, y);
            sum += std::abs(p.r - q[0]) + std::abs(p.g - q[1]) + std::abs(p.b - q[2]);
        }
    return sum / (3.0 * d.width * d.height);
}

// The dictionary of every image XObject in a PDF written by cairo.
std::vector<std::string> image_dicts(const std::string& pdf) {
    std::vector<std::string> out;
    for (size_t at = pdf.find("/Subtype /Image"); at != std::string::npos;
         at = pdf.find("/Subtype /Image", at + 1)) {
        size_t open = pdf.rfind("<<", at);
        size_t end = pdf.find("stream", at);
        REQUIRE(open != std::string::npos);
        REQUIRE(end != std::string::npos);
        out.push_back(pdf.substr(open, end - open));
    }
    return out;
}

// Owns a surface for the length of a test.
struct Surface {
    cairo_surface_t* s;
    explicit Surface(const std::string& path) : s(load_image_surface(path)) {}
    ~Surface() { cairo_surface_destroy(s); }
    Surface(const Surface&) = delete;
    Surface& operator=(const Surface&) = delete;
};

// The one diagnostic a failing probe leaves, formatted.
std::string probe_error(const std::string& path, const std::string& as_written, SourcePos pos) {
    Diagnostics diags;
    auto info = probe_image(path, as_written, pos, diags);
    CHECK_FALSE(info.has_value());
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].severity == Severity::Error);
    return format(diags[0]);
}

ImageInfo probe_ok(const std::string& path) {
    Diagnostics diags;
    auto info = probe_image(path, "x", {"a.md", 1, 1}, diags);
    INFO((diags.empty() ? std::string() : format(diags[0])));
    REQUIRE(info.has_value());
    REQUIRE(diags.empty());
    return *info;
}

std::string load_error(const std::string& path) {
    try {
        cairo_surface_destroy(load_image_surface(path));
    } catch (const Failure& f) {
        return f.what();
    }
    FAIL("load_image_surface did not throw for " << path);
    return {};
}

size_t count(const std::string& hay, const std::string& needle) {
    size_t n = 0;
    for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
    return n;
}

// Paints each surface once (side by side) into a one-page PDF; returns its bytes.
std::string pdf_with(const std::string& name, const std::vector<cairo_surface_t*>& images) {
    std::string path = image_dir() + "/" + name;
    cairo_surface_t* pdf = cairo_pdf_surface_create(path.c_str(), 400, 200);
    cairo_t* cr = cairo_create(pdf);
    double x = 0;
    for (cairo_surface_t* img : images) {
        cairo_set_source_surface(cr, img, x, 0);
        cairo_paint(cr);
        x += 60;
    }
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    REQUIRE(cairo_surface_status(pdf) == CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(pdf);
    return test::read_file(path);
}

}  // namespace

// ---------------------------------------------------------------------------
// probe_image

TEST_CASE("image: probe reads PNG size and pHYs resolution") {
    std::string plain = make_png("plain.png", 20, 10, 0, 0, 1);
    ImageInfo a = probe_ok(plain);
    CHECK(a.format == ImageInfo::Format::Png);
    CHECK(a.width == 20);
    CHECK(a.height == 10);
    CHECK(a.dpi_x == 0);  // cairo writes no pHYs
    CHECK(a.dpi_y == 0);
    CHECK_FALSE(a.cmyk);

    std::string phys = make_png("phys.png", 33, 7, 0, 1, 0);
    add_phys(phys, 11811, 5906);  // 300 x 150 dpi in pixels per metre
    ImageInfo b = probe_ok(phys);
    CHECK(b.width == 33);
    CHECK(b.height == 7);
    CHECK(b.dpi_x == Approx(300).epsilon(0.001));
    CHECK(b.dpi_y == Approx(150).epsilon(0.001));

    // The pHYs-patched file still decodes (the chunk and its CRC are valid).
    Surface s(phys);
    CHECK(cairo_image_surface_get_width(s.s) == 33);
}

TEST_CASE("image: probe reads JPEG size, JFIF density and colour model") {
    ImageInfo rgb = probe_ok(rgb_jpeg());
    CHECK(rgb.format == ImageInfo::Format::Jpeg);
    CHECK(rgb.width == 40);
    CHECK(rgb.height == 30);
    CHECK(rgb.dpi_x == 300);
    CHECK(rgb.dpi_y == 150);
    CHECK_FALSE(rgb.cmyk);

    ImageInfo gray = probe_ok(gray_jpeg());
    CHECK(gray.width == 17);
    CHECK(gray.height == 9);
    CHECK(gray.dpi_x == Approx(118 * 2.54));  // dots per cm
    CHECK(gray.dpi_y == Approx(118 * 2.54));
    CHECK_FALSE(gray.cmyk);

    ImageInfo cmyk = probe_ok(cmyk_jpeg());  // no JFIF marker at all
    CHECK(cmyk.width == 40);
    CHECK(cmyk.height == 30);
    CHECK(cmyk.dpi_x == 0);
    CHECK(cmyk.dpi_y == 0);
    CHECK(cmyk.cmyk);

    JpegSpec aspect = rgb_red_spec();  // unit 0: an aspect ratio, not a resolution
    aspect.density_unit = 0;
    aspect.x_density = 2;
    aspect.y_density = 1;
    ImageInfo a = probe_ok(make_jpeg("aspect.jpg", aspect));
    CHECK(a.dpi_x == 0);
    CHECK(a.dpi_y == 0);
}

TEST_CASE("image: probe errors name the place that named the image") {
    CHECK(probe_error(image_dir() + "/no-such-file.png", "pics/missing.png", {"story.md", 12, 5}) ==
          "story.md:12:5: error: image 'pics/missing.png' not found");
    CHECK(probe_error(fixture("not-an-image.png"), "notes.png", {"story.md", 3, 1}) ==
          "story.md:3:1: error: image 'notes.png' is not a PNG or JPEG image");
    CHECK(probe_error(fixture("damaged.png"), "images/damaged.png", {"issue.yaml", 7, 11}) ==
          "issue.yaml:7:11: error: image 'images/damaged.png' is damaged: "
          "bad CRC in the PNG header chunk (IHDR)");

    // A JPEG cut off inside its header.
    std::string rgb = test::read_file(rgb_jpeg());
    std::string cut = image_dir() + "/cut-header.jpg";
    write_bytes(cut, rgb.substr(0, 100));
    CHECK(probe_error(cut, "cut.jpg", {"a.md", 2, 4}) ==
          "a.md:2:4: error: image 'cut.jpg' is damaged: the file is truncated (premature end of JPEG file)");

    // A PNG cut off inside IHDR, an empty file, a GIF, a directory.
    std::string png = test::read_file(make_png("whole.png", 4, 4, 1, 0, 0));
    std::string short_png = image_dir() + "/short.png";
    write_bytes(short_png, png.substr(0, 20));
    CHECK(probe_error(short_png, "s.png", {"a.md", 1, 1}) ==
          "a.md:1:1: error: image 's.png' is damaged: the file is truncated (incomplete PNG header)");
    std::string empty = image_dir() + "/empty.jpg";
    write_bytes(empty, "");
    CHECK(probe_error(empty, "e.jpg", {"a.md", 1, 1}) ==
          "a.md:1:1: error: image 'e.jpg' is not a PNG or JPEG image (the file is empty)");
    std::string gif = image_dir() + "/anim.png";
    write_bytes(gif, "GIF89a\x01\x00\x01\x00");
    CHECK(probe_error(gif, "anim.png", {"a.md", 1, 1}) ==
          "a.md:1:1: error: image 'anim.png' is not a PNG or JPEG image (it is a GIF image)");
    CHECK(probe_error(image_dir(), "images", {"a.md", 1, 1}) ==
          "a.md:1:1: error: image 'images' is not a regular file (it is a folder)");
}

// ---------------------------------------------------------------------------
// load_image_surface

TEST_CASE("image: PNG decodes through cairo with a unique id and no JPEG data") {
    std::string path = make_png("blue.png", 20, 10, 0, 0, 1);
    Surface s(path);
    REQUIRE(cairo_surface_status(s.s) == CAIRO_STATUS_SUCCESS);
    CHECK(cairo_image_surface_get_width(s.s) == 20);
    CHECK(cairo_image_surface_get_height(s.s) == 10);
    Rgb p = pixel(s.s, 5, 5);
    CHECK(p.r == 0);
    CHECK(p.g == 0);
    CHECK(p.b == 255);
    CHECK_FALSE(has_mime(s.s, CAIRO_MIME_TYPE_JPEG));
    CHECK(mime(s.s, CAIRO_MIME_TYPE_UNIQUE_ID) == image_unique_id(test::read_file(path)));
}

TEST_CASE("image: RGB JPEG decodes to RGB24 and carries its bytes for pass-through") {
    std::string path = rgb_jpeg();
    Surface s(path);
    REQUIRE(cairo_surface_status(s.s) == CAIRO_STATUS_SUCCESS);
    CHECK(cairo_image_surface_get_format(s.s) == CAIRO_FORMAT_RGB24);
    CHECK(cairo_image_surface_get_width(s.s) == 40);
    CHECK(cairo_image_surface_get_height(s.s) == 30);
    for (auto [x, y] : {std::pair{0, 0}, {39, 29}, {20, 15}}) {
        Rgb p = pixel(s.s, x, y);
        INFO("pixel " << x << "," << y << " = " << p.r << "," << p.g << "," << p.b);
        CHECK(p.r > 240);
        CHECK(p.g < 20);
        CHECK(p.b < 20);
    }
    std::string bytes = test::read_file(path);
    CHECK(mime(s.s, CAIRO_MIME_TYPE_JPEG) == bytes);
    CHECK(mime(s.s, CAIRO_MIME_TYPE_UNIQUE_ID) == image_unique_id(bytes));
}

TEST_CASE("image: grayscale JPEG decodes to grey pixels and is passed through") {
    std::string path = gray_jpeg();
    Surface s(path);
    CHECK(cairo_image_surface_get_format(s.s) == CAIRO_FORMAT_RGB24);
    CHECK(cairo_image_surface_get_width(s.s) == 17);
    CHECK(cairo_image_surface_get_height(s.s) == 9);
    Rgb p = pixel(s.s, 16, 8);
    CHECK(std::abs(p.r - 128) <= 2);
    CHECK(p.g == p.r);
    CHECK(p.b == p.r);
    CHECK(mime(s.s, CAIRO_MIME_TYPE_JPEG) == test::read_file(path));
}

TEST_CASE("image: Adobe CMYK JPEG is converted to sRGB, not inverted, and re-encoded") {
    std::string path = cmyk_jpeg();
    std::string bytes = test::read_file(path);
    // What libjpeg wrote: an Adobe APP14 marker (FF EE ... "Adobe"), no JFIF.
    CHECK(bytes.find("\xFF\xEE") != std::string::npos);
    CHECK(bytes.find("Adobe") != std::string::npos);
    CHECK(bytes.find("JFIF") == std::string::npos);

    Surface s(path);
    CHECK(cairo_image_surface_get_format(s.s) == CAIRO_FORMAT_RGB24);
    for (auto [x, y] : {std::pair{0, 0}, {39, 29}, {20, 15}}) {
        Rgb p = pixel(s.s, x, y);
        INFO("pixel " << x << "," << y << " = " << p.r << "," << p.g << "," << p.b);
        CHECK(p.r > 200);  // red, not the inverted (cyan) negative
        CHECK(p.g < 60);
        CHECK(p.b < 60);
    }
    // Never the original (CMYK) bytes; an sRGB JPEG of the converted pixels.
    std::string jpeg = mime(s.s, CAIRO_MIME_TYPE_JPEG);
    REQUIRE_FALSE(jpeg.empty());
    CHECK(jpeg != bytes);
    CHECK(jpeg.find("Adobe") == std::string::npos);
    Decoded d = decode_jpeg(jpeg);
    CHECK(d.components == 3);
    CHECK(d.space == JCS_YCbCr);
    CHECK(mime(s.s, CAIRO_MIME_TYPE_UNIQUE_ID) == image_unique_id(bytes));
}

TEST_CASE("image: a CMYK JPEG's re-encoded bytes are a baseline JPEG close to its pixels") {
    std::string path = smooth_cmyk_jpeg();
    Surface s(path);
    std::string jpeg = mime(s.s, CAIRO_MIME_TYPE_JPEG);
    REQUIRE(jpeg.size() > 4);
    CHECK(jpeg.compare(0, 2, "\xFF\xD8") == 0);
    CHECK(jpeg.find("\xFF\xC0") != std::string::npos);  // SOF0: baseline
    Decoded d = decode_jpeg(jpeg);
    CHECK(d.width == 96);
    CHECK(d.height == 64);
    CHECK(d.components == 3);
    CHECK(d.space == JCS_YCbCr);
    CHECK_FALSE(d.progressive);
    CHECK_FALSE(d.arithmetic);
    double mad = mean_abs_diff(d, s.s);
    INFO("mean absolute difference " << mad);
    CHECK(mad < 4);
    // The pixels really vary (so the comparison means something).
    Rgb a = pixel(s.s, 0, 0), b = pixel(s.s, 95, 63);
    CHECK(std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b) > 30);

    // Deterministic: another load of the same file gives the same bytes.
    Surface again(path);
    CHECK(mime(again.s, CAIRO_MIME_TYPE_JPEG) == jpeg);
}

TEST_CASE("image: YCCK and marker-less CMYK JPEGs decode to red too") {
    JpegSpec ycck = adobe_cmyk_red_spec();  // Adobe YCCK, inverted like Adobe CMYK
    ycck.file_space = JCS_YCCK;
    std::string ycck_path = make_jpeg("red-ycck.jpg", ycck);
    CHECK(probe_ok(ycck_path).cmyk);

    JpegSpec plain = adobe_cmyk_red_spec();  // no Adobe marker: plain ink amounts
    plain.adobe_marker = false;
    plain.pixel = {0, 255, 255, 0};
    std::string plain_path = make_jpeg("red-cmyk-plain.jpg", plain);
    CHECK(test::read_file(plain_path).find("Adobe") == std::string::npos);

    for (const std::string& path : {ycck_path, plain_path}) {
        Surface s(path);
        Rgb p = pixel(s.s, 10, 10);
        INFO(path << ": " << p.r << "," << p.g << "," << p.b);
        CHECK(p.r > 200);
        CHECK(p.g < 60);
        CHECK(p.b < 60);
        std::string jpeg = mime(s.s, CAIRO_MIME_TYPE_JPEG);
        CHECK(jpeg != test::read_file(path));
        CHECK(decode_jpeg(jpeg).components == 3);
    }
}

TEST_CASE("image: UNIQUE_ID is stable per file content and differs between files") {
    std::string rgb = rgb_jpeg();
    std::string cmyk = cmyk_jpeg();
    std::string png = make_png("uid.png", 8, 8, 1, 1, 0);
    Surface a(rgb), b(rgb), c(cmyk), d(cmyk), e(png), f(png);
    std::string ida = mime(a.s, CAIRO_MIME_TYPE_UNIQUE_ID);
    CHECK_FALSE(ida.empty());
    CHECK(ida == mime(b.s, CAIRO_MIME_TYPE_UNIQUE_ID));
    CHECK(mime(c.s, CAIRO_MIME_TYPE_UNIQUE_ID) == mime(d.s, CAIRO_MIME_TYPE_UNIQUE_ID));
    CHECK(mime(e.s, CAIRO_MIME_TYPE_UNIQUE_ID) == mime(f.s, CAIRO_MIME_TYPE_UNIQUE_ID));
    CHECK(ida != mime(c.s, CAIRO_MIME_TYPE_UNIQUE_ID));
    CHECK(ida != mime(e.s, CAIRO_MIME_TYPE_UNIQUE_ID));
    CHECK(mime(c.s, CAIRO_MIME_TYPE_UNIQUE_ID) != mime(e.s, CAIRO_MIME_TYPE_UNIQUE_ID));

    // The id follows the bytes, not the name: a copy has the same id.
    std::string copy = image_dir() + "/red-rgb-copy.jpg";
    write_bytes(copy, test::read_file(rgb));
    Surface g(copy);
    CHECK(mime(g.s, CAIRO_MIME_TYPE_UNIQUE_ID) == ida);
}

TEST_CASE("image: load errors throw Failure naming the file") {
    std::string missing = image_dir() + "/gone.jpg";
    CHECK(load_error(missing) == missing + ": error: image not found");
    CHECK(load_error(fixture("not-an-image.png")) ==
          fixture("not-an-image.png") + ": error: image is not a PNG or JPEG image");
    CHECK(load_error(fixture("damaged.png")) ==
          fixture("damaged.png") + ": error: image is damaged: bad CRC in the PNG header chunk (IHDR)");

    // Header intact, pixel data cut off or spoilt: the probe checks the data
    // too, so the damage is reported where the article names the picture
    // (libjpeg would otherwise fill the missing rows with grey).
    JpegSpec big = rgb_red_spec();
    big.width = big.height = 256;
    big.pattern = true;
    std::string jpeg = test::read_file(make_jpeg("pattern.jpg", big));
    REQUIRE(jpeg.size() > 10000);
    std::string cut = image_dir() + "/cut-data.jpg";
    write_bytes(cut, jpeg.substr(0, jpeg.size() * 2 / 3));
    CHECK(probe_error(cut, "cut.jpg", {"a.md", 7, 1}) ==
          "a.md:7:1: error: image 'cut.jpg' is damaged: the file is truncated (premature end of JPEG file)");
    CHECK(load_error(cut) == cut + ": error: image is damaged: the file is truncated (premature end of JPEG file)");

    std::string png = test::read_file(make_png("big.png", 64, 64, 0.3, 0.6, 0.9));
    std::string cut_png = image_dir() + "/cut-data.png";
    write_bytes(cut_png, png.substr(0, png.size() - 20));
    CHECK(probe_error(cut_png, "cut.png", {"a.md", 7, 1}) ==
          "a.md:7:1: error: image 'cut.png' is damaged: the file is truncated");
    CHECK(load_error(cut_png) == cut_png + ": error: image is damaged: the file is truncated");

    // Pixel data overwritten in the middle of IDAT (the chunk CRC no longer fits).
    std::string bad_idat = png;
    size_t idat = bad_idat.find("IDAT");
    REQUIRE(idat != std::string::npos);
    for (size_t i = idat + 10; i < idat + 30; ++i) bad_idat[i] = char(0xA5);
    std::string bad_idat_path = image_dir() + "/bad-idat.png";
    write_bytes(bad_idat_path, bad_idat);
    CHECK(probe_error(bad_idat_path, "bad.png", {"a.md", 7, 1})
              .rfind("a.md:7:1: error: image 'bad.png' is damaged: the image data is corrupt (libpng: ", 0) == 0);
    CHECK(load_error(bad_idat_path) ==
          bad_idat_path + ": error: image is damaged: libpng could not decode the image data (or memory ran out)");

    // Garbage after a valid JPEG signature.
    std::string junk = image_dir() + "/junk.jpg";
    write_bytes(junk, std::string("\xFF\xD8\xFF", 3) + std::string(64, 'x'));
    CHECK(load_error(junk).find(junk + ": error: image is damaged: ") == 0);
}

// ---------------------------------------------------------------------------
// Limits: only regular files, of at most kMaxImageBytes, with at most
// kMaxImagePixels pixels and kMaxImageSide a side (image.h).

namespace {

// A zlib stream holding `data` in stored (uncompressed) blocks.
std::string zlib_stored(const std::string& data) {
    std::string out = "\x78\x01";
    size_t at = 0;
    do {
        const size_t n = std::min<size_t>(data.size() - at, 65535);
        const bool last = at + n == data.size();
        out += char(last ? 1 : 0);
        out += char(n & 0xFF);
        out += char(n >> 8);
        out += char(~n & 0xFF);
        out += char((~n >> 8) & 0xFF);
        out += data.substr(at, n);
        at += n;
    } while (at < data.size());
    uint32_t a = 1, b = 0;
    for (unsigned char c : data) {
        a = (a + c) % 65521;
        b = (b + a) % 65521;
    }
    return out + be32((b << 16) | a);
}

std::string png_chunk(const std::string& type, const std::string& data) {
    return be32(uint32_t(data.size())) + type + data + be32(crc32(type + data));
}

// An 8-bit RGB PNG whose header says w x h, with a small valid IDAT (a few
// rows of zeros at most): what a decompression bomb looks like up to its
// pixel data. Decoding it would need w * h * 4 bytes.
std::string header_png(const std::string& name, uint32_t w, uint32_t h) {
    std::string ihdr = be32(w) + be32(h) + std::string("\x08\x02\x00\x00\x00", 5);
    std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + png_chunk("IHDR", ihdr) +
                      png_chunk("IDAT", zlib_stored(std::string(4096, '\0'))) + png_chunk("IEND", "");
    std::string path = image_dir() + "/" + name;
    write_bytes(path, png);
    return path;
}

// A JPEG whose frame header (SOF0) is changed to say w x h.
std::string header_jpeg(const std::string& name, unsigned w, unsigned h) {
    std::string jpeg = test::read_file(rgb_jpeg());
    size_t sof = jpeg.find("\xFF\xC0");
    REQUIRE(sof != std::string::npos);
    jpeg[sof + 5] = char(h >> 8);
    jpeg[sof + 6] = char(h & 0xFF);
    jpeg[sof + 7] = char(w >> 8);
    jpeg[sof + 8] = char(w & 0xFF);
    std::string path = image_dir() + "/" + name;
    write_bytes(path, jpeg);
    return path;
}

// Runs `f` on a thread; a FIFO it opened for reading would block it, so
// after 10 s a writer opens the FIFO to free it and the test fails.
template <class F>
auto unblocked(const std::string& fifo, F f) {
    auto running = std::async(std::launch::async, f);
    if (running.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0) ::close(fd);
        FAIL("blocked on the FIFO " << fifo);
    }
    return running.get();
}

}  // namespace

TEST_CASE("image: a folder or FIFO or device is refused before it is opened") {
    CHECK(probe_error(image_dir(), "pics", {"a.md", 4, 2}) ==
          "a.md:4:2: error: image 'pics' is not a regular file (it is a folder)");
    CHECK(load_error(image_dir()) == image_dir() + ": error: image is not a regular file (it is a folder)");
    CHECK(probe_error("/dev/zero", "zero.png", {"a.md", 1, 1}) ==
          "a.md:1:1: error: image 'zero.png' is not a regular file (it is a device)");
    CHECK(load_error("/dev/zero") == "/dev/zero: error: image is not a regular file (it is a device)");

    const std::string fifo = image_dir() + "/pipe.png";
    fs::remove(fifo);
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string probed = unblocked(fifo, [&] {
        Diagnostics diags;
        probe_image(fifo, "pipe.png", {"story.md", 9, 3}, diags);
        return diags.size() == 1 ? format(diags[0]) : std::to_string(diags.size()) + " diagnostics";
    });
    CHECK(probed == "story.md:9:3: error: image 'pipe.png' is not a regular file (it is a FIFO)");
    std::string loaded = unblocked(fifo, [&] {
        try {
            cairo_surface_destroy(load_image_surface(fifo));
        } catch (const Failure& f) {
            return std::string(f.what());
        }
        return std::string("no error");
    });
    CHECK(loaded == fifo + ": error: image is not a regular file (it is a FIFO)");
    fs::remove(fifo);

    // A symbolic link to a picture is a picture.
    const std::string link = image_dir() + "/link.png";
    fs::remove(link);
    fs::create_symlink(make_png("target.png", 3, 2, 0, 1, 0), link);
    CHECK(probe_ok(link).width == 3);
}

TEST_CASE("image: a PNG bomb is refused from its header before any pixel is decoded") {
    // 23000 x 23000 pixels in a 4 KB file: 2.1 GB as a surface.
    const std::string bomb = header_png("bomb.png", 23000, 23000);
    CHECK(fs::file_size(bomb) < 5000);
    CHECK(probe_error(bomb, "big.png", {"a.md", 2, 8}) ==
          "a.md:2:8: error: image 'big.png' is too large: 23000 × 23000 pixels, limit 50 MP");
    // Decoding it would find too little data and call it damaged: the limit
    // comes first.
    CHECK(load_error(bomb) == bomb + ": error: image is too large: 23000 × 23000 pixels, limit 50 MP");

    // 50 MP exactly and 30000 pixels a side are within the limits; one more
    // is not. (These files hold a few rows of data only: past the limits,
    // the probe's check of the data finds the rest missing.)
    const std::string short_data = "is damaged: the image data is corrupt (libpng: Not enough image data)";
    CHECK(probe_error(header_png("50mp.png", 10000, 5000), "a.png", {"a.md", 1, 1}).find(short_data) !=
          std::string::npos);
    CHECK(probe_error(header_png("50mp-and-a-row.png", 10000, 5001), "a.png", {"a.md", 1, 1}) ==
          "a.md:1:1: error: image 'a.png' is too large: 10000 × 5001 pixels, limit 50 MP");
    CHECK(probe_error(header_png("wide.png", 30000, 16), "w.png", {"a.md", 1, 1}).find(short_data) !=
          std::string::npos);
    CHECK(probe_error(header_png("wider.png", 30001, 16), "w.png", {"a.md", 1, 1}) ==
          "a.md:1:1: error: image 'w.png' is too large: 30001 × 16 pixels, limit 30000 pixels a side");
    CHECK(probe_error(header_png("tall.png", 1, 40000), "t.png", {"a.md", 1, 1}) ==
          "a.md:1:1: error: image 't.png' is too large: 1 × 40000 pixels, limit 30000 pixels a side");
    // Larger than a cairo surface can be, and than 32 bits can multiply.
    CHECK(probe_error(header_png("huge.png", 0x7FFFFFFF, 0x7FFFFFFF), "h.png", {"a.md", 1, 1}) ==
          "a.md:1:1: error: image 'h.png' is too large: 2147483647 × 2147483647 pixels, limit 50 MP");
}

TEST_CASE("image: a JPEG over the pixel limit is refused from its header") {
    const std::string big = header_jpeg("big.jpg", 23000, 23000);
    CHECK(probe_error(big, "big.jpg", {"a.md", 3, 1}) ==
          "a.md:3:1: error: image 'big.jpg' is too large: 23000 × 23000 pixels, limit 50 MP");
    CHECK(load_error(big) == big + ": error: image is too large: 23000 × 23000 pixels, limit 50 MP");
    const std::string wide = header_jpeg("wide.jpg", 60000, 10);
    CHECK(load_error(wide) == wide + ": error: image is too large: 60000 × 10 pixels, limit 30000 pixels a side");
}

TEST_CASE("image: a file over the size limit is refused unread") {
    // A picture with 64 MiB and one byte of zeros after it (sparse: no disk).
    const std::string huge = image_dir() + "/huge-file.png";
    fs::copy_file(make_png("small.png", 4, 4, 1, 1, 0), huge, fs::copy_options::overwrite_existing);
    fs::resize_file(huge, kMaxImageBytes + 1);
    CHECK(probe_error(huge, "huge.png", {"a.md", 5, 6}) ==
          "a.md:5:6: error: image 'huge.png' is too large: a file of 67108865 bytes, limit 64 MiB");
    CHECK(load_error(huge) == huge + ": error: image is too large: a file of 67108865 bytes, limit 64 MiB");
    // At the limit it is read (and its pixels decoded: the zeros after
    // IEND are ignored).
    fs::resize_file(huge, kMaxImageBytes);
    CHECK(probe_ok(huge).width == 4);
    Surface s(huge);
    CHECK(cairo_image_surface_get_width(s.s) == 4);
}

// ---------------------------------------------------------------------------
// End to end through cairo's PDF backend.

TEST_CASE("image: RGB JPEG is embedded in the PDF unchanged, once") {
    std::string path = rgb_jpeg();
    std::string jpeg = test::read_file(path);
    Surface a(path), b(path);  // two separate loads of the same file
    std::string pdf = pdf_with("passthrough.pdf", {a.s, b.s, a.s});
    CHECK(pdf.find(jpeg) != std::string::npos);  // the original bytes, verbatim
    CHECK(count(pdf, "/DCTDecode") == 1);         // stored once (UNIQUE_ID)
    CHECK(count(pdf, jpeg) == 1);

    // A different JPEG gets its own stream.
    std::string gray = gray_jpeg();
    Surface g(gray);
    std::string pdf2 = pdf_with("passthrough2.pdf", {a.s, g.s});
    CHECK(count(pdf2, "/DCTDecode") == 2);
    CHECK(pdf2.find(test::read_file(gray)) != std::string::npos);
}

TEST_CASE("image: CMYK JPEG goes into the PDF as one sRGB DCTDecode image, never as CMYK") {
    std::string path = smooth_cmyk_jpeg();
    Surface a(path), b(path);  // two separate loads of the same file
    std::string pdf = pdf_with("cmyk.pdf", {a.s, b.s, a.s});
    CHECK(pdf.find("/DeviceCMYK") == std::string::npos);
    CHECK(pdf.find(test::read_file(path)) == std::string::npos);
    std::vector<std::string> images = image_dicts(pdf);
    REQUIRE(images.size() == 1);  // stored once (UNIQUE_ID)
    INFO(images[0]);
    CHECK(images[0].find("/DCTDecode") != std::string::npos);
    CHECK(images[0].find("/FlateDecode") == std::string::npos);
    CHECK(images[0].find("/DeviceRGB") != std::string::npos);
    std::string jpeg = mime(a.s, CAIRO_MIME_TYPE_JPEG);
    CHECK(count(pdf, jpeg) == 1);  // the re-encoded bytes, verbatim
}
