// The engine's public functions end to end: structured metadata reaching
// the PDF, painters drawing on several threads at once, batches.
#include <qpdf/QPDF.hh>

#include <thread>

#include "galley/paint.h"
#include "model/front_matter.h"
#include "text/font_context.h"
#include "support.h"

using namespace galley;
using namespace galley::test;

namespace {

const Layout& article_layout() {
    static Layout layout = [] {
        Diagnostics d;
        Document doc = load_article(sample("xian-gaoxin-party-building.md"), d);
        REQUIRE(!has_errors(d));
        return layout_article(doc, bulletin_style(), fonts(), d);
    }();
    return layout;
}

// The rdf:li entries of the XMP's dc:subject bag.
std::vector<std::string> xmp_subjects(const std::string& pdf) {
    QPDF q;
    q.processFile(pdf.c_str());
    QPDFObjectHandle meta = q.getRoot().getKey("/Metadata");
    REQUIRE(meta.isStream());
    auto data = meta.getStreamData(qpdf_dl_all);
    std::string xmp(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
    size_t from = xmp.find("<dc:subject>"), to = xmp.find("</dc:subject>");
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    std::string bag = xmp.substr(from, to - from);
    CHECK(bag.find("<rdf:Bag>") != std::string::npos);
    std::vector<std::string> out;
    for (size_t at = bag.find("<rdf:li>"); at != std::string::npos; at = bag.find("<rdf:li>", at + 1)) {
        size_t end = bag.find("</rdf:li>", at);
        out.push_back(bag.substr(at + 8, end - at - 8));
    }
    return out;
}

}  // namespace

TEST_CASE("engine: the article's tags travel as a list into the PDF/A XMP as dc:subject") {
    const Layout& layout = article_layout();
    CHECK(layout.info.tags == std::vector<std::string>{"党建", "高新区", "全面从严治党"});
    CHECK(layout.info.authors == std::vector<std::string>{"崔霖鹏", "李玮"});
    REQUIRE(layout.info.date.has_value());
    CHECK(layout.info.date->year == 2019);
    const std::string pdf = temp_dir() + "/engine-tags.pdf";
    PdfOptions o;
    o.source_date_epoch = 1548806400;
    o.pdfa = true;
    write_pdf(layout, pdf, o);
    CHECK(xmp_subjects(pdf) == layout.info.tags);
}

TEST_CASE("engine: an issue's XMP subjects are its articles' tags, each once, in order") {
    Diagnostics d;
    Issue issue = load_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", d);
    REQUIRE(!has_errors(d));
    Layout layout = layout_issue(issue, bulletin_style(), fonts(), d);
    std::vector<std::string> want;
    for (const IssueArticle& a : issue.articles)
        for (const std::string& t : a.doc.tags)
            if (std::find(want.begin(), want.end(), t) == want.end()) want.push_back(t);
    REQUIRE(want.size() >= 3);
    CHECK(layout.info.tags == want);
    const std::string pdf = temp_dir() + "/engine-issue-tags.pdf";
    PdfOptions o;
    o.pdfa = true;
    write_pdf(layout, pdf, o);
    CHECK(xmp_subjects(pdf) == want);
}

TEST_CASE("engine: glyph runs name fonts in the layout's own table, which holds files painters can open") {
    const Layout& layout = article_layout();
    REQUIRE(!layout.fonts.empty());
    for (const FontFace& f : layout.fonts) {
        INFO(f.name);
        CHECK(std::filesystem::exists(f.file));
        CHECK(f.size > 0);
    }
    size_t runs = 0;
    for (const Frame& page : layout.pages)
        for (const FrameItem& item : page.items)
            if (auto* r = std::get_if<GlyphRun>(&item)) {
                ++runs;
                REQUIRE(r->font >= 0);
                REQUIRE(r->font < static_cast<int>(layout.fonts.size()));
                CHECK(layout.fonts[r->font].size == Approx(r->size));
            }
    CHECK(runs > 50);
}

TEST_CASE("engine: PNG proofs drawn on two threads at once are the bytes drawn on one") {
    const Layout& layout = article_layout();
    REQUIRE(layout.pages.size() >= 2);
    const std::string dir = temp_dir();
    for (int p = 0; p < 2; ++p) write_png(layout, p, 72, dir + "/one-" + std::to_string(p) + ".png");
    // Each thread draws every page several times, so the two overlap.
    auto draw = [&](int t) {
        for (int round = 0; round < 3; ++round)
            for (int p = 0; p < 2; ++p)
                write_png(layout, p, 72, dir + "/t" + std::to_string(t) + "-" + std::to_string(p) + ".png");
    };
    std::thread a(draw, 0), b(draw, 1);
    a.join();
    b.join();
    for (int t = 0; t < 2; ++t)
        for (int p = 0; p < 2; ++p) {
            INFO("thread " << t << " page " << p + 1);
            std::string one = read_file(dir + "/one-" + std::to_string(p) + ".png");
            REQUIRE(one.size() > 1000);
            CHECK(read_file(dir + "/t" + std::to_string(t) + "-" + std::to_string(p) + ".png") == one);
        }
    // A page drawn at another resolution is another size.
    write_png(layout, 1, 36, dir + "/half.png");
    CHECK(read_file(dir + "/half.png").size() < read_file(dir + "/one-1.png").size());
}

TEST_CASE("engine: each distinct string of the sample issue is itemized once") {
    Diagnostics d;
    Issue issue = load_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", d);
    REQUIRE(!has_errors(d));
    RunStats stats;
    Layout layout = layout_issue(issue, bulletin_style(), fonts(), d, &stats);
    CHECK(stats.itemize_calls == stats.shaped_strings);
    // Every page's running head and folio, every title in the contents:
    // far more strings are printed than are shaped.
    size_t printed = 0;
    for (const Frame& page : layout.pages)
        for (const FrameItem& item : page.items) printed += std::holds_alternative<GlyphRun>(item);
    CHECK(static_cast<size_t>(stats.itemize_calls) < printed / 3);
    // 214 when each page shaped its own furniture; 147 before the economy
    // story's table and 按语, the tagline and the sections in the running heads.
    CHECK(stats.itemize_calls <= 166);
}

TEST_CASE("engine: the dump painter writes the pages it is given") {
    const Layout& layout = article_layout();
    std::string all = dump_frames(layout), first = dump_frames(layout, 0, 1), second = dump_frames(layout, 1, 1);
    CHECK(all == first + second);
    CHECK(first.rfind("page 1 ", 0) == 0);
    CHECK(second.rfind("page 2 ", 0) == 0);
    std::string via_painter;
    auto painter = dump_painter(via_painter);
    paint(layout, *painter);
    CHECK(via_painter == all);
}

TEST_CASE("engine: a hyphenation dictionary is read on first use, not for Chinese text without Latin words") {
    // A cold start reads nothing the document does not use: the English
    // patterns took 5 % of a cold render of the Chinese sample.
    FontContextPtr own = make_font_context({});
    REQUIRE(own->hyphen_files.count("en"));
    CHECK(own->hyphen.empty());
    Diagnostics d;
    Document han = parse_article("---\ntitle: 通知\n---\n\n各部门要认真落实会议精神，切实抓好各项工作。\n", "han.md", d);
    layout_article(han, bulletin_style(), *own, d);
    REQUIRE(!has_errors(d));
    CHECK(own->hyphen.empty());
    Document mixed = parse_article("---\ntitle: 通知\n---\n\n会议讨论了internationalization工作。\n", "mixed.md", d);
    layout_article(mixed, bulletin_style(), *own, d);
    REQUIRE(!has_errors(d));
    CHECK(own->hyphen.count("en") == 1);
    CHECK(own->hyphen.size() == 1);
}
