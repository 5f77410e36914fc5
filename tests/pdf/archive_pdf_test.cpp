// The finished PDF as an archive and a reader sees it: the sample issue and
// the sample article rendered through write_pdf (cairo, then the archive
// stage) and read back with qpdf's C++ API and poppler-cpp. Info and XMP
// agree, PDF/A-2b furniture is present, bookmarks, jump lines and contents
// entries land on the right pages, links are printable and 7-bit, output is
// byte-reproducible and qpdf finds nothing to warn about.
#ifndef POINTERHOLDER_TRANSITION
#define POINTERHOLDER_TRANSITION 4
#endif
#include <poppler-document.h>
#include <poppler-page.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFOutlineDocumentHelper.hh>
#include <qpdf/QPDFOutlineObjectHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <stdexcept>

#include "common/dates.h"
#include "common/strings.h"
#include "common/utf8.h"
#include "support.h"

using namespace galley;
using namespace galley::test;

namespace {

constexpr long long kEpoch = 1548806400;  // 2019-01-30T00:00:00Z
const char* kEpochIso = "2019-01-30T00:00:00+00:00";

PdfOptions options(bool pdfa, long long epoch = kEpoch) {
    PdfOptions o;
    o.source_date_epoch = epoch;
    o.pdfa = pdfa;
    return o;
}

std::string out_dir() {
    std::string dir = temp_dir() + "/archive-pdf";
    std::filesystem::create_directories(dir);
    return dir;
}

// ------------------------------------------------------------ renders

struct IssueRender {
    Issue issue;
    Style style;
    Layout layout;
    std::string pdfa, pdfa_again, plain, plain_again;
};

// The sample issue: laid out twice (so reproducibility covers the layout
// too), each layout written with and without PDF/A.
const IssueRender& sample_issue() {
    static IssueRender r = [] {
        IssueRender out;
        Diagnostics d;
        out.issue = load_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", d);
        REQUIRE(!has_errors(d));
        out.style = load_style(
            find_style(out.issue.style.empty() ? "bulletin" : out.issue.style, source_dir() + "/styles"), d);
        REQUIRE(!has_errors(d));
        out.layout = layout_issue(out.issue, out.style, fonts(), d);
        REQUIRE(!has_errors(d));
        Layout second = layout_issue(out.issue, out.style, fonts(), d);
        REQUIRE(!has_errors(d));
        const std::string dir = out_dir();
        out.pdfa = dir + "/issue-a.pdf";
        out.pdfa_again = dir + "/issue-a-again.pdf";
        out.plain = dir + "/issue.pdf";
        out.plain_again = dir + "/issue-again.pdf";
        write_pdf(out.layout, out.pdfa, options(true));
        write_pdf(out.layout, out.plain, options(false));
        write_pdf(second, out.pdfa_again, options(true));
        write_pdf(second, out.plain_again, options(false));
        return out;
    }();
    return r;
}

struct ArticleRender {
    Document doc;
    Layout layout;
    std::string pdfa;      // SOURCE_DATE_EPOCH fixed, PDF/A
    std::string own_date;  // no SOURCE_DATE_EPOCH: the dateline's date
};

const ArticleRender& sample_article() {
    static ArticleRender r = [] {
        ArticleRender out;
        Diagnostics d;
        out.doc = load_article(sample("xian-gaoxin-party-building.md"), d);
        REQUIRE(!has_errors(d));
        out.layout = layout_article(out.doc, bulletin_style(), fonts(), d);
        REQUIRE(!has_errors(d));
        out.pdfa = out_dir() + "/article-a.pdf";
        out.own_date = out_dir() + "/article-own-date.pdf";
        write_pdf(out.layout, out.pdfa, options(true));
        write_pdf(out.layout, out.own_date, options(false, -1));
        return out;
    }();
    return r;
}

// ------------------------------------------------------------ small helpers

std::unique_ptr<QPDF> open_pdf(const std::string& path) {
    auto q = std::make_unique<QPDF>();
    q->setSuppressWarnings(true);
    q->processFile(path.c_str());
    return q;
}

std::string info(QPDF& q, const char* key) {
    QPDFObjectHandle i = q.getTrailer().getKey("/Info");
    if (!i.isDictionary() || !i.getKey(key).isString()) return "";
    return i.getKey(key).getUTF8Value();
}

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \n\r\t"), e = s.find_last_not_of(" \n\r\t");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// "D:20190130000000+00'00'" -> "2019-01-30T00:00:00+00:00" ("Z" becomes
// "+00:00"; no zone: none); "" when it is not a full PDF date.
std::string iso_of_pdf_date(const std::string& d) {
    static const std::regex re(R"(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:(Z)(?:00'00'?)?|([+-])(\d{2})'(\d{2})'?)?)");
    std::smatch m;
    if (!std::regex_match(d, m, re)) return "";
    std::string out = m[1].str() + "-" + m[2].str() + "-" + m[3].str() + "T" + m[4].str() + ":" + m[5].str() + ":" +
                      m[6].str();
    if (m[7].matched) out += "+00:00";
    if (m[8].matched) out += m[8].str() + m[9].str() + ":" + m[10].str();
    return out;
}

std::string normal_iso(std::string s) {
    if (!s.empty() && s.back() == 'Z') s = s.substr(0, s.size() - 1) + "+00:00";
    return s;
}

int page_index(const std::vector<QPDFPageObjectHelper>& pages, QPDFObjectHandle page) {
    if (!page.isDictionary()) return -1;
    for (size_t i = 0; i < pages.size(); ++i)
        if (pages[i].getObjectHandle().getObjGen() == page.getObjGen()) return static_cast<int>(i);
    return -1;
}

// The destination array of a link annotation (/Dest or a GoTo /A), named
// destinations resolved through the /Dests name tree or dictionary.
QPDFObjectHandle link_dest(QPDFOutlineDocumentHelper& dh, QPDFObjectHandle annot) {
    QPDFObjectHandle d = annot.getKey("/Dest");
    if (d.isNull()) {
        QPDFObjectHandle a = annot.getKey("/A");
        if (a.isDictionary() && a.getKey("/S").isName() && a.getKey("/S").getName() == "/GoTo") d = a.getKey("/D");
    }
    if (d.isName() || d.isString()) d = dh.resolveNamedDest(d);
    if (d.isDictionary()) d = d.getKey("/D");
    return d;
}

int dest_page(const std::vector<QPDFPageObjectHelper>& pages, QPDFObjectHandle dest) {
    if (!dest.isArray() || dest.getArrayNItems() == 0) return -1;
    return page_index(pages, dest.getArrayItem(0));
}

std::string percent_decode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// squeeze(), and hard line breaks (U+2028) out too.
std::string flat(const std::string& s) {
    std::string out = squeeze(s);
    erase_all(out, "\xE2\x80\xA8");
    return out;
}

std::vector<const IssueArticle*> story_order(const Issue& issue) {
    std::vector<const IssueArticle*> order;
    for (auto& a : issue.articles)
        if (a.lead) order.push_back(&a);
    for (auto& a : issue.articles)
        if (!a.lead) order.push_back(&a);
    return order;
}

std::vector<std::string> headings(const Document& doc) {
    std::vector<std::string> out;
    for (const Block& b : doc.body)
        if (b.kind == BlockKind::Heading) out.push_back(spans_text(b.spans));
    return out;
}

// ------------------------------------------------------------ poppler text

struct Word {
    std::string text;
    double x0, y0, x1, y1;  // points, origin at the page's top left
};

struct PageText {
    std::string raw;  // raw-order text
    std::vector<Word> words;
};

std::vector<PageText> page_texts(const std::string& path) {
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path));
    REQUIRE(doc);
    std::vector<PageText> out;
    for (int i = 0; i < doc->pages(); ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        PageText t;
        auto bytes = page->text(poppler::rectf(), poppler::page::raw_order_layout).to_utf8();
        t.raw.assign(bytes.begin(), bytes.end());
        for (const poppler::text_box& box : page->text_list()) {
            auto b = box.text().to_utf8();
            poppler::rectf r = box.bbox();
            t.words.push_back({std::string(b.begin(), b.end()), r.left(), r.top(), r.right(), r.bottom()});
        }
        out.push_back(std::move(t));
    }
    return out;
}

