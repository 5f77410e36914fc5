// Archive-grade PDF post-processing with qpdf's C++ API (see archive.h).
#include "archive/archive.h"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>

#include "galley/diagnostics.h"

#ifndef GALLEY_VERSION
#define GALLEY_VERSION "0"
#endif

namespace galley {
namespace {

[[noreturn]] void fail(const std::string& file, const std::string& message) {
    throw Failure(Diagnostic{Severity::Error, SourcePos{file, 0, 0}, message});
}

// ---------------------------------------------------------------- dates

struct DateParts {
    int fields = 0;  // 1 year, 2 +month, 3 +day, 5 +hour:minute, 6 +second
    int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
    char tz = 0;  // 0 none, 'Z', '+' or '-'
    int tz_hour = 0, tz_minute = 0;
};

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool valid(const DateParts& p) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (p.year < 0 || p.year > 9999) return false;
    if (p.month < 1 || p.month > 12) return false;
    int dim = days[p.month - 1] + (p.month == 2 && leap(p.year) ? 1 : 0);
    if (p.day < 1 || p.day > dim) return false;
    if (p.hour > 23 || p.minute > 59 || p.second > 59) return false;
    if (p.tz_hour > 23 || p.tz_minute > 59) return false;
    return true;
}

// Reads exactly n digits at s[i].
bool digits(const std::string& s, size_t& i, int n, int& out) {
    if (i + n > s.size()) return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
        char c = s[i + k];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    i += n;
    return true;
}

// YYYY[-MM[-DD[(T| )hh:mm[:ss[.f+]][Z|±hh[:mm]|±hhmm]]]]
std::optional<DateParts> parse_iso(const std::string& s) {
    DateParts p;
    size_t i = 0;
    if (!digits(s, i, 4, p.year)) return std::nullopt;
    p.fields = 1;
    if (i < s.size() && s[i] == '-') {
        ++i;
        if (!digits(s, i, 2, p.month)) return std::nullopt;
        p.fields = 2;
        if (i < s.size() && s[i] == '-') {
            ++i;
            if (!digits(s, i, 2, p.day)) return std::nullopt;
            p.fields = 3;
            if (i < s.size() && (s[i] == 'T' || s[i] == ' ')) {
                ++i;
                if (!digits(s, i, 2, p.hour)) return std::nullopt;
                if (i >= s.size() || s[i] != ':') return std::nullopt;
                ++i;
                if (!digits(s, i, 2, p.minute)) return std::nullopt;
                p.fields = 5;
                if (i < s.size() && s[i] == ':') {
                    ++i;
                    if (!digits(s, i, 2, p.second)) return std::nullopt;
                    p.fields = 6;
                    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {  // fraction: dropped
                        ++i;
                        size_t start = i;
                        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
                        if (i == start) return std::nullopt;
                    }
                }
                if (i < s.size() && s[i] == 'Z') {
                    p.tz = 'Z';
                    ++i;
                } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
                    p.tz = s[i++];
                    if (!digits(s, i, 2, p.tz_hour)) return std::nullopt;
                    if (i < s.size() && s[i] == ':') ++i;
                    if (i < s.size() && !digits(s, i, 2, p.tz_minute)) return std::nullopt;
                }
            }
        }
    }
    if (i != s.size() || !valid(p)) return std::nullopt;
    return p;
}

