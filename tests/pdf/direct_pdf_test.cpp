// The one-pass PDF writer (layout/src/pdf, issue 16) against the Cairo
// back end on the same layouts: the text poppler reads back page by page,
// fonts embedded as subsets, a file qpdf reads whole with no warning, its
// PDF/A-2b metadata, the same bytes twice.
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_CID_H

#include <fstream>
#include <map>
#include <set>

#include "support.h"

using namespace galley;
using namespace galley::test;

namespace {

std::string saved(const std::string& bytes, const std::string& name) {
    const std::string path = temp_dir() + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

std::string pdf_of(const Layout& layout, PdfBackend backend) {
    PdfOptions o;
    o.backend = backend;
    o.source_date_epoch = 1548806400;
    o.pdfa = true;
    return pdf_bytes(layout, o);
}

Layout sample_layout(const std::string& path) {
    Diagnostics d;
    if (path.size() > 5 && path.compare(path.size() - 5, 5, ".yaml") == 0) {
        Issue issue = load_issue(path, d);
        REQUIRE(!has_errors(d));
        Layout layout = layout_issue(issue, bulletin_style(), fonts(), d);
        REQUIRE(!has_errors(d));
        return layout;
    }
    Document doc = load_article(path, d);
    REQUIRE(!has_errors(d));
    Layout layout = layout_article(doc, bulletin_style(), fonts(), d);
    REQUIRE(!has_errors(d));
    return layout;
}

// Parses every page's content and checks each font the pages use is
// embedded (qpdf reads the file whole; a broken object throws).
void check_structure(const std::string& path, size_t pages) {
    QPDF q;
    q.processFile(path.c_str());
    CHECK(q.getWarnings().empty());
    // PDF/A-2b: the XMP packet says so, Info mirrors it, the sRGB intent.
    QPDFObjectHandle root = q.getRoot();
    REQUIRE(root.getKey("/Metadata").isStream());
    auto xmp = root.getKey("/Metadata").getStreamData(qpdf_dl_all);
    const std::string packet(reinterpret_cast<const char*>(xmp->getBuffer()), xmp->getSize());
    CHECK(packet.find("<pdfaid:part>2</pdfaid:part>") != std::string::npos);
    CHECK(root.getKey("/OutputIntents").getArrayItem(0).getKey("/DestOutputProfile").isStream());
    CHECK(root.getKey("/MarkInfo").getKey("/Marked").getBoolValue());
    std::vector<QPDFPageObjectHelper> all = QPDFPageDocumentHelper(q).getAllPages();
    CHECK(all.size() == pages);
    for (QPDFPageObjectHelper& page : all) {
        struct Count : QPDFObjectHandle::ParserCallbacks {
            int ops = 0;
            void handleObject(QPDFObjectHandle h) override { ops += h.isOperator(); }
            void handleEOF() override {}
        } count;
        page.parseContents(&count);
        CHECK(count.ops > 0);
        QPDFObjectHandle fonts = page.getAttribute("/Resources", false).getKey("/Font");
        for (const std::string& name : fonts.getKeys()) {
            QPDFObjectHandle font = fonts.getKey(name);
            INFO(name);
            CHECK(font.getKey("/Subtype").getName() == "/Type0");
            QPDFObjectHandle cid = font.getKey("/DescendantFonts").getArrayItem(0);
            QPDFObjectHandle descriptor = cid.getKey("/FontDescriptor");
            CHECK((descriptor.hasKey("/FontFile2") || descriptor.hasKey("/FontFile3")));
            CHECK(font.getKey("/BaseFont").getName().substr(7, 1) == "+");  // a subset's name
            CHECK(font.hasKey("/ToUnicode"));
        }
    }
}

// The glyph codes each font resource shows on a page (Identity-H: two
// bytes a glyph), read from the content's Tf and the strings of Tj and TJ.
std::map<std::string, std::set<unsigned>> shown_codes(QPDFPageObjectHelper& page) {
    struct Codes : QPDFObjectHandle::ParserCallbacks {
        std::map<std::string, std::set<unsigned>> codes;
        std::string font;
        std::vector<QPDFObjectHandle> operands;
        void add(QPDFObjectHandle h) {
            if (h.isArray())
                for (int i = 0; i < h.getArrayNItems(); ++i) add(h.getArrayItem(i));
            if (!h.isString()) return;
            const std::string s = h.getStringValue();
            for (size_t i = 0; i + 1 < s.size(); i += 2)
                codes[font].insert(static_cast<unsigned char>(s[i]) << 8 | static_cast<unsigned char>(s[i + 1]));
        }
        void handleObject(QPDFObjectHandle h) override {
            if (!h.isOperator()) return operands.push_back(h);
            const std::string op = h.getOperatorValue();
            if (op == "Tf" && !operands.empty()) font = operands.front().getName();
            if (op == "Tj" || op == "TJ")
                for (QPDFObjectHandle& o : operands) add(o);
            operands.clear();
        }
        void handleEOF() override {}
    } codes;
    page.parseContents(&codes);
    return codes.codes;
}

}  // namespace

TEST_CASE("pdf: every glyph the one-pass writer shows is in its embedded font, by CID (FreeType reads them)") {
    // A CIDFontType0C's glyphs are found by CID through the CFF charset, a
    // CIDFontType2's by glyph number: the codes on the pages must name
    // glyphs the font program has, or readers such as Ghostscript show
    // .notdef boxes where poppler guessed right.
    const Layout layout = sample_layout(source_dir() + "/samples/gaoxin-2019-01.yaml");
    const std::string path = saved(pdf_of(layout, PdfBackend::Direct), "direct-cids.pdf");
    QPDF q;
    q.processFile(path.c_str());
    FT_Library ft = nullptr;
    REQUIRE(FT_Init_FreeType(&ft) == 0);
    int bare = 0, checked = 0;
    for (QPDFPageObjectHelper& page : QPDFPageDocumentHelper(q).getAllPages()) {
        QPDFObjectHandle fonts = page.getAttribute("/Resources", false).getKey("/Font");
        for (const auto& [name, codes] : shown_codes(page)) {
            INFO(name);
            QPDFObjectHandle cidfont = fonts.getKey(name).getKey("/DescendantFonts").getArrayItem(0);
            QPDFObjectHandle descriptor = cidfont.getKey("/FontDescriptor");
            const bool cff = descriptor.hasKey("/FontFile3");
            QPDFObjectHandle program = descriptor.getKey(cff ? "/FontFile3" : "/FontFile2");
            if (cff) {
                CHECK(cidfont.getKey("/Subtype").getName() == "/CIDFontType0");
                bare += program.getDict().getKey("/Subtype").getName() == "/CIDFontType0C";
            }
            auto data = program.getStreamData(qpdf_dl_all);
            FT_Face face = nullptr;
            REQUIRE(FT_New_Memory_Face(ft, data->getBuffer(), static_cast<FT_Long>(data->getSize()), 0, &face) == 0);
            // What a code can name: the CIDs of a CID-keyed CFF (FreeType
            // numbers its glyphs by CID, and gives glyph g's CID while g is
            // below the number of charstrings), else glyph numbers.
            std::set<unsigned> glyphs;
            FT_Bool keyed = 0;
            FT_Get_CID_Is_Internally_CID_Keyed(face, &keyed);
            FT_UInt cid = 0;
            for (FT_UInt g = 0; keyed && FT_Get_CID_From_Glyph_Index(face, g, &cid) == 0; ++g) glyphs.insert(cid);
            for (FT_Long g = 0; !keyed && g < face->num_glyphs; ++g) glyphs.insert(static_cast<unsigned>(g));
            CHECK(glyphs.size() > 1);
            for (unsigned code : codes) {
                INFO("code " << code);
                CHECK(code != 0);
                CHECK(glyphs.count(code) == 1);
                ++checked;
            }
            FT_Done_Face(face);
        }
    }
    FT_Done_FreeType(ft);
    CHECK(bare > 0);  // the Noto CJK fonts go in as bare CID-keyed CFF
    CHECK(checked > 1000);
}

TEST_CASE("pdf: the one-pass writer's pages read back as Cairo's, its fonts embedded subsets") {
    for (const std::string& input : {sample("xian-gaoxin-party-building.md"), sample("town-library-reopens.md"),
                                     source_dir() + "/samples/gaoxin-2019-01.yaml"}) {
        INFO(input);
        const Layout layout = sample_layout(input);
        const std::string cairo = saved(pdf_of(layout, PdfBackend::Cairo), "cairo.pdf");
        const std::string direct = saved(pdf_of(layout, PdfBackend::Direct), "direct.pdf");
        const std::vector<std::string> want = pdf_pages(cairo), got = pdf_pages(direct);
        REQUIRE(got.size() == want.size());
        for (size_t p = 0; p < got.size(); ++p) {
            INFO("page " << p + 1);
            CHECK(squeeze(got[p]) == squeeze(want[p]));
        }
        check_structure(direct, layout.pages.size());
        // Info and XMP as the archive stage writes them.
        QPDF qc, qd;
        qc.processFile(cairo.c_str());
        qd.processFile(direct.c_str());
        QPDFObjectHandle ic = qc.getTrailer().getKey("/Info"), id = qd.getTrailer().getKey("/Info");
        CHECK(ic.getKeys() == id.getKeys());
        for (const std::string& key : ic.getKeys()) CHECK(ic.getKey(key).getUTF8Value() == id.getKey(key).getUTF8Value());
        auto xmp = [](QPDF& q) {
            auto data = q.getRoot().getKey("/Metadata").getStreamData(qpdf_dl_all);
            return std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
        };
        CHECK(xmp(qc) == xmp(qd));
        CHECK(qd.getRoot().getKey("/Lang").getUTF8Value() == qc.getRoot().getKey("/Lang").getUTF8Value());
    }
}

TEST_CASE("pdf: the one-pass writer gives the same bytes for the same layout") {
    // A fresh font context: the first document subsets from the plain
    // faces, the third from faces prepared for repeated subsetting.
    FontContextPtr own = make_font_context({});
    Diagnostics d;
    Issue issue = load_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", d);
    const Layout layout = layout_issue(issue, bulletin_style(), *own, d);
    REQUIRE(!has_errors(d));
    const std::string a = pdf_of(layout, PdfBackend::Direct), b = pdf_of(layout, PdfBackend::Direct),
                      c = pdf_of(layout, PdfBackend::Direct);
    CHECK(a.size() > 10000);
    CHECK(a == b);
    CHECK(a == c);
}
