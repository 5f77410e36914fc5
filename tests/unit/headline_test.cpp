// Headlines: broken between words (ICU's dictionary words, text/words.h),
// balanced (ComposeOptions::balanced), with no lonely last line; body text
// untouched by the flags' defaults.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "compose/compose.h"
#include "style/cascade.h"
#include "support.h"
#include "text/words.h"

using namespace galley;
using namespace galley::test;

namespace {

struct Set {
    std::vector<std::string> text;  // each line's text
    std::vector<double> width, x;   // natural width and left edge of each line
};

// Composes `text` in `role` at `measure` with `o` (measure and alignment
// taken from `o`), in a fresh composer.
Set compose_title(const Style& style, const TextRole& role, const std::string& lang, const std::string& text,
                  const ComposeOptions& o) {
    Diagnostics diags;
    RunStats stats;
    Composer composer(fonts(), diags, stats);
    ComposeContext cx{composer, style, lang};
    Set out;
    for (const SetLine& l : compose(cx, style_text(text, role, lang, {}), o)) {
        std::string s;
        for (const GlyphRun& r : l.runs) s += r.text;
        out.text.push_back(s);
        out.width.push_back(l.width);
        out.x.push_back(l.runs.empty() ? 0 : l.runs.front().x);
    }
    return out;
}

Style english_style() {
    Diagnostics d;
    Style s = load_style(source_dir() + "/styles/newsletter-en.yaml", d);
    REQUIRE(!has_errors(d));
    return s;
}

// Characters (not bytes) before each line break, in the squeezed text.
std::vector<size_t> break_offsets(const Set& s) {
    std::vector<size_t> out;
    size_t chars = 0;
    for (size_t k = 0; k + 1 < s.text.size(); ++k) {
        for (unsigned char c : squeeze(s.text[k])) chars += (c & 0xC0) != 0x80;
        out.push_back(chars);
    }
    return out;
}

size_t char_index(const std::string& s, size_t byte) {
    size_t n = 0;
    for (size_t i = 0; i < byte; ++i) n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    return n;
}

// Whether a line break falls inside `word` (squeezed text).
bool splits(const Set& s, const std::string& text, const std::string& word) {
    const std::string flat = squeeze(text);
    const auto breaks = break_offsets(s);
    const size_t len = char_index(word, word.size());
    for (size_t at = flat.find(word); at != std::string::npos; at = flat.find(word, at + 1)) {
        size_t a = char_index(flat, at);
        for (size_t b : breaks)
            if (b > a && b < a + len) return true;
    }
    return false;
}

std::string joined(const Set& s) {
    std::string all;
    for (const auto& t : s.text) all += t;
    return squeeze(all);
}

size_t visible_chars(const std::string& line) {
    size_t n = 0;
    for (unsigned char c : squeeze(line)) n += (c & 0xC0) != 0x80;
    return n;
}

size_t words_in(const std::string& line) {
    size_t n = 0;
    bool in = false;
    for (char c : line) {
        bool space = c == ' ';
        if (!space && !in) ++n;
        in = !space;
    }
    return n;
}

const std::vector<std::string> kChineseTitles = {
    "国家统计局发布关于有序安排2019年申办工作的通知",
    "市统计局：有序推进重点项目安排　申办国际赛事",
    "统计局部署有序安排申办工作",
    "科技企业孵化器迎来2019年首批12家入驻企业",
    "高新区召开2018年经济运行分析暨2019年一季度重点工作部署会",
    "青槐社区：326名志愿者把“年味”送到居民家门口",
};
const std::vector<std::string> kEnglishTitles = {
    "Harlow Bend’s Library Reopens After a Two-Year Rebuild",
    "River Park Footbridge Will Close for Six Weeks of Repairs",
    "Harlow Bend High’s Robotics Team Heads to the State Finals",
};
const std::vector<std::string> kWords = {"统计局", "有序", "安排", "申办"};

}  // namespace

TEST_CASE("headline: word units glue ICU's dictionary words as an editor would", "[headline]") {
    auto units = [](const std::string& text) {
        auto starts = word_starts(text, "zh-CN");
        std::string out;
        for (size_t i = 0; i < text.size(); ++i) {
            if (i > 0 && starts[i]) out += '|';
            out += text[i];
        }
        return out;
    };
    CHECK(units("国家统计局发布关于有序安排申办工作的通知") == "国家|统计局|发布|关于|有序|安排|申办|工作|的|通知");
    CHECK(units("科技企业孵化器迎来2019年首批12家入驻企业") == "科技|企业|孵化器|迎来|2019年|首批|12家|入驻|企业");
    CHECK(units("高新区召开2018年经济运行分析暨2019年一季度重点工作部署会") ==
          "高新区|召开|2018年|经济|运行|分析|暨|2019年|一季度|重点|工作|部署会");
}

