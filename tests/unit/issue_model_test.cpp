// Loader stage for issues: manifest -> Issue, and every diagnostic's place.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "galley/document.h"
#include "model/issue_manifest.h"

using namespace galley;

namespace {

const std::string kDir = GALLEY_TEST_DATA "/issues";
// Inline manifests are parsed as if they were this file, so article paths
// resolve against tests/data/issues/.
const std::string kInline = kDir + "/inline.yaml";

std::vector<std::string> formatted(const Diagnostics& ds) {
    std::vector<std::string> out;
    for (const Diagnostic& d : ds) out.push_back(format(d));
    return out;
}

Issue load_ok(const std::string& path) {
    Diagnostics diags;
    Issue issue = load_issue(path, diags);
    INFO(Catch::Detail::stringify(formatted(diags)));
    REQUIRE(diags.empty());
    return issue;
}

Issue parse_ok(const std::string& text) {
    Diagnostics diags;
    Issue issue = model::parse_issue(text, kInline, diags);
    INFO(Catch::Detail::stringify(formatted(diags)));
    REQUIRE(diags.empty());
    return issue;
}

// Every diagnostic of an inline manifest, formatted, with the manifest's
// path shortened to "m" so expectations stay readable.
std::vector<std::string> diags_of(const std::string& text) {
    Diagnostics diags;
    model::parse_issue(text, kInline, diags);
    std::vector<std::string> out;
    for (std::string s : formatted(diags)) {
        if (s.rfind(kInline, 0) == 0) s = "m" + s.substr(kInline.size());
        out.push_back(s);
    }
    return out;
}

std::string first_diag(const std::string& text) {
    auto ds = diags_of(text);
    REQUIRE_FALSE(ds.empty());
    return ds.front();
}

// A valid start: the fields every manifest needs, on lines 1-2.
const std::string kHead = "newsletter: 通讯\narticles: [articles/finance.md]\n";

}  // namespace

TEST_CASE("issue model: every manifest field lands in the Issue") {
    Issue issue = load_ok(kDir + "/full.yaml");
    CHECK(issue.path == kDir + "/full.yaml");
    CHECK(issue.newsletter == "高新区通讯");
    CHECK(issue.tagline == "西安高新区党工委主办");
    CHECK(issue.issue_label == "2019年第1期（总第12期）");
    REQUIRE(issue.date);
    CHECK(issue.date->year == 2019);
    CHECK(issue.date->month == 1);
    CHECK(issue.date->day == 20);
    CHECK_FALSE(issue.date->has_time);
    CHECK(issue.date->text == "2019-01-20");
    CHECK(issue.style == "bulletin");
    CHECK(issue.issuer == "西安高新区党工委办公室");
    CHECK(issue.classification == "内部资料");
    CHECK(issue.lang == "zh-Hans");
    CHECK(issue.copies == 200);
    REQUIRE(issue.credits.size() == 2);
    CHECK(issue.credits[0].role == "责任编辑");
    CHECK(issue.credits[0].name == "王某");
    CHECK(issue.credits[1].role == "校对");
    CHECK(issue.credits[1].name == "李某");

    REQUIRE(issue.articles.size() == 3);
    const IssueArticle& a0 = issue.articles[0];
    CHECK(a0.path == kDir + "/articles/party-building.md");
    CHECK_FALSE(a0.lead);
    CHECK(a0.pos.file == kDir + "/full.yaml");
    CHECK(a0.pos.line == 11);
    CHECK(a0.pos.col == 5);
    CHECK(a0.doc.title == "高新区旗帜鲜明讲政治");
    CHECK(a0.doc.path == a0.path);
    REQUIRE(a0.doc.dateline);
    CHECK(a0.doc.dateline->place == "西安");

    const IssueArticle& a1 = issue.articles[1];
    CHECK(a1.path == kDir + "/articles/finance.md");
    CHECK(a1.lead);
    CHECK(a1.pos.line == 12);
    CHECK(a1.pos.col == 11);  // the path value of the mapping entry
    CHECK(a1.doc.title == "金融创新大攻坚");
    CHECK(a1.doc.byline == std::vector<std::string>{"李玮"});

    const IssueArticle& a2 = issue.articles[2];
    CHECK(a2.path == kDir + "/articles/library.md");  // "./" normalised away
    CHECK_FALSE(a2.lead);
    CHECK(a2.pos.line == 14);
    CHECK(a2.pos.col == 12);
    CHECK(a2.doc.title == "镇图书馆重新开放");
}

