// A newsletter issue read back from its PDF with poppler-cpp: every story's
// text once and in reading order, jump lines and the contents box naming
// the right pages, the masthead and the 报尾; and properties of the frames
// themselves (the grid, the live area). Also a generated 40-article issue.
#include <poppler-document.h>
#include <poppler-page.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <set>

#include "common/dates.h"
#include "common/strings.h"
#include "style/geometry.h"
#include "support.h"

using namespace galley;
using namespace galley::test;

namespace {

struct RenderedIssue {
    Issue issue;
    Style style;
    Layout layout;
    std::vector<std::string> pages;  // poppler's raw-order text of each page
};

// The style `name`, else the issue's, else the bulletin.
Style issue_style(const Issue& issue, const std::string& name = "") {
    Diagnostics d;
    const std::string chosen = !name.empty() ? name : !issue.style.empty() ? issue.style : "bulletin";
    Style s = load_style(find_style(chosen, source_dir() + "/styles"), d);
    REQUIRE(!has_errors(d));
    return s;
}

RenderedIssue render_issue(const std::string& manifest, const std::string& pdf_name, const std::string& style = "") {
    RenderedIssue r;
    Diagnostics d;
    r.issue = load_issue(manifest, d);
    REQUIRE(!has_errors(d));
    r.style = issue_style(r.issue, style);
    r.layout = layout_issue(r.issue, r.style, fonts(), d);
    REQUIRE(!has_errors(d));
    std::string pdf = temp_dir() + "/" + pdf_name;
    write_pdf(r.layout, pdf, {1548806400});
    r.pages = pdf_pages(pdf);
    REQUIRE(r.pages.size() == r.layout.pages.size());
    return r;
}

// Stories in the order the issue sets them: the lead first, then the rest
// in manifest order.
std::vector<const IssueArticle*> reading_order(const Issue& issue) {
    std::vector<const IssueArticle*> order;
    for (auto& a : issue.articles)
        if (a.lead) order.push_back(&a);
    for (auto& a : issue.articles)
        if (!a.lead) order.push_back(&a);
    return order;
}

// squeeze(), and hard line breaks (U+2028) out too.
std::string flat(const std::string& s) {
    std::string out = squeeze(s);
    for (size_t at; (at = out.find("\xE2\x80\xA8")) != std::string::npos;) out.erase(at, 3);
    return out;
}

// At most `n` bytes of s from `at`, cut at a UTF-8 character boundary (for messages).
std::string excerpt(const std::string& s, size_t at, size_t n = 90) {
    at = std::min(at, s.size());
    while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
    size_t end = std::min(s.size(), at + n);
    while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
    return s.substr(at, end - at);
}

struct Jump {
    int page = 0;  // the page the line names
    size_t at = 0;
};

std::vector<Jump> jumps(const std::string& text, const std::string& word) {
    std::vector<Jump> out;
    std::regex re("（" + word + "第([0-9]+)版）");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
        out.push_back({std::stoi((*it)[1].str()), static_cast<size_t>(it->position())});
    return out;
}

// The issue's text, page by page, with the furniture taken apart.
struct IssueText {
    std::vector<std::string> core;  // squeezed page text without folio, running head, contents, 报尾
    std::string contents;           // squeezed 本期导读 box (page 1)
    std::string tail;               // squeezed 报尾 (last page)
    std::string body;               // every page's core without jump lines and titles, joined
    std::vector<size_t> page_start; // where each page starts in `body`
    int page_of(size_t at) const {
        return static_cast<int>(std::upper_bound(page_start.begin(), page_start.end(), at) - page_start.begin());
    }  // 1-based
};

std::string running_head(const Issue& issue) {
    std::string s = issue.newsletter + issue.issue_label;
    if (issue.date) s += format_date(*issue.date, true, false);
    return squeeze(s);
}

IssueText take_apart(const RenderedIssue& r, const std::vector<const IssueArticle*>& order) {
    IssueText t;
    const size_t n = r.pages.size();
    for (size_t p = 0; p < n; ++p) {
        std::string raw = r.pages[p];
        // The folio is the page's last text: "- 3 -".
        std::string folio = "- " + std::to_string(p + 1) + " -";
        size_t f = raw.rfind(folio);
        INFO("page " << p + 1);
        REQUIRE(f != std::string::npos);
        raw.erase(f, folio.size());
        std::string text = squeeze(raw);
        if (p > 0) {
            // The running head: once, on every page but the first.
            CHECK(erase_running_heads(text, running_head(r.issue), issue_sections(r.issue)) == 1);
        }
        if (p == 0) {
            size_t box = text.find("本期导读");
            REQUIRE(box != std::string::npos);
            t.contents = text.substr(box);
            text.erase(box);
        }
        if (p + 1 == n && !r.issue.distribution.empty()) {
            const DistributionLine& d = r.issue.distribution.front();
            size_t tail = text.rfind(squeeze(d.key + "：" + d.names.front()));
            REQUIRE(tail != std::string::npos);
            t.tail = text.substr(tail);
            text.erase(tail);
        }
        t.core.push_back(text);
    }
    // Body text: no jump lines, no titles (heads, continuation titles,
    // 相关阅读 lines).
    for (size_t p = 0; p < n; ++p) {
        std::string text = std::regex_replace(t.core[p], std::regex("（(转|接)第[0-9]+版）"), "");
        for (auto* a : order) erase_all(text, "相关阅读：" + squeeze(a->doc.title));
        for (auto* a : order) erase_all(text, squeeze(a->doc.title));
        t.page_start.push_back(t.body.size());
        t.body += text;
    }
    return t;
}

struct TextStats {
    size_t paragraphs = 0;  // blocks found in the read-back text
    int continued = 0;      // stories that run over pages
};

// Every check that reads the PDF back.
TextStats check_issue_text(const RenderedIssue& r) {
    TextStats stats;
    const auto order = reading_order(r.issue);
    const IssueText t = take_apart(r, order);
    const int n_pages = static_cast<int>(r.pages.size());

    // Every story's paragraphs once, in reading order through the issue.
    std::vector<std::set<int>> story_pages(order.size());
    size_t cursor = 0, found = 0;
    for (size_t s = 0; s < order.size(); ++s) {
        const Document& doc = order[s]->doc;
        for (const Block& b : doc.body) {
            std::string want = flat(spans_text(b.spans));
            if (want.empty()) continue;
            INFO("story " << s + 1 << " " << doc.title << ", block at line " << b.pos.line << ": " << excerpt(want, 0));
            // Exactly once: every paragraph; a heading may also be words of
            // some paragraph (新动能加快成长), so it is counted against the sources.
            size_t expected = 1;
            if (b.kind == BlockKind::Heading) {
                expected = 0;
                for (auto* a : order)
                    for (const Block& other : a->doc.body) expected += count_of(flat(spans_text(other.spans)), want);
            }
            CHECK(count_of(t.body, want) == expected);
            size_t at = t.body.find(want, cursor);
            size_t common = 0;  // how much of it reads back, for the message
            if (t.body.find(want, cursor) == std::string::npos)
                for (size_t len = 3; len <= want.size(); len += 3)
                    if (t.body.find(want.substr(0, len), cursor) != std::string::npos) common = len;
            size_t near = t.body.find(want.substr(0, common), cursor);
            INFO("after: " << excerpt(t.body, cursor) << "\nread back as: "
                           << (common ? excerpt(t.body, near + common - std::min<size_t>(common, 30), 120) : "")
                           << "\nwanted: " << excerpt(want, common - std::min<size_t>(common, 30), 120));
            REQUIRE(at != std::string::npos);
            int first = t.page_of(at), last = t.page_of(at + want.size() - 1);
            for (int p = first; p <= last; ++p) story_pages[s].insert(p);
            cursor = at + want.size();
            ++found;
        }
        // The closing lines follow the story's last paragraph.
        for (const std::string& name : doc.byline) {
            size_t at = t.body.find(squeeze(name), cursor);
            INFO("byline " << name << " of story " << s + 1);
            CHECK(at != std::string::npos);
        }
    }
    stats.paragraphs = found;

    // A story that runs over pages goes on at the top of the next page,
    // where the reader goes on anyway: no page skipped, no jump line.
    for (size_t s = 0; s < order.size(); ++s) {
        const std::set<int>& pg = story_pages[s];
        if (pg.empty()) continue;
        INFO("story " << s + 1 << " " << order[s]->doc.title << " on pages " << *pg.begin() << " to " << *pg.rbegin());
        CHECK(static_cast<int>(pg.size()) == *pg.rbegin() - *pg.begin() + 1);
        if (pg.size() > 1) ++stats.continued;
    }
    for (int p = 1; p <= n_pages; ++p) {
        INFO("page " << p);
        CHECK(jumps(t.core[p - 1], "转").empty());
        CHECK(jumps(t.core[p - 1], "接").empty());
    }

    // 本期导读: each story's title with the page it starts on, in order.
    size_t box = 0;
    for (size_t s = 0; s < order.size(); ++s) {
        const std::string title = squeeze(order[s]->doc.title);
        INFO("contents entry " << s + 1 << ": " << order[s]->doc.title << "\nbox: " << excerpt(t.contents, box));
        size_t at = t.contents.find(title + "第", box);
        REQUIRE(at != std::string::npos);
        at += title.size() + std::string("第").size();
        size_t end = t.contents.find("版", at);
        REQUIRE(end != std::string::npos);
        int listed = std::stoi(t.contents.substr(at, end - at));
        box = end;
        // Where the title first appears outside the box (not in a 相关阅读 line).
        int where = 0;
        for (int p = 1; p <= n_pages && where == 0; ++p) {
            std::string page = t.core[p - 1];
            erase_all(page, "相关阅读：" + title);
            if (page.find(title) != std::string::npos) where = p;
        }
        CHECK(listed == where);
        if (!story_pages[s].empty()) CHECK(listed == *story_pages[s].begin());
    }

    // Masthead on page 1 (the tagline under the name: the issuer takes the date line's left), 报尾 at the end of the last page.
    CHECK(t.core[0].rfind(
              squeeze(r.issue.classification + r.issue.newsletter + r.issue.tagline + r.issue.issue_label), 0) == 0);
    std::string tail;
    for (const DistributionLine& d : r.issue.distribution) {
        std::string line = d.key + "：";
        for (size_t i = 0; i < d.names.size(); ++i) line += (i ? "，" : "") + d.names[i];
        tail += squeeze(line);
    }
    for (const Credit& c : r.issue.credits) tail += squeeze(c.role + "：" + c.name);
    if (r.issue.copies > 0) tail += "（共印" + std::to_string(r.issue.copies) + "份）";
    CHECK(t.tail == tail);
    return stats;
}

// A run whose first glyph is a full-width opening mark: the mark's left
// half is blank, and a line may start 0.5 em left of the edge with it.
bool starts_with_opener(const GlyphRun& run) {
    static const std::vector<std::string> openers{"“", "‘", "《", "〈", "（", "【", "「", "『", "〔", "〖", "［", "｛"};
    for (auto& o : openers)
        if (run.text.rfind(o, 0) == 0) return true;
    return false;
}

// An interpunct set 0.5 em wide, centred (cjk-rules §2): the engine sets the
// full-width glyph 0.25 em early with a 0.75 em advance, so its first
// quarter em is blank and overlaps the glyph before it.
bool starts_with_interpunct(const GlyphRun& run) {
    return run.text.rfind("·", 0) == 0 || run.text.rfind("・", 0) == 0 || run.text.rfind("‧", 0) == 0;
}

// Frame properties: body-size runs on the grid; everything inside the
// text block but the running heads (top margin) and folios (foot margin).
void check_frames(const RenderedIssue& r, size_t min_body_runs = 100) {
    const Style& style = r.style;
    const Geometry g = geometry(style);
    const double running_y = g.top - 0.6 * g.pitch, folio_y = g.bottom + 1.5 * g.pitch;
    const double right = g.left + g.text_width;
    size_t body_runs = 0;
    for (size_t p = 0; p < r.layout.pages.size(); ++p) {
        for (const FrameItem& item : r.layout.pages[p].items) {
            if (const ImageItem* im = std::get_if<ImageItem>(&item)) {
                INFO("page " << p + 1 << ": image " << im->path);
                CHECK(im->x >= g.left - 0.01);
                CHECK(im->x + im->width <= right + 0.01);
                CHECK(im->y >= g.top - 0.01);
                CHECK(im->y + im->height <= g.bottom + 0.01);
                continue;
            }
            const GlyphRun* run = std::get_if<GlyphRun>(&item);
            if (!run || run->glyphs.empty()) continue;
            INFO("page " << p + 1 << ": run \"" << run->text << "\" at " << run->x << ", " << run->y << " size "
                         << run->size);
            // Horizontally inside the text block.
            const Glyph& last = run->glyphs.back();
            // An opening mark first in a line loses its blank left half
            // (cjk-rules C7: origin L - 0.5 em); its ink stays inside.
            CHECK(run->x >= g.left - (starts_with_opener(*run) ? 0.5 * run->size : 0) - 0.01);
            CHECK(run->x + last.x + last.advance <= right + 0.01);
            // Vertically inside the text block, but for the furniture in
            // the margins by design.
            const bool above = run->y - 0.88 * run->size < g.top - 0.01;
            const bool below = run->y + 0.12 * run->size > g.bottom + 0.01;
            if (above) {
                CHECK(p > 0);
                CHECK(std::abs(run->y - running_y) < 0.01);
                CHECK(run->size == style.running_head.size);
                std::string line = squeeze(run->text);
                CHECK(erase_running_heads(line, running_head(r.issue), issue_sections(r.issue)) == 1);
                CHECK(line.empty());
            } else if (below) {
                CHECK(std::abs(run->y - folio_y) < 0.01);
                CHECK(run->size == style.folio.size);
                CHECK(squeeze("- " + std::to_string(p + 1) + " -").find(squeeze(run->text)) != std::string::npos);
            } else {
                // Folios and running heads are never inside the block.
                CHECK(run->y - 0.88 * run->size >= g.top - 0.01);
            }
            // Body-size text on the grid.
            if (std::abs(run->size - style.body.size) < 1e-9) {
                ++body_runs;
                double k = (run->y - style.margin_top - g.baseline_offset()) / g.pitch;
                CHECK(std::abs(k - std::round(k)) * g.pitch < 0.01);
                CHECK(k > -0.01);
                CHECK(k < g.rows - 1 + 0.01);
            }
        }
    }
    CHECK(body_runs > min_body_runs);
}

// Text and pictures that overprint one another on a page: boxes of glyph
// runs (pen extent by em box) and images overlapping by more than `slack`
// in both directions. Returns a description of each clash.
std::vector<std::string> overprints(const Frame& page, double slack = 0.5) {
    struct Box {
        double x0, y0, x1, y1;
        std::string what;
    };
    std::vector<Box> boxes;
    for (const FrameItem& item : page.items) {
        if (const GlyphRun* run = std::get_if<GlyphRun>(&item)) {
            if (run->glyphs.empty()) continue;
            const Glyph& last = run->glyphs.back();
            // Blank leading parts of a glyph are not ink.
            const double blank = starts_with_opener(*run) ? 0.5 * run->size
                                 : starts_with_interpunct(*run) ? 0.25 * run->size
                                                                : 0;
            boxes.push_back({run->x + run->glyphs.front().x + blank, run->y - 0.88 * run->size,
                             run->x + last.x + last.advance, run->y + 0.12 * run->size, "\"" + run->text + "\""});
        } else if (const ImageItem* im = std::get_if<ImageItem>(&item)) {
            boxes.push_back({im->x, im->y, im->x + im->width, im->y + im->height, "image " + im->path});
        }
    }
    std::vector<std::string> out;
    for (size_t i = 0; i < boxes.size(); ++i)
        for (size_t j = i + 1; j < boxes.size(); ++j) {
            const Box &a = boxes[i], &b = boxes[j];
            double w = std::min(a.x1, b.x1) - std::max(a.x0, b.x0), h = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
            if (w > slack && h > slack)
                out.push_back(a.what + " and " + b.what + " overlap by " + std::to_string(w) + " x " + std::to_string(h));
        }
    return out;
}

void check_no_overprint(const Layout& layout) {
    for (size_t p = 0; p < layout.pages.size(); ++p)
        for (const std::string& clash : overprints(layout.pages[p])) {
            INFO("page " << p + 1);
            FAIL_CHECK(clash);
        }
}

}  // namespace

