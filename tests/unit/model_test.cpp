// Loader stage: article text -> Document, and every diagnostic's place.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "galley/document.h"
#include "model/front_matter.h"
#include "model/markdown_body.h"

using namespace galley;

namespace {

std::vector<std::string> formatted(const Diagnostics& ds) {
    std::vector<std::string> out;
    for (const Diagnostic& d : ds) out.push_back(format(d));
    return out;
}

// An article with a valid minimal front matter (2 lines: title, closing
// fence), so the body starts on line 4.
std::string with_body(const std::string& body) { return "---\ntitle: T\n---\n" + body; }

Document parse_ok(const std::string& text, Diagnostics& diags) {
    Document doc = parse_article(text, "a.md", diags);
    INFO(Catch::Detail::stringify(formatted(diags)));
    REQUIRE_FALSE(has_errors(diags));
    return doc;
}

Document body_of(const std::string& body) {
    Diagnostics diags;
    return parse_ok(with_body(body), diags);
}

// The first diagnostic, formatted, for an article that must fail or warn.
std::string first_diag(const std::string& text) {
    Diagnostics diags;
    parse_article(text, "a.md", diags);
    REQUIRE_FALSE(diags.empty());
    return format(diags.front());
}

std::string text_of(const Block& b) {
    std::string s;
    for (const Span& sp : b.spans) s += sp.text;
    return s;
}

const char* kFull = R"(---
title: 西安高新区旗帜鲜明讲政治永葆忠诚敢担当
subtitle: 2018年全面从严治党攻坚行动综述
kicker: 高新区
section: 开发区报道
dateline:
  place: 西安
  source: 华商网
  date: 2019-01-18 13:01:08
summary: |
  2018年，高新区按照
  市委部署，推进 the
  work.

  第二段。
byline: [崔霖鹏, 李玮]
credits:
  - {role: 编辑, name: 张梦洁}
  - role: 校对
    name: 王某
lang: zh-Hans
tags: [党建, 高新区]
image:
  src: photo.jpg
  caption: 图为……
  credit: 华商网
related:
  - {title: 西安高新区：金融创新大攻坚 区域发展“加速度”, rel: previous}
  - {title: Next story, rel: next, href: "https://example.org/n"}
editor_note: 编者按：本文……
---

Body paragraphs are separated by blank lines.
)";

}  // namespace

TEST_CASE("model: every front matter field lands in the Document") {
    Diagnostics diags;
    Document doc = parse_ok(kFull, diags);
    CHECK(diags.empty());
    CHECK(doc.path == "a.md");
    CHECK(doc.title == "西安高新区旗帜鲜明讲政治永葆忠诚敢担当");
    CHECK(doc.title_pos.line == 2);
    CHECK(doc.title_pos.col == 8);
    CHECK(doc.subtitle == "2018年全面从严治党攻坚行动综述");
    CHECK(doc.kicker == "高新区");
    CHECK(doc.section == "开发区报道");
    REQUIRE(doc.dateline);
    CHECK(doc.dateline->place == "西安");
    CHECK(doc.dateline->source == "华商网");
    CHECK(doc.dateline->pos.line == 7);
    REQUIRE(doc.dateline->date);
    const DateTime& d = *doc.dateline->date;
    CHECK(d.year == 2019);
    CHECK(d.month == 1);
    CHECK(d.day == 18);
    CHECK(d.hour == 13);
    CHECK(d.minute == 1);
    CHECK(d.second == 8);
    CHECK(d.has_time);
    CHECK(d.has_seconds);
    CHECK_FALSE(d.has_offset);
    CHECK(d.text == "2019-01-18 13:01:08");
    // Line breaks vanish between CJK characters, become spaces otherwise;
    // the blank line stays a paragraph break.
    CHECK(doc.summary == "2018年，高新区按照市委部署，推进 the work.\n第二段。");
    CHECK(doc.byline == std::vector<std::string>{"崔霖鹏", "李玮"});
    REQUIRE(doc.credits.size() == 2);
    CHECK(doc.credits[0].role == "编辑");
    CHECK(doc.credits[0].name == "张梦洁");
    CHECK(doc.credits[1].role == "校对");
    CHECK(doc.credits[1].name == "王某");
    CHECK(doc.lang == "zh-Hans");
    CHECK(doc.tags == std::vector<std::string>{"党建", "高新区"});
    REQUIRE(doc.image);
    CHECK(doc.image->src == "photo.jpg");
    CHECK(doc.image->path == "photo.jpg");
    CHECK(doc.image->caption == "图为……");
    CHECK(doc.image->credit == "华商网");
    CHECK(doc.image->pos.line == 24);
    REQUIRE(doc.related.size() == 2);
    CHECK(doc.related[0].title == "西安高新区：金融创新大攻坚 区域发展“加速度”");
    CHECK(doc.related[0].rel == "previous");
    CHECK(doc.related[0].href.empty());
    CHECK(doc.related[1].title == "Next story");
    CHECK(doc.related[1].rel == "next");
    CHECK(doc.related[1].href == "https://example.org/n");
    CHECK(doc.editor_note == "编者按：本文……");
    CHECK(doc.body_line == 32);
    REQUIRE(doc.body.size() == 1);
    CHECK(text_of(doc.body[0]) == "Body paragraphs are separated by blank lines.");
    CHECK(doc.body[0].pos.line == 33);
    CHECK(doc.body[0].pos.col == 1);
}

