// Frame dump of the sample's first page against the committed golden file.
// GALLEY_UPDATE_GOLDEN=1 rewrites it (review the diff before committing).
#include <cstdlib>

#include "support.h"

using namespace galley;
using namespace galley::test;

TEST_CASE("golden: frame dump of the sample's first page") {
    Diagnostics d;
    Document doc = load_article(sample("xian-gaoxin-party-building.md"), d);
    REQUIRE(!has_errors(d));
    Layout layout = layout_article(doc, bulletin_style(), fonts(), d);
    std::string dump = dump_frames(layout, 0, 1);
    std::string path = source_dir() + "/tests/golden/xian-gaoxin-page1.txt";
    if (std::getenv("GALLEY_UPDATE_GOLDEN")) {
        std::ofstream(path, std::ios::binary) << dump;
    }
    std::string golden = read_file(path);
    REQUIRE(!golden.empty());
    CHECK(dump.size() == golden.size());
    // Compare line by line so a failure names the first differing line.
    std::istringstream a(dump), b(golden);
    std::string la, lb;
    int n = 0;
    while (std::getline(b, lb)) {
        ++n;
        REQUIRE(std::getline(a, la));
        INFO("line " << n);
        REQUIRE(la == lb);
    }
}
