// Archive-grade PDF: Info with D: dates, /Lang, printable links, print
// boxes, PDF/A-2b XMP and output intent, deterministic output.
#include <catch2/catch.hpp>

#include <cairo-pdf.h>
#include <cairo.h>
#include <qpdf/Pl_Discard.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "common/utf8.h"
#include "galley/diagnostics.h"
#include "support.h"

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string tmp(const std::string& name) { return galley::test::temp_dir() + "/" + name; }

const char* kIcc = "/usr/share/color/icc/sRGB.icc";

// A two-page PDF as cairo 1.16 writes it: toy-font text, a URI link on each
// page, page labels, cairo's own metadata (dates fixed so it is repeatable).
void make_pdf(const std::string& path, double w = 300, double h = 400) {
    cairo_surface_t* s = cairo_pdf_surface_create(path.c_str(), w, h);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "cairo title");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2001-02-03T04:05:06Z");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, "2001-02-03T04:05:06Z");
    cairo_t* cr = cairo_create(s);
    cairo_select_font_face(cr, "sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    for (int page = 0; page < 2; ++page) {
        cairo_pdf_surface_set_page_label(s, page == 0 ? "i" : "ii");
        cairo_move_to(cr, 30, 50);
        cairo_show_text(cr, "Archive test ");
        cairo_tag_begin(cr, CAIRO_TAG_LINK, "uri='https://example.org'");
        cairo_show_text(cr, "a link");
        cairo_tag_end(cr, CAIRO_TAG_LINK);
        if (page == 0) {  // an image: cairo writes /Interpolate true for it
            cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 4);
            cairo_t* ic = cairo_create(img);
            cairo_set_source_rgb(ic, 0.2, 0.4, 0.6);
            cairo_paint(ic);
            cairo_destroy(ic);
            cairo_save(cr);
            cairo_translate(cr, 30, 100);
            cairo_scale(cr, 20, 20);
            cairo_set_source_surface(cr, img, 0, 0);
            cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
            cairo_paint(cr);
            cairo_restore(cr);
            cairo_surface_destroy(img);
        }
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    REQUIRE(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

galley::ArchiveMetadata sample_meta() {
    galley::ArchiveMetadata m;
    m.title = "Harbour reopens";
    m.author = "Li Wei and Anna Berg";
    m.authors = {"Li Wei", "Anna Berg"};
    m.subject = "The harbour reopened on Friday.";
    m.tags = {"harbour", "shipping"};
    m.creator = "Galley 0.1.0";
    m.lang = "en-GB";
    m.date = "2019-01-18T13:01:08+08:00";
    return m;
}

struct EnvGuard {  // sets or clears one variable for the scope
    std::string name;
    std::optional<std::string> old;
    EnvGuard(std::string n, const char* value) : name(std::move(n)) {
        if (const char* o = std::getenv(name.c_str())) old = o;
        if (value) ::setenv(name.c_str(), value, 1);
        else ::unsetenv(name.c_str());
    }
    ~EnvGuard() {
        if (old) ::setenv(name.c_str(), old->c_str(), 1);
        else ::unsetenv(name.c_str());
    }
};

std::unique_ptr<QPDF> open_pdf(const std::string& path) {
    auto q = std::make_unique<QPDF>();
    q->setSuppressWarnings(true);
    q->processFile(path.c_str());
    return q;
}

// ---- a small, strict XML parser (enough for an XMP packet) ----------------

struct XmlNode {
    std::string name;
    std::map<std::string, std::string> attrs;
    std::vector<XmlNode> children;
    std::string text;  // character data directly inside, entities decoded
};

struct XmlParser {
    const std::string& s;
    size_t i = 0;
    explicit XmlParser(const std::string& src) : s(src) {}

    [[noreturn]] void bad(const std::string& why) {
        throw std::runtime_error("XML error at byte " + std::to_string(i) + ": " + why);
    }
    bool at(const char* lit) const { return s.compare(i, std::strlen(lit), lit) == 0; }
    void expect(const char* lit) {
        if (!at(lit)) bad(std::string("expected ") + lit);
        i += std::strlen(lit);
    }
    void ws() { while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i; }
    static bool name_start(unsigned char c) { return std::isalpha(c) || c == '_' || c == ':' || c >= 0x80; }
    static bool name_char(unsigned char c) { return name_start(c) || std::isdigit(c) || c == '-' || c == '.'; }
    std::string name() {
        if (i >= s.size() || !name_start(s[i])) bad("expected a name");
        size_t b = i;
        while (i < s.size() && name_char(s[i])) ++i;
        return s.substr(b, i - b);
    }
    void pi() {  // <?target ...?>
        expect("<?");
        name();
        size_t e = s.find("?>", i);
        if (e == std::string::npos) bad("unterminated processing instruction");
        i = e + 2;
    }
    void comment() {
        expect("<!--");
        size_t e = s.find("-->", i);
        if (e == std::string::npos) bad("unterminated comment");
        i = e + 3;
    }
    void misc() {
        for (;;) {
            ws();
            if (at("<?")) pi();
            else if (at("<!--")) comment();
            else return;
        }
    }
    std::string entity() {
        expect("&");
        size_t e = s.find(';', i);
        if (e == std::string::npos || e - i > 10) bad("bad entity");
        std::string ent = s.substr(i, e - i);
        i = e + 1;
        if (ent == "amp") return "&";
        if (ent == "lt") return "<";
        if (ent == "gt") return ">";
        if (ent == "quot") return "\"";
        if (ent == "apos") return "'";
        if (!ent.empty() && ent[0] == '#') {
            unsigned long cp = ent.size() > 1 && ent[1] == 'x' ? std::stoul(ent.substr(2), nullptr, 16)
                                                                : std::stoul(ent.substr(1));
            std::string out;
            galley::utf8_append(out, static_cast<char32_t>(cp));
            return out;
        }
        bad("unknown entity &" + ent + ";");
    }
    XmlNode element() {
        XmlNode n;
        expect("<");
        n.name = name();
        for (;;) {
            size_t before = i;
            ws();
            if (at("/>")) { i += 2; return n; }
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
                if (s[i] == '&') v += entity();
                else v += s[i++];
            }
            expect(q == '"' ? "\"" : "'");
            if (n.attrs.count(an)) bad("duplicate attribute " + an);
            n.attrs[an] = v;
        }
        for (;;) {
            if (i >= s.size()) bad("unterminated element " + n.name);
            if (at("</")) {
                i += 2;
                std::string end = name();
                if (end != n.name) bad("</" + end + "> closes <" + n.name + ">");
                ws();
                expect(">");
                return n;
            }
            if (at("<!--")) comment();
            else if (at("<?")) pi();
            else if (at("<![CDATA[")) {
                i += 9;
                size_t e = s.find("]]>", i);
                if (e == std::string::npos) bad("unterminated CDATA");
                n.text += s.substr(i, e - i);
                i = e + 3;
            } else if (at("<")) n.children.push_back(element());
            else if (s[i] == '&') n.text += entity();
            else if (s[i] == '>' && i >= 2 && s.compare(i - 2, 2, "]]") == 0) bad("']]>' in text");
            else n.text += s[i++];
        }
    }
    XmlNode document() {
        if (!at("<?xpacket")) bad("no xpacket header");
        misc();
        XmlNode root = element();
        misc();
        if (i != s.size()) bad("content after the root element");
        return root;
    }
};