// The squeezed text of the words whose centres lie in a PDF rectangle
// (bottom-left origin) on a page of the given height.
std::string text_in(const PageText& page, double page_height, double llx, double lly, double urx, double ury) {
    const double top = page_height - ury, bottom = page_height - lly, tol = 1.0;
    std::string out;
    for (const Word& w : page.words) {
        double cx = (w.x0 + w.x1) / 2, cy = (w.y0 + w.y1) / 2;
        if (cx >= llx - tol && cx <= urx + tol && cy >= top - tol && cy <= bottom + tol) out += w.text;
    }
    return squeeze(out);
}

// Squeezed page text without the contents box (page 1, from 本期导读 on)
// and without 相关阅读 lines, for finding where a title is printed.
std::vector<std::string> title_search_texts(const std::vector<PageText>& pages,
                                            const std::vector<const IssueArticle*>& order) {
    std::vector<std::string> out;
    for (size_t p = 0; p < pages.size(); ++p) {
        std::string text = squeeze(pages[p].raw);
        if (p == 0) {
            size_t box = text.find("本期导读");
            REQUIRE(box != std::string::npos);
            text.erase(box);
        }
        for (auto* a : order) erase_all(text, "相关阅读：" + squeeze(a->doc.title));
        out.push_back(text);
    }
    return out;
}

// 0-based page where a story's title is first printed (its start), -1: nowhere.
int title_page(const std::vector<std::string>& texts, const std::string& title) {
    for (size_t p = 0; p < texts.size(); ++p)
        if (texts[p].find(squeeze(title)) != std::string::npos) return static_cast<int>(p);
    return -1;
}

// ------------------------------------------------------------ a strict XML reader

// Enough XML for an XMP packet, strictly: UTF-8 checked, tags balanced,
// attributes quoted and unique, only the five entities and character
// references, nothing but whitespace, comments and PIs around the one root,
// and every prefix declared (xmlns:p) where it is used.
struct XmlNode {
    std::string uri, local;  // namespace-resolved name
    std::map<std::string, std::string> attrs;  // "{uri}local" (or "local") -> value
    std::vector<XmlNode> children;
    std::string text;
};

struct Xml {
    const std::string& s;
    size_t i = 0;

