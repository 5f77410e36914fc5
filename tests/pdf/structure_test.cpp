// The tagged structure of the sample issue, walked with qpdf and compared
// with the Document it came from: one Art per article in story order, its
// title as H1, its headings as H2/H3 in order, every paragraph tagged,
// figures with their captions as /Alt. Both PDF back ends.
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/QPDF.hh>
#include <qpdf/Pl_Buffer.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <functional>

#include "support.h"

using namespace galley;
using namespace galley::test;

namespace {

struct Elem {
    std::string type;
    std::string alt;
    std::vector<Elem> kids;
};

Elem read_elem(QPDFObjectHandle e) {
    Elem out;
    if (e.getKey("/S").isName()) out.type = e.getKey("/S").getName().substr(1);
    if (e.getKey("/Alt").isString()) out.alt = e.getKey("/Alt").getUTF8Value();
    QPDFObjectHandle k = e.getKey("/K");
    auto visit = [&](QPDFObjectHandle kid) {
        if (kid.isDictionary() && kid.getKey("/S").isName()) out.kids.push_back(read_elem(kid));
    };
    if (k.isArray())
        for (int i = 0; i < k.getArrayNItems(); ++i) visit(k.getArrayItem(i));
    else
        visit(k);
    return out;
}

int count(const Elem& e, const std::string& type) {
    int n = e.type == type ? 1 : 0;
    for (auto& k : e.kids) n += count(k, type);
    return n;
}

void collect(const Elem& e, const std::string& type, std::vector<const Elem*>& out) {
    if (e.type == type) out.push_back(&e);
    for (auto& k : e.kids) collect(k, type, out);
}

}  // namespace

TEST_CASE("structure: the sample issue's tag tree follows its articles") {
    Diagnostics d;
    Issue issue = load_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", d);
    REQUIRE(!has_errors(d));
    Layout layout = layout_issue(issue, bulletin_style(), fonts(), d);
    REQUIRE(!has_errors(d));
    for (PdfBackend backend : {PdfBackend::Cairo, PdfBackend::Direct}) {
    INFO((backend == PdfBackend::Cairo ? "cairo" : "one-pass writer"));
    std::string pdf = temp_dir() + "/structure.pdf";
    PdfOptions options{1548806400};
    options.backend = backend;
    write_pdf(layout, pdf, options);

    QPDF q;
    q.processFile(pdf.c_str());
    QPDFObjectHandle root = q.getRoot();
    REQUIRE(root.getKey("/MarkInfo").getKey("/Marked").isBool());
    CHECK(root.getKey("/MarkInfo").getKey("/Marked").getBoolValue());
    QPDFObjectHandle tree = root.getKey("/StructTreeRoot");
    REQUIRE(tree.isDictionary());
    Elem top;
    top.type = "StructTreeRoot";
    QPDFObjectHandle k = tree.getKey("/K");
    if (k.isArray())
        for (int i = 0; i < k.getArrayNItems(); ++i) top.kids.push_back(read_elem(k.getArrayItem(i)));
    else
        top.kids.push_back(read_elem(k));
    REQUIRE(top.kids.size() == 1);
    const Elem& doc = top.kids.front();
    CHECK(doc.type == "Document");

    // Story order: the lead first, then the manifest's order.
    std::vector<const IssueArticle*> order;
    for (auto& a : issue.articles)
        if (a.lead) order.push_back(&a);
    for (auto& a : issue.articles)
        if (!a.lead) order.push_back(&a);
    REQUIRE(doc.kids.size() == order.size());
    for (size_t i = 0; i < order.size(); ++i) {
        const Document& article = order[i]->doc;
        const Elem& art = doc.kids[i];
        INFO("article " << article.title);
        CHECK(art.type == "Art");
        CHECK(count(art, "H1") == 1);
        // Headings in order: H2 for ##, H3 for ###.
        std::vector<std::string> want, got;
        for (const Block& b : article.body)
            if (b.kind == BlockKind::Heading) want.push_back(b.level <= 2 ? "H2" : "H3");
        std::function<void(const Elem&)> headings = [&](const Elem& e) {
            if (e.type == "H2" || e.type == "H3") got.push_back(e.type);
            for (auto& kid : e.kids) headings(kid);
        };
        headings(art);
        CHECK(got == want);
        // Every paragraph is a P (one split by a page break may be two).
        int paragraphs = 0, quotes = 0, items = 0, figures = 0;
        for (const Block& b : article.body) {
            if (b.kind == BlockKind::Paragraph) (b.quote_depth > 0 ? quotes : paragraphs)++;
            if (b.kind == BlockKind::ListItem && !b.list_continuation) ++items;
            if (b.kind == BlockKind::Figure) ++figures;
        }
        if (article.image) ++figures;
        CHECK(count(art, "P") >= paragraphs);
        CHECK(count(art, "BlockQuote") >= quotes);
        CHECK(count(art, "LI") == items);
        std::vector<const Elem*> figs;
        collect(art, "Figure", figs);
        CHECK(static_cast<int>(figs.size()) == figures);
        for (const Elem* f : figs) CHECK(!f->alt.empty());
    }
    }
}