const XmlNode* find(const XmlNode& n, const std::string& name) {
    if (n.name == name) return &n;
    for (const auto& c : n.children)
        if (const XmlNode* f = find(c, name)) return f;
    return nullptr;
}

// The rdf:li values of a dc: property (Alt, Seq or Bag), or the text of a
// simple property.
std::vector<std::string> xmp_values(const XmlNode& root, const std::string& prop) {
    const XmlNode* p = find(root, prop);
    if (!p) return {};
    if (p->children.empty()) return {p->text};
    std::vector<std::string> out;
    for (const auto& container : p->children)
        for (const auto& li : container.children)
            if (li.name == "rdf:li") out.push_back(li.text);
    return out;
}

std::string info_value(QPDF& q, const char* key) {
    auto v = q.getTrailer().getKey("/Info").getKey(key);
    return v.isString() ? v.getUTF8Value() : "";
}

std::vector<double> rect(QPDFObjectHandle a) {
    std::vector<double> out;
    if (a.isArray())
        for (auto& x : a.aitems()) out.push_back(x.getNumericValue());
    return out;
}

std::string bytes(QPDFObjectHandle stream) {
    auto b = stream.getStreamData(qpdf_dl_generalized);
    return std::string(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
}

std::string xmp_of(QPDF& q) {
    auto md = q.getRoot().getKey("/Metadata");
    REQUIRE(md.isStream());
    return bytes(md);
}

}  // namespace