    [[noreturn]] void bad(const std::string& why) const {
        throw std::runtime_error("XML error at byte " + std::to_string(i) + ": " + why);
    }
    bool at(const char* lit) const { return s.compare(i, std::strlen(lit), lit) == 0; }
    void expect(const char* lit) {
        if (!at(lit)) bad(std::string("expected ") + lit);
        i += std::strlen(lit);
    }
    void ws() {
        while (i < s.size() && std::strchr(" \t\r\n", s[i]) && s[i]) ++i;
    }
    std::string name() {
        auto start = [](unsigned char c) { return std::isalpha(c) || c == '_' || c == ':' || c >= 0x80; };
        if (i >= s.size() || !start(s[i])) bad("expected a name");
        size_t b = i;
        while (i < s.size() && (start(s[i]) || std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '-' || s[i] == '.')) ++i;
        return s.substr(b, i - b);
    }
    void misc() {
        for (;;) {
            ws();
            size_t e;
            if (at("<?")) {
                if ((e = s.find("?>", i)) == std::string::npos) bad("unterminated PI");
                i = e + 2;
            } else if (at("<!--")) {
                if ((e = s.find("-->", i + 4)) == std::string::npos) bad("unterminated comment");
                i = e + 3;
            } else {
                return;
            }
        }
    }
    std::string reference() {
        expect("&");
        size_t e = s.find(';', i);
        if (e == std::string::npos || e - i > 8) bad("bad reference");
        std::string r = s.substr(i, e - i);
        i = e + 1;
        static const std::map<std::string, std::string> named{{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
        if (named.count(r)) return named.at(r);
        if (r.size() < 2 || r[0] != '#') bad("unknown entity &" + r + ";");
        unsigned long cp = r[1] == 'x' ? std::stoul(r.substr(2), nullptr, 16) : std::stoul(r.substr(1));
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) bad("bad character reference");
        std::string out;
        galley::utf8_append(out, static_cast<char32_t>(cp));
        return out;
    }
    using Scope = std::map<std::string, std::string>;  // prefix -> URI
    std::pair<std::string, std::string> resolve(const std::string& qname, const Scope& ns, bool attribute) {
        size_t colon = qname.find(':');
        if (colon == std::string::npos) return {attribute ? "" : (ns.count("") ? ns.at("") : ""), qname};
        std::string prefix = qname.substr(0, colon);
        if (prefix == "xml") return {"http://www.w3.org/XML/1998/namespace", qname.substr(colon + 1)};
        if (!ns.count(prefix)) bad("undeclared prefix " + prefix);
        return {ns.at(prefix), qname.substr(colon + 1)};
    }
    XmlNode element(Scope ns) {
        expect("<");
        const std::string qname = name();
        std::vector<std::pair<std::string, std::string>> raw;
        bool empty = false;
        for (;;) {
            size_t before = i;
            ws();
            if (at("/>")) { i += 2; empty = true; break; }
            if (at(">")) { ++i; break; }
            if (i == before) bad("expected whitespace before an attribute");
            std::string an = name();
            ws();
            expect("=");
            ws();
            if (i >= s.size() || (s[i] != '"' && s[i] != '\'')) bad("expected a quoted value");
            char q = s[i++];
            std::string v;
            while (i < s.size() && s[i] != q) {
                if (s[i] == '<') bad("'<' in an attribute value");
                v += s[i] == '&' ? reference() : std::string(1, s[i++]);
            }
            if (i >= s.size()) bad("unterminated attribute value");
            ++i;
            for (auto& [n, _] : raw)
                if (n == an) bad("duplicate attribute " + an);
            raw.push_back({an, v});
            if (an == "xmlns") ns[""] = v;
            else if (an.rfind("xmlns:", 0) == 0) ns[an.substr(6)] = v;
        }
        XmlNode n;
        std::tie(n.uri, n.local) = resolve(qname, ns, false);
        for (auto& [an, v] : raw) {
            if (an == "xmlns" || an.rfind("xmlns:", 0) == 0) continue;
            auto [u, l] = resolve(an, ns, true);
            n.attrs[u.empty() ? l : "{" + u + "}" + l] = v;
        }
        if (empty) return n;
        for (;;) {
            if (i >= s.size()) bad("unterminated element " + qname);
            if (at("</")) {
                i += 2;
                if (name() != qname) bad("mismatched end tag for " + qname);
                ws();
                expect(">");
                return n;
            }
            if (at("<!--") || at("<?")) {
                size_t keep = i;
                misc();
                if (i == keep) bad("stuck");
            } else if (at("<![CDATA[")) {
                size_t e = s.find("]]>", i + 9);
                if (e == std::string::npos) bad("unterminated CDATA");
                n.text += s.substr(i + 9, e - i - 9);
                i = e + 3;
            } else if (at("<")) {
                n.children.push_back(element(ns));
            } else if (s[i] == '&') {
                n.text += reference();
            } else {
                if (at("]]>")) bad("']]>' in text");
                n.text += s[i++];
            }
        }
    }
};

bool valid_utf8(const std::string& s) {
    if (galley::utf8_find_invalid(s)) return false;
    for (unsigned char c : s)
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;  // not an XML Char
    return true;
}

XmlNode parse_xmp(const std::string& packet) {
    if (!valid_utf8(packet)) throw std::runtime_error("the packet is not valid UTF-8 XML text");
    Xml x{packet};
    if (!x.at("<?xpacket begin=")) x.bad("no xpacket header");
    x.misc();
    XmlNode root = x.element({});
    x.misc();
    if (x.i != packet.size()) x.bad("content after the root element");
    if (packet.find("<?xpacket end=") == std::string::npos) x.bad("no xpacket trailer");
    return root;
}

const std::string kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const std::string kDc = "http://purl.org/dc/elements/1.1/";
const std::string kXmp = "http://ns.adobe.com/xap/1.0/";
const std::string kPdf = "http://ns.adobe.com/pdf/1.3/";
const std::string kPdfaId = "http://www.aiim.org/pdfa/ns/id/";

void find_all(const XmlNode& n, const std::string& uri, const std::string& local, std::vector<const XmlNode*>& out) {
    if (n.uri == uri && n.local == local) out.push_back(&n);
    for (auto& c : n.children) find_all(c, uri, local, out);
}

// The values of an XMP property anywhere in the packet: a simple value
// (element text or rdf:Description attribute), or the items of its
// rdf:Alt/Seq/Bag. Empty when absent.
std::vector<std::string> xmp_values(const XmlNode& root, const std::string& uri, const std::string& local) {
    std::vector<std::string> out;
    std::vector<const XmlNode*> descs, props;
    find_all(root, kRdf, "Description", descs);
    for (const XmlNode* d : descs) {
        auto a = d->attrs.find("{" + uri + "}" + local);
        if (a != d->attrs.end()) out.push_back(a->second);
    }
    find_all(root, uri, local, props);
    for (const XmlNode* p : props) {
        if (p->children.empty()) {
            out.push_back(p->text);
            continue;
        }
        for (auto& container : p->children)
            for (auto& li : container.children)
                if (li.uri == kRdf && li.local == "li") out.push_back(li.text);
    }
    return out;
}

// ------------------------------------------------------------ fonts

struct FontScan {
    int fonts = 0;
    std::vector<std::string> unembedded;
};

bool has_font_file(QPDFObjectHandle font) {
    QPDFObjectHandle fd = font.getKey("/FontDescriptor");
    return fd.isDictionary() && (fd.getKey("/FontFile").isStream() || fd.getKey("/FontFile2").isStream() ||
                                 fd.getKey("/FontFile3").isStream());
}

// Walks /Resources /Font, and the resources of form XObjects (cairo draws
// each page through a transparency group) and Type 3 fonts.
void scan_resources(QPDFObjectHandle res, FontScan& scan, std::set<QPDFObjGen>& seen) {
    if (!res.isDictionary()) return;
    if (res.isIndirect() && !seen.insert(res.getObjGen()).second) return;
    QPDFObjectHandle fonts = res.getKey("/Font");
    if (fonts.isDictionary())
        for (auto& [key, font] : fonts.ditems()) {
            if (!font.isDictionary()) continue;
            if (font.isIndirect() && !seen.insert(font.getObjGen()).second) continue;
            ++scan.fonts;
            std::string sub = font.getKey("/Subtype").isName() ? font.getKey("/Subtype").getName() : "";
            std::string base = font.getKey("/BaseFont").isName() ? font.getKey("/BaseFont").getName() : key;
            if (sub == "/Type3") {
                scan_resources(font.getKey("/Resources"), scan, seen);
            } else if (sub == "/Type0") {
                QPDFObjectHandle desc = font.getKey("/DescendantFonts");
                if (!desc.isArray() || desc.getArrayNItems() != 1 || !has_font_file(desc.getArrayItem(0)))
                    scan.unembedded.push_back(base);
            } else if (!has_font_file(font)) {
                scan.unembedded.push_back(base);
            }
        }
    QPDFObjectHandle xobjects = res.getKey("/XObject");
    if (xobjects.isDictionary())
        for (auto& [key, xo] : xobjects.ditems())
            if (xo.isStream()) scan_resources(xo.getDict().getKey("/Resources"), scan, seen);
    QPDFObjectHandle patterns = res.getKey("/Pattern");
    if (patterns.isDictionary())
        for (auto& [key, pat] : patterns.ditems())
            if (pat.isStream()) scan_resources(pat.getDict().getKey("/Resources"), scan, seen);
}

// ------------------------------------------------------------ shared checks

// Info, /Lang, dates, page labels.
void check_info(QPDF& q, const std::string& title, const std::string& author, const std::string& lang) {
    CHECK(info(q, "/Title") == title);
    CHECK(info(q, "/Author") == author);
    CHECK(info(q, "/Creator") == std::string("Galley ") + GALLEY_VERSION);
    CHECK(info(q, "/Creator").rfind("Galley ", 0) == 0);
    CHECK(!info(q, "/Producer").empty());
    const std::string created = info(q, "/CreationDate"), modified = info(q, "/ModDate");
    CHECK(created.rfind("D:", 0) == 0);
    CHECK(modified.rfind("D:", 0) == 0);
    CHECK(created == modified);
    CHECK(iso_of_pdf_date(created) == kEpochIso);
    QPDFObjectHandle root = q.getRoot();
    REQUIRE(root.getKey("/Lang").isString());
    CHECK(root.getKey("/Lang").getUTF8Value() == lang);
    CHECK(root.hasKey("/PageLabels"));
}

// The PDF/A-2b furniture: XMP mirroring Info, the output intent, /ID, no
// encryption, every font embedded.
void check_pdfa(QPDF& q, const std::string& file_bytes) {
    CHECK(q.getPDFVersion() <= std::string("1.7"));
    QPDFObjectHandle root = q.getRoot(), trailer = q.getTrailer();

    // XMP: an uncompressed /Metadata stream that is well-formed XML.
    QPDFObjectHandle meta = root.getKey("/Metadata");
    REQUIRE(meta.isStream());
    QPDFObjectHandle dict = meta.getDict();
    CHECK(dict.getKey("/Type").isNameAndEquals("/Metadata"));
    CHECK(dict.getKey("/Subtype").isNameAndEquals("/XML"));
    CHECK(!dict.hasKey("/Filter"));
    CHECK(!dict.hasKey("/DecodeParms"));
    auto raw_buffer = meta.getRawStreamData();
    const std::string packet(reinterpret_cast<const char*>(raw_buffer->getBuffer()), raw_buffer->getSize());
    CHECK(file_bytes.find(packet) != std::string::npos);  // readable as is in the file
    XmlNode xmp;
    try {
        xmp = parse_xmp(packet);
    } catch (const std::exception& e) {
        FAIL(e.what());
    }
    CHECK(xmp.local == "xmpmeta");
    auto one = [&](const std::string& uri, const std::string& local) {
        auto v = xmp_values(xmp, uri, local);
        INFO(local << ": " << v.size() << " values");
        CHECK(v.size() <= 1);
        return v.empty() ? std::string() : v.front();
    };
    CHECK(one(kDc, "title") == info(q, "/Title"));
    CHECK(xmp_values(xmp, kDc, "creator") == std::vector<std::string>{info(q, "/Author")});
    CHECK(one(kDc, "description") == info(q, "/Subject"));
    CHECK(one(kPdf, "Keywords") == info(q, "/Keywords"));
    CHECK(one(kDc, "language") == root.getKey("/Lang").getUTF8Value());
    CHECK(one(kXmp, "CreatorTool") == info(q, "/Creator"));
    CHECK(one(kPdf, "Producer") == info(q, "/Producer"));
    CHECK(normal_iso(one(kXmp, "CreateDate")) == iso_of_pdf_date(info(q, "/CreationDate")));
    CHECK(normal_iso(one(kXmp, "ModifyDate")) == iso_of_pdf_date(info(q, "/ModDate")));
    CHECK(one(kPdfaId, "part") == "2");
    CHECK(one(kPdfaId, "conformance") == "B");

    // The output intent: GTS_PDFA1 with an RGB ICC profile.
    QPDFObjectHandle intents = root.getKey("/OutputIntents");
    REQUIRE(intents.isArray());
    int pdfa_intents = 0;
    for (auto& intent : intents.aitems()) {
        if (!intent.isDictionary() || !intent.getKey("/S").isNameAndEquals("/GTS_PDFA1")) continue;
        ++pdfa_intents;
        QPDFObjectHandle profile = intent.getKey("/DestOutputProfile");
        REQUIRE(profile.isStream());
        CHECK(profile.getDict().getKey("/N").isInteger());
        CHECK(profile.getDict().getKey("/N").getIntValue() == 3);
        auto data = profile.getStreamData(qpdf_dl_all);
        const std::string icc(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
        REQUIRE(icc.size() >= 128);
        CHECK(icc.substr(36, 4) == "acsp");
        CHECK(icc.substr(16, 4) == "RGB ");
    }
    CHECK(pdfa_intents == 1);

    // /ID: two non-empty strings; nothing encrypted.
    QPDFObjectHandle id = trailer.getKey("/ID");
    REQUIRE(id.isArray());
    REQUIRE(id.getArrayNItems() == 2);
    CHECK(id.getArrayItem(0).isString());
    CHECK(id.getArrayItem(1).isString());
    CHECK(!id.getArrayItem(0).getStringValue().empty());
    CHECK(!trailer.hasKey("/Encrypt"));
    CHECK(!q.isEncrypted());

    // Fonts.
    FontScan scan;
    std::set<QPDFObjGen> seen;
    for (auto& page : QPDFPageDocumentHelper(q).getAllPages())
        scan_resources(page.getObjectHandle().getKey("/Resources"), scan, seen);
    CHECK(scan.fonts >= 2);
    for (const std::string& f : scan.unembedded) FAIL_CHECK("font not embedded: " << f);
}

struct OutlineItem {
    std::string title;
    int page = -1;  // 0-based
    std::vector<OutlineItem> kids;
};

std::vector<OutlineItem> read_outline(QPDF& q) {
    QPDFOutlineDocumentHelper dh(q);
    auto pages = QPDFPageDocumentHelper(q).getAllPages();
    std::function<OutlineItem(QPDFOutlineObjectHelper&)> read = [&](QPDFOutlineObjectHelper& o) {
        OutlineItem item{o.getTitle(), page_index(pages, o.getDestPage()), {}};
        for (auto& k : o.getKids()) item.kids.push_back(read(k));
        return item;
    };
    std::vector<OutlineItem> out;
    for (auto& top : dh.getTopLevelOutlines()) out.push_back(read(top));
    return out;
}

std::vector<std::string> titles(const std::vector<OutlineItem>& items) {
    std::vector<std::string> out;
    for (auto& i : items) out.push_back(i.title);
    return out;
}

// Headings as outline descendants of a story item, in document order.
void flatten(const std::vector<OutlineItem>& items, std::vector<const OutlineItem*>& out) {
    for (auto& i : items) {
        out.push_back(&i);
        flatten(i.kids, out);
    }
}

class NullParser : public QPDFObjectHandle::ParserCallbacks {
public:
    void handleObject(QPDFObjectHandle) override {}
    void handleEOF() override {}
};

// Every object read, every stream decoded, every page's content parsed:
// qpdf has nothing to warn about. Then the qpdf command's --check, if it
// is installed.
void check_with_qpdf(const std::string& path) {
    INFO(path);
    QPDF q;
    q.setSuppressWarnings(true);
    try {
        q.processFile(path.c_str());
        size_t streams = 0;
        for (auto& obj : q.getAllObjects())
            if (obj.isStream()) {
                obj.getStreamData(qpdf_dl_all);
                ++streams;
            }
        CHECK(streams > 0);
        NullParser parser;
        for (auto& page : QPDFPageDocumentHelper(q).getAllPages()) page.parseContents(&parser);
        QPDFOutlineDocumentHelper outlines(q);
        (void)outlines.getTopLevelOutlines();
    } catch (const std::exception& e) {
        FAIL(e.what());
    }
    for (auto& w : q.getWarnings()) FAIL_CHECK("qpdf warning: " << w.what());
    CHECK(!q.anyWarnings());

    const char* qpdf = "/usr/bin/qpdf";
    if (::access(qpdf, X_OK) != 0) {
        WARN("qpdf --check skipped: " << qpdf << " is not installed");
        return;
    }
    std::string command = std::string(qpdf) + " --check '" + path + "' > /dev/null 2>&1";
    int status = std::system(command.c_str());
    REQUIRE(status != -1);
    INFO(command);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);  // 2: errors, 3: warnings
}

struct LinkInfo {
    int page = 0;       // 0-based page it is on
    int target = -1;    // 0-based destination page, -1: none or a URI
    std::string uri;
    long long flags = 0;
    std::string text;   // squeezed text under it
};

std::vector<LinkInfo> read_links(QPDF& q, const std::vector<PageText>& texts) {
    QPDFOutlineDocumentHelper dh(q);
    auto pages = QPDFPageDocumentHelper(q).getAllPages();
    std::vector<LinkInfo> out;
    for (size_t p = 0; p < pages.size(); ++p) {
        auto mb = pages[p].getMediaBox().getArrayAsRectangle();
        for (auto& annot : pages[p].getAnnotations("/Link")) {
            QPDFObjectHandle a = annot.getObjectHandle();
            LinkInfo l;
            l.page = static_cast<int>(p);
            l.flags = a.getKey("/F").isInteger() ? a.getKey("/F").getIntValue() : 0;
            QPDFObjectHandle action = a.getKey("/A");
            if (action.isDictionary() && action.getKey("/S").isNameAndEquals("/URI"))
                l.uri = action.getKey("/URI").isString() ? action.getKey("/URI").getStringValue() : "?";
            else
                l.target = dest_page(pages, link_dest(dh, a));
            auto r = annot.getRect();
            if (p < texts.size())
                l.text = text_in(texts[p], mb.ury - mb.lly, std::min(r.llx, r.urx), std::min(r.lly, r.ury),
                                 std::max(r.llx, r.urx), std::max(r.lly, r.ury));
            out.push_back(l);
        }
    }
    return out;
}

void check_uris(const std::vector<LinkInfo>& links) {
    for (const LinkInfo& l : links) {
        if (l.uri.empty()) continue;
        INFO("URI link on page " << l.page + 1 << ": " << l.uri);
        bool ascii = true;
        for (unsigned char c : l.uri) ascii = ascii && c > 0x20 && c < 0x7F;
        CHECK(ascii);
        CHECK(std::regex_search(l.uri, std::regex("%(?![0-9A-Fa-f]{2})")) == false);  // every % starts an escape
    }
}

}  // namespace