TEST_CASE("model: image paths resolve against the article's folder") {
    Diagnostics diags;
    Document doc = parse_article("---\ntitle: T\nimage: {src: ../img/p.jpg}\n---\nx ![c](fig/a.png)\n",
                                 "issue/articles/a.md", diags);
    REQUIRE_FALSE(has_errors(diags));
    REQUIRE(doc.image);
    CHECK(doc.image->path == "issue/img/p.jpg");
    REQUIRE(doc.body.size() == 2);
    REQUIRE(doc.body[1].image);
    CHECK(doc.body[1].image->path == "issue/articles/fig/a.png");
    CHECK(model::resolve_image_path("a.md", "/abs/p.png") == "/abs/p.png");
    CHECK(model::resolve_image_path("x/a.md", "https://e.org/p.png") == "https://e.org/p.png");
}

TEST_CASE("model: byline and tags take a string or a list") {
    Diagnostics diags;
    Document one = parse_ok("---\ntitle: T\nbyline: 崔霖鹏\ntags: 党建\n---\nx\n", diags);
    CHECK(one.byline == std::vector<std::string>{"崔霖鹏"});
    CHECK(one.tags == std::vector<std::string>{"党建"});
    Document list = parse_ok("---\ntitle: T\nbyline:\n  - 崔霖鹏\n  - 李玮\n---\nx\n", diags);
    CHECK(list.byline == std::vector<std::string>{"崔霖鹏", "李玮"});
    Document none = parse_ok("---\ntitle: T\nbyline:\nsubtitle:\n---\nx\n", diags);
    CHECK(none.byline.empty());
    // An entry may carry a role: 通讯员 and the like.
    Document roles = parse_ok("---\ntitle: T\nbyline: [崔霖鹏, {role: 通讯员, name: 王某}]\n---\nx\n", diags);
    CHECK(roles.byline == std::vector<std::string>{"崔霖鹏", "王某"});
    CHECK(roles.byline_roles == std::vector<std::string>{"", "通讯员"});
    CHECK(none.subtitle.empty());
}

TEST_CASE("model: dates in every allowed shape") {
    std::string why;
    auto a = model::parse_date_time("2019-01-18", why);
    REQUIRE(a);
    CHECK_FALSE(a->has_time);
    CHECK(a->day == 18);
    auto b = model::parse_date_time("2019-01-18 13:01", why);
    REQUIRE(b);
    CHECK(b->has_time);
    CHECK_FALSE(b->has_seconds);
    auto c = model::parse_date_time("2019-01-18 13:01:08+08:00", why);
    REQUIRE(c);
    CHECK(c->has_offset);
    CHECK(c->offset_minutes == 480);
    auto d = model::parse_date_time("2019-01-18-05:30", why);
    REQUIRE(d);
    CHECK(d->offset_minutes == -330);
    CHECK(model::parse_date_time("2020-02-29", why));
    CHECK_FALSE(model::parse_date_time("2019-02-29", why));
    CHECK(why == "February 2019 has no day 29");
    CHECK_FALSE(model::parse_date_time("2019-1-18", why));
    CHECK_FALSE(model::parse_date_time("2019-01-18T13:01", why));
    CHECK_FALSE(model::parse_date_time("2019-01-18 24:00", why));
    CHECK(why == "hour 24 is out of range (00-23)");
    CHECK_FALSE(model::parse_date_time("2019-01-18 12:00+15:00", why));
}

TEST_CASE("model: an invalid date is reported at the date node") {
    CHECK(first_diag("---\ntitle: T\ndateline:\n  place: 西安\n  date: 2019-13-01\n---\nx\n") ==
          "a.md:5:9: error: invalid date '2019-13-01': month 13 is out of range (01-12)");
    CHECK(first_diag("---\ntitle: T\ndateline: {place: 西安, date: 2019-01-32}\n---\nx\n") ==
          "a.md:3:29: error: invalid date '2019-01-32': January 2019 has no day 32");
    CHECK(first_diag("---\ntitle: T\ndateline: {date: yesterday}\n---\nx\n") ==
          "a.md:3:18: error: invalid date 'yesterday': expected YYYY-MM-DD[ HH:MM[:SS]][±HH:MM], e.g. 2019-01-18 "
          "13:01:08");
}

TEST_CASE("model: YAML syntax errors point into the file") {
    // yaml-cpp's own words follow the prefix; the place is the file's.
    std::string d = first_diag("---\ntitle: T\nbyline: [a, b\nlang: en\n---\nx\n");
    CHECK(d.rfind("a.md:", 0) == 0);
    CHECK(d.find(": error: invalid YAML in front matter: ") != std::string::npos);
    CHECK(first_diag("---\ntitle: 标题\n  bad: indent\n---\nx\n") ==
          "a.md:3:6: error: invalid YAML in front matter: illegal map value");
}