TEST_CASE("structure: every body line belongs to an element, furniture to none") {
    Diagnostics d;
    Issue issue = load_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", d);
    REQUIRE(!has_errors(d));
    Style style = bulletin_style();
    Layout layout = layout_issue(issue, style, fonts(), d);
    REQUIRE(layout.structure.size() > 1);
    int body = 0;
    for (const Frame& page : layout.pages)
        for (const FrameItem& item : page.items)
            if (auto* r = std::get_if<GlyphRun>(&item)) {
                bool furniture = r->text.find("版）") != std::string::npos || r->text.rfind("- ", 0) == 0;
                if (r->size == style.body.size && !furniture) {
                    INFO(r->text);
                    CHECK(r->tag > 0);
                    ++body;
                }
                if (r->text.rfind("- ", 0) == 0) CHECK(r->tag == -1);  // folios
            }
    CHECK(body > 300);
}

TEST_CASE("structure: page furniture is /Artifact content outside the tree") {
    Diagnostics d;
    Issue issue = load_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", d);
    REQUIRE(!has_errors(d));
    Layout layout = layout_issue(issue, bulletin_style(), fonts(), d);
    for (PdfBackend backend : {PdfBackend::Cairo, PdfBackend::Direct}) {
    INFO((backend == PdfBackend::Cairo ? "cairo" : "one-pass writer"));
    std::string pdf = temp_dir() + "/artifacts.pdf";
    PdfOptions options{1548806400};
    options.backend = backend;
    write_pdf(layout, pdf, options);
    QPDF q;
    q.processFile(pdf.c_str());
    std::function<int(QPDFObjectHandle)> privates = [&](QPDFObjectHandle e) -> int {
        if (e.isArray()) {
            int n = 0;
            for (int i = 0; i < e.getArrayNItems(); ++i) n += privates(e.getArrayItem(i));
            return n;
        }
        if (!e.isDictionary() || !e.getKey("/S").isName()) return 0;
        return (e.getKey("/S").getName() == "/Private" ? 1 : 0) + privates(e.getKey("/K"));
    };
    CHECK(privates(q.getRoot().getKey("/StructTreeRoot").getKey("/K")) == 0);
    int page_no = 0;
    for (auto& page : QPDFPageDocumentHelper(q).getAllPages()) {
        ++page_no;
        INFO("page " << page_no);
        Pl_Buffer buf("contents");
        page.pipeContents(&buf);
        auto b = buf.getBufferSharedPointer();
        std::string content(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
        // The folio, at least, on every page; no leftover Private marks.
        CHECK(content.find("/Artifact BMC") != std::string::npos);
        CHECK(content.find("/Private") == std::string::npos);
    }
    }
}