// ------------------------------------------------------------ 1. Info

TEST_CASE("archive pdf: the issue's Info dictionary and catalog say what it is") {
    const IssueRender& r = sample_issue();
    std::string author_set;  // every byline of the issue, once each
    for (auto& a : r.issue.articles)
        for (auto& n : a.doc.byline) {
            bool dup = false;
            for (auto& b : r.issue.articles)
                if (&b < &a && std::find(b.doc.byline.begin(), b.doc.byline.end(), n) != b.doc.byline.end()) dup = true;
            if (!dup) author_set += (author_set.empty() ? "" : "、") + n;
        }
    const std::string lang = !r.issue.lang.empty() ? r.issue.lang : r.style.lang;
    for (const std::string& path : {r.pdfa, r.plain}) {
        INFO(path);
        auto q = open_pdf(path);
        check_info(*q, r.issue.newsletter + " " + r.issue.issue_label, author_set, lang);
        CHECK(lang == "zh-Hans");
    }
}

TEST_CASE("archive pdf: the article's Info dictionary and catalog say what it is") {
    const ArticleRender& r = sample_article();
    auto q = open_pdf(r.pdfa);
    std::string author = galley::join(r.doc.byline, "、");
    check_info(*q, r.doc.title, author, r.doc.lang);
    CHECK(r.doc.lang == "zh-Hans");
    CHECK(trim(info(*q, "/Subject")) == trim(r.doc.summary));
    CHECK(!info(*q, "/Subject").empty());
    std::string keywords = galley::join(r.doc.tags, ", ");
    CHECK(info(*q, "/Keywords") == keywords);
    CHECK(!keywords.empty());

    // Without SOURCE_DATE_EPOCH the dateline's date (2019-01-18 13:01:08) is the PDF's date.
    auto own = open_pdf(r.own_date);
    CHECK(info(*own, "/CreationDate").rfind("D:20190118130108", 0) == 0);
    CHECK(info(*own, "/CreationDate") == info(*own, "/ModDate"));
}