TEST_CASE("model: YAML that yaml-cpp would take in part is an error") {
    // A quoted string left open: yaml-cpp closes it at the end of the text.
    CHECK(first_diag("---\ntitle: \"标题\nsubtitle: 副题\n---\n\n正文。\n") ==
          "a.md:2:8: error: invalid YAML in front matter: the quoted string that starts here is never closed");
    CHECK(first_diag("---\ntitle: 'T\n---\n\n正文。\n").rfind("a.md:2:8: error: ", 0) == 0);
    // Left open after escapes, as a key, behind a tag, after closed ones.
    CHECK(first_diag("---\ntitle: 'it''s\n---\n\n正文。\n").rfind("a.md:2:8: error: ", 0) == 0);
    CHECK(first_diag("---\ntitle: \"a\\\" b\n---\n\n正文。\n").rfind("a.md:2:8: error: ", 0) == 0);
    CHECK(first_diag("---\ntitle: T\n'tags: [a]\n---\n\n正文。\n").rfind("a.md:3:1: error: ", 0) == 0);
    CHECK(first_diag("---\ntitle: !!str 'T\n---\n\n正文。\n").find("never closed") != std::string::npos);
    CHECK(first_diag("---\ntitle: \"T\"\nsubtitle: 'S''\n---\n\n正文。\n").rfind("a.md:3:11: error: ", 0) == 0);
    // A document end: what follows it would be dropped.
    CHECK(first_diag("---\ntitle: 标题\n...\nsubtitle: 副题\n---\n\n正文。\n") ==
          "a.md:3:1: error: invalid YAML in front matter: this '...' line ends the YAML document, and what follows "
          "it would be lost; remove the line");
    // Closed quotes, apostrophes in plain text, a final '...' and '...' inside a line are fine.
    for (const char* ok : {"---\ntitle: \"标题\"\nsubtitle: 'it''s'\n---\n\n正文。\n",
                           "---\ntitle: \"a \\\" b\"\ntags: ['x', \"y\"]\n---\n\n正文。\n",
                           "---\ntitle: !!str 'T'\n---\n\n正文。\n",
                           "---\ntitle: It's here\nsummary: |\n  a \"quote\n...\n# end\n---\n\n正文。\n",
                           "---\ntitle: a ... b\n---\n\n正文。\n"}) {
        Diagnostics d;
        parse_article(ok, "a.md", d);
        INFO(ok);
        CHECK(d.empty());
    }
}

TEST_CASE("model: missing or unterminated front matter") {
    CHECK(first_diag("# Title\n\ntext\n") ==
          "a.md:1:1: error: missing front matter: the article must start with a '---' line, then its fields "
          "(at least 'title'), then a closing '---' line");
    CHECK(first_diag("") .rfind("a.md:1:1: error: missing front matter", 0) == 0);
    CHECK(first_diag("---\ntitle: T\n\ntext\n") ==
          "a.md:1:1: error: unterminated front matter: the '---' on line 1 has no closing '---' line");
}

TEST_CASE("model: unknown keys are reported at the key") {
    CHECK(first_diag("---\ntitle: T\nfoo: 1\n---\nx\n") == "a.md:3:1: error: unknown key 'foo' in front matter");
    CHECK(first_diag("---\ntitle: T\nsubtitel: S\n---\nx\n") ==
          "a.md:3:1: error: unknown key 'subtitel' in front matter; did you mean 'subtitle'?");
    CHECK(first_diag("---\ntitle: T\ndateline:\n  place: 西安\n  foo: 1\n---\nx\n") ==
          "a.md:5:3: error: unknown key 'foo' in 'dateline'");
    CHECK(first_diag("---\ntitle: T\nimage:\n  src: a.png\n  foo: 1\n---\nx\n") ==
          "a.md:5:3: error: unknown key 'foo' in 'image'");
    CHECK(first_diag("---\ntitle: T\ncredits:\n  - {role: 编辑, name: 张梦洁, foo: 1}\n---\nx\n") ==
          "a.md:4:27: error: unknown key 'foo' in a 'credits' item");
    CHECK(first_diag("---\ntitle: T\nrelated:\n  - title: X\n    rel: next\n    foo: 1\n---\nx\n") ==
          "a.md:6:5: error: unknown key 'foo' in a 'related' item");
    CHECK(first_diag("---\ntitle: T\ntitle: U\n---\nx\n") ==
          "a.md:3:1: error: key 'title' is given twice in front matter");
}

TEST_CASE("model: columns count code points, not bytes") {
    // 9 CJK characters (27 bytes, 9 columns) precede the unknown key.
    CHECK(first_diag("---\ntitle: T\nrelated:\n  - {title: 西安高新区金融创新, rel: previous, foo: 1}\n---\nx\n") ==
          "a.md:4:39: error: unknown key 'foo' in a 'related' item");
    CHECK(first_diag("---\ntitle: 标题\nbyline: [崔霖鹏, [李玮]]\n---\nx\n") ==
          "a.md:3:15: error: 'byline' must be a string, a list of strings or of {role, name}");
    CHECK(first_diag("---\ntitle: 标题\nbyline: [崔霖鹏, {x: 1}]\n---\nx\n") ==
          "a.md:3:16: error: unknown key 'x' in a 'byline' entry");
}

