// Frame dump of the whole sample issue (gaoxin-2019-01: masthead, contents
// box, five stories with jump lines, running heads, 报尾) against the
// committed golden file. GALLEY_UPDATE_GOLDEN=1 rewrites it (review the
// diff before committing).
#include <cstdlib>

#include "support.h"

using namespace galley;
using namespace galley::test;

TEST_CASE("golden: frame dump of the sample issue") {
    Diagnostics d;
    Issue issue = load_issue(source_dir() + "/samples/issues/gaoxin-2019-01.yaml", d);
    REQUIRE(!has_errors(d));
    Style style = load_style(find_style(issue.style.empty() ? "bulletin" : issue.style, source_dir() + "/styles"), d);
    REQUIRE(!has_errors(d));
    Layout layout = layout_issue(issue, style, fonts(), d);
    REQUIRE(!has_errors(d));
    std::string dump = dump_frames(layout);
    std::string path = source_dir() + "/tests/golden/gaoxin-issue.txt";
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
    CHECK(!std::getline(a, la));  // nothing more in the dump than in the golden file
}