// cairo 1.16 writes /PageLabels << /Nums [] >> however
// cairo_pdf_surface_set_page_label is called; the archive stage writes
// /PageLabels << /Nums [0 << /S /D >>] >> instead.
TEST_CASE("archive pdf: page labels number the pages from 1") {
    const IssueRender& r = sample_issue();
    auto q = open_pdf(r.pdfa);
    QPDFObjectHandle labels = q->getRoot().getKey("/PageLabels");
    REQUIRE(labels.isDictionary());
    QPDFObjectHandle nums = labels.getKey("/Nums");
    REQUIRE(nums.isArray());
    REQUIRE(nums.getArrayNItems() >= 2);
    CHECK(nums.getArrayItem(0).isInteger());
    CHECK(nums.getArrayItem(0).getIntValue() == 0);
    QPDFObjectHandle first = nums.getArrayItem(1);
    REQUIRE(first.isDictionary());
    CHECK(first.getKey("/S").isNameAndEquals("/D"));
    CHECK((!first.hasKey("/St") || first.getKey("/St").getIntValue() == 1));
}

// ------------------------------------------------------------ 2. PDF/A

TEST_CASE("archive pdf: PDF/A output carries XMP that mirrors Info and an sRGB output intent") {
    const IssueRender& issue = sample_issue();
    const ArticleRender& article = sample_article();
    for (const std::string& path : {issue.pdfa, article.pdfa}) {
        INFO(path);
        auto q = open_pdf(path);
        check_pdfa(*q, read_file(path));
    }
    // Without PDF/A: no XMP and no output intent, but still /ID and no encryption.
    auto q = open_pdf(issue.plain);
    CHECK(!q->getRoot().hasKey("/Metadata"));
    CHECK(!q->getRoot().hasKey("/OutputIntents"));
    CHECK(q->getTrailer().getKey("/ID").isArray());
    CHECK(!q->getTrailer().hasKey("/Encrypt"));
}

