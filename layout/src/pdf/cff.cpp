#include "pdf/cff.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <utility>

namespace galley::pdf {
namespace {

// The font's bytes, every read checked: a damaged font makes the subset
// fail, never read past the data.
struct Bytes {
    std::string_view d;
    bool bad = false;
    unsigned u8(size_t i) {
        if (i >= d.size()) {
            bad = true;
            return 0;
        }
        return static_cast<unsigned char>(d[i]);
    }
    size_t un(size_t i, unsigned n) {
        size_t v = 0;
        for (unsigned k = 0; k < n; ++k) v = v << 8 | u8(i + k);
        return v;
    }
};

// An INDEX (CFF 5): `count` items, read one at a time so that a CJK font's
// 65,000 charstrings are never listed.
struct Index {
    size_t count = 0, offsets = 0, base = 0, end = 0;
    unsigned size = 1;
};

Index read_index(Bytes& b, size_t at) {
    Index x;
    x.count = b.un(at, 2);
    if (x.count == 0) {
        x.end = at + 2;
        return x;
    }
    x.size = b.u8(at + 2);
    if (x.size < 1 || x.size > 4) {
        b.bad = true;
        return x;
    }
    x.offsets = at + 3;
    x.base = x.offsets + (x.count + 1) * x.size - 1;  // offsets count from 1
    x.end = x.base + b.un(x.offsets + x.count * x.size, x.size);
    if (x.end > b.d.size()) b.bad = true;
    return x;
}

std::string_view item(Bytes& b, const Index& x, size_t i) {
    if (i >= x.count) {
        b.bad = true;
        return {};
    }
    const size_t from = x.base + b.un(x.offsets + i * x.size, x.size);
    const size_t to = x.base + b.un(x.offsets + (i + 1) * x.size, x.size);
    if (b.bad || from <= x.base || from > to || to > b.d.size()) {
        b.bad = true;
        return {};
    }
    return b.d.substr(from, to - from);
}

// The operand encodings DICTs and charstrings share (CFF 4, TN 5177 3.2):
// one byte 32-246, two bytes 247-254 with the byte after, `next`.
double short_number(unsigned v, unsigned next) {
    if (v <= 246) return static_cast<double>(v) - 139;
    return v <= 250 ? (v - 247.0) * 256 + next + 108 : -(v - 251.0) * 256 - next - 108;
}

// One DICT entry: its operator (12 x as 1200 + x), operands as numbers
// (NaN for reals, which nothing here needs the value of) and its bytes.
struct Entry {
    int op = 0;
    std::vector<double> args;
    std::string_view raw;
};

std::vector<Entry> read_dict(Bytes& b, std::string_view d) {
    std::vector<Entry> out;
    Entry e;
    size_t start = 0;
    const auto at = [&](size_t i) -> unsigned { return i < d.size() ? static_cast<unsigned char>(d[i]) : 0; };
    for (size_t i = 0; i < d.size();) {
        const unsigned v = at(i);
        if (v == 28) e.args.push_back(static_cast<int16_t>(at(i + 1) << 8 | at(i + 2))), i += 3;
        else if (v == 29)
            e.args.push_back(static_cast<int32_t>(at(i + 1) << 24 | at(i + 2) << 16 | at(i + 3) << 8 | at(i + 4))),
                i += 5;
        else if (v == 30) {
            for (++i; i < d.size() && (at(i) & 0x0F) != 0x0F && (at(i) >> 4) != 0x0F;) ++i;
            ++i;
            e.args.push_back(NAN);
        } else if (v >= 32 && v <= 254) {
            e.args.push_back(short_number(v, at(i + 1)));
            i += v <= 246 ? 1 : 2;
        } else if (v <= 21) {
            e.op = v == 12 ? 1200 + static_cast<int>(at(i + 1)) : static_cast<int>(v);
            i += v == 12 ? 2 : 1;
            e.raw = d.substr(start, std::min(i, d.size()) - start);
            out.push_back(std::move(e));
            e = Entry{};
            start = i;
        } else {
            b.bad = true;  // reserved
            return out;
        }
    }
    if (!e.args.empty() || start > d.size()) b.bad = true;
    return out;
}

const Entry* find(const std::vector<Entry>& dict, int op, size_t args) {
    for (const Entry& e : dict)
        if (e.op == op && e.args.size() >= args) return &e;
    return nullptr;
}

// An operand that must be a whole number at least 0 (an offset, a size).
size_t whole(Bytes& b, const Entry* e, size_t i) {
    if (!e || i >= e->args.size() || !(e->args[i] >= 0) || e->args[i] != std::floor(e->args[i])) {
        b.bad = true;
        return 0;
    }
    return static_cast<size_t>(e->args[i]);
}

// A Font DICT's Private DICT and the local subroutines it names.
struct Private {
    std::vector<Entry> dict;
    Index subrs;
};

Private read_private(Bytes& b, const Entry* entry) {
    Private p;
    const size_t size = whole(b, entry, 0), at = whole(b, entry, 1);
    if (b.bad || at + size > b.d.size()) {
        b.bad = true;
        return p;
    }
    p.dict = read_dict(b, b.d.substr(at, size));
    if (const Entry* subrs = find(p.dict, 19, 1)) p.subrs = read_index(b, at + whole(b, subrs, 0));
    return p;
}

int bias(size_t count) { return count < 1240 ? 107 : count < 33900 ? 1131 : 32768; }

// One glyph's Type 2 charstring with subroutine calls inlined and hint
// operators dropped (their mask bytes with them); the advance width, which
// may ride on a hint operator, moves to the first operator kept.
struct Flatten {
    Bytes& b;
    const Index& global;
    const Index& local;
    std::string out;
    std::vector<std::pair<std::string_view, double>> args;
    std::string width, advance;  // the width operand: yet to write; as read
    bool cleared = false, ended = false;
    size_t stems = 0;
    // Tokens read, subroutines included: a glyph of a real font takes a
    // few hundred; subroutines that call each other ten deep could make
    // a forged one take forever.
    size_t steps = 0;
    int last_code = -1;  // the operator just written, while it may take more arguments
    size_t last = 0;     // its arguments