// [D:]YYYY[MM[DD[HH[mm[SS]]]]][Z[00'00']|±HH['mm[']]] — also cairo's form
// without the prefix.
std::optional<DateParts> parse_pdf_date(const std::string& s) {
    DateParts p;
    size_t i = s.compare(0, 2, "D:") == 0 ? 2 : 0;
    if (!digits(s, i, 4, p.year)) return std::nullopt;
    p.fields = 1;
    int* slots[] = {&p.month, &p.day, &p.hour, &p.minute, &p.second};
    const int after[] = {2, 3, 4, 5, 6};
    for (int k = 0; k < 5; ++k) {
        size_t j = i;
        if (!digits(s, j, 2, *slots[k])) break;
        i = j;
        p.fields = after[k];
    }
    if (p.fields == 4) p.fields = 5;  // hour without minutes: minute 00
    if (p.fields >= 5 && i < s.size()) {
        char c = s[i];
        if (c == 'Z') {
            p.tz = 'Z';
            ++i;
            if (s.compare(i, 6, "00'00'") == 0) i += 6;
            else if (s.compare(i, 5, "00'00") == 0) i += 5;
        } else if (c == '+' || c == '-') {
            p.tz = c;
            ++i;
            if (!digits(s, i, 2, p.tz_hour)) return std::nullopt;
            if (i < s.size() && s[i] == '\'') ++i;
            if (i < s.size()) {
                if (!digits(s, i, 2, p.tz_minute)) return std::nullopt;
                if (i < s.size() && s[i] == '\'') ++i;
            }
        }
    }
    if (i != s.size() || !valid(p)) return std::nullopt;
    return p;
}

std::string two(int v) {
    char b[8];
    std::snprintf(b, sizeof b, "%02d", v);
    return b;
}

std::string format_pdf(const DateParts& p) {
    char b[8];
    std::snprintf(b, sizeof b, "%04d", p.year);
    std::string out = std::string("D:") + b;
    if (p.fields >= 2) out += two(p.month);
    if (p.fields >= 3) out += two(p.day);
    if (p.fields >= 5) out += two(p.hour) + two(p.minute);
    if (p.fields >= 6) out += two(p.second);
    if (p.fields >= 5 && p.tz == 'Z') out += "Z";
    if (p.fields >= 5 && (p.tz == '+' || p.tz == '-'))
        out += std::string(1, p.tz) + two(p.tz_hour) + "'" + two(p.tz_minute) + "'";
    return out;
}

std::string format_iso(const DateParts& p) {
    char b[8];
    std::snprintf(b, sizeof b, "%04d", p.year);
    std::string out = b;
    if (p.fields >= 2) out += "-" + two(p.month);
    if (p.fields >= 3) out += "-" + two(p.day);
    if (p.fields >= 5) out += "T" + two(p.hour) + ":" + two(p.minute);
    if (p.fields >= 6) out += ":" + two(p.second);
    if (p.fields >= 5 && p.tz == 'Z') out += "Z";
    if (p.fields >= 5 && (p.tz == '+' || p.tz == '-'))
        out += std::string(1, p.tz) + two(p.tz_hour) + ":" + two(p.tz_minute);
    return out;
}

// ---------------------------------------------------------------- text

// UTF-8 -> code points; malformed bytes become U+FFFD. Controls other than
// tab and line feed are dropped (CR and CRLF become LF) so that the same
// text is valid in Info and in XML, and survives an XML parser unchanged.
std::u32string clean(const std::string& s) {
    std::u32string out;
    size_t i = 0, n = s.size();
    while (i < n) {
        unsigned char c = s[i];
        char32_t cp;
        int len;
        if (c < 0x80) { cp = c; len = 1; }
        else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; len = 2; }
        else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; len = 3; }
        else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; len = 4; }
        else { out += U'\uFFFD'; ++i; continue; }
        bool ok = i + len <= n;
        for (int k = 1; ok && k < len; ++k) {
            unsigned char d = s[i + k];
            if ((d & 0xC0) != 0x80) ok = false;
            else cp = (cp << 6) | (d & 0x3F);
        }
        if (ok) {
            static const char32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
            if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ok = false;
        }
        if (!ok) { out += U'\uFFFD'; ++i; continue; }
        i += len;
        if (cp == '\r') {
            if (i < n && s[i] == '\n') continue;  // CRLF: the LF follows
            cp = '\n';
        }
        if (cp < 0x20 && cp != '\t' && cp != '\n') continue;
        if (cp == 0xFFFE || cp == 0xFFFF) cp = 0xFFFD;
        out += cp;
    }
    return out;
}

std::string utf8(const std::u32string& s) {
    std::string out;
    for (char32_t cp : s) {
        if (cp < 0x80) out += char(cp);
        else if (cp < 0x800) { out += char(0xC0 | (cp >> 6)); out += char(0x80 | (cp & 0x3F)); }
        else if (cp < 0x10000) {
            out += char(0xE0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        } else {
            out += char(0xF0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3F));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        }
    }
    return out;
}