TEST_CASE("issue model: distribution is kept in the order 报, 送, 发") {
    Issue issue = load_ok(kDir + "/full.yaml");
    // full.yaml lists 发, 报, 送.
    REQUIRE(issue.distribution.size() == 3);
    CHECK(issue.distribution[0].key == "报");
    CHECK(issue.distribution[0].names == std::vector<std::string>{"市委办公厅"});  // a plain string
    CHECK(issue.distribution[1].key == "送");
    CHECK(issue.distribution[1].names == std::vector<std::string>{"各区县党委"});
    CHECK(issue.distribution[2].key == "发");
    CHECK(issue.distribution[2].names == std::vector<std::string>{"各镇街党工委", "各直属党委"});

    // Keys that are left out (or empty) are not printed.
    Issue only = parse_ok(kHead + "distribution:\n  发: 各镇街\n  报: []\n");
    REQUIRE(only.distribution.size() == 1);
    CHECK(only.distribution[0].key == "发");
    CHECK(only.distribution[0].names == std::vector<std::string>{"各镇街"});
}

TEST_CASE("issue model: string and mapping article entries") {
    Issue issue = parse_ok("newsletter: N\narticles:\n  - articles/finance.md\n  - path: articles/library.md\n"
                           "  - {path: articles/party-building.md}\n");
    REQUIRE(issue.articles.size() == 3);
    CHECK(issue.articles[0].path == kDir + "/articles/finance.md");
    CHECK(issue.articles[1].path == kDir + "/articles/library.md");
    CHECK(issue.articles[2].path == kDir + "/articles/party-building.md");
    CHECK(issue.articles[1].pos.line == 4);
    CHECK(issue.articles[1].pos.col == 11);
    CHECK(issue.articles[2].pos.line == 5);
    CHECK(issue.articles[2].pos.col == 12);
    // A flow list of strings works too.
    Issue flow = parse_ok(kHead);
    REQUIRE(flow.articles.size() == 1);
    CHECK(flow.articles[0].doc.title == "金融创新大攻坚");
}

TEST_CASE("issue model: the first article is the lead unless one says so") {
    Issue first = load_ok(kDir + "/minimal.yaml");
    REQUIRE(first.articles.size() == 2);
    CHECK(first.articles[0].lead);
    CHECK_FALSE(first.articles[1].lead);
    // Optional fields stay empty.
    CHECK(first.tagline.empty());
    CHECK_FALSE(first.date);
    CHECK(first.distribution.empty());
    CHECK(first.copies == 0);
    CHECK(first.credits.empty());
    CHECK(first.lang.empty());

    Issue chosen = parse_ok("newsletter: N\narticles:\n  - articles/finance.md\n"
                            "  - {path: articles/library.md, lead: true}\n");
    CHECK_FALSE(chosen.articles[0].lead);
    CHECK(chosen.articles[1].lead);

    // 'lead: false' everywhere still leaves the issue with a lead: the first.
    Issue none = parse_ok("newsletter: N\narticles:\n  - {path: articles/finance.md, lead: false}\n"
                          "  - {path: articles/library.md, lead: false}\n");
    CHECK(none.articles[0].lead);
    CHECK_FALSE(none.articles[1].lead);
}

TEST_CASE("issue model: article paths are relative to the manifest's folder") {
    Diagnostics refused;
    load_issue(kDir + "/nested/issue.yaml", refused);  // its articles are in ../articles
    REQUIRE(refused.size() == 2);
    CHECK(format(refused[0]) == kDir + "/nested/issue.yaml:3:5: error: article '../articles/library.md' is not read: it "
                                       "is outside " + kDir + "/nested; a manifest's articles must be inside its folder "
                                       "(or give --root or --allow-any-path)");
    Diagnostics diags;
    ReadRules rules;
    rules.root = kDir;
    Issue issue = load_issue(kDir + "/nested/issue.yaml", diags, rules);
    CHECK(diags.empty());
    REQUIRE(issue.articles.size() == 2);
    CHECK(issue.articles[0].path == kDir + "/articles/library.md");
    CHECK(issue.articles[1].path == kDir + "/articles/finance.md");
    CHECK(issue.articles[0].doc.title == "镇图书馆重新开放");
    CHECK(issue.articles[1].doc.title == "金融创新大攻坚");
    CHECK(issue.articles[0].pos.file == kDir + "/nested/issue.yaml");
}