TEST_CASE("model: wrong types are reported at the value") {
    CHECK(first_diag("---\ntitle: T\nbyline: {x: 1}\n---\nx\n") == "a.md:3:10: error: unknown key 'x' in a 'byline' entry");
    CHECK(first_diag("---\ntitle: T\nsubtitle: [a, b]\n---\nx\n") == "a.md:3:11: error: 'subtitle' must be a string");
    CHECK(first_diag("---\ntitle: T\ndateline: 西安\n---\nx\n") ==
          "a.md:3:11: error: 'dateline' must be a mapping with 'place', 'source' and 'date'");
    CHECK(first_diag("---\ntitle: T\ncredits: 张梦洁\n---\nx\n") ==
          "a.md:3:10: error: 'credits' must be a list of {role, name} items");
    CHECK(first_diag("---\ntitle: T\ncredits:\n  - {role: 编辑}\n---\nx\n") ==
          "a.md:4:5: error: 'credits' item is missing 'name'");
    CHECK(first_diag("---\ntitle: T\nimage: {caption: c}\n---\nx\n") == "a.md:3:8: error: 'image' is missing 'src'");
    CHECK(first_diag("---\ntitle: T\nlang: zh_CN\n---\nx\n") ==
          "a.md:3:7: error: 'lang' must be a BCP 47 language tag such as 'zh-Hans' or 'en', not 'zh_CN'");
    CHECK(first_diag("---\n- a\n- b\n---\nx\n") ==
          "a.md:2:1: error: the front matter must be a list of 'key: value' fields");
}

TEST_CASE("model: the title is required") {
    CHECK(first_diag("---\nsubtitle: S\n---\nx\n") == "a.md:1:1: error: missing required field 'title'");
    CHECK(first_diag("---\ntitle: ''\n---\nx\n") == "a.md:1:1: error: missing required field 'title'");
    CHECK(first_diag("---\ntitle:\n---\nx\n") == "a.md:1:1: error: missing required field 'title'");
    CHECK(first_diag("---\n---\nx\n") == "a.md:1:1: error: missing required field 'title'");
}

TEST_CASE("model: a level-1 heading in the body is an error at its '#'") {
    CHECK(first_diag(with_body("\nText.\n\n# 标题\n")) ==
          "a.md:7:1: error: a level-1 heading is not allowed in the body; the title belongs in the front matter");
    // Inside a block quote the '#' is further right.
    CHECK(first_diag(with_body("> 引文\n>\n>  # *Title*\n")) ==
          "a.md:6:4: error: a level-1 heading is not allowed in the body; the title belongs in the front matter");
    CHECK(first_diag(with_body("Para\n\n#\n")) ==
          "a.md:6:1: error: a level-1 heading is not allowed in the body; the title belongs in the front matter");
    // Setext: no '#', the heading's text.
    CHECK(first_diag(with_body("Title\n=====\n")) ==
          "a.md:4:1: error: a level-1 heading is not allowed in the body; the title belongs in the front matter");
}

TEST_CASE("model: headings deeper than 3 are set as level 3 with a warning") {
    Diagnostics diags;
    Document doc = parse_ok(with_body("## Two\n\n### Three\n\n#### Four\n"), diags);
    REQUIRE(diags.size() == 1);
    CHECK(format(diags[0]) ==
          "a.md:8:1: warning: a level-4 heading is set as level 3; only ## and ### headings are used in the body");
    REQUIRE(doc.body.size() == 3);
    CHECK(doc.body[0].kind == BlockKind::Heading);
    CHECK(doc.body[0].level == 2);
    CHECK(doc.body[0].pos.line == 4);
    CHECK(doc.body[0].pos.col == 1);
    CHECK(doc.body[1].level == 3);
    CHECK(doc.body[2].level == 3);
    CHECK(text_of(doc.body[2]) == "Four");
}

TEST_CASE("model: raw HTML is dropped with a warning at its place") {
    Diagnostics diags;
    Document doc = parse_ok(with_body("中文 <b>粗</b> text\n\n<div>\nblock\n</div>\n\nafter\n"), diags);
    std::vector<std::string> expected{
        "a.md:4:4: warning: raw HTML is not rendered and was dropped",
        "a.md:4:8: warning: raw HTML is not rendered and was dropped",
        "a.md:6:1: warning: raw HTML is not rendered and was dropped",
    };
    CHECK(formatted(diags) == expected);
    REQUIRE(doc.body.size() == 2);
    CHECK(text_of(doc.body[0]) == "中文 粗 text");
    CHECK(text_of(doc.body[1]) == "after");
}