std::string sanitize(const std::string& s) { return utf8(clean(s)); }

// A PDF text string: ASCII as is, anything else UTF-16BE with a BOM.
QPDFObjectHandle text_string(const std::string& s) {
    std::u32string cps = clean(s);
    bool ascii = true;
    for (char32_t cp : cps) if (cp >= 0x80) { ascii = false; break; }
    if (ascii) return QPDFObjectHandle::newString(utf8(cps));
    std::string b = "\xFE\xFF";
    auto unit = [&](unsigned u) { b += char((u >> 8) & 0xFF); b += char(u & 0xFF); };
    for (char32_t cp : cps) {
        if (cp < 0x10000) unit(cp);
        else {
            cp -= 0x10000;
            unit(0xD800 + (cp >> 10));
            unit(0xDC00 + (cp & 0x3FF));
        }
    }
    return QPDFObjectHandle::newString(b);
}

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (const auto& s : v) {
        if (s.empty()) continue;
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

// ---------------------------------------------------------------- XMP

struct Final {  // the values written to Info, in UTF-8
    std::string title, author, subject, keywords, creator, producer, lang;
    std::string create_iso, modify_iso;
    std::vector<std::string> tags;
};

std::string xmp_packet(const Final& f) {
    std::ostringstream x;
    x << "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      << "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      << " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      << "  <rdf:Description rdf:about=\"\"\n"
      << "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
      << "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
      << "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
      << "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
      << "   <dc:format>application/pdf</dc:format>\n";
    auto alt = [&](const char* name, const std::string& v) {
        if (v.empty()) return;
        x << "   <" << name << "><rdf:Alt><rdf:li xml:lang=\"x-default\">" << xml_escape(v)
          << "</rdf:li></rdf:Alt></" << name << ">\n";
    };
    auto list = [&](const char* name, const char* kind, const std::vector<std::string>& vs) {
        if (vs.empty()) return;
        x << "   <" << name << "><rdf:" << kind << ">";
        for (const auto& v : vs) x << "<rdf:li>" << xml_escape(v) << "</rdf:li>";
        x << "</rdf:" << kind << "></" << name << ">\n";
    };
    auto simple = [&](const char* name, const std::string& v) {
        if (v.empty()) return;
        x << "   <" << name << ">" << xml_escape(v) << "</" << name << ">\n";
    };
    alt("dc:title", f.title);
    // PDF/A: Info /Author is equivalent to dc:creator holding exactly one
    // entry with the same text (veraPDF and PDFBox Preflight check that).
    if (!f.author.empty()) list("dc:creator", "Seq", {f.author});
    alt("dc:description", f.subject);
    list("dc:subject", "Bag", f.tags);
    if (!f.lang.empty()) list("dc:language", "Bag", {f.lang});
    simple("xmp:CreateDate", f.create_iso);
    simple("xmp:ModifyDate", f.modify_iso);
    simple("xmp:MetadataDate", f.modify_iso.empty() ? f.create_iso : f.modify_iso);
    simple("xmp:CreatorTool", f.creator);
    simple("pdf:Producer", f.producer);
    simple("pdf:Keywords", f.keywords);
    x << "   <pdfaid:part>2</pdfaid:part>\n"
      << "   <pdfaid:conformance>B</pdfaid:conformance>\n"
      << "  </rdf:Description>\n"
      << " </rdf:RDF>\n"
      << "</x:xmpmeta>\n";
    // The customary padding, so that the packet can be edited in place.
    for (int i = 0; i < 20; ++i) x << std::string(99, ' ') << "\n";
    x << "<?xpacket end=\"w\"?>";
    return x.str();
}

// ---------------------------------------------------------------- PDF pieces

std::string read_whole(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, std::string("cannot read ") + what);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) fail(path, std::string("cannot read ") + what);
    return ss.str();
}