TEST_CASE("issue model: a missing article is an error at the manifest line naming it") {
    const std::string m = kDir + "/missing-article.yaml";
    Diagnostics diags;
    Issue issue = load_issue(m, diags);
    REQUIRE(diags.size() == 2);
    CHECK(format(diags[0]) == m + ":4:5: error: article 'articles/x.md' not found");
    CHECK(format(diags[1]) == m + ":5:11: error: article 'articles/gone.md' not found");
    CHECK(diags[0].pos.line != 0);
    // The readable article is still loaded.
    REQUIRE(issue.articles.size() == 3);
    CHECK(issue.articles[0].doc.title == "高新区旗帜鲜明讲政治");

    CHECK(first_diag("newsletter: N\narticles:\n  - articles\n") ==
          "m:3:5: error: article 'articles' is a directory, not a file");
}

TEST_CASE("issue model: errors inside an article keep the article's own place") {
    const std::string m = kDir + "/broken-article.yaml";
    Diagnostics diags;
    load_issue(m, diags);
    REQUIRE(diags.size() == 1);
    CHECK(format(diags[0]) == kDir + "/articles/broken.md:3:1: error: unknown key 'colour' in front matter");
}

TEST_CASE("issue model: the same article listed twice") {
    CHECK(diags_of("newsletter: N\narticles:\n  - articles/finance.md\n  - articles/library.md\n"
                   "  - ./articles/finance.md\n") ==
          std::vector<std::string>{
              "m:5:5: error: article './articles/finance.md' is listed twice (first on line 3)"});
    CHECK(diags_of("newsletter: N\narticles:\n  - articles/finance.md\n  - path: nested/../articles/finance.md\n") ==
          std::vector<std::string>{
              "m:4:11: error: article 'nested/../articles/finance.md' is listed twice (first on line 3)"});
}

TEST_CASE("issue model: only one article can be the lead") {
    CHECK(diags_of("newsletter: N\narticles:\n  - {path: articles/finance.md, lead: true}\n"
                   "  - articles/library.md\n  - path: articles/party-building.md\n    lead: true\n") ==
          std::vector<std::string>{
              "m:6:11: error: only one article can be the lead; 'articles/finance.md' on line 3 already is"});
}

TEST_CASE("issue model: unknown keys are reported at the key") {
    CHECK(first_diag(kHead + "foo: 1\n") == "m:3:1: error: unknown key 'foo' in issue manifest");
    CHECK(first_diag(kHead + "taglin: x\n") ==
          "m:3:1: error: unknown key 'taglin' in issue manifest; did you mean 'tagline'?");
    CHECK(first_diag(kHead + "newsletter: M\n") == "m:3:1: error: key 'newsletter' is given twice in issue manifest");
    CHECK(first_diag("newsletter: N\narticles:\n  - {path: articles/finance.md, laed: true}\n") ==
          "m:3:33: error: unknown key 'laed' in an 'articles' item; did you mean 'lead'?");
    CHECK(first_diag(kHead + "credits:\n  - {role: 编辑, name: 张梦洁, foo: 1}\n") ==
          "m:4:27: error: unknown key 'foo' in a 'credits' item");
}

TEST_CASE("issue model: distribution keys other than 报, 送, 发 are errors naming them") {
    CHECK(first_diag(kHead + "distribution:\n  报: 市委\n  抄送: 各单位\n") ==
          "m:5:3: error: unknown key '抄送' in 'distribution' (the keys are 报, 送 and 发)");
    CHECK(first_diag(kHead + "distribution: {報: 市委}\n") ==
          "m:3:16: error: unknown key '報' in 'distribution'; did you mean '报'?");
    CHECK(first_diag(kHead + "distribution:\n  报: 市委\n  报: 省委\n") ==
          "m:5:3: error: key '报' is given twice in 'distribution'");
}