TEST_CASE("archive: pdf_date converts ISO 8601 to PDF dates", "[archive]") {
    using galley::pdf_date;
    CHECK(pdf_date("2019-01-18T13:01:08+08:00") == "D:20190118130108+08'00'");
    CHECK(pdf_date("2019-01-18T13:01:08-05:30") == "D:20190118130108-05'30'");
    CHECK(pdf_date("2019-01-18T05:01:08Z") == "D:20190118050108Z");
    CHECK(pdf_date("2019-01-18T13:01+08:00") == "D:201901181301+08'00'");
    CHECK(pdf_date("2019-01-18T13:01:08.250+0800") == "D:20190118130108+08'00'");
    CHECK(pdf_date("2019-01-18T13:01:08") == "D:20190118130108");
    CHECK(pdf_date("2019-01-18") == "D:20190118");
    CHECK(pdf_date("2024-02-29") == "D:20240229");
    for (const char* bad : {"", "2019-1-18", "2019-02-30", "2019-01-18T25:00", "18.01.2019",
                            "2019-01-18T13:01:08+08:00x", "2023-02-29"})
        CHECK_THROWS_AS(pdf_date(bad), galley::Failure);
    CHECK(galley::iso_date("D:20190118130108+08'00'") == "2019-01-18T13:01:08+08:00");
    CHECK(galley::iso_date("20190118130108+08'00") == "2019-01-18T13:01:08+08:00");  // cairo's form
    CHECK(galley::iso_date("D:20190118050108Z") == "2019-01-18T05:01:08Z");
    CHECK(galley::iso_date("junk").empty());
}

TEST_CASE("archive: Info dictionary with D: dates, Lang, printable links, print boxes", "[archive]") {
    std::string in = tmp("info-in.pdf"), out = tmp("info-out.pdf");
    make_pdf(in, 300 + 18, 400 + 18);
    galley::ArchiveOptions opt;
    opt.bleed = 9;
    galley::archive_pdf(in, out, sample_meta(), opt);

    auto q = open_pdf(out);
    CHECK(info_value(*q, "/Title") == "Harbour reopens");
    CHECK(info_value(*q, "/Author") == "Li Wei and Anna Berg");
    CHECK(info_value(*q, "/Subject") == "The harbour reopened on Friday.");
    CHECK(info_value(*q, "/Keywords") == "harbour, shipping");
    CHECK(info_value(*q, "/Creator") == "Galley 0.1.0");
    CHECK(info_value(*q, "/Producer") == "Galley 0.1.0");
    CHECK(info_value(*q, "/CreationDate") == "D:20190118130108+08'00'");
    CHECK(info_value(*q, "/ModDate") == "D:20190118130108+08'00'");
    CHECK(q->getRoot().getKey("/Lang").getUTF8Value() == "en-GB");
    CHECK(q->getRoot().getKey("/PageLabels").isDictionary());  // cairo's, kept
    CHECK_FALSE(q->getRoot().hasKey("/Metadata"));              // no XMP without pdfa
    CHECK_FALSE(q->getRoot().hasKey("/OutputIntents"));

    auto pages = QPDFPageDocumentHelper(*q).getAllPages();
    REQUIRE(pages.size() == 2);
    int links = 0;
    for (auto& page : pages) {
        auto po = page.getObjectHandle();
        CHECK(rect(po.getKey("/MediaBox")) == std::vector<double>{0, 0, 318, 418});
        CHECK(rect(po.getKey("/BleedBox")) == std::vector<double>{0, 0, 318, 418});
        CHECK(rect(po.getKey("/TrimBox")) == std::vector<double>{9, 9, 309, 409});
        CHECK(po.getKey("/Group").isDictionary());  // cairo's transparency group stays
        for (auto& a : page.getAnnotations("/Link")) {
            ++links;
            CHECK(a.getObjectHandle().getKey("/F").isInteger());
            CHECK(a.getObjectHandle().getKey("/F").getIntValue() == 4);
        }
    }
    CHECK(links == 2);
    auto id = q->getTrailer().getKey("/ID");
    REQUIRE(id.isArray());
    CHECK(id.getArrayNItems() == 2);
    CHECK_FALSE(q->isEncrypted());
}