QPDFObjectHandle number(double v) {
    double r = std::round(v);
    if (std::fabs(v - r) < 1e-6) return QPDFObjectHandle::newInteger(static_cast<long long>(r));
    return QPDFObjectHandle::newReal(v, 4, true);
}

QPDFObjectHandle box(double llx, double lly, double urx, double ury) {
    return QPDFObjectHandle::newArray({number(llx), number(lly), number(urx), number(ury)});
}

std::string info_utf8(QPDFObjectHandle info, const char* key) {
    if (!info.isDictionary()) return "";
    auto v = info.getKey(key);
    return v.isString() ? v.getUTF8Value() : "";
}

bool embedded(QPDFObjectHandle font) {
    auto fd = font.getKey("/FontDescriptor");
    if (!fd.isDictionary()) return false;
    return fd.hasKey("/FontFile") || fd.hasKey("/FontFile2") || fd.hasKey("/FontFile3");
}

std::string font_name(QPDFObjectHandle font) {
    auto n = font.getKey("/BaseFont");
    return n.isName() ? n.getName().substr(1) : font.unparse();
}

void check_fonts(QPDF& pdf, const std::string& file) {
    for (auto& obj : pdf.getAllObjects()) {
        if (!obj.isDictionary() || !obj.isDictionaryOfType("/Font")) continue;
        auto sub = obj.getKey("/Subtype");
        std::string st = sub.isName() ? sub.getName() : "";
        if (st == "/Type3") continue;
        if (st == "/Type0") {
            auto desc = obj.getKey("/DescendantFonts");
            if (desc.isArray())
                for (auto& d : desc.aitems())
                    if (d.isDictionary() && !embedded(d))
                        fail(file, "font " + font_name(d) + " is not embedded; PDF/A needs every font embedded");
            continue;
        }
        if (!embedded(obj))
            fail(file, "font " + font_name(obj) + " is not embedded; PDF/A needs every font embedded");
    }
}

// PDF/A-2 (6.2.8): an image's /Interpolate, if present, must be false;
// cairo writes true for images drawn with CAIRO_FILTER_GOOD or BEST. The key
// is only a viewer hint, so it is dropped (false is the default).
// The painter draws page furniture (running heads, folios, rules, jump
// lines) inside "Private" structure elements, cairo 1.16 knowing no
// artifacts. Here their marked content becomes /Artifact BMC … EMC and the
// elements leave the structure tree.
class ArtifactFilter : public QPDFObjectHandle::TokenFilter {
public:
    void handleToken(QPDFTokenizer::Token const& t) override {
        if (pending_.empty()) {
            if (t.getType() == QPDFTokenizer::tt_name && t.getValue() == "/Private")
                pending_.push_back(t);
            else
                writeToken(t);
            return;
        }
        pending_.push_back(t);
        if (t.getType() == QPDFTokenizer::tt_word) {
            if (t.getValue() == "BDC") {
                write("/Artifact BMC");
                pending_.clear();
            } else {
                flush();
            }
        }
    }
    void handleEOF() override { flush(); }

private:
    void flush() {
        for (auto& p : pending_) writeToken(p);
        pending_.clear();
    }
    std::vector<QPDFTokenizer::Token> pending_;
};

bool is_private(QPDFObjectHandle e) {
    return e.isDictionary() && e.getKey("/S").isName() && e.getKey("/S").getName() == "/Private";
}