TEST_CASE("model: invalid UTF-8 is reported at the first bad byte") {
    CHECK(first_diag("---\ntitle: 标题\xff\n---\nx\n") ==
          "a.md:2:10: error: invalid UTF-8 (byte 0xFF); the article must be saved as UTF-8");
    // A truncated sequence is reported at its lead byte.
    CHECK(first_diag("---\ntitle: T\n---\n中\xe6\x96 x\n") ==
          "a.md:4:2: error: invalid UTF-8 (byte 0xE6); the article must be saved as UTF-8");
    // Overlong encodings and surrogates are not UTF-8 either.
    CHECK(first_diag("---\ntitle: \xc0\xaf\n---\nx\n").find("a.md:2:8: error: invalid UTF-8 (byte 0xC0)") == 0);
    CHECK(first_diag("---\ntitle: \xed\xa0\x80\n---\nx\n").find("a.md:2:8: error: invalid UTF-8") == 0);
}

TEST_CASE("model: an empty body is an error on the line after the front matter") {
    CHECK(first_diag("---\ntitle: T\n---\n") == "a.md:4:1: error: the article has no body text");
    CHECK(first_diag("---\ntitle: T\n---\n\n   \n") == "a.md:4:1: error: the article has no body text");
    CHECK(first_diag("---\ntitle: T\n---") == "a.md:4:1: error: the article has no body text");
}

TEST_CASE("model: an unreadable file is an error without a line") {
    Diagnostics diags;
    load_article("/nonexistent/dir/a.md", diags);
    REQUIRE(diags.size() == 1);
    CHECK(format(diags[0]) == "/nonexistent/dir/a.md: error: cannot read the article: No such file or directory");
    CHECK(diags[0].pos.line == 0);
}

TEST_CASE("model: load_article reads a file") {
    Diagnostics diags;
    Document doc = load_article(GALLEY_TEST_DATA "/articles/minimal.md", diags);
    INFO(Catch::Detail::stringify(formatted(diags)));
    REQUIRE_FALSE(has_errors(diags));
    CHECK(doc.title == "最小的文章");
    REQUIRE(doc.body.size() == 1);
    CHECK(text_of(doc.body[0]) == "正文。");
}

TEST_CASE("model: CRLF line endings and a byte order mark") {
    Diagnostics diags;
    Document doc = parse_ok("\xEF\xBB\xBF---\r\ntitle: T\r\n---\r\nOne\r\ntwo\r\n", diags);
    CHECK(doc.title == "T");
    REQUIRE(doc.body.size() == 1);
    CHECK(text_of(doc.body[0]) == "One two");
    CHECK(doc.body[0].pos.line == 4);
}

TEST_CASE("model: paragraphs, soft and hard breaks, trimming") {
    Document doc = body_of("First line\nsecond line\\\nthird   \n\n\xE3\x80\x80\xE3\x80\x80缩进段落。\n");
    REQUIRE(doc.body.size() == 2);
    CHECK(doc.body[0].kind == BlockKind::Paragraph);
    REQUIRE(doc.body[0].spans.size() == 1);
    CHECK(doc.body[0].spans[0].text == "First line second line\xE2\x80\xA8third");
    CHECK(doc.body[0].pos.line == 4);
    CHECK(doc.body[0].pos.col == 1);
    CHECK(text_of(doc.body[1]) == "缩进段落。");
    CHECK(doc.body[1].pos.line == 8);
}

TEST_CASE("model: inline formatting and merging of equal runs") {
    Document doc = body_of("Text with *emphasis*, **strong**, `code` and [a *link*](https://example.org) end.\n");
    REQUIRE(doc.body.size() == 1);
    const auto& s = doc.body[0].spans;
    REQUIRE(s.size() == 10);
    CHECK(s[0].text == "Text with ");
    CHECK_FALSE((s[0].emphasis || s[0].strong || s[0].code || !s[0].link.empty()));
    CHECK(s[1].text == "emphasis");
    CHECK(s[1].emphasis);
    CHECK_FALSE(s[1].strong);
    CHECK(s[1].pos.col == 12);
    CHECK(s[2].text == ", ");
    CHECK(s[3].text == "strong");
    CHECK(s[3].strong);
    CHECK_FALSE(s[3].emphasis);
    CHECK(s[5].text == "code");
    CHECK(s[5].code);
    CHECK(s[6].text == " and ");
    CHECK(s[7].text == "a ");
    CHECK(s[7].link == "https://example.org");
    CHECK_FALSE(s[7].emphasis);
    CHECK(s[8].text == "link");
    CHECK(s[8].emphasis);
    CHECK(s[8].link == "https://example.org");
    CHECK(s[9].text == " end.");
    CHECK(s[9].link.empty());

    // Text split by md4c (entities, escapes, soft breaks) is one run again.
    Document merged = body_of("A &amp; B\\*\nC &#x4E2D;&#20013; &copy;&bogus;\n");
    REQUIRE(merged.body.size() == 1);
    REQUIRE(merged.body[0].spans.size() == 1);
    CHECK(merged.body[0].spans[0].text == "A & B* C 中中 ©&bogus;");
}

TEST_CASE("model: entities decode") {
    CHECK(model::decode_entity("&lt;") == "<");
    CHECK(model::decode_entity("&mdash;") == "\xE2\x80\x94");
    CHECK(model::decode_entity("&#65;") == "A");
    CHECK(model::decode_entity("&#X41;") == "A");
    CHECK(model::decode_entity("&#0;") == "\xEF\xBF\xBD");
    CHECK(model::decode_entity("&nosuch;") == "&nosuch;");
}