TEST_CASE("headline: Chinese titles never break inside 统计局, 有序, 安排, 申办", "[headline]") {
    const Style style = bulletin_style();
    const TextRole& role = style.title;
    int plain_splits = 0;
    for (const std::string& title : kChineseTitles)
        for (double em = 4; em <= 24; em += 0.5) {
            const double measure = em * role.size;
            INFO(title << " at " << em << " em");
            Set s = compose_title(style, role, "zh-CN", title, headline_options(measure, role.align));
            CHECK(joined(s) == squeeze(title));
            for (const std::string& w : kWords) CHECK_FALSE(splits(s, title, w));
            // Without the flags the same measures do part some of them.
            Set plain = compose_title(style, role, "zh-CN", title, {measure, 0, role.align, false});
            for (const std::string& w : kWords) plain_splits += splits(plain, title, w);
        }
    CHECK(plain_splits > 0);
}

TEST_CASE("headline: a balanced title's last line holds 3+ characters or 2+ words", "[headline]") {
    const Style zh = bulletin_style();
    for (const std::string& title : kChineseTitles)
        for (double em = 8; em <= 30; em += 0.5) {
            INFO(title << " at " << em << " em");
            Set s = compose_title(zh, zh.title, "zh-CN", title, headline_options(em * zh.title.size, Align::Center));
            REQUIRE(!s.text.empty());
            if (s.text.size() > 1) CHECK(visible_chars(s.text.back()) > 2);
        }
    const Style en = english_style();
    for (const std::string& title : kEnglishTitles)
        for (double measure = 150; measure <= 560; measure += 10) {
            INFO(title << " at " << measure << " pt");
            Set s = compose_title(en, en.title, "en-US", title, headline_options(measure, Align::Center));
            REQUIRE(!s.text.empty());
            std::string shown;
            for (const auto& l : s.text) shown += l + " / ";
            INFO(shown);
            if (s.text.size() > 1) CHECK(words_in(s.text.back()) > 1);
        }
}

TEST_CASE("headline: balanced titles keep the fewest lines, even and centred in the measure", "[headline]") {
    auto check = [](const Style& style, const TextRole& role, const std::string& lang, const std::string& title,
                    double measure) {
        INFO(title << " at " << measure << " pt");
        ComposeOptions words{measure, 0, Align::Center, false};
        words.words_only = true;
        Set unbalanced = compose_title(style, role, lang, title, words);
        Set s = compose_title(style, role, lang, title, headline_options(measure, Align::Center));
        CHECK(s.text.size() == unbalanced.text.size());
        for (size_t k = 0; k < s.text.size(); ++k) {
            CHECK(s.width[k] <= measure + 0.01);
            CHECK(std::abs(s.x[k] + s.width[k] / 2 - measure / 2) < 0.5 * role.size);  // centred in the full measure
        }
        if (s.text.size() == 2) CHECK(std::abs(s.width[0] - s.width[1]) < 0.3 * measure);
        return s.text.size();
    };
    const Style zh = bulletin_style();
    int two_line = 0;
    for (const std::string& title : kChineseTitles)
        for (double em = 10; em <= 30; em += 1) two_line += check(zh, zh.title, "zh-CN", title, em * zh.title.size) == 2;
    const Style en = english_style();
    for (const std::string& title : kEnglishTitles)
        for (double measure = 250; measure <= 560; measure += 15) two_line += check(en, en.title, "en-US", title, measure) == 2;
    CHECK(two_line > 20);
}

TEST_CASE("headline: the flags' defaults leave body paragraphs as they were", "[headline]") {
    const ComposeOptions defaults;
    CHECK_FALSE(defaults.words_only);
    CHECK_FALSE(defaults.balanced);
    const Style style = bulletin_style();
    const std::string body =
        "1月22日上午10:30，高新区创业园科技企业孵化器举行2019年首批新入驻企业签约仪式，国家统计局"
        "有关负责人应邀出席。孵化器负责人介绍，今年将有序安排申办手续，企业入驻后可享受房租减免、"
        "创业辅导、投融资对接等“一站式”服务。";
    Diagnostics diags;
    RunStats stats;
    Composer composer(fonts(), diags, stats);
    ComposeContext cx{composer, style, "zh-CN"};
    const StyledParagraph para = style_text(body, style.body, "zh-CN", {});
    for (double em = 12; em <= 30; em += 3) {
        const double measure = em * style.body.size;
        // The body's options, as the story builder passes them.
        const auto& memo = compose(cx, para, {measure, 2 * style.body.size, Align::Justify, true});
        auto direct = break_and_set(cx, shape(composer, para), {measure, 2 * style.body.size, Align::Justify, true});
        REQUIRE(memo.size() == direct.size());
        for (size_t k = 0; k < memo.size(); ++k) {
            CHECK(memo[k].width == direct[k].width);
            REQUIRE(memo[k].runs.size() == direct[k].runs.size());
            for (size_t r = 0; r < memo[k].runs.size(); ++r) {
                CHECK(memo[k].runs[r].text == direct[k].runs[r].text);
                CHECK(memo[k].runs[r].x == direct[k].runs[r].x);
            }
        }
        // The flags are part of the memo's key: a headline of the same text
        // is a different composition and leaves the body's lines alone.
        ComposeOptions head = headline_options(measure, Align::Justify);
        head.indent = 2 * style.body.size;
        compose(cx, para, head);
        const auto& again = compose(cx, para, {measure, 2 * style.body.size, Align::Justify, true});
        CHECK(&again == &memo);
    }
}
