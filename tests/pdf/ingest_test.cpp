// galley ingest on the seed page: the hand-made sample's front matter and
// body, none of the page's furniture, and the same PDF text.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "galley/ingest.h"
#include "model/front_matter.h"
#include "support.h"

using namespace galley;
using namespace galley::test;

namespace {

const std::string kSeed = source_dir() + "/tests/data/ingest/xian-gaoxin-raw.txt";

Document ingested_seed(Diagnostics& diags, Ingested* out = nullptr) {
    Ingested in = ingest_text(read_file(kSeed), "xian-gaoxin-raw.txt", diags);
    REQUIRE(!has_errors(diags));
    if (out) *out = in;
    Document doc = parse_article(in.article, "ingested.md", diags);
    REQUIRE(!has_errors(diags));
    return doc;
}

std::vector<std::string> blocks(const Document& doc) {
    std::vector<std::string> out;
    for (const Block& b : doc.body) out.push_back((b.kind == BlockKind::Heading ? "## " : "") + spans_text(b.spans));
    return out;
}

}  // namespace

TEST_CASE("ingest: the seed page gives the sample's front matter and body and no furniture") {
    Diagnostics diags, sd;
    Ingested in;
    const Document doc = ingested_seed(diags, &in);
    const Document expected = parse_article(read_file(sample("xian-gaoxin-party-building.md")), "s.md", sd);
    REQUIRE(!has_errors(sd));
    CHECK(diags.empty());  // every field found: no warning
    CHECK(doc.title == expected.title);
    CHECK(doc.kicker == expected.kicker);
    CHECK(doc.section == expected.section);
    REQUIRE(doc.dateline);
    CHECK(doc.dateline->place == expected.dateline->place);
    CHECK(doc.dateline->source == expected.dateline->source);
    CHECK(doc.dateline->date->year == 2019);
    CHECK(doc.dateline->date->hour == 13);
    CHECK(doc.dateline->date->second == 8);
    CHECK(doc.summary == expected.summary);
    CHECK(doc.byline == expected.byline);
    REQUIRE(doc.credits.size() == 1);
    CHECK(doc.credits[0].role == "编辑");
    CHECK(doc.credits[0].name == "张梦洁");
    // The body block by block: the three subheadings and every paragraph.
    CHECK(blocks(doc) == blocks(expected));
    CHECK(std::count_if(doc.body.begin(), doc.body.end(), [](const Block& b) { return b.kind == BlockKind::Heading; }) == 3);
    // The page's furniture is nowhere in the article; 上一篇 is a related line.
    for (const char* furniture : {"Top", "首页", "相关热词", "表达看法", "本地 新闻", "[摘要]"})
        CHECK(in.article.find(furniture) == std::string::npos);
    REQUIRE(doc.related.size() == 1);
    CHECK(doc.related[0].rel == "previous");
    CHECK(doc.related[0].title == "西安高新区：金融创新大攻坚 区域发展“加速度”");
    CHECK(doc.provenance_file == "xian-gaoxin-raw.txt");
    // --explain accounts for every line that is not blank, furniture included.
    int lines = 0;
    std::istringstream page(read_file(kSeed));
    for (std::string l; std::getline(page, l);) lines += l.find_first_not_of(" \t\r") != std::string::npos;
    CHECK(static_cast<int>(in.explain.size()) == lines);
    CHECK(std::count_if(in.explain.begin(), in.explain.end(),
                        [](const std::string& e) { return e.find("furniture") != std::string::npos; }) == 4);
}

TEST_CASE("ingest: the seed page rendered reads as the sample does") {
    Diagnostics diags;
    const Document doc = ingested_seed(diags);
    Diagnostics sd;
    const Document expected = parse_article(read_file(sample("xian-gaoxin-party-building.md")), "s.md", sd);
    const std::string dir = temp_dir();
    write_pdf(layout_article(doc, bulletin_style(), fonts(), diags), dir + "/ingested.pdf", {1548806400});
    write_pdf(layout_article(expected, bulletin_style(), fonts(), sd), dir + "/sample.pdf", {1548806400});
    std::string ours, theirs;
    for (const std::string& p : pdf_pages(dir + "/ingested.pdf")) ours += squeeze(p);
    for (const std::string& p : pdf_pages(dir + "/sample.pdf")) theirs += squeeze(p);
    // The one difference: the page's 上一篇 line, which the hand-made sample left out.
    const std::string related = squeeze("上一篇：西安高新区：金融创新大攻坚 区域发展“加速度”");
    REQUIRE(ours.find(related) != std::string::npos);
    erase_all(ours, related);
    CHECK(ours == theirs);
}

TEST_CASE("ingest: a page with no story is an error and missing fields are warnings") {
    Diagnostics diags;
    ingest_text("Top\n首页 > 新闻 > 正文\n\n", "empty.txt", diags);
    REQUIRE(has_errors(diags));
    CHECK(format(diags[0]) == "empty.txt:1:1: error: no headline found: the page's text has no story");
    Diagnostics d2;
    Ingested in = ingest_text("一篇没有日期的文章标题\n\n第一段正文，说了一些事情。\n\n第二段正文。\n", "nodate.txt", d2);
    CHECK(!has_errors(d2));
    std::vector<std::string> said;
    for (const Diagnostic& d : d2) said.push_back(format(d));
    CHECK(said == std::vector<std::string>{"nodate.txt:1:1: warning: no date found: the article has no dateline date",
                                           "nodate.txt:1:1: warning: no byline found"});
    Diagnostics d3;
    CHECK(parse_article(in.article, "x.md", d3).body.size() == 2);
    CHECK(!has_errors(d3));
    Diagnostics d4;
    ingest_text("\xff\xfe bad", "bad.txt", d4);
    CHECK(has_errors(d4));
}