TEST_CASE("model: block quotes carry their depth") {
    Document doc = body_of("> Quoted\n> > deeper\n\nafter\n");
    REQUIRE(doc.body.size() == 3);
    CHECK(text_of(doc.body[0]) == "Quoted");
    CHECK(doc.body[0].quote_depth == 1);
    CHECK(doc.body[0].pos.line == 4);
    CHECK(doc.body[0].pos.col == 3);
    CHECK(text_of(doc.body[1]) == "deeper");
    CHECK(doc.body[1].quote_depth == 2);
    CHECK(doc.body[2].quote_depth == 0);
}

TEST_CASE("model: lists flatten into ListItem blocks") {
    Document doc = body_of("- a\n- b\n  - nested\n- c\n\n3. three\n4. four\n\n   more of four\n");
    REQUIRE(doc.body.size() == 7);
    const Block& a = doc.body[0];
    CHECK(a.kind == BlockKind::ListItem);
    CHECK(text_of(a) == "a");
    CHECK(a.list_depth == 1);
    CHECK_FALSE(a.ordered);
    CHECK(a.pos.line == 4);
    CHECK(a.pos.col == 3);
    CHECK(text_of(doc.body[1]) == "b");
    const Block& nested = doc.body[2];
    CHECK(nested.kind == BlockKind::ListItem);
    CHECK(text_of(nested) == "nested");
    CHECK(nested.list_depth == 2);
    CHECK(text_of(doc.body[3]) == "c");
    CHECK(doc.body[3].list_depth == 1);
    CHECK_FALSE(doc.body[3].list_continuation);
    const Block& three = doc.body[4];
    CHECK(three.ordered);
    CHECK(three.number == 3);
    CHECK(doc.body[5].number == 4);
    CHECK_FALSE(doc.body[5].list_continuation);
    const Block& more = doc.body[6];
    CHECK(more.kind == BlockKind::ListItem);
    CHECK(text_of(more) == "more of four");
    CHECK(more.number == 4);
    CHECK(more.list_continuation);

    Document quoted = body_of("> - in quote\n");
    REQUIRE(quoted.body.size() == 1);
    CHECK(quoted.body[0].kind == BlockKind::ListItem);
    CHECK(quoted.body[0].quote_depth == 1);
    CHECK(quoted.body[0].list_depth == 1);
}

TEST_CASE("model: an image becomes a Figure and splits its paragraph") {
    Document doc = body_of("Before ![图注 *x*](fig.png \"华商网\") after.\n\n![](solo.png)\n");
    REQUIRE(doc.body.size() == 4);
    CHECK(doc.body[0].kind == BlockKind::Paragraph);
    CHECK(text_of(doc.body[0]) == "Before");
    const Block& fig = doc.body[1];
    CHECK(fig.kind == BlockKind::Figure);
    REQUIRE(fig.image);
    CHECK(fig.image->src == "fig.png");
    CHECK(fig.image->caption == "图注 x");
    CHECK(fig.image->credit == "华商网");
    CHECK(fig.image->pos.line == 4);
    CHECK(fig.image->pos.col == 8);
    CHECK(fig.pos.col == 8);
    CHECK(doc.body[2].kind == BlockKind::Paragraph);
    CHECK(text_of(doc.body[2]) == "after.");
    const Block& solo = doc.body[3];
    CHECK(solo.kind == BlockKind::Figure);
    REQUIRE(solo.image);
    CHECK(solo.image->caption.empty());
    CHECK(solo.pos.line == 6);
    CHECK(solo.pos.col == 1);

    // In a list item the text after the figure continues the item.
    Document item = body_of("- see ![c](a.png) here\n");
    REQUIRE(item.body.size() == 3);
    CHECK(item.body[0].kind == BlockKind::ListItem);
    CHECK(item.body[1].kind == BlockKind::Figure);
    CHECK(item.body[1].list_depth == 1);
    CHECK(item.body[2].kind == BlockKind::ListItem);
    CHECK(item.body[2].list_continuation);
}

TEST_CASE("model: an attribute block after a picture sets the columns it spans") {
    Document doc = body_of("![图注](a.png \"华商网\"){columns=2}\n\nText ![c](b.png){columns=all} after.\n\n![c](c.png)\n");
    REQUIRE(doc.body.size() == 5);
    REQUIRE(doc.body[0].image);
    CHECK(doc.body[0].image->columns == 2);
    CHECK(doc.body[0].image->credit == "华商网");
    CHECK(doc.body[0].image->caption == "图注");
    CHECK(text_of(doc.body[1]) == "Text");
    REQUIRE(doc.body[2].image);
    CHECK(doc.body[2].image->columns == 0);  // all
    CHECK(doc.body[3].kind == BlockKind::Paragraph);
    CHECK(text_of(doc.body[3]) == "after.");  // the block is not text
    REQUIRE(doc.body[4].image);
    CHECK(doc.body[4].image->columns == 1);  // the default

    // Spaces inside the braces are fine; before them, or escaped, or not
    // closed on the line, the braces are text.
    Document spaced = body_of("![c](a.png){ columns=3 }\n\n![c](b.png) {columns=2}\n\n![c](d.png)\\{columns=2}\n");
    REQUIRE(spaced.body.size() == 5);
    CHECK(spaced.body[0].image->columns == 3);
    CHECK(spaced.body[1].image->columns == 1);
    CHECK(text_of(spaced.body[2]) == "{columns=2}");
    CHECK(spaced.body[3].image->columns == 1);
    CHECK(text_of(spaced.body[4]) == "{columns=2}");
    Document open = body_of("![c](a.png){columns=2\nmore}\n");
    REQUIRE(open.body.size() == 2);
    CHECK(open.body[0].image->columns == 1);
    CHECK(text_of(open.body[1]) == "{columns=2 more}");
}

