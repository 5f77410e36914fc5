// pdf: the one-pass PDF back end (issue 16). A PDF written object by
// object straight from the frames: numbers are handed out as objects are
// referred to, bodies given when known, the cross-reference table last.
// Numbers are printed in the classic locale (std::to_chars), so the bytes
// never depend on the process's locale.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace galley::pdf {

// A number as PDF writes it: at most `decimals` places, no trailing zeros,
// no exponent ("12", "0.5", "-3.142").
std::string num(double v, int decimals = 3);

// Four upper-case hex digits: a CID, a UTF-16 code unit.
std::string hex4(unsigned v);
// UTF-8 as UTF-16BE code units in hex, "4E2D0041" (ToUnicode maps).
std::string utf16_hex(const std::string& utf8);
// A text string (Info, bookmarks): UTF-8 as a hex UTF-16BE string with its
// byte-order mark, "<FEFF…>".
std::string text_string(const std::string& utf8);

// A literal byte string, "(…)" with ( ) \ escaped.
std::string literal(std::string_view bytes);

struct Compressor;

class File {
public:
    File();
    ~File();
    // A new object number (objects are numbered from 1 in this order).
    int reserve();
    // The body of object `id`: a dictionary, array or other direct value.
    void set(int id, std::string body);
    // Object `id` as a stream: `dict` holds its entries (without << >>);
    // /Length (and /Filter when deflated) are added.
    void set_stream(int id, const std::string& dict, std::string_view data, bool compress = true);
    // 32 hex digits from the objects' bodies: the file's /ID, the same for
    // the same objects.
    std::string identity() const;
    // The whole file: header, streams, the other objects in object
    // streams, the cross-reference stream. `trailer`: its entries beside
    // /Size (/Root, /Info, /ID).
    std::string finish(const std::string& trailer) const;

private:
    // FlateDecode data, libdeflate at level 6. Measured on the seed
    // article's streams: zlib's level 6 took 5.2 ms, libdeflate's 1.9 ms
    // at level 6 and 2.3 at level 8 for 0.3 % less (levels 10-12 save
    // 0.8 % more at three times the time).
    std::string deflate(std::string_view data) const;

    std::vector<std::string> bodies_;  // by number - 1
    std::unique_ptr<Compressor> compressor_;
};

}  // namespace galley::pdf