// ------------------------------------------------------------ 3. outline

TEST_CASE("archive pdf: the issue's bookmarks are the issue, its stories in order and their headings") {
    const IssueRender& r = sample_issue();
    const auto order = story_order(r.issue);
    const std::vector<PageText> texts = page_texts(r.pdfa);
    const std::vector<std::string> search = title_search_texts(texts, order);
    auto q = open_pdf(r.pdfa);
    const std::vector<OutlineItem> top = read_outline(*q);
    REQUIRE(top.size() == 1);
    CHECK(top[0].title == r.issue.newsletter + " " + r.issue.issue_label);
    CHECK(top[0].page == 0);
    std::vector<std::string> want;
    for (auto* a : order) want.push_back(a->doc.title);
    REQUIRE(titles(top[0].kids) == want);
    int heading_count = 0;
    for (size_t s = 0; s < order.size(); ++s) {
        const OutlineItem& story = top[0].kids[s];
        INFO("story " << s + 1 << ": " << story.title);
        const int printed = title_page(search, order[s]->doc.title);
        CHECK(printed >= 0);
        CHECK(story.page == printed);
        std::vector<const OutlineItem*> all;
        flatten(story.kids, all);
        std::vector<std::string> got;
        for (auto* h : all) got.push_back(h->title);
        CHECK(got == headings(order[s]->doc));
        for (auto* h : all) {
            INFO("heading " << h->title << " -> page " << h->page + 1);
            REQUIRE(h->page >= 0);
            CHECK(h->page >= story.page);
            CHECK(squeeze(texts[h->page].raw).find(squeeze(h->title)) != std::string::npos);
        }
        heading_count += static_cast<int>(all.size());
    }
    CHECK(heading_count == 6);  // the samples' ## headings: 3 + 3
}

TEST_CASE("archive pdf: the article's bookmark is its title with its headings under it") {
    const ArticleRender& r = sample_article();
    auto q = open_pdf(r.pdfa);
    const std::vector<OutlineItem> top = read_outline(*q);
    REQUIRE(top.size() == 1);
    CHECK(top[0].title == r.doc.title);
    CHECK(top[0].page == 0);
    std::vector<const OutlineItem*> all;
    flatten(top[0].kids, all);
    std::vector<std::string> got;
    for (auto* h : all) got.push_back(h->title);
    CHECK(got == headings(r.doc));
    CHECK(got.size() == 3);
    const std::vector<PageText> texts = page_texts(r.pdfa);
    for (auto* h : all) {
        INFO(h->title);
        REQUIRE(h->page >= 0);
        CHECK(squeeze(texts[h->page].raw).find(squeeze(h->title)) != std::string::npos);
    }
}