TEST_CASE("model: a picture's unknown attribute or bad column count is an error at its place") {
    CHECK(first_diag(with_body("x\n\n![c](a.png){width=2}\n")) ==
          "a.md:6:13: error: unknown picture attribute 'width' (known: columns)");
    CHECK(first_diag(with_body("![c](a.png){columns=2 .wide}\n")) ==
          "a.md:4:23: error: unknown picture attribute '.wide' (known: columns)");
    CHECK(first_diag(with_body("图 ![c](a.png){columns=two}\n")) ==
          "a.md:4:23: error: 'columns' must be a number of columns from 1, or 'all'");
    CHECK(first_diag(with_body("![c](a.png){columns=0}\n")) ==
          "a.md:4:21: error: 'columns' must be a number of columns from 1, or 'all'");
}

TEST_CASE("model: code blocks keep their text, rules are blocks") {
    Document doc = body_of("```\nint x;\n  y();\n```\n\n***\n\n    indented\n\n---\n");
    REQUIRE(doc.body.size() == 4);
    CHECK(doc.body[0].kind == BlockKind::CodeBlock);
    REQUIRE(doc.body[0].spans.size() == 1);
    CHECK(doc.body[0].spans[0].text == "int x;\n  y();");
    CHECK(doc.body[0].spans[0].code);
    CHECK(doc.body[0].pos.line == 5);
    CHECK(doc.body[1].kind == BlockKind::Rule);
    CHECK(doc.body[1].pos.line == 9);
    CHECK(doc.body[2].kind == BlockKind::CodeBlock);
    CHECK(text_of(doc.body[2]) == "indented");
    CHECK(doc.body[3].kind == BlockKind::Rule);
    CHECK(doc.body[3].pos.line == 13);
}

TEST_CASE("model: body positions follow the front matter's length") {
    Diagnostics diags;
    Document doc = parse_ok(kFull, diags);
    CHECK(doc.body[0].spans[0].pos.line == 33);
    std::string text = kFull;
    text += "\n## 小标题\n\n段落 **强调**\n";
    Document more = parse_ok(text, diags);
    REQUIRE(more.body.size() == 3);
    CHECK(more.body[1].kind == BlockKind::Heading);
    CHECK(more.body[1].pos.line == 35);
    CHECK(more.body[1].pos.col == 1);
    CHECK(more.body[2].spans[1].pos.line == 37);
    CHECK(more.body[2].spans[1].pos.col == 6);
}

TEST_CASE("model: text with a control character or noncharacter is an error at its place") {
    auto first = [](const std::string& text) {
        Diagnostics d;
        parse_article(text, "a.md", d);
        return d.empty() ? std::string() : format(d.front());
    };
    CHECK(first("---\ntitle: x\nbyline: [\"\\0\"]\n---\n\n正文。\n") ==
          "a.md:3:10: error: the value holds U+0000, a control character (only tab and line breaks may be used)");
    CHECK(first("---\ntitle: \"\\x85\"\n---\n\n正文。\n") ==
          "a.md:2:8: error: the value holds U+0085, a control character (only tab and line breaks may be used)");
    CHECK(first("---\ntitle: \"\\uFFFE\"\n---\n\n正文。\n") ==
          "a.md:2:8: error: the value holds U+FFFE, a noncharacter (only tab and line breaks may be used)");
    CHECK(first("---\ntitle: \"a\\ud800b\"\n---\n\n正文。\n") ==
          "a.md:2:16: error: invalid YAML in front matter: the escape for U+D800 is not a character (a lone "
          "surrogate, or past U+10FFFF)");
    CHECK(first(std::string("---\ntitle: x\n---\n\n正\x01文。\n")) ==
          "a.md:5:2: error: U+0001 is a control character, which the article may not hold (only tab and line "
          "breaks); remove it");
    CHECK(first(std::string("---\ntitle: x\n---\n\n正\0文。\n", 22)) ==
          "a.md:5:2: error: U+0000 is a control character, which the article may not hold (only tab and line "
          "breaks); remove it");
    CHECK(first("---\ntitle: x\ntags: " + std::string(2000, '[') + "\n---\n\n正文。\n").find(
              "invalid YAML in front matter: lists and mappings nested too deeply") != std::string::npos);
    // Entities for such characters are replaced, as CommonMark replaces &#0;.
    Diagnostics d;
    Document doc = parse_article("---\ntitle: x\n---\n\n正&#1;文&#xFFFF;。\n", "a.md", d);
    CHECK(d.empty());
    REQUIRE(doc.body.size() == 1);
    CHECK(text_of(doc.body[0]) == "正\xEF\xBF\xBD文\xEF\xBF\xBD。");
}

