// The sample article read back from its PDF with poppler-cpp.
#include <poppler-document.h>
#include <poppler-page.h>
#include <unistd.h>

#include <memory>

#include "support.h"

using namespace galley;
using namespace galley::test;

namespace {

struct Rendered {
    Document doc;
    Layout layout;
    std::string pdf;
};

Rendered render_sample(const std::string& name, long long epoch = 1700000000) {
    Rendered r;
    Diagnostics d;
    r.doc = load_article(sample(name), d);
    REQUIRE(!has_errors(d));
    r.layout = layout_article(r.doc, bulletin_style(), fonts(), d);
    REQUIRE(!has_errors(d));
    r.pdf = temp_dir() + "/" + name + ".pdf";
    write_pdf(r.layout, r.pdf, {epoch});
    return r;
}

std::string pdf_text(const std::string& path) {
    std::vector<std::string> pages = pdf_pages(path);
    std::string all;
    for (size_t i = 0; i < pages.size(); ++i) {
        std::string text = pages[i];
        // The folio is page furniture, not the story's text.
        std::string folio = "- " + std::to_string(i + 1) + " -";
        size_t f = text.rfind(folio);
        REQUIRE(f != std::string::npos);
        text.erase(f, folio.size());
        all += text;
        all += "\n";
    }
    return all;
}

}  // namespace

TEST_CASE("pdf: the sample's text reads back complete and in reading order") {
    Rendered r = render_sample("xian-gaoxin-party-building.md");
    const std::string text = squeeze(pdf_text(r.pdf));
    std::vector<std::string> expected{r.doc.kicker, r.doc.title, r.doc.dateline->place, r.doc.dateline->source,
                                      r.doc.summary};
    for (const Block& b : r.doc.body) expected.push_back(spans_text(b.spans));
    for (auto& name : r.doc.byline) expected.push_back(name);
    for (auto& c : r.doc.credits) expected.push_back(c.role + "：" + c.name);
    size_t at = 0;
    size_t chars = 0;
    for (const std::string& piece : expected) {
        std::string want = squeeze(piece);
        size_t found = text.find(want, at);
        INFO("looking for: " << want << "\nafter: " << text.substr(at, 120));
        REQUIRE(found != std::string::npos);
        at = found + want.size();
        chars += want.size();
    }
    CHECK(chars > 5000);  // bytes of Chinese text: the whole article, not a stub
    CHECK(r.layout.pages.size() == 2);
}

TEST_CASE("pdf: every font is embedded and the prepared subsets are used") {
    Rendered r = render_sample("xian-gaoxin-party-building.md");
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(r.pdf));
    REQUIRE(doc);
    auto fonts = doc->fonts();
    REQUIRE(!fonts.empty());
    bool prepared = false;
    for (auto& f : fonts) {
        INFO(f.name());
        CHECK(f.is_embedded());
        if (f.name().find("GalleySerifSC-Regular") != std::string::npos) prepared = true;
    }
    CHECK(prepared);
}

TEST_CASE("pdf: two renders with the same SOURCE_DATE_EPOCH are byte-identical") {
    Rendered a = render_sample("xian-gaoxin-party-building.md", 1547787668);
    std::string first = read_file(a.pdf);
    Rendered b = render_sample("xian-gaoxin-party-building.md", 1547787668);
    std::string second = read_file(b.pdf);
    REQUIRE(first.size() > 10000);
    CHECK(first == second);
    Rendered c = render_sample("xian-gaoxin-party-building.md", 1547787669);
    CHECK(read_file(c.pdf) != first);  // the date really is written
}

TEST_CASE("pdf: the English sample sets in Latin faces with its own byline") {
    Rendered r = render_sample("town-library-reopens.md");
    const std::string text = squeeze(pdf_text(r.pdf));
    CHECK(text.find(squeeze(r.doc.title)) != std::string::npos);
    CHECK(text.find("By") != std::string::npos);
    CHECK(text.find("Editor:") != std::string::npos);
    for (const Block& b : r.doc.body) {
        std::string want = squeeze(spans_text(b.spans));
        INFO(want);
        CHECK(text.find(want) != std::string::npos);
    }
}