TEST_CASE("archive: without bleed TrimBox and BleedBox equal the MediaBox", "[archive]") {
    std::string in = tmp("nobleed-in.pdf"), out = tmp("nobleed-out.pdf");
    make_pdf(in, 595.28, 841.89);
    galley::archive_pdf(in, out, sample_meta(), {});
    auto q = open_pdf(out);
    for (auto& page : QPDFPageDocumentHelper(*q).getAllPages()) {
        auto po = page.getObjectHandle();
        auto mb = rect(po.getKey("/MediaBox"));
        CHECK(rect(po.getKey("/TrimBox")) == mb);
        CHECK(rect(po.getKey("/BleedBox")) == mb);
    }
}

TEST_CASE("archive: PDF/A-2b XMP mirrors Info, sRGB output intent, deterministic ID", "[archive]") {
    std::string in = tmp("pdfa-in.pdf"), out = tmp("pdfa-out.pdf"), out2 = tmp("pdfa-out2.pdf");
    make_pdf(in);
    galley::ArchiveOptions opt;
    opt.pdfa = true;
    galley::archive_pdf(in, out, sample_meta(), opt);
    galley::archive_pdf(in, out2, sample_meta(), opt);
    CHECK(slurp(out) == slurp(out2));

    std::string raw = slurp(out);
    CHECK(raw.compare(0, 9, "%PDF-1.7\n") == 0);
    CHECK(raw.find("/ObjStm") == std::string::npos);
    CHECK(raw.find("/Encrypt") == std::string::npos);

    auto q = open_pdf(out);
    auto md = q->getRoot().getKey("/Metadata");
    REQUIRE(md.isStream());
    CHECK(md.getDict().getKey("/Type").getName() == "/Metadata");
    CHECK(md.getDict().getKey("/Subtype").getName() == "/XML");
    CHECK_FALSE(md.getDict().hasKey("/Filter"));  // uncompressed, as PDF/A wants
    std::string xmp = bytes(md);
    CHECK(raw.find(xmp) != std::string::npos);  // stored as is
    const std::string header = "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>";
    CHECK(xmp.compare(0, header.size(), header) == 0);
    CHECK(xmp.size() >= 19);
    CHECK(xmp.compare(xmp.size() - 19, 19, "<?xpacket end=\"w\"?>") == 0);

    XmlNode root;
    REQUIRE_NOTHROW(root = XmlParser(xmp).document());
    CHECK(root.name == "x:xmpmeta");
    const XmlNode* desc = find(root, "rdf:Description");
    REQUIRE(desc);
    CHECK(desc->attrs.at("xmlns:pdfaid") == "http://www.aiim.org/pdfa/ns/id/");
    CHECK(desc->attrs.at("xmlns:dc") == "http://purl.org/dc/elements/1.1/");
    CHECK(xmp_values(root, "pdfaid:part") == std::vector<std::string>{"2"});
    CHECK(xmp_values(root, "pdfaid:conformance") == std::vector<std::string>{"B"});
    CHECK(xmp_values(root, "dc:title") == std::vector<std::string>{info_value(*q, "/Title")});
    CHECK(find(root, "dc:title")->children.at(0).children.at(0).attrs.at("xml:lang") == "x-default");
    CHECK(xmp_values(root, "dc:creator") == std::vector<std::string>{info_value(*q, "/Author")});
    CHECK(find(root, "dc:creator")->children.at(0).name == "rdf:Seq");
    CHECK(xmp_values(root, "dc:description") == std::vector<std::string>{info_value(*q, "/Subject")});
    CHECK(xmp_values(root, "dc:subject") == std::vector<std::string>{"harbour", "shipping"});
    CHECK(find(root, "dc:subject")->children.at(0).name == "rdf:Bag");
    CHECK(xmp_values(root, "dc:language") == std::vector<std::string>{"en-GB"});
    CHECK(xmp_values(root, "xmp:CreatorTool") == std::vector<std::string>{info_value(*q, "/Creator")});
    CHECK(xmp_values(root, "pdf:Producer") == std::vector<std::string>{info_value(*q, "/Producer")});
    CHECK(xmp_values(root, "pdf:Keywords") == std::vector<std::string>{info_value(*q, "/Keywords")});
    CHECK(xmp_values(root, "xmp:CreateDate") == std::vector<std::string>{"2019-01-18T13:01:08+08:00"});
    CHECK(galley::pdf_date(xmp_values(root, "xmp:CreateDate").at(0)) == info_value(*q, "/CreationDate"));
    CHECK(galley::pdf_date(xmp_values(root, "xmp:ModifyDate").at(0)) == info_value(*q, "/ModDate"));
    CHECK(xmp_values(root, "xmp:MetadataDate") == xmp_values(root, "xmp:ModifyDate"));

    auto intents = q->getRoot().getKey("/OutputIntents");
    REQUIRE(intents.isArray());
    REQUIRE(intents.getArrayNItems() == 1);
    auto oi = intents.getArrayItem(0);
    CHECK(oi.getKey("/Type").getName() == "/OutputIntent");
    CHECK(oi.getKey("/S").getName() == "/GTS_PDFA1");
    CHECK(oi.getKey("/OutputConditionIdentifier").getUTF8Value() == "sRGB");
    auto icc = oi.getKey("/DestOutputProfile");
    REQUIRE(icc.isStream());
    CHECK(icc.getDict().getKey("/N").getIntValue() == 3);
    CHECK(bytes(icc) == slurp(kIcc));

    auto id = q->getTrailer().getKey("/ID");
    REQUIRE(id.isArray());
    REQUIRE(id.getArrayNItems() == 2);
    CHECK(id.getArrayItem(0).getStringValue().size() == 16);
    CHECK(open_pdf(out2)->getTrailer().getKey("/ID").unparse() == id.unparse());

    // Different metadata, different ID.
    auto other = sample_meta();
    other.title = "Harbour closes";
    galley::archive_pdf(in, out2, other, opt);
    CHECK(open_pdf(out2)->getTrailer().getKey("/ID").unparse() != id.unparse());

    for (auto& page : QPDFPageDocumentHelper(*q).getAllPages())
        for (auto& a : page.getAnnotations())
            CHECK(a.getObjectHandle().getKey("/F").getIntValue() == 4);

    // PDF/A-2 forbids /Interpolate true on images; cairo writes it.
    auto interpolating = [](QPDF& pdf) {
        int images = 0, interpolate = 0;
        for (auto& obj : pdf.getAllObjects()) {
            if (!obj.isStream() || !obj.getDict().getKey("/Subtype").isNameAndEquals("/Image")) continue;
            ++images;
            auto i = obj.getDict().getKey("/Interpolate");
            if (i.isBool() && i.getBoolValue()) ++interpolate;
        }
        return std::pair{images, interpolate};
    };
    auto [in_images, in_interp] = interpolating(*open_pdf(in));
    REQUIRE(in_images >= 1);
    CHECK(in_interp >= 1);  // what cairo wrote
    auto [out_images, out_interp] = interpolating(*q);
    CHECK(out_images == in_images);
    CHECK(out_interp == 0);
}