// The outline dictionary's /Count is the number of visible items and
// "cannot be negative" (ISO 32000-1 Table 152); cairo 1.16 negates it as
// for a closed item, and the archive stage writes the absolute value. The
// sample issue has 12 (the issue, its 5 stories, and the 6 headings).
TEST_CASE("archive pdf: the outline root's /Count is the number of visible items") {
    const IssueRender& r = sample_issue();
    auto q = open_pdf(r.pdfa);
    QPDFObjectHandle outlines = q->getRoot().getKey("/Outlines");
    REQUIRE(outlines.isDictionary());
    std::function<int(QPDFObjectHandle)> visible = [&](QPDFObjectHandle first) {
        int n = 0;
        for (QPDFObjectHandle item = first; item.isDictionary(); item = item.getKey("/Next")) {
            ++n;
            if (item.getKey("/Count").isInteger() && item.getKey("/Count").getIntValue() > 0)
                n += visible(item.getKey("/First"));
        }
        return n;
    };
    const int want = visible(outlines.getKey("/First"));
    CHECK(want == 12);
    REQUIRE(outlines.getKey("/Count").isInteger());
    CHECK(outlines.getKey("/Count").getIntValue() == want);
}

// ------------------------------------------------------------ 4. links

TEST_CASE("archive pdf: contents entries link to the pages they name, and no jump line is printed") {
    const IssueRender& r = sample_issue();
    const auto order = story_order(r.issue);
    const std::vector<PageText> texts = page_texts(r.pdfa);
    const std::vector<std::string> search = title_search_texts(texts, order);
    auto q = open_pdf(r.pdfa);
    const std::vector<LinkInfo> links = read_links(*q, texts);
    REQUIRE(!links.empty());
    const std::regex to_re("（转第([0-9]+)版）"), from_re("（接第([0-9]+)版）"), entry_re("第([0-9]+)版");
    int to = 0, from = 0, entries = 0;
    std::set<size_t> listed;
    for (const LinkInfo& l : links) {
        INFO("link on page " << l.page + 1 << " over \"" << l.text << "\" to page " << l.target + 1);
        CHECK((l.flags & 4) != 0);  // printable
        CHECK((l.flags & (1 | 2 | 32)) == 0);  // not invisible, hidden or no-view
        std::smatch m;
        if (std::regex_search(l.text, m, to_re)) {
            ++to;
            const int named = std::stoi(m[1].str());
            CHECK(named == l.page + 2);
            CHECK(l.target == named - 1);
        } else if (std::regex_search(l.text, m, from_re)) {
            ++from;
            const int named = std::stoi(m[1].str());
            CHECK(named == l.page);
            CHECK(l.target == named - 1);
        } else if (l.page == 0 && l.uri.empty() && std::regex_search(l.text, m, entry_re)) {
            ++entries;
            size_t s = order.size();
            for (size_t k = 0; k < order.size(); ++k)
                if (l.text.find(squeeze(order[k]->doc.title)) != std::string::npos) s = k;
            REQUIRE(s < order.size());
            INFO("contents entry for " << order[s]->doc.title);
            CHECK(listed.insert(s).second);
            const int named = std::stoi(m[1].str());
            const int printed = title_page(search, order[s]->doc.title);
            CHECK(named == printed + 1);
            CHECK(l.target == printed);
        } else {
            FAIL_CHECK("a link over text that is neither a jump line nor a contents entry");
        }
    }
    // As many link areas as jump lines printed, each way.
    int printed_to = 0, printed_from = 0;
    for (const PageText& t : texts) {
        const std::string s = squeeze(t.raw);
        printed_to += static_cast<int>(std::distance(std::sregex_iterator(s.begin(), s.end(), to_re), std::sregex_iterator()));
        printed_from += static_cast<int>(std::distance(std::sregex_iterator(s.begin(), s.end(), from_re), std::sregex_iterator()));
    }
    // Stories go on at the top of the next page: make-up prints no jump line.
    CHECK(printed_to == 0);
    CHECK(printed_from == 0);
    CHECK(to == 0);
    CHECK(from == 0);
    CHECK(entries == static_cast<int>(order.size()));
    check_uris(links);
}

TEST_CASE("archive pdf: Markdown links become printable 7-bit URI links") {
    const std::string dir = out_dir();
    const std::string target = "https://example.org/新闻/高新区 党建?q=“三次创业”&p=1";
    const std::string encoded_already = "https://example.org/a%20b";
    std::ofstream(dir + "/links.md", std::ios::binary)
        << "---\ntitle: 链接测试\nlang: zh-Hans\n---\n\n详见[高新区官网](<" << target << ">)和[英文版](" << encoded_already
        << ")。\n";
    Diagnostics d;
    Document doc = load_article(dir + "/links.md", d);
    REQUIRE(!has_errors(d));
    Layout layout = layout_article(doc, bulletin_style(), fonts(), d);
    REQUIRE(!has_errors(d));
    const std::string pdf = dir + "/links.pdf";
    write_pdf(layout, pdf, options(true));
    auto q = open_pdf(pdf);
    const std::vector<LinkInfo> links = read_links(*q, page_texts(pdf));
    std::set<std::string> uris;
    for (const LinkInfo& l : links) {
        INFO(l.uri << " over " << l.text);
        CHECK((l.flags & 4) != 0);
        if (!l.uri.empty()) uris.insert(l.uri);
    }
    check_uris(links);
    REQUIRE(uris.size() == 2);
    std::set<std::string> decoded;
    for (auto& u : uris) decoded.insert(percent_decode(u));
    // What the links say, and nothing more: the Markdown's own escapes stay.
    CHECK(decoded.count(percent_decode(encoded_already)) == 1);
    std::string want = target;
    CHECK(decoded.count(want) == 1);
}

// ------------------------------------------------------------ 5. reproducibility