TEST_CASE("issue: the sample issue reads back complete, stories over pages without jump lines, contents pages right") {
    RenderedIssue r = render_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", "gaoxin-issue.pdf");
    REQUIRE(r.issue.articles.size() == 5);
    INFO("pages: " << r.pages.size());
    CHECK(r.pages.size() >= 4);
    TextStats stats = check_issue_text(r);
    CHECK(stats.paragraphs > 40);
    CHECK(stats.continued >= 2);  // the sample really runs stories over pages

    // Page 1 names the newsletter and the issue; the last page has the 报尾 lines.
    const std::string first = squeeze(r.pages.front()), last = squeeze(r.pages.back());
    CHECK(first.find("高新区通讯") != std::string::npos);
    CHECK(first.find(squeeze("2019年第1期（总第12期）")) != std::string::npos);
    CHECK(first.find("本期导读") != std::string::npos);
    for (const char* line : {"报：市委办公厅，市政府办公厅，市委组织部", "送：各开发区党工委，各区县党委",
                             "发：各镇街党工委，各直属党委，管委会各部门", "（共印200份）", "责任编辑：何静"}) {
        INFO(line);
        CHECK(last.find(squeeze(line)) != std::string::npos);
        CHECK(first.find(squeeze(line)) == std::string::npos);
    }
}

