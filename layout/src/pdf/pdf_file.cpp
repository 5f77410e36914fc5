#include "pdf/pdf_file.h"

#include <libdeflate.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

#include "common/utf8.h"

namespace galley::pdf {

std::string num(double v, int decimals) {
    const double scale = std::pow(10.0, decimals);
    double r = std::round(v * scale) / scale;
    if (r == 0) r = 0;  // no "-0"
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, r, std::chars_format::fixed, decimals);
    std::string s(buf, end);
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s;
}

std::string hex4(unsigned v) {
    static const char* hex = "0123456789ABCDEF";
    std::string s(4, '0');
    for (int i = 3; i >= 0; --i, v >>= 4) s[static_cast<size_t>(i)] = hex[v & 15];
    return s;
}

std::string utf16_hex(const std::string& utf8) {
    std::string out;
    for (size_t i = 0; i < utf8.size();) {
        char32_t c = utf8_next(utf8, i);
        if (c >= 0x10000) {
            c -= 0x10000;
            out += hex4(0xD800 + (c >> 10)) + hex4(0xDC00 + (c & 0x3FF));
        } else {
            out += hex4(c);
        }
    }
    return out;
}

std::string text_string(const std::string& utf8) { return "<FEFF" + utf16_hex(utf8) + ">"; }

std::string literal(std::string_view bytes) {
    std::string out = "(";
    for (char c : bytes) {
        if (c == '(' || c == ')' || c == '\\') out += '\\';
        out += c;
    }
    return out + ")";
}

struct Compressor {
    libdeflate_compressor* p = libdeflate_alloc_compressor(6);
    ~Compressor() { libdeflate_free_compressor(p); }
};

File::File() : compressor_(std::make_unique<Compressor>()) {
    if (!compressor_->p) throw std::bad_alloc();
}

File::~File() = default;

std::string File::deflate(std::string_view data) const {
    const size_t bound = libdeflate_zlib_compress_bound(compressor_->p, data.size());
    std::string out(bound, '\0');
    const size_t size = libdeflate_zlib_compress(compressor_->p, data.data(), data.size(), out.data(), bound);
    if (size == 0) throw std::runtime_error("deflate failed");
    out.resize(size);
    return out;
}

std::string File::identity() const {
    uint64_t h1 = 1469598103934665603ull, h2 = 7809847782465536322ull;
    for (const std::string& body : bodies_)
        for (unsigned char c : body) h1 = (h1 ^ c) * 1099511628211ull, h2 = (h2 ^ c) * 1099511628211ull + 1;
    char id[40];
    std::snprintf(id, sizeof id, "%016llx%016llx", static_cast<unsigned long long>(h1),
                  static_cast<unsigned long long>(h2));
    return id;
}

int File::reserve() {
    bodies_.emplace_back();
    return static_cast<int>(bodies_.size());
}

void File::set(int id, std::string body) { bodies_.at(static_cast<size_t>(id - 1)) = std::move(body); }

void File::set_stream(int id, const std::string& dict, std::string_view data, bool compress) {
    const std::string packed = compress ? deflate(data) : std::string(data);
    std::string body = "<<" + dict + (compress ? "/Filter/FlateDecode" : "") +
                       "/Length " + std::to_string(packed.size()) + ">>\nstream\n";
    body += packed;
    body += "\nendstream";
    set(id, std::move(body));
}

// Objects that are not streams go into object streams (a hundred each),
// the cross-reference table is a stream too (PDF 1.5): deflated together,
// the small dictionaries of fonts, pages, annotations and the structure
// tree take a fraction of their size.
std::string File::finish(const std::string& trailer) const {
    // The binary comment marks the file as binary for transfer programs.
    std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    const size_t n = bodies_.size();
    struct Entry {
        int type = 1;      // 1: at an offset; 2: in an object stream
        size_t field = 0;  // offset, or the object stream's number
        size_t index = 0;  // its index there
    };
    std::vector<Entry> xref(n + 1);
    std::vector<size_t> packed;
    for (size_t i = 0; i < n; ++i)
        if (bodies_[i].find("\nstream\n") == std::string::npos) packed.push_back(i);
    auto object = [&](size_t number, const std::string& body) {
        xref[number] = {1, out.size(), 0};
        out += std::to_string(number) + " 0 obj\n" + body + "\nendobj\n";
    };
    for (size_t i = 0; i < n; ++i)
        if (bodies_[i].find("\nstream\n") != std::string::npos) object(i + 1, bodies_[i]);
    size_t next = n + 1;
    for (size_t from = 0; from < packed.size(); from += 100) {
        const size_t to = std::min(packed.size(), from + 100), stream = next++;
        std::string header, data;
        for (size_t k = from; k < to; ++k) {
            header += std::to_string(packed[k] + 1) + " " + std::to_string(data.size()) + " ";
            data += bodies_[packed[k]] + "\n";
            xref[packed[k] + 1] = {2, stream, k - from};
        }
        const std::string body = deflate(header + data);
        xref.resize(std::max(xref.size(), stream + 1));
        object(stream, "<</Type/ObjStm/N " + std::to_string(to - from) + "/First " + std::to_string(header.size()) +
                           "/Filter/FlateDecode/Length " + std::to_string(body.size()) + ">>\nstream\n" + body +
                           "\nendstream");
    }
    const size_t self = next++, size = next;
    xref.resize(size);
    xref[0] = {0, 0, 65535};
    xref[self] = {1, out.size(), 0};
    // Offsets in as many bytes as the largest needs.
    int bytes = 1;
    while (out.size() >> (8 * bytes)) ++bytes;
    std::string rows;
    for (const Entry& e : xref) {
        rows += static_cast<char>(e.type);
        for (int k = bytes - 1; k >= 0; --k) rows += static_cast<char>((e.field >> (8 * k)) & 255);
        for (int shift : {8, 0}) rows += static_cast<char>((e.index >> shift) & 255);
    }
    const std::string body = deflate(rows);
    out += std::to_string(self) + " 0 obj\n<</Type/XRef/Size " + std::to_string(size) + "/W[1 " +
           std::to_string(bytes) + " 2]" + trailer +
           "/Filter/FlateDecode/Length " + std::to_string(body.size()) + ">>\nstream\n" + body +
           "\nendstream\nendobj\nstartxref\n" + std::to_string(xref[self].field) + "\n%%EOF\n";
    return out;
}

}  // namespace galley::pdf