void mark_artifacts(QPDF& pdf) {
    QPDFObjectHandle tree = pdf.getRoot().getKey("/StructTreeRoot");
    if (!tree.isDictionary()) return;
    for (auto& page : QPDFPageDocumentHelper(pdf).getAllPages()) {
        page.addContentTokenFilter(std::make_shared<ArtifactFilter>());
        for (auto& [name, xobject] : page.getFormXObjects()) xobject.addTokenFilter(std::make_shared<ArtifactFilter>());
    }
    // Out of the tree: from their parents' kids and the parent tree.
    std::function<void(QPDFObjectHandle)> prune = [&](QPDFObjectHandle e) {
        if (!e.isDictionary()) return;
        QPDFObjectHandle kids = e.getKey("/K");
        if (kids.isArray()) {
            for (int i = kids.getArrayNItems() - 1; i >= 0; --i) {
                if (is_private(kids.getArrayItem(i)))
                    kids.eraseItem(i);
                else
                    prune(kids.getArrayItem(i));
            }
        } else if (is_private(kids)) {
            e.removeKey("/K");
        } else {
            prune(kids);
        }
    };
    prune(tree);
    QPDFObjectHandle nums = tree.getKey("/ParentTree").getKey("/Nums");
    if (nums.isArray())
        for (int i = 1; i < nums.getArrayNItems(); i += 2) {
            QPDFObjectHandle v = nums.getArrayItem(i);
            if (v.isArray()) {
                for (int k = 0; k < v.getArrayNItems(); ++k)
                    if (is_private(v.getArrayItem(k))) v.setArrayItem(k, QPDFObjectHandle::newNull());
            } else if (is_private(v)) {
                nums.setArrayItem(i, QPDFObjectHandle::newNull());
            }
        }
}

void drop_interpolate(QPDF& pdf) {
    for (auto& obj : pdf.getAllObjects()) {
        if (!obj.isStream()) continue;
        QPDFObjectHandle dict = obj.getDict();
        auto sub = dict.getKey("/Subtype");
        if (!sub.isName() || sub.getName() != "/Image") continue;
        if (dict.hasKey("/Interpolate")) dict.removeKey("/Interpolate");
    }
}

double pdf_version(const std::string& v) {
    try { return std::stod(v); } catch (...) { return 0; }
}

}  // namespace

// ---------------------------------------------------------------- API

std::string pdf_date(const std::string& iso) {
    auto p = parse_iso(iso);
    if (!p) fail("", "not an ISO 8601 date: '" + iso + "'");
    return format_pdf(*p);
}

std::string iso_date(const std::string& pdf) {
    auto p = parse_pdf_date(pdf);
    return p ? format_iso(*p) : "";
}

