// Frame dump of the whole sample issue (gaoxin-2019-01: masthead, contents
// box, five stories with jump lines, running heads, 报尾) against the
// committed golden file. GALLEY_UPDATE_GOLDEN=1 rewrites it (review the
// diff before committing).
#include "support.h"

using namespace galley;
using namespace galley::test;

TEST_CASE("golden: frame dump of the sample issue") {
    Diagnostics d;
    Issue issue = load_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", d);
    REQUIRE(!has_errors(d));
    Style style = load_style(find_style(issue.style.empty() ? "bulletin" : issue.style, source_dir() + "/styles"), d);
    REQUIRE(!has_errors(d));
    Layout layout = layout_issue(issue, style, fonts(), d);
    REQUIRE(!has_errors(d));
    check_golden(dump_frames(layout), "gaoxin-issue.txt");
}
