#include "pdf/pdf_file.h"

#include <zlib.h>

#include <charconv>
#include <cmath>
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

std::string name(std::string_view n) { return "/" + std::string(n); }

std::string text_string(const std::string& utf8) {
    static const char* hex = "0123456789ABCDEF";
    std::string out = "<FEFF";
    auto unit = [&](unsigned u) {
        for (int shift : {12, 8, 4, 0}) out += hex[(u >> shift) & 15];
    };
    for (size_t i = 0; i < utf8.size();) {
        char32_t c = utf8_next(utf8, i);
        if (c >= 0x10000) {
            c -= 0x10000;
            unit(0xD800 + (c >> 10));
            unit(0xDC00 + (c & 0x3FF));
        } else {
            unit(c);
        }
    }
    return out + ">";
}

std::string literal(std::string_view bytes) {
    std::string out = "(";
    for (char c : bytes) {
        if (c == '(' || c == ')' || c == '\\') out += '\\';
        out += c;
    }
    return out + ")";
}

std::string deflate(std::string_view data, int level) {
    uLongf size = compressBound(static_cast<uLong>(data.size()));
    std::string out(size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()),
                  static_cast<uLong>(data.size()), level) != Z_OK)
        throw std::runtime_error("deflate failed");
    out.resize(size);
    return out;
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

std::string File::finish(const std::string& trailer) const {
    // The binary comment marks the file as binary for transfer programs.
    std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    std::vector<size_t> offsets;
    for (size_t i = 0; i < bodies_.size(); ++i) {
        offsets.push_back(out.size());
        out += std::to_string(i + 1) + " 0 obj\n";
        out += bodies_[i];
        out += "\nendobj\n";
    }
    const size_t xref = out.size();
    out += "xref\n0 " + std::to_string(bodies_.size() + 1) + "\n0000000000 65535 f \n";
    char entry[24];
    for (size_t at : offsets) {
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", at);
        out += entry;
    }
    out += "trailer\n<</Size " + std::to_string(bodies_.size() + 1) + trailer + ">>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return out;
}

}  // namespace galley::pdf