TEST_CASE("model: links go only to web and mail addresses and places in the document") {
    Diagnostics d;
    Document doc = parse_article(
        "---\ntitle: x\nlang: en\n---\n\n[a](javascript:alert(1)) [b](HTTPS://x.org) [c](mailto:a@b.c) [d](#top) "
        "[e](file:///etc/passwd) [f](page.html)\n",
        "a.md", d);
    REQUIRE(doc.body.size() == 1);
    std::vector<std::string> links;
    for (const Span& s : doc.body[0].spans)
        if (!s.link.empty()) links.push_back(s.link);
    CHECK(links == std::vector<std::string>{"HTTPS://x.org", "mailto:a@b.c", "#top"});
    REQUIRE(d.size() == 3);
    CHECK(format(d[0]) == "a.md:6:2: warning: the link to 'javascript:alert(1)' is set as plain text: links may go to "
                          "http, https and mailto addresses and to places in the document (#)");
    CHECK(d[1].message.find("'file:///etc/passwd'") != std::string::npos);
    CHECK(d[2].message.find("'page.html'") != std::string::npos);
}

TEST_CASE("model: a related line links only to web and mail addresses and places in the document") {
    Diagnostics d;
    Document doc = parse_article("---\ntitle: x\nrelated:\n  - {title: a, rel: next, href: \"javascript:alert(1)\"}\n"
                                 "  - {title: b, rel: previous, href: \"https://x.org/b\"}\n---\n\nText.\n",
                                 "a.md", d);
    REQUIRE(doc.related.size() == 2);
    CHECK(doc.related[0].href.empty());
    CHECK(doc.related[1].href == "https://x.org/b");
    REQUIRE(d.size() == 1);
    CHECK(format(d[0]) == "a.md:4:33: warning: the related link 'javascript:alert(1)' is set as plain text: links may go "
                          "to http, https and mailto addresses and to places in the document (#…)");
}

TEST_CASE("model: the fuzzers' Markdown findings read without overflow or an empty pop") {
    Diagnostics d;
    parse_article("---\ntitle: t\n---\n![](){columns=\\\\\\\\\\\\\\\\2}", "a.md", d);  // columns: signed overflow
    CHECK(format(d.back()) == "a.md:4:15: error: 'columns' must be a number of columns from 1, or 'all'");
    Diagnostics e;
    parse_article("---\ntitle: t\n---\n![]([)]()", "b.md", e);  // a link closed after its picture
    CHECK(!has_errors(e));
}

TEST_CASE("model: an official document's 落款 is found at the body's end") {
    Diagnostics d;
    const std::string text = "---\ntitle: 通知\n---\n\n各省人民政府：\n\n现将方案印发给你们，请认真贯彻执行。\n\n"
                             "国务院\n\n2024年3月5日\n\n（此件公开发布）\n";
    Document doc = parse_article(text, "x.md", d);
    INFO(doc.lang);
    REQUIRE(doc.signature);
    CHECK(doc.signature->issuers == std::vector<std::string>{"国务院"});
    CHECK(doc.signature->date == "2024年3月5日");
    CHECK(doc.signature->notes == std::vector<std::string>{"（此件公开发布）"});
    CHECK(doc.body.size() == 2);
    // Given in the front matter instead: the body keeps its paragraphs.
    Document given = parse_article("---\ntitle: 通知\nsignature:\n  issuer: [国务院办公厅]\n  date: 二〇二四年三月五日\n---\n\n正文。\n",
                                   "y.md", d);
    REQUIRE(given.signature);
    CHECK(given.signature->issuers == std::vector<std::string>{"国务院办公厅"});
    CHECK(given.signature->date == "二〇二四年三月五日");
    CHECK(!has_errors(d));
    // Not an official document's end: a date as a paragraph after a long line.
    Document plain = parse_article("---\ntitle: 新闻\n---\n\n第一段，说了一些事情。\n\n2024年3月5日\n", "z.md", d);
    CHECK(!plain.signature);
    // The date line in its forms, and near misses.
    auto dated = [&](const std::string& date) {
        Document doc = parse_article("---\ntitle: 通知\n---\n\n各单位：\n\n请执行。\n\n国务院\n\n" + date + "\n", "w.md", d);
        return doc.signature && doc.signature->date == date;
    };
    CHECK(dated("2024年12月31日"));
    CHECK(dated("二〇二四年十二月三十一日"));
    CHECK(dated("二零二四年三月五日"));
    CHECK(dated("2024年三月5日"));
    CHECK_FALSE(dated("20245年3月5日"));
    CHECK_FALSE(dated("24年3月5日"));
    CHECK_FALSE(dated("2024年123月5日"));
    CHECK_FALSE(dated("二〇二四年十二月三十一日。"));
    CHECK_FALSE(dated("2024年3月5"));
    CHECK_FALSE(dated("２０２４年３月５日"));  // full-width digits are not ASCII digits
}