    void first_clear(size_t plain) {
        if (cleared) return;
        cleared = true;
        if (args.size() == plain + 1 || (plain == 0 && args.size() % 2 == 1)) {
            width = advance = std::string(args.front().first);
            args.erase(args.begin());
        }
    }
    // Consecutive operators that take repeated argument sets become one,
    // as Adobe's tools write them: the seams of inlined subroutines and
    // dropped hint masks leave rlineto after rlineto and the like (TN 5177
    // 4.1: rrcurveto then rlineto is rcurveline, rlineto then rrcurveto
    // rlinecurve).
    void emit(std::string_view op, int code) {
        const size_t n = args.size();
        int merged = -1;
        if (last + n <= 48 && last_code == code && (code == 5 || code == 8)) merged = code;
        else if (last + n <= 48 && last_code == code && (code == 26 || code == 27) && n % 4 == 0) merged = code;
        else if (last + n <= 48 && last_code == 8 && code == 5 && n == 2) merged = 24;
        else if (last + n <= 48 && last_code == 5 && code == 8 && n == 6) merged = 25;
        else if (last + n <= 48 && (last_code == 6 || last_code == 7) && (code == 6 || code == 7) &&
                 // hlineto, vlineto: the next segment goes the other way
                 ((last_code == 6) == (last % 2 == 1)) == (code == 7))
            merged = last_code;
        else if (last + n <= 48 && (last_code == 30 || last_code == 31) && (code == 30 || code == 31) &&
                 last % 4 == 0 &&  // vhcurveto, hvcurveto: curves alternate their start
                 ((last_code == 30) == (last / 4 % 2 == 0)) == (code == 30))
            merged = last_code;
        if (merged >= 0) out.pop_back();  // the previous operator
        else last = 0;
        out += width;
        width.clear();
        for (const auto& a : args) out += a.first;
        args.clear();
        if (merged >= 0) out += static_cast<char>(merged);
        else out += op;
        last += n;
        last_code = merged == 24 || merged == 25 ? -1 : merged >= 0 ? merged : code;
    }
    void run(std::string_view cs, int depth) {
        if (depth > 10) b.bad = true;
        for (size_t i = 0; i < cs.size() && !ended && !b.bad;) {
            const unsigned v = static_cast<unsigned char>(cs[i]);
            const auto next = [&](size_t k) -> unsigned {
                if (i + k >= cs.size()) b.bad = true;
                return b.bad ? 0 : static_cast<unsigned char>(cs[i + k]);
            };
            if (v == 28) {
                args.emplace_back(cs.substr(i, 3), static_cast<int16_t>(next(1) << 8 | next(2)));
                i += 3;
            } else if (v == 255) {
                const auto fixed = static_cast<int32_t>(next(1) << 24 | next(2) << 16 | next(3) << 8 | next(4));
                args.emplace_back(cs.substr(i, 5), fixed / 65536.0);
                i += 5;
            } else if (v >= 32) {
                const size_t len = v <= 246 ? 1 : 2;
                args.emplace_back(cs.substr(i, len), short_number(v, len == 2 ? next(1) : 0));
                i += len;
            } else {
                const int op = v == 12 ? 1200 + static_cast<int>(next(1)) : static_cast<int>(v);
                const size_t len = v == 12 ? 2 : 1;
                const std::string_view bytes = cs.substr(i, len);
                i += len;
                if (!operate(op, bytes, i, depth)) return;
            }
            if (args.size() > 48 || ++steps > 100000) b.bad = true;
        }
    }
    // False on return from a subroutine.
    bool operate(int op, std::string_view bytes, size_t& i, int depth) {
        switch (op) {
            case 1: case 3: case 18: case 23:  // stem hints
                first_clear(0);
                stems += args.size() / 2;
                args.clear();
                return true;
            case 19: case 20:  // hintmask, cntrmask: an implied vstem, then the mask
                first_clear(0);
                stems += args.size() / 2;
                args.clear();
                i += (stems + 7) / 8;
                return true;
            case 10: case 29: {  // callsubr, callgsubr
                const Index& subrs = op == 10 ? local : global;
                if (args.empty() || args.back().second != std::floor(args.back().second)) {
                    b.bad = true;
                    return false;
                }
                const double n = args.back().second + bias(subrs.count);
                args.pop_back();
                if (n < 0 || n >= static_cast<double>(subrs.count)) {
                    b.bad = true;
                    return false;
                }
                run(item(b, subrs, static_cast<size_t>(n)), depth + 1);
                return true;
            }
            case 11:  // return
                return false;
            case 14:  // endchar; four more operands would be a seac accent
                first_clear(0);
                if (!args.empty()) b.bad = true;
                emit(bytes, op);
                ended = true;
                return false;
            case 21: first_clear(2); emit(bytes, op); return true;  // rmoveto
            case 4: case 22: first_clear(1); emit(bytes, op); return true;  // vmoveto, hmoveto
            case 5: case 6: case 7: case 8: case 24: case 25: case 26: case 27: case 30: case 31:
            case 1234: case 1235: case 1236: case 1237:  // lines, curves, flex
                emit(bytes, op);
                return true;
            default:  // the arithmetic and storage operators, reserved ones
                b.bad = true;
                return false;
        }
    }
};

// Numbers as DICTs write them: offsets in five bytes so that a DICT's
// size is known before the offsets are.
std::string int5(size_t v) {
    return {'\x1D', static_cast<char>(v >> 24 & 0xFF), static_cast<char>(v >> 16 & 0xFF),
            static_cast<char>(v >> 8 & 0xFF), static_cast<char>(v & 0xFF)};
}

std::string card16(size_t v) { return {static_cast<char>(v >> 8 & 0xFF), static_cast<char>(v & 0xFF)}; }

std::string make_index(const std::vector<std::string>& items) {
    if (items.empty()) return std::string(2, '\0');
    size_t total = 1;
    for (const std::string& s : items) total += s.size();
    const unsigned size = total <= 0xFF ? 1 : total <= 0xFFFF ? 2 : total <= 0xFFFFFF ? 3 : 4;
    std::string out = card16(items.size()) + static_cast<char>(size);
    const auto offset = [&](size_t v) {
        for (unsigned k = size; k-- > 0;) out += static_cast<char>(v >> (8 * k) & 0xFF);
    };
    size_t at = 1;
    offset(at);
    for (const std::string& s : items) offset(at += s.size());
    for (const std::string& s : items) out += s;
    return out;
}

// A DICT's entries but those in `drop`, as they were written.
std::string copy_dict(const std::vector<Entry>& dict, std::initializer_list<int> drop) {
    std::string out;
    for (const Entry& e : dict)
        if (std::find(drop.begin(), drop.end(), e.op) == drop.end()) out += e.raw;
    return out;
}

// The source font: its Top DICT's parts and, per Font DICT, the Private
// DICT and subroutines (a name-keyed font has one, from the Top DICT).
struct Source {
    std::string name;
    std::vector<Entry> top;
    Index global, charstrings;
    bool cid = false;
    size_t fdselect = 0;
    std::vector<std::vector<Entry>> fds;
    std::vector<Private> privates;
};

Source read_source(Bytes& b) {
    Source s;
    if (b.u8(0) != 1 || b.u8(2) < 4) b.bad = true;  // CFF 1 only (not CFF2)
    const Index names = read_index(b, b.u8(2));
    const Index tops = read_index(b, names.end);
    const Index strings = read_index(b, tops.end);
    s.global = read_index(b, strings.end);
    if (b.bad || names.count != 1 || tops.count != 1) {
        b.bad = true;
        return s;
    }
    s.name = std::string(item(b, names, 0));
    s.top = read_dict(b, item(b, tops, 0));
    if (const Entry* type = find(s.top, 1206, 1); type && type->args[0] != 2) b.bad = true;
    if (find(s.top, 1220, 0)) b.bad = true;  // a synthetic font
    s.charstrings = read_index(b, whole(b, find(s.top, 17, 1), 0));
    s.cid = find(s.top, 1230, 3) != nullptr;
    if (!s.cid) {
        s.fds.emplace_back();
        s.privates.push_back(read_private(b, find(s.top, 18, 2)));
        return s;
    }
    s.fdselect = whole(b, find(s.top, 1237, 1), 0);
    const Index fdarray = read_index(b, whole(b, find(s.top, 1236, 1), 0));
    for (size_t i = 0; i < fdarray.count && !b.bad; ++i) {
        s.fds.push_back(read_dict(b, item(b, fdarray, i)));
        s.privates.push_back(read_private(b, find(s.fds.back(), 18, 2)));
    }
    return s;
}

size_t font_dict_of(Bytes& b, const Source& s, size_t glyph) {
    if (!s.cid) return 0;
    const unsigned format = b.u8(s.fdselect);
    size_t fd = s.fds.size();
    if (format == 0) fd = b.u8(s.fdselect + 1 + glyph);
    else if (format == 3) {
        const size_t ranges = b.un(s.fdselect + 1, 2);
        size_t lo = 0, hi = ranges;  // the last range whose first glyph is at most `glyph`
        while (lo + 1 < hi) {
            const size_t mid = (lo + hi) / 2;
            (b.un(s.fdselect + 3 + mid * 3, 2) <= glyph ? lo : hi) = mid;
        }
        if (ranges > 0 && b.un(s.fdselect + 3 + lo * 3, 2) <= glyph) fd = b.u8(s.fdselect + 3 + lo * 3 + 2);
    }
    if (fd >= s.fds.size()) b.bad = true;
    return fd;
}

}  // namespace

std::vector<uint16_t> cff_cids(std::string_view cff) {
    Bytes b{cff};
    const Source s = read_source(b);
    const size_t charset = s.cid ? whole(b, find(s.top, 15, 1), 0) : 0;
    if (b.bad || charset <= 2) return {};  // 0-2: the predefined charsets of name-keyed fonts
    std::vector<uint16_t> cid{0};
    const unsigned format = b.u8(charset);
    for (size_t p = charset + 1; cid.size() < s.charstrings.count && !b.bad;) {
        const size_t first = b.un(p, 2);
        if (format == 0) {
            cid.push_back(static_cast<uint16_t>(first));
            p += 2;
            continue;
        }
        const size_t more = format == 1 ? b.u8(p + 2) : b.un(p + 2, 2);
        if (format > 2 || first + more > 0xFFFF) return {};
        for (size_t c = first; c <= first + more && cid.size() < s.charstrings.count; ++c)
            cid.push_back(static_cast<uint16_t>(c));
        p += format == 1 ? 3 : 4;
    }
    return b.bad ? std::vector<uint16_t>{} : cid;
}

std::string cff_subset(std::string_view cff, const std::vector<uint32_t>& glyphs) {
    Bytes b{cff};
    const Source s = read_source(b);
    if (b.bad || glyphs.empty() || glyphs.front() != 0) return "";
    std::vector<std::string> charstrings;
    std::map<size_t, size_t> fd_number;  // the source's Font DICT -> the subset's
    std::vector<size_t> fd_of;
    for (uint32_t g : glyphs) {
        const size_t fd = font_dict_of(b, s, g);
        if (b.bad) return "";
        Flatten f{b, s.global, s.privates[fd].subrs, {}, {}, {}, {}};
        f.run(item(b, s.charstrings, g), 0);
        if (b.bad || !f.ended) return "";
        // .notdef, which the pages never show, keeps its width, not its outline.
        charstrings.push_back(g == 0 ? f.advance + "\x0E" : std::move(f.out));
        fd_of.push_back(fd);
        fd_number.emplace(fd, 0);
    }
    size_t n = 0;
    for (auto& [fd, number] : fd_number) number = n++;

    // FDSelect format 3, one range per run of glyphs in one Font DICT.
    std::string ranges;
    size_t count = 0;
    for (size_t g = 0; g < fd_of.size(); ++g)
        if (g == 0 || fd_of[g] != fd_of[g - 1]) ranges += card16(g) + static_cast<char>(fd_number[fd_of[g]]), ++count;
    const std::string fdselect = std::string(1, '\x03') + card16(count) + ranges + card16(glyphs.size());
    // charset format 2: glyphs 1.. are CIDs 1..
    const std::string charset = glyphs.size() < 2 ? std::string(1, '\0')
                                                  : std::string(1, '\x02') + card16(1) + card16(glyphs.size() - 2);
    const std::string charstring_index = make_index(charstrings);
    const std::string names = make_index({s.name}), strings = make_index({"Adobe", "Identity"});

    // The Top DICT: ROS Adobe-Identity-0 (strings 391 and 392), the
    // source's matrix and box, offsets filled in once they are known.
    std::string kept;
    for (int op : {1207, 5})
        if (const Entry* e = find(s.top, op, 0)) kept += e->raw;
    const auto top = [&](size_t charset_at, size_t fdselect_at, size_t charstrings_at, size_t fdarray_at) {
        return std::string("\xF8\x1B\xF8\x1C\x8B\x0C\x1E", 7) + kept + int5(glyphs.size()) + "\x0C\x22" +
               int5(charset_at) + "\x0F" + int5(charstrings_at) + "\x11" + int5(fdarray_at) + "\x0C\x24" +
               int5(fdselect_at) + "\x0C\x25";
    };
    const size_t top_size = make_index({top(0, 0, 0, 0)}).size();
    const size_t charset_at = 4 + names.size() + top_size + strings.size() + 2;
    const size_t fdselect_at = charset_at + charset.size(), charstrings_at = fdselect_at + fdselect.size();
    const size_t fdarray_at = charstrings_at + charstring_index.size();

    std::vector<std::string> privates, fd_dicts;
    for (const auto& [fd, number] : fd_number) {
        // Of the Private DICT, the widths: the rest (blue zones, stem
        // widths, subroutines) serve hints and subroutines, gone.
        std::string widths;
        for (const Entry& e : s.privates[fd].dict)
            if (e.op == 20 || e.op == 21) widths += e.raw;
        privates.push_back(widths.empty() ? std::string("\x8B\x15", 2) : widths);  // nominalWidthX 0: not empty
        fd_dicts.push_back(copy_dict(s.fds[fd], {18, 1238}));
    }
    const auto fd_array = [&](size_t private_at) {
        std::vector<std::string> dicts;
        for (size_t i = 0; i < fd_dicts.size(); ++i) {
            dicts.push_back(fd_dicts[i] + int5(privates[i].size()) + int5(private_at) + "\x12");
            private_at += privates[i].size();
        }
        return make_index(dicts);
    };
    const size_t privates_at = fdarray_at + fd_array(0).size();
    if (b.bad) return "";

    std::string out("\x01\x00\x04\x04", 4);
    out += names + make_index({top(charset_at, fdselect_at, charstrings_at, fdarray_at)}) + strings;
    out += std::string(2, '\0');  // no global subroutines
    out += charset + fdselect + charstring_index + fd_array(privates_at);
    for (const std::string& p : privates) out += p;
    return out;
}

}  // namespace galley::pdf
