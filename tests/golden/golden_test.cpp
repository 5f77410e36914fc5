// Frame dumps of the sample article's first page in each punctuation
// style against the committed golden files.
#include "support.h"

using namespace galley;
using namespace galley::test;

namespace {

std::string first_page(PunctStyle punctuation) {
    Diagnostics d;
    Document doc = load_article(sample("xian-gaoxin-party-building.md"), d);
    REQUIRE(!has_errors(d));
    Style style = bulletin_style();
    style.punctuation = punctuation;
    Layout layout = layout_article(doc, style, fonts(), d);
    REQUIRE(!has_errors(d));
    return dump_frames(layout, 0, 1);
}

}  // namespace

TEST_CASE("golden: frame dump of the sample's first page") {
    check_golden(first_page(PunctStyle::Quanjiao), "xian-gaoxin-page1.txt");
}

TEST_CASE("golden: frame dump of the sample's first page, kaiming punctuation") {
    check_golden(first_page(PunctStyle::Kaiming), "xian-gaoxin-page1-kaiming.txt");
}

TEST_CASE("golden: frame dump of the sample's first page, banjiao punctuation") {
    check_golden(first_page(PunctStyle::Banjiao), "xian-gaoxin-page1-banjiao.txt");
}