TEST_CASE("issue model: wrong types are reported at the value") {
    CHECK(first_diag(kHead + "tagline: [a, b]\n") == "m:3:10: error: 'tagline' must be a string");
    CHECK(first_diag(kHead + "style: {name: x}\n") == "m:3:8: error: 'style' must be a string");
    CHECK(first_diag("newsletter: [高新区, 通讯]\narticles: [articles/finance.md]\n") ==
          "m:1:13: error: 'newsletter' must be a string");
    CHECK(first_diag("newsletter: N\narticles: articles/finance.md\n") ==
          "m:2:11: error: 'articles' must be a list of article paths");
    CHECK(first_diag("newsletter: N\narticles:\n  - [a.md]\n") ==
          "m:3:5: error: each 'articles' item must be a path or a mapping like {path, lead}");
    CHECK(first_diag("newsletter: N\narticles:\n  - path: [a.md]\n") ==
          "m:3:11: error: 'path' of an 'articles' item must be a string");
    CHECK(first_diag("newsletter: N\narticles:\n  - {lead: true}\n") ==
          "m:3:5: error: 'articles' item is missing 'path'");
    CHECK(first_diag("newsletter: N\narticles:\n  - ''\n") == "m:3:5: error: an 'articles' item has an empty path");
    CHECK(first_diag("newsletter: N\narticles:\n  - path: articles/finance.md\n    lead: 是\n") ==
          "m:4:11: error: 'lead' must be true or false");
    CHECK(first_diag(kHead + "distribution: [市委]\n") ==
          "m:3:15: error: 'distribution' must be a mapping with the keys 报, 送 and 发");
    CHECK(first_diag(kHead + "distribution:\n  报: {a: 1}\n") ==
          "m:4:6: error: 'distribution.报' must be a string or a list of strings");
    CHECK(first_diag(kHead + "distribution:\n  送: [各区县, [x]]\n") ==
          "m:4:12: error: 'distribution.送' must be a string or a list of strings");
    CHECK(first_diag(kHead + "distribution: {}\n") ==
          "m:3:15: error: 'distribution' must name recipients under at least one of 报, 送 and 发");
    CHECK(first_diag(kHead + "copies: 两百\n") == "m:3:9: error: 'copies' must be a positive whole number, not '两百'");
    CHECK(first_diag(kHead + "copies: 0\n") == "m:3:9: error: 'copies' must be a positive whole number, not '0'");
    CHECK(first_diag(kHead + "copies: -5\n") == "m:3:9: error: 'copies' must be a positive whole number, not '-5'");
    CHECK(first_diag(kHead + "copies: 2.5\n") == "m:3:9: error: 'copies' must be a positive whole number, not '2.5'");
    CHECK(first_diag(kHead + "copies: [200]\n") == "m:3:9: error: 'copies' must be a positive whole number");
    CHECK(first_diag(kHead + "credits: 王某\n") == "m:3:10: error: 'credits' must be a list of {role, name} items");
    CHECK(first_diag(kHead + "credits:\n  - 王某\n") ==
          "m:4:5: error: each 'credits' item must be a mapping like {role, name}");
    CHECK(first_diag(kHead + "credits:\n  - {role: 编辑}\n") == "m:4:5: error: 'credits' item is missing 'name'");
    CHECK(first_diag(kHead + "credits:\n  - {role: 编辑, name: [a]}\n") ==
          "m:4:22: error: 'credits.name' must be a string");
    CHECK(first_diag(kHead + "lang: zh_CN\n") ==
          "m:3:7: error: 'lang' must be a BCP 47 language tag such as 'zh-Hans' or 'en', not 'zh_CN'");
    CHECK(first_diag("- newsletter: N\n") == "m:1:1: error: the issue manifest must be a list of 'key: value' fields");
}

TEST_CASE("issue model: an invalid date is reported at the date node") {
    CHECK(first_diag(kHead + "date: 2019-02-29\n") ==
          "m:3:7: error: invalid date '2019-02-29': February 2019 has no day 29");
    CHECK(first_diag(kHead + "date: 2019年1月20日\n") ==
          "m:3:7: error: invalid date '2019年1月20日': expected YYYY-MM-DD[ HH:MM[:SS]][±HH:MM], e.g. 2019-01-18 "
          "13:01:08");
    Issue issue = parse_ok(kHead + "date: 2019-01-20 09:30+08:00\n");
    REQUIRE(issue.date);
    CHECK(issue.date->has_time);
    CHECK(issue.date->hour == 9);
    CHECK(issue.date->offset_minutes == 480);
}