TEST_CASE("archive: reproducible with a fixed date, with and without pdfa", "[archive]") {
    // The date write_pdf derives from SOURCE_DATE_EPOCH=1547787668.
    auto meta = sample_meta();
    meta.date = "2019-01-18T05:01:08Z";
    for (bool pdfa : {false, true}) {
        galley::ArchiveOptions opt;
        opt.pdfa = pdfa;
        opt.bleed = 8.5;
        std::string a = tmp("repro-a.pdf"), b = tmp("repro-b.pdf");
        std::string oa = tmp("repro-a-out.pdf"), ob = tmp("repro-b-out.pdf");
        make_pdf(a);  // cairo twice, then archive each
        make_pdf(b);
        REQUIRE(slurp(a) == slurp(b));
        galley::archive_pdf(a, oa, meta, opt);
        galley::archive_pdf(b, ob, meta, opt);
        CHECK(slurp(oa) == slurp(ob));

        auto q = open_pdf(oa);
        CHECK(info_value(*q, "/CreationDate") == "D:20190118050108Z");
        CHECK(info_value(*q, "/ModDate") == "D:20190118050108Z");
        if (pdfa) {
            XmlNode root = XmlParser(xmp_of(*q)).document();
            CHECK(xmp_values(root, "xmp:CreateDate") == std::vector<std::string>{"2019-01-18T05:01:08Z"});
        }
        auto tb = rect(q->getRoot().getKey("/Pages").getKey("/Kids").getArrayItem(0).getKey("/TrimBox"));
        CHECK(tb == std::vector<double>{8.5, 8.5, 291.5, 391.5});
    }
}