TEST_CASE("issue: the sample issue's frames keep to the grid and the live area") {
    Diagnostics d;
    Issue issue = load_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", d);
    REQUIRE(!has_errors(d));
    RenderedIssue r;
    r.issue = issue;
    r.style = issue_style(issue);
    r.layout = layout_issue(issue, r.style, fonts(), d);
    check_frames(r);
    check_no_overprint(r.layout);
}

namespace {

// Sentences of the sample's Chinese articles, free of Markdown syntax.
std::vector<std::string> sentence_pool() {
    std::vector<std::string> pool;
    for (const char* name : {"xian-gaoxin-party-building.md", "gaoxin-economy-2018-review.md",
                             "business-environment-reform.md", "incubator-new-tenants.md",
                             "community-volunteers-new-year.md"}) {
        Diagnostics d;
        Document doc = load_article(sample(name), d);
        REQUIRE(!has_errors(d));
        for (const Block& b : doc.body) {
            if (b.kind != BlockKind::Paragraph) continue;
            std::string text = spans_text(b.spans);
            if (text.find_first_of("*_[]#`<>\\!|") != std::string::npos) continue;
            if (text.find("\xE2\x80\xA8") != std::string::npos) continue;
            size_t from = 0;
            for (size_t at; (at = text.find("。", from)) != std::string::npos; from = at + 3) {
                std::string s = text.substr(from, at + 3 - from);
                if (s.size() > 6 && s.find("编号") == std::string::npos) pool.push_back(s);
            }
        }
    }
    return pool;
}

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Writes 40 articles (zh-Hans, bodies of varied length from the samples'
// sentences, one marker sentence each) and their manifest, the 7th the lead.
struct Generated {
    std::string manifest;
    std::vector<std::string> markers;
};

Generated write_forty(const std::string& dir) {
    Generated out;
    const std::vector<std::string> pool = sentence_pool();
    REQUIRE(pool.size() > 60);
    const std::vector<std::string> topics{
        "高新区召开工作会议",
        "科技企业孵化器迎来新一批入驻企业",
        "社区志愿者为独居老人送去年货",
        "优化营商环境改革举措落地见效",
        "全年经济运行稳中有进",
        "党建引领基层治理",
        "重点项目集中开工，一批科技和产业项目同步建设",
        "创业园举办首场创业早餐会",
        "“一网通办”事项占比超过九成，企业开办压缩至三个工作日",
        "外贸进出口总额首次突破一千亿元",
    };
    std::filesystem::create_directories(dir);
    std::mt19937 rng(40);
    std::string manifest =
        "newsletter: 高新区通讯\nissue: 2019年第2期（总第13期）\ndate: 2019-02-28\nstyle: bulletin\n"
        "issuer: 西安高新区党工委办公室\nclassification: 内部资料\narticles:\n";
    for (int n = 1; n <= 40; ++n) {
        std::string title = "第" + std::to_string(n) + "篇：" + topics[(n * 7) % topics.size()];
        std::string md = "---\ntitle: " + title + "\nlang: zh-Hans\n";
        if (n % 3 == 0) md += "kicker: 专题" + std::to_string(n) + "\n";
        if (n % 2 == 0) md += "dateline: {place: 西安, source: 高新区通讯, date: 2019-02-" + two_digits(n % 27 + 1) + " 10:00}\n";
        if (n % 4 == 1) md += "byline: [记者" + std::to_string(n) + "]\n";
        md += "---\n\n";
        // Lengths from one short paragraph to several columns.
        const int paragraphs = n % 5 == 0 ? 1 : std::uniform_int_distribution<int>(2, n % 7 == 0 ? 18 : 9)(rng);
        const int marked = paragraphs / 2;
        for (int j = 1; j <= paragraphs; ++j) {
            if (j > 1 && std::uniform_int_distribution<int>(0, 5)(rng) == 0)
                md += "## 第" + std::to_string(n) + "篇小标题" + std::to_string(j) + "\n\n";
            // A tag makes every paragraph unique, so "exactly once" holds
            // paragraph by paragraph.
            std::string para = "（" + std::to_string(n) + "篇" + std::to_string(j) + "段）";
            const int sentences = std::uniform_int_distribution<int>(1, 6)(rng);
            for (int k = 0; k < sentences; ++k) para += pool[std::uniform_int_distribution<size_t>(0, pool.size() - 1)(rng)];
            if (j == marked + 1) {
                // Fixed width between fixed words: no marker is inside another.
                std::string marker = "编号A0" + two_digits(n) + "结束。";
                out.markers.push_back(marker);
                para += marker;
            }
            md += para + "\n\n";
        }
        std::string file = "a" + two_digits(n) + ".md";
        std::ofstream(dir + "/" + file, std::ios::binary) << md;
        manifest += n == 7 ? "  - path: " + file + "\n    lead: true\n" : "  - " + file + "\n";
    }
    manifest +=
        "distribution:\n  报: [市委办公厅]\n  送: [各区县党委]\n  发: [各镇街党工委, 管委会各部门]\ncopies: 150\n"
        "credits:\n  - {role: 责任编辑, name: 何静}\n";
    out.manifest = dir + "/issue.yaml";
    std::ofstream(out.manifest, std::ios::binary) << manifest;
    return out;
}

// Rendered once per process.
const RenderedIssue& forty(std::vector<std::string>* markers = nullptr, double* ms = nullptr) {
    static Generated gen;
    static double took = 0;
    static RenderedIssue r = [] {
        auto t0 = std::chrono::steady_clock::now();
        gen = write_forty(temp_dir() + "/issue40");
        RenderedIssue out = render_issue(gen.manifest, "issue40.pdf");
        took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        return out;
    }();
    if (markers) *markers = gen.markers;
    if (ms) *ms = took;
    return r;
}

}  // namespace

TEST_CASE("issue: forty articles, every story once, no jump lines, contents pages right") {
    std::vector<std::string> markers;
    double ms = 0;
    const RenderedIssue& r = forty(&markers, &ms);
    REQUIRE(r.issue.articles.size() == 40);
    REQUIRE(reading_order(r.issue).front()->doc.title.rfind("第7篇：", 0) == 0);
    INFO("pages: " << r.pages.size());

    // Every marker exactly once in the whole issue's text.
    REQUIRE(markers.size() == 40);
    std::string all;
    for (auto& p : r.pages) all += squeeze(p);
    for (const std::string& m : markers) {
        INFO(m);
        CHECK(count_of(all, m) == 1);
    }
    TextStats stats = check_issue_text(r);
    check_frames(r);
    INFO(stats.paragraphs << " paragraphs, " << stats.continued << " stories over pages on " << r.pages.size()
                          << " pages, rendered and read back in " << ms << " ms");
    CHECK(stats.paragraphs > 200);
    CHECK(stats.continued >= 5);
    CHECK(r.pages.size() > 10);
    CHECK(ms < 8000);
}

// Was a bug (fixed): the contents box reserves 3 contents ems (28.5 pt) at the end of an
// entry's last line for its page number but never measures the number:
// "第4版" is 29.0 pt wide, "第16版" 34.3 pt (two ideographs, the digits, the
// Han-Latin gaps). A title whose last line runs to the reserved edge meets
// its number with no space at all: in the 40-article issue
// "…入驻企业" ends 0.96 pt before "第4版" and "…一千亿元" runs 0.09 pt into
// "第16版"; a title line set to the full measure would run 5.8 pt into a
// two-digit number. contents_box should reserve the widest number's width
// plus a space.
TEST_CASE("issue: the contents box's page numbers stand clear of the titles") {
    const RenderedIssue& r = forty();
    const Geometry g = geometry(r.style);
    std::vector<const GlyphRun*> runs;
    for (const FrameItem& item : r.layout.pages[0].items)
        if (const GlyphRun* run = std::get_if<GlyphRun>(&item))
            if (run->size == r.style.contents.size && !run->glyphs.empty()) runs.push_back(run);
    const std::regex number("第[0-9]+版");
    int numbers = 0;
    for (const GlyphRun* n : runs) {
        if (!std::regex_match(squeeze(n->text), number)) continue;
        ++numbers;
        double end = -1;
        for (const GlyphRun* t : runs)
            if (t != n && std::abs(t->y - n->y) < 0.01 && t->x < n->x && t->x > n->x - g.column_width)
                end = std::max(end, t->x + t->glyphs.back().x + t->glyphs.back().advance);
        if (end < 0) continue;  // a number on a line of its own
        INFO(n->text << " at " << n->x << ", its title's line ends at " << end);
        CHECK(n->x - end >= 0.25 * n->size);  // at least a quarter em between
    }
    CHECK(numbers == 40);
}

TEST_CASE("issue: nothing overprints anything in the forty-article issue") {
    const RenderedIssue& r = forty();
    for (size_t p = 0; p < r.layout.pages.size(); ++p)
        for (const std::string& clash : overprints(r.layout.pages[p])) {
            INFO("page " << p + 1);
            FAIL_CHECK(clash);
        }
}

namespace {

RenderedIssue layout_only(const std::string& manifest) {
    RenderedIssue r;
    Diagnostics d;
    r.issue = load_issue(manifest, d);
    REQUIRE(!has_errors(d));
    r.style = issue_style(r.issue);
    r.layout = layout_issue(r.issue, r.style, fonts(), d);
    REQUIRE(!has_errors(d));
    return r;
}

const char* small_manifest_head =
    "newsletter: 高新区通讯\nissue: 2019年第3期（总第14期）\ndate: 2019-03-29\nstyle: bulletin\n"
    "issuer: 西安高新区党工委办公室\n";
const char* small_manifest_tail =
    "distribution:\n  报: [市委办公厅]\n  送: [各区县党委]\n  发: [各镇街党工委]\ncopies: 80\n"
    "credits:\n  - {role: 责任编辑, name: 何静}\n";

}  // namespace

// Was a bug (fixed): an issue that ends on page 1 sets its 报尾 over the contents box.
// Paginator::run places the 报尾 at the foot of the last page when
// row_ + tail.rows <= g.rows, measuring against the whole column (g.rows)
// instead of the room above the contents box (limit_ on page 1), and the
// contents box is then placed at the same foot rows: the distribution lines
// and the 本期导读 entries print on top of each other.
TEST_CASE("issue: a one-page issue sets its 报尾 clear of the contents box") {
    const std::string dir = temp_dir() + "/issue-one-page";
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/short.md", std::ios::binary)
        << "---\ntitle: 高新区召开安全生产工作会议\nlang: zh-Hans\n---\n\n"
           "3月28日，高新区召开安全生产工作会议，部署二季度安全生产重点工作。\n\n"
           "会议要求，各部门要压实责任，抓好隐患排查整治。\n";
    std::ofstream(dir + "/issue.yaml", std::ios::binary)
        << small_manifest_head << "articles:\n  - short.md\n" << small_manifest_tail;
    RenderedIssue r = layout_only(dir + "/issue.yaml");
    REQUIRE(r.layout.pages.size() == 1);
    check_no_overprint(r.layout);
}

// A story that starts low on a page behind a taller lead picture: the
// picture should go to the next column or page; it should never run past
// the live area or into the contents box. The first story's length moves
// the second one's start down page 1 row by row.
// Was a bug (fixed): Paginator::run passes the rows left on the page (limit_ - row_) to
// fill_balanced as the column height, and fill()'s "an item taller than a
// column goes in at a column top regardless" rule compares with that
// height (full = rows), not with a real column's. So a picture (12 rows
// with its caption) taller than the 3+ rows left under a low story head
// is forced in at the top of the area and runs down over the contents box
// (page 1: the image over 本期导读 and its entries, from 28 lines of lead
// story on) or past the foot of the text block (caption baseline 782.74 >
// 779.89 at 34 lines). The comment on fill() says `full` is meant to be
// the height of a real column; fill_columns/fill_balanced have no way to
// be told it.
TEST_CASE("issue: a lead picture never runs out of the live area however low its story starts") {
    const std::string dir = temp_dir() + "/issue-picture";
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(source_dir() + "/samples/articles/images/incubator.jpg", dir + "/incubator.jpg",
                               std::filesystem::copy_options::overwrite_existing);
    std::ofstream(dir + "/picture.md", std::ios::binary)
        << "---\ntitle: 孵化器B座效果图发布\nlang: zh-Hans\nimage:\n  src: incubator.jpg\n"
           "  caption: 创业园科技企业孵化器B座（示意图）。\n---\n\n"
           "创业园科技企业孵化器B座效果图近日发布，新楼将于年内投入使用，可容纳企业六十余家。\n\n"
           "孵化器负责人介绍，B座八至十一层将用于人工智能和生物医药企业的研发办公。\n";
    // A long last story, so that the 报尾 is never on page 1 (see above).
    std::filesystem::copy_file(sample("xian-gaoxin-party-building.md"), dir + "/filler.md",
                               std::filesystem::copy_options::overwrite_existing);
    int pictures = 0;
    for (int n = 2; n <= 64; n += 2) {
        std::string lead = "---\ntitle: 高新区召开安全生产工作会议\nlang: zh-Hans\n---\n\n";
        for (int k = 1; k <= n; ++k) lead += "第" + std::to_string(k) + "项工作已经部署。\n\n";
        std::ofstream(dir + "/lead.md", std::ios::binary) << lead;
        std::ofstream(dir + "/issue.yaml", std::ios::binary)
            << small_manifest_head << "articles:\n  - path: lead.md\n    lead: true\n  - picture.md\n  - filler.md\n"
            << small_manifest_tail;
        RenderedIssue r = layout_only(dir + "/issue.yaml");
        INFO("lead story of " << n << " one-line paragraphs, " << r.layout.pages.size() << " pages");
        const Geometry g = geometry(r.style);
        for (size_t p = 0; p < r.layout.pages.size(); ++p)
            for (const FrameItem& item : r.layout.pages[p].items)
                if (const ImageItem* im = std::get_if<ImageItem>(&item)) {
                    ++pictures;
                    INFO("page " << p + 1 << ": picture from " << im->y << " to " << im->y + im->height);
                    CHECK(im->y >= g.top - 0.01);
                    CHECK(im->y + im->height <= g.bottom + 0.01);
                }
        check_frames(r, 0);
        check_no_overprint(r.layout);
    }
    CHECK(pictures == 32);
}

// A newsletter name longer than the measure is set smaller to fit it, and
// below the style's minimum in balanced lines: never over the issue line,
// the date, the rule or the lead story.
TEST_CASE("issue: a long newsletter name fits its measure and prints over nothing") {
    Diagnostics d;
    for (const char* manifest_name : {"gaoxin-2019-01.yaml", "harlow-bend-weekly.yaml"}) {
        const std::string manifest = manifest_name;
        Issue issue = load_issue(source_dir() + "/samples/" + manifest, d);
        REQUIRE(!has_errors(d));
        const bool cjk = manifest[0] == 'g';
        const Style style = issue_style(issue);
        const Geometry g = geometry(style);
        for (const std::string& name : cjk ? std::vector<std::string>{"西安高新技术产业开发区党工委管委会工作简报与通讯",
                                                                      "高新区通讯"}
                                          : std::vector<std::string>{"The Harlow Bend and Willow Creek Valley Courier",
                                                                     "The Courier"}) {
            INFO(name);
            issue.newsletter = name;
            Layout layout = layout_issue(issue, style, fonts(), d);
            REQUIRE(!has_errors(d));
            for (const std::string& clash : overprints(layout.pages[0])) FAIL_CHECK(clash);
            // The name's runs: its lines inside the measure, at or under the role's size.
            double size = 0;
            int lines = 0;
            for (const FrameItem& item : layout.pages[0].items)
                if (auto* r = std::get_if<GlyphRun>(&item); r && r->size >= style.masthead_min_size - 0.01) {
                    size = r->size;
                    ++lines;
                    CHECK(r->x >= g.left - 0.01);
                    CHECK(r->x + r->glyphs.back().x + r->glyphs.back().advance <= g.left + g.text_width + 0.01);
                }
            CHECK(size <= style.masthead.size);
            if (name.size() < 20) CHECK(size == style.masthead.size);
            if (size > style.masthead_min_size) CHECK(lines == 1);
            CHECK(lines >= 1);
        }
    }
}

namespace {

// Make-up as an editor checks it, on the layout model: for each story (an
// Art element) the pages it is on and its body lines there.
struct StoryOnPages {
    std::map<int, std::set<std::pair<long, long>>> lines;  // page -> (column x, baseline) of body text
    std::vector<std::string> title_lines;                  // its H1 runs by baseline
};

// The story (Art element) a tagged item belongs to.
int art_of(const Layout& layout, int tag) {
    while (tag >= 0 && layout.structure[tag].type != "Art") tag = layout.structure[tag].parent;
    return tag;
}

std::map<int, StoryOnPages> stories_on_pages(const Layout& layout, double body_size) {
    std::map<int, StoryOnPages> out;
    for (size_t p = 0; p < layout.pages.size(); ++p) {
        std::map<int, std::map<long, std::string>> titles;
        for (const FrameItem& item : layout.pages[p].items) {
            // A picture counts as the rows it takes.
            if (const ImageItem* im = std::get_if<ImageItem>(&item); im && im->tag >= 0)
                for (double y = im->y; y < im->y + im->height; y += body_size * 1.6)
                    out[art_of(layout, im->tag)].lines[static_cast<int>(p)].insert({std::lround(im->x / 40), std::lround(y * 10)});
            const GlyphRun* r = std::get_if<GlyphRun>(&item);
            if (!r || r->tag < 0) continue;
            const int art = art_of(layout, r->tag);
            const std::string& type = layout.structure[r->tag].type;
            if (type == "H1") titles[art][std::lround(r->y * 10)] += r->text;
            if ((type == "P" || type == "LI" || type == "BlockQuote") && std::abs(r->size - body_size) < 0.01)
                out[art].lines[static_cast<int>(p)].insert({std::lround(r->x / 40), std::lround(r->y * 10)});
        }
        for (auto& [art, lines] : titles)
            for (auto& [y, text] : lines) out[art].title_lines.push_back(text);
    }
    return out;
}

// Each story's columns on each page: the foot of its body text and
// pictures in each column ((page, Art node) -> column -> lowest y).
// The grid column an x falls in.
int column_at(const Geometry& g, double x) {
    return static_cast<int>(std::floor((x - g.left + 0.5 * g.gutter) / (g.column_width + g.gutter)));
}

std::map<std::pair<int, int>, std::map<int, double>> column_feet(const Layout& layout, const Geometry& g,
                                                                 double body_size) {
    std::map<std::pair<int, int>, std::map<int, double>> out;
    // A picture across the columns is no column's foot, nor its caption (the element after it).
    std::set<int> wide_captions;
    for (const Frame& page : layout.pages)
        for (const FrameItem& item : page.items)
            if (const ImageItem* im = std::get_if<ImageItem>(&item); im && im->tag >= 0 && im->width >= g.column_width + 1)
                wide_captions.insert(im->tag + 1);
    for (size_t p = 0; p < layout.pages.size(); ++p)
        for (const FrameItem& item : layout.pages[p].items) {
            if (const ImageItem* im = std::get_if<ImageItem>(&item); im && im->tag >= 0 && im->width < g.column_width + 1) {
                double& foot = out[{static_cast<int>(p), art_of(layout, im->tag)}][column_at(g, im->x + 0.5 * im->width)];
                foot = std::max(foot, im->y + im->height);
            }
            // Body text, table cells, bylines and credits: set in one column (a head's
            // summary spans them).
            const GlyphRun* r = std::get_if<GlyphRun>(&item);
            if (!r || r->tag < 0 || r->glyphs.empty() || r->size >= 1.35 * body_size) continue;
            const std::string& type = layout.structure[r->tag].type;
            if (type != "P" && type != "LI" && type != "BlockQuote" && type != "Caption" && type != "TH" && type != "TD") continue;
            if (wide_captions.count(r->tag)) continue;
            const int c = column_at(g, r->x);
            if (r->x + r->glyphs.back().x + r->glyphs.back().advance > g.column_x(c) + g.column_width + 1) continue;
            double& foot = out[{static_cast<int>(p), art_of(layout, r->tag)}][c];
            foot = std::max(foot, r->y);
        }
    return out;
}

// The tallest band of a page that holds no text and no picture, in rows
// (as makeup-check measures it: a glyph covers 0.9 of its size above its
// baseline and 0.25 below).
double widest_empty_band(const Frame& page, double pitch) {
    std::vector<std::pair<double, double>> spans;
    for (const FrameItem& item : page.items) {
        if (const GlyphRun* r = std::get_if<GlyphRun>(&item)) spans.push_back({r->y - 0.9 * r->size, r->y + 0.25 * r->size});
        if (const ImageItem* im = std::get_if<ImageItem>(&item)) spans.push_back({im->y, im->y + im->height});
    }
    std::sort(spans.begin(), spans.end());
    double worst = 0, reach = spans.empty() ? 0 : spans.front().second;
    for (const auto& [a, b] : spans) {
        worst = std::max(worst, (a - reach) / pitch);
        reach = std::max(reach, b);
    }
    return worst;
}

// Words of a Latin line; characters (code points, spaces aside) of one
// with Chinese in it.
size_t tail_size(const std::string& line) {
    bool latin = true;
    for (unsigned char c : line)
        if (c >= 0xE3) latin = false;
    if (latin) {
        std::istringstream words(line);
        size_t n = 0;
        for (std::string w; words >> w;) ++n;
        return n;
    }
    size_t n = 0;
    for (size_t i = 0; i < line.size(); ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80 && line[i] != ' ') ++n;
    return n;
}

}  // namespace

// 200 issues of 3 to 12 stories drawn from the sample articles, with and
// without their pictures, in the three styles: nothing overprints, no jump
// line is printed, a story over pages is on consecutive pages, titles leave
// no lonely tail, a split story starts with 8 body lines (the lead aside)
// and continues with 4, its columns on a page end within 2 rows of each
// other, every page but the last is filled to within 3 rows of its foot.
// Not yet met everywhere, counted, printed one by one and kept from
// growing: a 4-row empty band across a page.
// Issues [first, last) of 200 mixes of the samples (the same mixes however
// the range is cut), each laid out and held to the make-up rules.
void generated_issues(int first, int last, int& split, int& checked) {
    const std::string dir = temp_dir() + "/generated";
    std::filesystem::create_directories(dir);
    std::error_code ec;
    std::filesystem::create_symlink(source_dir() + "/samples/articles/images", dir + "/images", ec);
    std::vector<std::string> samples;
    for (const auto& e : std::filesystem::directory_iterator(source_dir() + "/samples/articles"))
        if (e.path().extension() == ".md") samples.push_back(e.path().string());
    std::sort(samples.begin(), samples.end());
    std::mt19937 rng(9);
    const std::vector<std::string> styles{"bulletin", "broadsheet", "newsletter-en"};
    for (int n = 0; n < last; ++n) {
        const std::string style = styles[n % 3];
        const bool pictures = (n / 3) % 2 == 0;
        const int count = std::uniform_int_distribution<int>(3, 12)(rng);
        std::string manifest = "newsletter: " + std::string(style == "newsletter-en" ? "The Courier" : "高新区通讯") +
                               "\ndate: 2019-01-30\nstyle: " + style +
                               (style == "newsletter-en" ? "\nlang: en-US" : "") + "\narticles:\n";
        for (int k = 0; k < count; ++k) {
            std::string text = read_file(samples[std::uniform_int_distribution<size_t>(0, samples.size() - 1)(rng)]);
            if (!pictures) {
                std::string kept;
                std::istringstream in(text);
                for (std::string line; std::getline(in, line);)
                    if (line.rfind("![", 0) != 0 && line.rfind("image:", 0) != 0 && line.rfind("  src:", 0) != 0 &&
                        line.rfind("  caption:", 0) != 0 && line.rfind("  credit:", 0) != 0)
                        kept += line + "\n";
                text = kept;
            }
            const std::string file = "g" + std::to_string(n) + "-" + std::to_string(k) + ".md";
            if (n < first) continue;  // drawn, so later issues are the same mixes
            std::ofstream(dir + "/" + file, std::ios::binary) << text;
            manifest += "  - " + file + "\n";
        }
        if (n < first) continue;
        const std::string path = dir + "/g" + std::to_string(n) + ".yaml";
        std::ofstream(path, std::ios::binary) << manifest;
        Diagnostics d;
        Issue issue = load_issue(path, d);
        INFO("issue " << n << " (" << style << ", " << count << " stories" << (pictures ? "" : ", no pictures") << ")");
        for (const Diagnostic& diag : d)
            if (diag.severity == Severity::Error) FAIL_CHECK(format(diag));
        REQUIRE(!has_errors(d));
        const Style st = issue_style(issue);
        const Layout layout = layout_issue(issue, st, fonts(), d);
        const int pages = static_cast<int>(layout.pages.size());
        for (int p = 0; p < pages; ++p) {
            INFO("page " << p + 1);
            for (const std::string& clash : overprints(layout.pages[p])) FAIL_CHECK(clash);
            for (const FrameItem& item : layout.pages[p].items)
                if (auto* r = std::get_if<GlyphRun>(&item))
                    CHECK((r->text.find("转第") == std::string::npos && r->text.find("Continued on") == std::string::npos));
        }
        const auto stories = stories_on_pages(layout, st.body.size);
        const int lead = stories.empty() ? -1 : stories.begin()->first;
        for (const auto& [art, story] : stories) {
            INFO("story at node " << art);
            ++checked;
            if (story.title_lines.size() > 1) {
                const std::string& tail = story.title_lines.back();
                INFO("title ends with " << tail);
                CHECK(tail_size(tail) >= (tail.find(' ') != std::string::npos ? 2u : 3u));
            }
            if (story.lines.size() < 2) continue;
            ++split;
            auto first = story.lines.begin();
            INFO("starts on page " << first->first + 1 << " with " << first->second.size() << " lines, ends on page "
                                   << story.lines.rbegin()->first + 1 << " with " << story.lines.rbegin()->second.size());
            if (art != lead) CHECK(first->second.size() >= 8);
            CHECK(story.lines.rbegin()->second.size() >= 4);
            CHECK(story.lines.rbegin()->first - first->first + 1 == static_cast<int>(story.lines.size()));
        }
        // No hole: every story's columns on a page end within 2 rows of each
        // other; on every page but the last, no band of 4 empty rows and
        // body text down to within 3 rows of the live area's foot (page 1:
        // of the contents box).
        const Geometry g = geometry(st);
        for (const auto& [where, feet] : column_feet(layout, g, st.body.size)) {
            double lo = 1e9, hi = 0;
            for (const auto& [c, y] : feet) lo = std::min(lo, y), hi = std::max(hi, y);
            std::string cols;
            for (const auto& [c, y] : feet) cols += " " + std::to_string(c) + ":" + std::to_string(y);
            INFO("page " << where.first + 1 << ", story at node " << where.second << cols << ": columns end "
                         << (hi - lo) / g.pitch << " rows apart");
            CHECK(hi - lo < 2.5 * g.pitch);
        }
        for (int p = 0; p + 1 < pages; ++p) {
            INFO("page " << p + 1);
            CHECK(widest_empty_band(layout.pages[p], g.pitch) < 4);
            if (p == 0) continue;
            double lowest = 0;
            for (const FrameItem& item : layout.pages[p].items)
                if (auto* r = std::get_if<GlyphRun>(&item); r && r->tag >= 0) lowest = std::max(lowest, r->y);
                else if (auto* im = std::get_if<ImageItem>(&item); im && im->tag >= 0) lowest = std::max(lowest, im->y + im->height);
            INFO("content ends " << (g.bottom - lowest) / g.pitch << " rows above the foot");
            CHECK(g.bottom - lowest < 3 * g.pitch);
        }
    }
}

// In two halves, so that ctest runs them side by side (under the
// sanitizers the whole took four minutes on one core).
TEST_CASE("issue: generated issues 1 to 100 keep the make-up rules") {
    int split = 0, checked = 0;
    generated_issues(0, 100, split, checked);
    CHECK(split > 50);  // the mixes really split stories over pages
    CHECK(checked > 500);
}

TEST_CASE("issue: generated issues 101 to 200 keep the make-up rules") {
    int split = 0, checked = 0;
    generated_issues(100, 200, split, checked);
    CHECK(split > 50);
    CHECK(checked > 500);
}

// reorder: true lets a later story take the room an earlier one leaves:
// on the broadsheet's front page the last story fills what the second,
// too long for it, leaves; every story is still set once, nothing overprints.
TEST_CASE("issue: reorder lets a later story fill a page's room") {
    Diagnostics d;
    Issue issue = load_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", d);
    REQUIRE(!has_errors(d));
    Style style = load_style(find_style("broadsheet", source_dir() + "/styles"), d);
    REQUIRE(!has_errors(d));
    auto story_pages = [&](bool reorder) {
        issue.reorder = reorder;
        Layout layout = layout_issue(issue, style, fonts(), d);
        REQUIRE(!has_errors(d));
        for (const Frame& page : layout.pages)
            for (const std::string& clash : overprints(page)) FAIL_CHECK(clash);
        std::vector<int> first;  // the page of each story's title bookmark, in placing order
        for (const OutlineEntry& e : layout.outline)
            if (e.level == 1) first.push_back(e.page);
        return first;
    };
    const std::vector<int> kept = story_pages(false), moved = story_pages(true);
    REQUIRE(kept.size() == issue.articles.size());
    REQUIRE(moved.size() == issue.articles.size());
    CHECK(std::is_sorted(kept.begin(), kept.end()));
    // Reordered: the last story comes up to page 1, ahead of the second.
    CHECK(std::count(moved.begin(), moved.end(), 0) > std::count(kept.begin(), kept.end(), 0));
}

// pages: N makes up the issue in exactly N pages: the sample newsletter
// asks for the 4 its stories fill; asked for 5, the rows it is short are
// spread and said in a warning; asked for 3, it fails at the key, naming
// the lines over and the longest story, and writes nothing.
TEST_CASE("issue: pages: N comes out in exactly N pages, or fails at the key and writes nothing") {
    const std::string sample = source_dir() + "/samples/harlow-bend-weekly.yaml";
    const std::string text = read_file(sample);
    REQUIRE(text.find("\npages: 4") != std::string::npos);
    RenderOptions options;
    options.styles_dir = source_dir() + "/styles";
    options.read.any_path = true;  // the manifests are written elsewhere
    {
        Diagnostics d;
        const std::string out = temp_dir() + "/budget-4.pdf";
        render_file(sample, out, options, fonts(), d);
        REQUIRE(!has_errors(d));
        CHECK(std::none_of(d.begin(), d.end(), [](const Diagnostic& x) { return x.severity == Severity::Warning &&
                                                                                  x.message.find("pages") != std::string::npos; }));
        CHECK(pdf_pages(out).size() == 4);
    }
    auto with_budget = [&](int n) {
        std::string manifest = text;
        manifest.replace(manifest.find("\npages: 4"), 9, "\npages: " + std::to_string(n));
        for (size_t at = 0; (at = manifest.find(" articles/", at)) != std::string::npos; at += 10)
            manifest.replace(at + 1, 9, source_dir() + "/samples/articles/");
        const std::string path = temp_dir() + "/budget-" + std::to_string(n) + ".yaml";
        std::ofstream(path, std::ios::binary) << manifest;
        return path;
    };
    {
        const std::string path = with_budget(5);
        Diagnostics d;
        const std::string out = temp_dir() + "/budget-5.pdf";
        render_file(path, out, options, fonts(), d);
        REQUIRE(!has_errors(d));
        REQUIRE(pdf_pages(out).size() == 5);
        bool said = false;
        for (const Diagnostic& x : d)
            said = said || (x.severity == Severity::Warning && x.message.find("blank rows are spread") != std::string::npos &&
                            x.pos.line == 11);
        CHECK(said);
        Issue issue = load_issue(sample, d);
        issue.pages = 5;
        const Layout layout = layout_issue(issue, issue_style(issue), fonts(), d);
        CHECK(layout.pages.size() == 5);
        for (const Frame& page : layout.pages)
            for (const std::string& clash : overprints(page)) FAIL_CHECK(clash);
    }
    {
        const std::string path = with_budget(3);
        Diagnostics d;
        const std::string out = temp_dir() + "/budget-3.pdf";
        std::filesystem::remove(out);
        render_file(path, out, options, fonts(), d);
        REQUIRE(has_errors(d));
        const Diagnostic& e = *std::find_if(d.begin(), d.end(), [](const Diagnostic& x) { return x.severity == Severity::Error; });
        INFO(format(e));
        CHECK(e.pos.line == 11);
        CHECK(e.message.find("need 4 pages, 3 allowed") != std::string::npos);
        CHECK(e.message.find("lines over") != std::string::npos);
        CHECK(e.message.find("Library Reopens") != std::string::npos);
        CHECK(!std::filesystem::exists(out));
    }
}

// Blank rows between two paragraphs of a story in a column, nothing else
// between them: (page, column, baseline above) of each; only `page` and
// story `art` when given. A paragraph's line is at body size (not the
// summary's) and starts at the column's edge or its indent (the byline, set
// right, is none).
std::vector<std::tuple<int, int, double>> paragraph_gaps(const Layout& layout, const Geometry& g, double body_size,
                                                         int page = -1, int art = -1) {
    std::vector<std::tuple<int, int, double>> out;
    for (size_t p = 0; p < layout.pages.size(); ++p) {
        if (page >= 0 && static_cast<int>(p) != page) continue;
        // (story, column) -> baselines of its runs -> a paragraph's line
        std::map<std::pair<int, int>, std::map<double, bool>> lines;
        for (const FrameItem& item : layout.pages[p].items) {
            // A picture parts the lines above it from those below in each column it crosses.
            if (auto* im = std::get_if<ImageItem>(&item); im && im->tag >= 0) {
                const int a = art_of(layout, im->tag);
                for (int c = column_at(g, im->x); c <= column_at(g, im->x + im->width - 1); ++c)
                    lines[{a, c}][im->y + im->height] |= false;
            }
            auto* r = std::get_if<GlyphRun>(&item);
            if (!r || r->tag < 0) continue;
            const int a = art_of(layout, r->tag);
            if (a < 0 || (art >= 0 && a != art)) continue;
            const int c = column_at(g, r->x);
            const double from_edge = r->x - (g.left + c * (g.column_width + g.gutter));
            lines[{a, c}][r->y] |= layout.structure[r->tag].type == "P" && std::abs(r->size - body_size) < 0.01 &&
                                   from_edge < 2.5 * body_size;
        }
        for (const auto& [where, ys] : lines)
            for (auto it = ys.begin(); std::next(it) != ys.end(); ++it)
                if (it->second && std::next(it)->second && std::next(it)->first - it->first > 1.5 * g.pitch)
                    out.emplace_back(static_cast<int>(p), where.second, it->first);
    }
    return out;
}

// The sample's economy story, without its 按语, used to end with two fifths
// of p. 5 spread as blank rows (the next story, opening with an editor's
// note, cannot start there): make-up sets its GDP chart across both
// columns, under the text before it, and paragraphs a line longer, so that
// page is filled with text.
TEST_CASE("issue: a story's spare rows go to its picture set across the columns and to its lines") {
    Diagnostics d;
    Issue issue = load_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", d);
    REQUIRE(!has_errors(d));
    int without_note = 0;
    for (IssueArticle& a : issue.articles)
        if (a.path.find("gaoxin-economy-2018-review") != std::string::npos) a.doc.editor_note.clear(), ++without_note;
    REQUIRE(without_note == 1);
    const Style st = issue_style(issue);
    const Layout layout = layout_issue(issue, st, fonts(), d);
    REQUIRE(!has_errors(d));
    const Geometry g = geometry(st);
    REQUIRE(g.columns == 2);
    int chart_page = -1, art = -1;
    ImageItem chart;
    for (size_t p = 0; p < layout.pages.size(); ++p)
        for (const FrameItem& item : layout.pages[p].items)
            if (auto* im = std::get_if<ImageItem>(&item); im && im->path.find("gdp-chart") != std::string::npos)
                chart = *im, chart_page = static_cast<int>(p), art = art_of(layout, im->tag);
    REQUIRE(chart_page >= 0);
    CHECK(chart.width > g.column_width + g.gutter);  // wider than a column and its gutter: across both
    // Text above it in both columns, none beside it.
    const auto feet = column_feet(layout, g, st.body.size);
    int last_page = -1;
    for (const auto& [where, cols] : feet)
        if (where.second == art) last_page = std::max(last_page, where.first);
    REQUIRE(last_page > chart_page);
    INFO("the story ends on page " << last_page + 1);
    const auto& ending = feet.at({last_page, art});
    REQUIRE(ending.size() == 2);
    for (const auto& [c, y] : ending) {
        INFO("column " << c + 1 << " ends " << (g.bottom - y) / g.pitch << " rows above the foot");
        CHECK(g.bottom - y < 1.5 * g.pitch);
    }
    // Down to the foot in lines, not in blank rows between paragraphs (7
    // of them before: pdf-check's C12).
    CHECK(paragraph_gaps(layout, g, st.body.size, last_page, art).empty());
}

// The sample issue in either Chinese style: its paragraphs part by no blank
// row (pdf-check's C12 with the articles as sources): a head kept from a
// column's foot by a row takes it from paragraphs set a line shorter above
// it; spare rows go above heads, pictures and bylines first, and a story's
// last columns may fill in turn rather than balanced; page 1's room under
// the lead goes to the contents box.
TEST_CASE("issue: the sample issue's Chinese paragraphs part by no blank row") {
    for (const std::string style : {"bulletin", "broadsheet"}) {
        INFO(style);
        Diagnostics d;
        const Issue issue = load_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", d);
        REQUIRE(!has_errors(d));
        const Style st = issue_style(issue, style);
        const Layout layout = layout_issue(issue, st, fonts(), d);
        REQUIRE(!has_errors(d));
        for (const auto& [page, column, y] : paragraph_gaps(layout, geometry(st), st.body.size))
            FAIL_CHECK("a blank row on page " << page + 1 << ", column " << column + 1 << " above y = " << y);
    }
}

// The broadsheet's lead ends a dozen rows above the contents box and no
// later story can start there: the box takes the rows, each title over its
// story's summary (本期导读 with 提要), read back from the PDF in order —
// title, page label, then the summary whole or cut after a clause with ……
// — and the lead's columns reach the box.
TEST_CASE("issue: page 1's room under the lead goes to summaries in the contents box") {
    const RenderedIssue r =
        render_issue(source_dir() + "/samples/gaoxin-2019-01.yaml", "contents-summaries.pdf", "broadsheet");
    const Issue& issue = r.issue;
    const Style& st = r.style;
    const Layout& layout = r.layout;
    std::string raw = r.pages.front();
    raw.erase(raw.rfind("- 1 -"));  // the folio
    const std::string page1 = flat(raw);
    const size_t box = page1.find("本期导读");
    REQUIRE(box != std::string::npos);
    const std::string contents = page1.substr(box);
    const auto order = reading_order(issue);
    std::vector<size_t> starts;
    for (const IssueArticle* a : order) starts.push_back(contents.find(flat(a->doc.title) + "第"));
    for (size_t s = 0; s < order.size(); ++s) {
        INFO("entry " << s + 1 << ": " << excerpt(contents, starts[s]));
        REQUIRE(starts[s] != std::string::npos);
        const size_t label = contents.find("版", starts[s]);
        REQUIRE(label != std::string::npos);
        const size_t from = label + std::string("版").size();
        const size_t to = s + 1 < order.size() ? starts[s + 1] : contents.size();
        REQUIRE(from < to);
        const std::string shown = contents.substr(from, to - from), summary = flat(order[s]->doc.summary);
        const std::string cut = "……";
        if (shown != summary) {
            REQUIRE(shown.size() > cut.size());
            CHECK(shown.compare(shown.size() - cut.size(), cut.size(), cut) == 0);
            CHECK(summary.rfind(shown.substr(0, shown.size() - cut.size()), 0) == 0);
        }
    }
    // The lead's columns end within a row or two of the box's top rule.
    const Geometry g = geometry(st);
    double box_top = 0, lowest = 0;
    for (const FrameItem& item : layout.pages[0].items)
        if (auto* r = std::get_if<GlyphRun>(&item)) {
            if (squeeze(r->text) == "本期导读") box_top = r->y;
            else if (std::abs(r->size - st.body.size) < 0.01) lowest = std::max(lowest, r->y);
        }
    REQUIRE(box_top > 0);
    CHECK(box_top - lowest < 4.5 * g.pitch);
}