TEST_CASE("archive pdf: the same SOURCE_DATE_EPOCH gives the same bytes, with and without PDF/A") {
    const IssueRender& r = sample_issue();
    const std::string a = read_file(r.pdfa), a2 = read_file(r.pdfa_again);
    const std::string p = read_file(r.plain), p2 = read_file(r.plain_again);
    REQUIRE(a.size() > 10000);
    REQUIRE(p.size() > 10000);
    CHECK(a == a2);
    CHECK(p == p2);
    CHECK(a != p);
    // Different bytes, different /ID.
    auto qa = open_pdf(r.pdfa), qp = open_pdf(r.plain);
    CHECK(qa->getTrailer().getKey("/ID").unparse() != qp->getTrailer().getKey("/ID").unparse());
}

// ------------------------------------------------------------ 6. qpdf

TEST_CASE("archive pdf: qpdf reads every object and stream without a warning") {
    const IssueRender& issue = sample_issue();
    const ArticleRender& article = sample_article();
    for (const std::string& path : {issue.pdfa, issue.plain, article.pdfa, article.own_date}) check_with_qpdf(path);
}

// ------------------------------------------------------------ 7. text

TEST_CASE("archive pdf: each story's first and last paragraphs read back exactly once") {
    const IssueRender& r = sample_issue();
    const auto order = story_order(r.issue);
    const std::vector<PageText> texts = page_texts(r.pdfa);
    REQUIRE(texts.size() == r.layout.pages.size());
    std::string head = r.issue.newsletter + r.issue.issue_label;
    if (r.issue.date) head += format_date(*r.issue.date, true, false);
    head = squeeze(head);
    std::string all;
    for (size_t p = 0; p < texts.size(); ++p) {
        std::string raw = texts[p].raw;
        const std::string folio = "- " + std::to_string(p + 1) + " -";
        size_t f = raw.rfind(folio);
        if (f != std::string::npos) raw.erase(f, folio.size());
        std::string text = squeeze(raw);
        if (p == 0) {
            size_t box = text.find("本期导读");
            REQUIRE(box != std::string::npos);
            text.erase(box);
        } else {
            erase_running_heads(text, head, issue_sections(r.issue));
        }
        text = std::regex_replace(text, std::regex("（(转|接)第[0-9]+版）"), "");
        for (auto* a : order) erase_all(text, "相关阅读：" + squeeze(a->doc.title));
        for (auto* a : order) erase_all(text, squeeze(a->doc.title));
        all += text;
    }
    for (auto* a : order) {
        std::vector<std::string> paragraphs;
        for (const Block& b : a->doc.body)
            if (b.kind == BlockKind::Paragraph && !flat(spans_text(b.spans)).empty())
                paragraphs.push_back(flat(spans_text(b.spans)));
        REQUIRE(!paragraphs.empty());
        INFO(a->doc.title);
        {
            INFO("first paragraph: " << paragraphs.front().substr(0, 60));
            CHECK(count_of(all, paragraphs.front()) == 1);
        }
        {
            INFO("last paragraph: " << paragraphs.back().substr(0, 60));
            CHECK(count_of(all, paragraphs.back()) == 1);
        }
    }
}

// A '%' not followed by two hex digits is a literal percent sign and is
// written "%25" (RFC 3986 §2.1); an existing escape stays as it is.
TEST_CASE("archive pdf: a literal percent sign in a link is escaped") {
    const std::string dir = out_dir();
    std::ofstream(dir + "/percent.md", std::ios::binary)
        << "---\ntitle: 百分号\nlang: zh-Hans\n---\n\n增速见[统计公报](https://example.org/report?growth=12%)。\n";
    Diagnostics d;
    Document doc = load_article(dir + "/percent.md", d);
    REQUIRE(!has_errors(d));
    Layout layout = layout_article(doc, bulletin_style(), fonts(), d);
    REQUIRE(!has_errors(d));
    const std::string pdf = dir + "/percent.pdf";
    write_pdf(layout, pdf, options(false));
    auto q = open_pdf(pdf);
    std::vector<std::string> uris;
    for (const LinkInfo& l : read_links(*q, page_texts(pdf)))
        if (!l.uri.empty()) uris.push_back(l.uri);
    REQUIRE(uris.size() == 1);
    CHECK(uris[0] == "https://example.org/report?growth=12%25");
}

// The XML reader above is strict enough to mean something.
TEST_CASE("archive pdf: the test's XML reader rejects malformed packets") {
    const std::string head = "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>";
    const std::string tail = "<?xpacket end=\"w\"?>";
    const std::string ns = " xmlns:x=\"adobe:ns:meta/\" xmlns:dc=\"" + kDc + "\"";
    auto ok = [&](const std::string& body) {
        try {
            parse_xmp(head + body + tail);
            return true;
        } catch (const std::exception&) {
            return false;
        }
    };
    CHECK(ok("<x:xmpmeta" + ns + "><dc:title a=\"&amp;&#x4E2D;\">高新区 &lt;通讯&gt;</dc:title></x:xmpmeta>\n"));
    CHECK(!ok("<x:xmpmeta" + ns + "><dc:title></x:xmpmeta>"));            // unclosed
    CHECK(!ok("<x:xmpmeta" + ns + "><dc:title>&nbsp;</dc:title></x:xmpmeta>"));  // unknown entity
    CHECK(!ok("<x:xmpmeta" + ns + "><dc:title>a & b</dc:title></x:xmpmeta>"));   // bare &
    CHECK(!ok("<x:xmpmeta" + ns + "><xmp:CreateDate/></x:xmpmeta>"));     // undeclared prefix
    CHECK(!ok("<x:xmpmeta" + ns + " a='1' a='2'/>"));                     // duplicate attribute
    CHECK(!ok("<x:xmpmeta" + ns + "/><x:xmpmeta" + ns + "/>"));           // two roots
    CHECK(!ok("<x:xmpmeta" + ns + ">\xE9\x80</x:xmpmeta>"));              // broken UTF-8
    CHECK(!ok("<x:xmpmeta" + ns + ">\x01</x:xmpmeta>"));                  // not an XML character
}