TEST_CASE("archive: the given date is written, cairo's dates repaired without one", "[archive]") {
    std::string in = tmp("dates-in.pdf"), out = tmp("dates-out.pdf");
    make_pdf(in);
    {
        EnvGuard sde("SOURCE_DATE_EPOCH", "0");  // the library never reads it
        galley::archive_pdf(in, out, sample_meta(), {});
        CHECK(info_value(*open_pdf(out), "/CreationDate") == "D:20190118130108+08'00'");
    }
    {
        EnvGuard sde("SOURCE_DATE_EPOCH", "0");
        auto meta = sample_meta();
        meta.date.clear();
        galley::archive_pdf(in, out, meta, {});
        CHECK(info_value(*open_pdf(out), "/CreationDate") == "D:20010203040506Z");
    }
    {
        auto meta = sample_meta();
        meta.date = "yesterday";
        CHECK_THROWS_AS(galley::archive_pdf(in, out, meta, {}), galley::Failure);
    }
}

TEST_CASE("archive: qpdf reads the output without warnings", "[archive]") {
    std::string in = tmp("check-in.pdf"), out = tmp("check-out.pdf");
    make_pdf(in);
    galley::ArchiveOptions opt;
    opt.pdfa = true;
    opt.bleed = 9;
    galley::archive_pdf(in, out, sample_meta(), opt);

    QPDF q;
    q.setSuppressWarnings(true);
    q.processFile(out.c_str());
    for (auto& obj : q.getAllObjects()) {
        if (!obj.isStream()) continue;
        Pl_Discard discard;
        CHECK(obj.pipeStreamData(&discard, 0, qpdf_dl_generalized));
    }
    for (auto& page : QPDFPageDocumentHelper(q).getAllPages()) {
        Pl_Discard discard;
        page.pipeContents(&discard);
    }
    for (auto& w : q.getWarnings()) UNSCOPED_INFO(w.what());
    CHECK_FALSE(q.anyWarnings());

    if (std::filesystem::exists("/usr/bin/qpdf")) {  // the CLI, when installed
        std::string cmd = "/usr/bin/qpdf --check '" + out + "' > /dev/null 2>&1";
        CHECK(std::system(cmd.c_str()) == 0);
    }
}

TEST_CASE("archive: non-ASCII text is UTF-16BE in Info and UTF-8 in XMP, XML escaped", "[archive]") {
    std::string in = tmp("utf-in.pdf"), out = tmp("utf-out.pdf");
    make_pdf(in);
    auto meta = sample_meta();
    meta.title = "港口重新开放 & <航运> \"恢复\"";
    meta.author = "李伟";
    meta.lang = "zh-CN";
    meta.tags = {"港口", "R&D"};
    galley::ArchiveOptions opt;
    opt.pdfa = true;
    galley::archive_pdf(in, out, meta, opt);

    auto q = open_pdf(out);
    std::string raw_title = q->getTrailer().getKey("/Info").getKey("/Title").getStringValue();
    REQUIRE(raw_title.size() >= 2);
    CHECK(raw_title.compare(0, 2, "\xFE\xFF") == 0);
    CHECK(raw_title.size() % 2 == 0);
    CHECK(raw_title.substr(2, 4) == std::string("\x6E\x2F\x53\xE3", 4));  // 港口
    CHECK(info_value(*q, "/Title") == meta.title);
    CHECK(info_value(*q, "/Author") == "李伟");
    // ASCII stays a plain string.
    CHECK(q->getTrailer().getKey("/Info").getKey("/Producer").getStringValue() == "Galley 0.1.0");

    std::string xmp = xmp_of(*q);
    CHECK(xmp.find("港口重新开放 &amp; &lt;航运&gt; &quot;恢复&quot;") != std::string::npos);
    XmlNode root = XmlParser(xmp).document();
    CHECK(xmp_values(root, "dc:title") == std::vector<std::string>{meta.title});
    CHECK(xmp_values(root, "dc:creator") == std::vector<std::string>{"李伟"});
    CHECK(xmp_values(root, "dc:subject") == std::vector<std::string>{"港口", "R&D"});
    CHECK(xmp_values(root, "dc:language") == std::vector<std::string>{"zh-CN"});
    CHECK(info_value(*q, "/Keywords") == "港口, R&D");
    CHECK(xmp_values(root, "pdf:Keywords") == std::vector<std::string>{"港口, R&D"});
}

