// The contents box (compose/furniture): titles, and under them, when make-up
// has the rows, each story's summary cut to the entry's lines.
#include <string>
#include <vector>

#include "compose/furniture.h"
#include "style/geometry.h"
#include "support.h"

using namespace galley;
using namespace galley::test;

namespace {

// The box's text in the order it is drawn (entries flow column by column).
std::string box_text(const HeadBlock& b) {
    std::string s;
    for (const FrameItem& item : b.items)
        if (auto* r = std::get_if<GlyphRun>(&item)) s += r->text;
    return squeeze(s);
}

}  // namespace

TEST_CASE("contents box: titles over summaries cut after a clause with …… to the entry's lines") {
    Diagnostics diags;
    RunStats stats;
    Composer composer(fonts(), diags, stats);
    const Style style = load_style(find_style("broadsheet", source_dir() + "/styles"), diags);
    REQUIRE(!has_errors(diags));
    const Geometry g = geometry(style);
    ComposeContext cx{composer, style, "zh-Hans"};
    std::vector<Story> stories(2);
    const std::string first = "高新区召开2018年经济运行分析暨2019年一季度重点工作部署会，会议通报了全年经济运行情况，"
                              "部署了一季度项目建设、企业服务、招商引资和安全稳定等重点工作，确保一季度实现开门红。";
    stories[0].title = "高新区召开经济运行分析会";
    stories[0].summary = first;
    stories[1].title = "社区志愿者送春联";
    stories[1].summary = "志愿者为居民送上春联。";
    for (Story& s : stories) s.lang = "zh-Hans", s.contents_style = style;

    const ContentsBox titles = contents_box(cx, stories, g);
    const std::string plain = box_text(titles.block);
    CHECK(plain.find("。") == std::string::npos);  // titles only

    for (int lines : {3, 4, 6}) {
        INFO(lines << " lines an entry");
        const ContentsBox box = contents_box(cx, stories, g, lines);
        const std::string text = box_text(box.block);
        INFO(text);
        REQUIRE(box.labels.size() == 2);
        // The long summary: its start, then …… where a clause ended.
        const size_t at = text.find(squeeze(stories[0].title)) + squeeze(stories[0].title).size();
        const size_t cut = text.find("……", at);
        REQUIRE(cut != std::string::npos);
        const std::string shown = text.substr(at, cut - at);
        CHECK(first.rfind(shown, 0) == 0);
        // After a clause (the ellipsis stands for its mark) when one fits, else between words.
        const std::string next = first.substr(shown.size(), 3);
        if (lines > 3) CHECK((next == "，" || next == "、" || next == "。"));
        else CHECK(shown == squeeze("高新区召开2018年经济运行"));
        // The short one whole.
        CHECK(text.find(stories[1].summary) != std::string::npos);
    }
    // Enough lines: the whole summary, no ellipsis.
    const ContentsBox longest = contents_box(cx, stories, g, 20);
    CHECK(longest.block.rows > titles.block.rows);
    const std::string whole = box_text(longest.block);
    CHECK(whole.find(first) != std::string::npos);
    CHECK(whole.find("……") == std::string::npos);
}