void archive_pdf(const std::string& in_path, const std::string& out_path,
                 const ArchiveMetadata& meta, const ArchiveOptions& options) {
    // Dates first: a bad date is the caller's error, not the file's.
    std::optional<DateParts> date;
    if (!meta.date.empty()) {
        date = parse_iso(meta.date);
        if (!date) fail(in_path, "the article's date is not an ISO 8601 date: '" + meta.date + "'");
    }
    if (!(options.bleed >= 0) || !std::isfinite(options.bleed))
        fail(in_path, "the bleed must be a finite number of points, 0 or more");

    std::string input = read_whole(in_path, "the PDF");
    std::string icc;
    if (options.pdfa) {
        icc = read_whole(options.icc_profile, "the ICC profile");
        if (icc.size() < 128 || icc.compare(36, 4, "acsp") != 0)
            fail(options.icc_profile, "not an ICC profile");
        if (icc.compare(16, 4, "RGB ") != 0)
            fail(options.icc_profile, "the output intent needs an RGB ICC profile (sRGB)");
    }

    std::shared_ptr<Buffer> output;
    try {
        QPDF pdf;
        pdf.setSuppressWarnings(true);
        pdf.processMemoryFile(in_path.c_str(), input.data(), input.size());
        if (pdf.isEncrypted()) fail(in_path, "the PDF is encrypted");
        if (options.pdfa && pdf_version(pdf.getPDFVersion()) > 1.7)
            fail(in_path, "PDF/A-2 needs PDF 1.7 or older, the file is PDF " + pdf.getPDFVersion());
        if (options.pdfa) {
            check_fonts(pdf, in_path);
            drop_interpolate(pdf);
        }
        mark_artifacts(pdf);

        QPDFObjectHandle trailer = pdf.getTrailer();
        QPDFObjectHandle root = pdf.getRoot();
        QPDFObjectHandle old_info = trailer.getKey("/Info");

        // The final values: the caller's, else what cairo wrote.
        Final f;
        auto pick = [&](const std::string& given, const char* key) {
            return sanitize(given.empty() ? info_utf8(old_info, key) : given);
        };
        f.title = pick(meta.title, "/Title");
        f.author = pick(meta.author.empty() ? join(meta.authors, ", ") : meta.author, "/Author");
        f.subject = pick(meta.subject, "/Subject");
        f.keywords = pick(meta.keywords.empty() ? join(meta.tags, ", ") : meta.keywords, "/Keywords");
        f.creator = sanitize(meta.creator.empty() ? std::string("Galley ") + GALLEY_VERSION : meta.creator);
        f.producer = f.creator;
        for (const auto& t : meta.tags)
            if (!t.empty()) f.tags.push_back(sanitize(t));
        f.lang = sanitize(meta.lang);
        if (f.lang.empty() && root.getKey("/Lang").isString()) f.lang = sanitize(root.getKey("/Lang").getUTF8Value());
        if (date) {
            f.create_iso = f.modify_iso = format_iso(*date);
        } else {
            f.create_iso = iso_date(info_utf8(old_info, "/CreationDate"));
            f.modify_iso = iso_date(info_utf8(old_info, "/ModDate"));
        }

        // Info: a fresh dictionary, so nothing stale (or unmirrored) stays.
        QPDFObjectHandle info = QPDFObjectHandle::newDictionary();
        auto put = [&](const char* key, const std::string& v) {
            if (!v.empty()) info.replaceKey(key, text_string(v));
        };
        put("/Title", f.title);
        put("/Author", f.author);
        put("/Subject", f.subject);
        put("/Keywords", f.keywords);
        put("/Creator", f.creator);
        put("/Producer", f.producer);
        if (!f.create_iso.empty())
            info.replaceKey("/CreationDate", QPDFObjectHandle::newString(format_pdf(*parse_iso(f.create_iso))));
        if (!f.modify_iso.empty())
            info.replaceKey("/ModDate", QPDFObjectHandle::newString(format_pdf(*parse_iso(f.modify_iso))));
        trailer.replaceKey("/Info", pdf.makeIndirectObject(info));

        if (!f.lang.empty()) root.replaceKey("/Lang", text_string(f.lang));
        // cairo 1.16 writes an empty /PageLabels number tree and a negative
        // /Count on the outline root (it is not an item that can be closed).
        if (root.getKey("/PageLabels").isDictionary()) {
            QPDFObjectHandle nums = root.getKey("/PageLabels").getKey("/Nums");
            if (!nums.isArray() || nums.getArrayNItems() == 0)
                root.replaceKey("/PageLabels", QPDFObjectHandle::parse("<< /Nums [ 0 << /S /D >> ] >>"));
        }
        QPDFObjectHandle outlines = root.getKey("/Outlines");
        if (outlines.isDictionary() && outlines.getKey("/Count").isInteger() &&
            outlines.getKey("/Count").getIntValue() < 0)
            outlines.replaceKey("/Count", QPDFObjectHandle::newInteger(-outlines.getKey("/Count").getIntValue()));
        // Figures get their captions as /Alt: cairo 1.16 drops the
        // attribute. The structure tree lists them in reading order.
        if (!meta.figure_alts.empty() && root.getKey("/StructTreeRoot").isDictionary()) {
            size_t next = 0;
            std::function<void(QPDFObjectHandle)> walk = [&](QPDFObjectHandle e) {
                if (e.isArray()) {
                    for (int k = 0; k < e.getArrayNItems(); ++k) walk(e.getArrayItem(k));
                    return;
                }
                if (!e.isDictionary()) return;
                if (e.getKey("/S").isName() && e.getKey("/S").getName() == "/Figure" && next < meta.figure_alts.size())
                    e.replaceKey("/Alt", text_string(meta.figure_alts[next++]));
                QPDFObjectHandle kids = e.getKey("/K");
                if (kids.isArray() || (kids.isDictionary() && !kids.getKey("/MCID").isInteger())) walk(kids);
            };
            walk(root.getKey("/StructTreeRoot").getKey("/K"));
        }

        // Pages: print boxes and printable annotations.
        for (auto& page : QPDFPageDocumentHelper(pdf).getAllPages()) {
            QPDFObjectHandle po = page.getObjectHandle();
            QPDFObjectHandle mb = page.getMediaBox();
            if (!mb.isRectangle()) fail(in_path, "a page has no valid MediaBox");
            auto r = mb.getArrayAsRectangle();
            double llx = std::min(r.llx, r.urx), urx = std::max(r.llx, r.urx);
            double lly = std::min(r.lly, r.ury), ury = std::max(r.lly, r.ury);
            double b = options.bleed;
            if (2 * b >= urx - llx || 2 * b >= ury - lly)
                fail(in_path, "the bleed (" + std::to_string(b) + " pt) leaves no trim box on the page");
            po.replaceKey("/BleedBox", box(llx, lly, urx, ury));
            po.replaceKey("/TrimBox", box(llx + b, lly + b, urx - b, ury - b));

            QPDFObjectHandle annots = po.getKey("/Annots");
            if (!annots.isArray()) continue;
            for (auto a : annots.aitems()) {
                if (!a.isDictionary()) continue;
                auto sub = a.getKey("/Subtype");
                std::string st = sub.isName() ? sub.getName() : "";
                if (st == "/Link") {
                    a.replaceKey("/F", QPDFObjectHandle::newInteger(4));
                } else if (options.pdfa && st != "/Popup") {
                    // Print set; Invisible, Hidden, NoView cleared.
                    long long fl = a.getKey("/F").isInteger() ? a.getKey("/F").getIntValue() : 0;
                    a.replaceKey("/F", QPDFObjectHandle::newInteger((fl | 4) & ~(1LL | 2LL | 32LL)));
                }
            }
        }

        if (options.pdfa) {
            QPDFObjectHandle xmp = QPDFObjectHandle::newStream(&pdf, xmp_packet(f));
            xmp.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/Metadata"));
            xmp.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/XML"));
            root.replaceKey("/Metadata", xmp);

            QPDFObjectHandle profile = QPDFObjectHandle::newStream(&pdf, icc);
            profile.getDict().replaceKey("/N", QPDFObjectHandle::newInteger(3));
            profile.getDict().replaceKey("/Alternate", QPDFObjectHandle::newName("/DeviceRGB"));
            QPDFObjectHandle intent = QPDFObjectHandle::newDictionary();
            intent.replaceKey("/Type", QPDFObjectHandle::newName("/OutputIntent"));
            intent.replaceKey("/S", QPDFObjectHandle::newName("/GTS_PDFA1"));
            intent.replaceKey("/OutputConditionIdentifier", QPDFObjectHandle::newString("sRGB"));
            intent.replaceKey("/Info", QPDFObjectHandle::newString("sRGB IEC61966-2.1"));
            intent.replaceKey("/RegistryName", QPDFObjectHandle::newString("http://www.color.org"));
            intent.replaceKey("/DestOutputProfile", profile);
            root.replaceKey("/OutputIntents", QPDFObjectHandle::newArray({pdf.makeIndirectObject(intent)}));
        }

        QPDFWriter w(pdf);
        w.setOutputMemory();
        w.setDeterministicID(true);
        w.setStaticID(false);
        w.setNewlineBeforeEndstream(true);
        w.setObjectStreamMode(qpdf_o_disable);
        w.setPreserveEncryption(false);
        w.setQDFMode(false);
        w.setContentNormalization(false);
        w.setLinearization(false);
        w.setCompressStreams(true);  // the ICC profile; XMP is never compressed by qpdf
        if (options.pdfa) w.setMinimumPDFVersion("1.7");
        w.write();
        output = w.getBufferSharedPointer();
    } catch (const Failure&) {
        throw;
    } catch (const QPDFExc& e) {
        fail(in_path, std::string("cannot process the PDF: ") + e.what());
    } catch (const std::exception& e) {
        fail(in_path, std::string("cannot process the PDF: ") + e.what());
    }

    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    if (!out) fail(out_path, "cannot write the PDF");
    out.write(reinterpret_cast<const char*>(output->getBuffer()), static_cast<std::streamsize>(output->getSize()));
    out.close();
    if (!out) fail(out_path, "cannot write the PDF");
}

}  // namespace galley