TEST_CASE("issue model: required fields") {
    CHECK(diags_of("articles: [articles/finance.md]\n") ==
          std::vector<std::string>{"m:1:1: error: missing required field 'newsletter'"});
    CHECK(diags_of("newsletter: ''\narticles: [articles/finance.md]\n") ==
          std::vector<std::string>{"m:1:1: error: missing required field 'newsletter'"});
    CHECK(diags_of("newsletter: N\n") == std::vector<std::string>{"m:1:1: error: missing required field 'articles'"});
    CHECK(diags_of("newsletter: N\narticles: []\n") ==
          std::vector<std::string>{"m:2:11: error: 'articles' must list at least one article"});
    // With no value the place is the key (yaml-cpp would point past it).
    CHECK(diags_of("newsletter: N\narticles:\ncopies: 3\n") ==
          std::vector<std::string>{"m:2:1: error: 'articles' must list at least one article"});
}

TEST_CASE("issue model: invalid YAML, invalid UTF-8 and empty files") {
    std::string yaml = first_diag("newsletter: N\narticles: [a.md\ncopies: 2\n");
    CHECK(yaml.rfind("m:", 0) == 0);
    CHECK(yaml.find(": error: invalid YAML in issue manifest: ") != std::string::npos);
    CHECK(first_diag("newsletter: 通讯\n  bad: indent\n") == "m:2:6: error: invalid YAML in issue manifest: illegal map value");

    CHECK(first_diag("newsletter: 高新区\xff通讯\narticles: [a.md]\n") ==
          "m:1:16: error: invalid UTF-8 (byte 0xFF); the issue manifest must be saved as UTF-8");
    CHECK(first_diag("newsletter: N\narticles:\n  - 文\xe6\x96\n") ==
          "m:3:6: error: invalid UTF-8 (byte 0xE6); the issue manifest must be saved as UTF-8");

    const std::string empty = "m:1:1: error: the issue manifest is empty; it needs at least 'newsletter' and 'articles'";
    CHECK(diags_of("") == std::vector<std::string>{empty});
    CHECK(diags_of("\n  \n# only a comment\n") == std::vector<std::string>{empty});
}

TEST_CASE("issue model: a second YAML document is an error and a leading '---' is fine") {
    CHECK(first_diag("newsletter: N\narticles: [a.md]\n---\ncopies: 2\n") ==
          "m:3:1: error: invalid YAML in issue manifest: this '---' line starts a second YAML document, which would "
          "be lost; remove the line");
    CHECK(first_diag("newsletter: \"N\narticles: [a.md]\n") ==
          "m:1:13: error: invalid YAML in issue manifest: the quoted string that starts here is never closed");
    Issue issue = parse_ok("# an issue\n---\nnewsletter: 通讯\narticles:\n  - articles/finance.md\n...\n");
    CHECK(issue.newsletter == "通讯");
}

TEST_CASE("issue model: columns count code points, BOM and CRLF are fine") {
    // 9 CJK characters precede the unknown key.
    CHECK(first_diag(kHead + "credits:\n  - {role: 责任编辑, name: 王某某某某, x: 1}\n") ==
          "m:4:31: error: unknown key 'x' in a 'credits' item");
    Issue issue = parse_ok("\xEF\xBB\xBFnewsletter: 通讯\r\narticles:\r\n  - articles/finance.md\r\n");
    CHECK(issue.newsletter == "通讯");
    REQUIRE(issue.articles.size() == 1);
    CHECK(issue.articles[0].pos.line == 3);
    CHECK(issue.articles[0].pos.col == 5);
}

TEST_CASE("issue model: an unreadable manifest is an error without a line") {
    Diagnostics diags;
    load_issue("/nonexistent/dir/issue.yaml", diags);
    REQUIRE(diags.size() == 1);
    CHECK(format(diags[0]) ==
          "/nonexistent/dir/issue.yaml: error: cannot read the issue manifest: No such file or directory");
    Diagnostics dir;
    load_issue(kDir, dir);
    REQUIRE(dir.size() == 1);
    CHECK(format(dir[0]) == kDir + ": error: cannot read the issue manifest: it is a directory");
    Diagnostics device;
    load_issue("/dev/zero", device);  // would be read until memory ran out
    REQUIRE(device.size() == 1);
    CHECK(format(device[0]) == "/dev/zero: error: cannot read the issue manifest: it is a device, not a regular file");
}