TEST_CASE("archive: tags are dc:subject, one rdf:Bag with one rdf:li per tag", "[archive]") {
    std::string in = tmp("tags-in.pdf"), out = tmp("tags-out.pdf");
    make_pdf(in);
    galley::ArchiveOptions opt;
    opt.pdfa = true;
    auto meta = sample_meta();
    meta.tags = {"港口", "", "shipping", "R&D"};  // the empty one is skipped
    galley::archive_pdf(in, out, meta, opt);
    {
        auto q = open_pdf(out);
        XmlNode root = XmlParser(xmp_of(*q)).document();
        const XmlNode* subject = find(root, "dc:subject");
        REQUIRE(subject);
        REQUIRE(subject->children.size() == 1);
        const XmlNode& bag = subject->children.at(0);
        CHECK(bag.name == "rdf:Bag");
        REQUIRE(bag.children.size() == 3);
        for (const XmlNode& li : bag.children) CHECK(li.name == "rdf:li");
        CHECK(xmp_values(root, "dc:subject") == std::vector<std::string>{"港口", "shipping", "R&D"});
        CHECK(info_value(*q, "/Keywords") == "港口, shipping, R&D");
    }

    meta.tags.clear();
    meta.keywords.clear();
    galley::archive_pdf(in, out, meta, opt);
    {
        auto q = open_pdf(out);
        XmlNode root = XmlParser(xmp_of(*q)).document();
        CHECK_FALSE(find(root, "dc:subject"));
    }
}

TEST_CASE("archive: the XML checker is strict", "[archive]") {
    const char* head = "<?xpacket begin=\"\" id=\"x\"?>";
    auto parses = [&](const std::string& body) {
        try {
            XmlParser(std::string(head) + body).document();
            return true;
        } catch (const std::exception&) {
            return false;
        }
    };
    CHECK(parses("<a x=\"1\"><b>t &amp; u</b><c/></a><?xpacket end=\"w\"?>"));
    CHECK_FALSE(parses("<a><b></a></b>"));
    CHECK_FALSE(parses("<a>t & u</a>"));
    CHECK_FALSE(parses("<a x=1></a>"));
    CHECK_FALSE(parses("<a x=\"1\" x=\"2\"></a>"));
    CHECK_FALSE(parses("<a></a><b></b>"));
    CHECK_FALSE(parses("<a>"));
}

TEST_CASE("archive: errors name the file", "[archive]") {
    std::string missing = tmp("does-not-exist.pdf"), out = tmp("err-out.pdf");
    try {
        galley::archive_pdf(missing, out, sample_meta(), {});
        FAIL("no exception");
    } catch (const galley::Failure& f) {
        CHECK(f.diagnostic.pos.file == missing);
        CHECK(std::string(f.what()).find(missing) != std::string::npos);
    }

    std::string junk = tmp("junk.pdf");
    std::ofstream(junk) << "not a PDF at all";
    try {
        galley::archive_pdf(junk, out, sample_meta(), {});
        FAIL("no exception");
    } catch (const galley::Failure& f) {
        CHECK(f.diagnostic.pos.file == junk);
    }

    std::string in = tmp("err-in.pdf");
    make_pdf(in);
    galley::ArchiveOptions opt;
    opt.pdfa = true;
    opt.icc_profile = tmp("no-such.icc");
    try {
        galley::archive_pdf(in, out, sample_meta(), opt);
        FAIL("no exception");
    } catch (const galley::Failure& f) {
        CHECK(f.diagnostic.pos.file == opt.icc_profile);
    }

    galley::ArchiveOptions huge;
    huge.bleed = 500;
    CHECK_THROWS_AS(galley::archive_pdf(in, out, sample_meta(), huge), galley::Failure);

    auto bad_date = sample_meta();
    bad_date.date = "18 January 2019";
    CHECK_THROWS_AS(galley::archive_pdf(in, out, bad_date, {}), galley::Failure);

    try {
        galley::archive_pdf(in, tmp("no-such-dir/out.pdf"), sample_meta(), {});
        FAIL("no exception");
    } catch (const galley::Failure& f) {
        CHECK(f.diagnostic.pos.file == tmp("no-such-dir/out.pdf"));
    }
}

TEST_CASE("archive: in_path may equal out_path", "[archive]") {
    std::string p = tmp("same.pdf");
    make_pdf(p);
    galley::archive_pdf(p, p, sample_meta(), {});
    CHECK(info_value(*open_pdf(p), "/Title") == "Harbour reopens");
}
