// Styles: the built-in default, style files over it (the cascade), every
// key's type error at the value's exact place, find_style and the language
// pass of style_for_language.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "galley/style.h"
#include "style/cascade.h"
#include "support.h"

using namespace galley;

namespace {

namespace fs = std::filesystem;

std::string style_dir() { return galley::test::temp_dir(); }

std::string write_style(const std::string& name, const std::string& text) {
    std::string path = style_dir() + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::string formatted(const Diagnostics& ds) {
    std::string out;
    for (const Diagnostic& d : ds) out += format(d) + "\n";
    return out;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Style load_ok(const std::string& path) {
    Diagnostics diags;
    Style s = load_style(path, diags);
    INFO(formatted(diags));
    REQUIRE(diags.empty());
    return s;
}

// Every field of a style as text, so two styles compare field by field and
// a failure shows which one differs.
void dump_role(std::ostringstream& o, const std::string& name, const TextRole& r) {
    o << name << ".font=";
    for (auto& f : r.font) o << f << "|";
    o << "\n" << name << ".latin_font=";
    for (auto& f : r.latin_font) o << f << "|";
    o << "\n" << name << ": size=" << r.size << " bold=" << r.bold << " italic=" << r.italic << " color="
      << r.color.r << "," << r.color.g << "," << r.color.b << " align=" << int(r.align) << " pitch=" << r.line_pitch
      << "\n";
}

std::string dump(const Style& s) {
    std::ostringstream o;
    o.precision(10);
    o << "page=" << s.page_width << "x" << s.page_height << " margins=" << s.margin_top << "," << s.margin_bottom
      << "," << s.margin_inner << "," << s.margin_outer << " columns=" << s.columns << " gutter=" << s.gutter_em
      << "\nindent=" << s.indent_em << " lang=" << s.lang << " hyphenate=" << s.hyphenate
      << " masthead=" << int(s.masthead_kind) << "\npunctuation=" << int(s.punctuation)
      << " break_level=" << int(s.break_level) << " han_latin_gap=" << s.han_latin_gap_em
      << "\ntolerance=" << s.tolerance << " hyphen_penalty=" << s.hyphen_penalty
      << " double_hyphen_demerits=" << s.double_hyphen_demerits << " fitness_demerits=" << s.fitness_demerits
      << " line_penalty=" << s.line_penalty << "\nmakeup=" << s.min_start_lines << ","
      << s.min_start_per_column << "," << s.min_continuation << "," << s.masthead_min_size << ","
      << s.lead_picture_min << "\npdfa=" << s.pdfa << " bleed=" << s.bleed
      << " crop_marks=" << s.crop_marks << " rule_width=" << s.rule_width << " accent=" << s.accent.r << ","
      << s.accent.g << "," << s.accent.b << "\n";
    const std::vector<std::pair<std::string, const TextRole*>> roles{
        {"body", &s.body}, {"kicker", &s.kicker}, {"title", &s.title}, {"subtitle", &s.subtitle},
        {"dateline", &s.dateline}, {"summary", &s.summary}, {"heading2", &s.heading2},
        {"heading3", &s.heading3}, {"quote", &s.quote}, {"list", &s.list}, {"byline", &s.byline},
        {"credits", &s.credits}, {"folio", &s.folio}, {"code", &s.code}, {"caption", &s.caption},
        {"masthead", &s.masthead}, {"masthead_info", &s.masthead_info}, {"running_head", &s.running_head},
        {"jump", &s.jump}, {"contents_title", &s.contents_title}, {"contents", &s.contents}};
    for (auto& [name, r] : roles) dump_role(o, name, *r);
    return o.str();
}

// The roles a style file may set under `roles:` (all but the body).
const std::vector<std::string> kRoleNames{
    "kicker", "title", "subtitle", "dateline", "summary", "heading2", "heading3", "quote", "list", "byline",
    "credits", "folio", "code", "caption", "masthead", "masthead_info", "running_head", "jump",
    "contents_title", "contents"};

std::vector<TextRole*> all_roles(Style& s) {
    return {&s.body, &s.kicker, &s.title, &s.subtitle, &s.dateline, &s.summary, &s.heading2,
            &s.heading3, &s.quote, &s.list, &s.byline, &s.credits, &s.folio, &s.code, &s.caption,
            &s.masthead, &s.masthead_info, &s.running_head, &s.jump, &s.contents_title, &s.contents};
}

}  // namespace

TEST_CASE("style: the default is the A4 two-column bulletin") {
    const Style s = default_style();
    CHECK(s.path.empty());
    CHECK(s.page_width == Approx(595.276));
    CHECK(s.page_height == Approx(841.890));
    CHECK(s.margin_top == Approx(70.0));
    CHECK(s.margin_bottom == Approx(62.0));
    CHECK(s.margin_inner == Approx(56.7));
    CHECK(s.margin_outer == Approx(56.7));
    CHECK(s.columns == 2);
    CHECK(s.gutter_em == Approx(2.0));
    CHECK(s.body.size == Approx(10.5));
    CHECK(s.body.line_pitch == Approx(17.5));
    CHECK(s.body.align == Align::Justify);
    CHECK(!s.body.bold);
    CHECK(s.body.font == std::vector<std::string>{"Galley Serif SC", "Noto Serif CJK SC"});
    CHECK(s.body.latin_font == std::vector<std::string>{"Linux Libertine O"});
    CHECK(s.indent_em == Approx(2.0));
    CHECK(s.lang == "zh-Hans");
    CHECK(s.hyphenate);
    CHECK(s.punctuation == PunctStyle::Quanjiao);
    CHECK(s.break_level == BreakLevel::GB);
    CHECK(s.han_latin_gap_em == Approx(0.25));
    CHECK(s.masthead_kind == Style::Masthead::Bulletin);
    CHECK(s.tolerance == Approx(1.0));
    CHECK(!s.pdfa);
    CHECK(s.bleed == 0);
    CHECK(!s.crop_marks);
    CHECK(s.accent.r == Approx(0.8));
    CHECK(s.accent.g == 0);
    CHECK(s.accent.b == 0);
    // Headline furniture in the accent colour; the title is bold and centred.
    CHECK(s.title.bold);
    CHECK(s.title.align == Align::Center);
    CHECK(s.title.size > s.body.size);
    CHECK(s.masthead.color.r == Approx(s.accent.r));
    CHECK(s.quote.italic);
    // Every role has a font list ending in an SC face; sans roles get
    // Biolinum, serif roles Libertine, code no Latin face (it is mono).
    Style m = s;
    for (TextRole* r : all_roles(m)) {
        REQUIRE(!r->font.empty());
        CHECK(r->font.back().find("SC") != std::string::npos);
        CHECK(r->size > 0);
        if (r == &m.code) {
            CHECK(r->latin_font.empty());
        } else {
            REQUIRE(r->latin_font.size() == 1);
            const bool sans = r->font.front().find("Sans") != std::string::npos;
            CHECK(r->latin_font[0] == (sans ? "Linux Biolinum O" : "Linux Libertine O"));
        }
    }
}

TEST_CASE("style: an empty style file is the default") {
    std::string path = write_style("empty.yaml", "# nothing here\n");
    Style s = load_ok(path);
    CHECK(s.path == path);
    Style d = default_style();
    d.path = path;
    CHECK(dump(s) == dump(d));
}

TEST_CASE("style: a style file overrides only its keys, the rest stays default") {
    std::string path = write_style("cascade.yaml",
                                   "page:\n"
                                   "  columns: 3\n"
                                   "  margins: {inner: 0.5in, outer: 20mm}\n"
                                   "body:\n"
                                   "  size: 11\n"
                                   "roles:\n"
                                   "  title: {size: 24pt, italic: true}\n"
                                   "  jump: {color: \"#336699\", align: start}\n"
                                   "cjk: {break_level: strict}\n"
                                   "linebreak: {tolerance: 2}\n"
                                   "crop_marks: true\n"
                                   "bleed: 3mm\n");
    Style s = load_ok(path);

    Style expected = default_style();
    expected.path = path;
    expected.columns = 3;
    expected.margin_inner = 36;
    expected.margin_outer = 20 * 72 / 25.4;
    expected.body.size = 11;
    expected.title.size = 24;
    expected.title.italic = true;
    expected.jump.color = {0x33 / 255.0, 0x66 / 255.0, 0x99 / 255.0};
    expected.jump.align = Align::Start;
    expected.break_level = BreakLevel::Strict;
    expected.tolerance = 2;
    expected.crop_marks = true;
    expected.bleed = 3 * 72 / 25.4;
    CHECK(dump(s) == dump(expected));

    // Spot checks that do not go through the dump.
    CHECK(s.columns == 3);
    CHECK(s.margin_top == Approx(70.0));
    CHECK(s.margin_inner == Approx(36.0));
    CHECK(s.margin_outer == Approx(56.693).epsilon(1e-4));
    CHECK(s.title.bold);  // untouched keys of an overridden role stay
    CHECK(s.title.line_pitch == Approx(30));
    CHECK(s.title.font == default_style().title.font);
    CHECK(s.page_width == Approx(595.276));
}

TEST_CASE("style: page sizes and length units") {
    Style s = load_ok(write_style("units.yaml",
                                  "page:\n"
                                  "  size: Letter\n"
                                  "  margins: {top: 1in, bottom: 2cm, inner: 10mm, outer: 12pt}\n"
                                  "rule_width: 0.75\n"));
    CHECK(s.page_width == Approx(612));
    CHECK(s.page_height == Approx(792));
    CHECK(s.margin_top == Approx(72));
    CHECK(s.margin_bottom == Approx(2 * 72 / 2.54));
    CHECK(s.margin_inner == Approx(10 * 72 / 25.4));
    CHECK(s.margin_outer == Approx(12));
    CHECK(s.rule_width == Approx(0.75));

    // Width and height after the size win over it (keys apply in order).
    s = load_ok(write_style("units2.yaml", "page: {size: A5, width: 100mm}\n"));
    CHECK(s.page_width == Approx(100 * 72 / 25.4));
    CHECK(s.page_height == Approx(595.276));
}

TEST_CASE("style: every style in the styles folder loads without errors") {
    int n = 0;
    for (auto& e : fs::directory_iterator(GALLEY_SOURCE_DIR "/styles")) {
        if (e.path().extension() != ".yaml") continue;
        INFO(e.path().string());
        load_ok(e.path().string());
        ++n;
    }
    CHECK(n >= 3);
    Style en = load_ok(GALLEY_SOURCE_DIR "/styles/newsletter-en.yaml");
    CHECK(en.columns == 3);
    CHECK(en.page_width == Approx(612));
    CHECK(en.lang == "en-US");
    CHECK(en.masthead_kind == Style::Masthead::Newspaper);
}

namespace {

// What a key's reader expects, and values of the wrong type for it.
enum class Kind { Map, Number, Length, Integer, Bool, String, Color, Families, Choice, PageSize };

struct Key {
    std::vector<std::string> path;  // "page", "margins", "top"
    Kind kind;
    std::string ok;  // a value of the right type
};

const char* expected_message(Kind k) {
    switch (k) {
    case Kind::Map: return "must be a mapping";
    case Kind::Number: return "expected a number";
    case Kind::Length: return "expected a number";
    case Kind::Integer: return "expected a whole number";
    case Kind::Bool: return "expected true or false";
    case Kind::String: return "expected a string";
    case Kind::Color: return "expected a colour as #RRGGBB";
    case Kind::Families: return "expected a font family or a list of them";
    case Kind::Choice: return "expected one of: ";
    case Kind::PageSize: return "unknown page size";
    }
    return "?";
}

std::vector<std::string> wrong_values(Kind k) {
    switch (k) {
    case Kind::Map: return {"3", "[a, b]", "plain"};
    case Kind::Number: return {"abc", "[1, 2]", "{a: 1}", "12pt"};
    case Kind::Length: return {"abc", "12 furlongs", "[1, 2]", "{pt: 3}", "pt"};
    case Kind::Integer: return {"abc", "2.5", "[2]", "{n: 2}"};
    case Kind::Bool: return {"maybe", "2", "[true]", "{a: true}"};
    case Kind::String: return {"[en, fr]", "{a: b}"};
    case Kind::Color: return {"red", "\"#12345\"", "\"#GGGGGG\"", "\"#1234567\"", "[1, 0, 0]"};
    case Kind::Families: return {"{name: Serif}"};
    case Kind::Choice: return {"sideways", "[x]", "{a: b}"};
    case Kind::PageSize: return {"B7", "a4", "[A4]", "{w: 1}"};
    }
    return {};
}

// Every key load_style accepts (layout/src/style/style.cpp), by type.
std::vector<Key> all_keys() {
    std::vector<Key> keys{
        {{"page"}, Kind::Map, "{}"},
        {{"page", "size"}, Kind::PageSize, "A3"},
        {{"page", "width"}, Kind::Length, "200mm"},
        {{"page", "height"}, Kind::Length, "300"},
        {{"page", "columns"}, Kind::Integer, "3"},
        {{"page", "gutter"}, Kind::Number, "1.5"},
        {{"page", "margins"}, Kind::Map, "{}"},
        {{"page", "margins", "top"}, Kind::Length, "1in"},
        {{"page", "margins", "bottom"}, Kind::Length, "2cm"},
        {{"page", "margins", "inner"}, Kind::Length, "12pt"},
        {{"page", "margins", "outer"}, Kind::Length, "40"},
        {{"body"}, Kind::Map, "{}"},
        {{"body", "font"}, Kind::Families, "[A, B]"},
        {{"body", "size"}, Kind::Length, "11"},
        {{"body", "pitch"}, Kind::Length, "18pt"},
        {{"body", "color"}, Kind::Color, "\"#102030\""},
        {{"body", "indent"}, Kind::Number, "1"},
        {{"roles"}, Kind::Map, "{}"},
        {{"lang"}, Kind::String, "en"},
        {{"hyphenate"}, Kind::Bool, "false"},
        {{"cjk"}, Kind::Map, "{}"},
        {{"cjk", "punctuation"}, Kind::Choice, "kaiming"},
        {{"cjk", "break_level"}, Kind::Choice, "strict"},
        {{"cjk", "han_latin_gap"}, Kind::Number, "0"},
        {{"linebreak"}, Kind::Map, "{}"},
        {{"linebreak", "tolerance"}, Kind::Number, "2"},
        {{"linebreak", "hyphen_penalty"}, Kind::Number, "100"},
        {{"linebreak", "double_hyphen_demerits"}, Kind::Number, "1000"},
        {{"linebreak", "fitness_demerits"}, Kind::Number, "50"},
        {{"linebreak", "line_penalty"}, Kind::Number, "5"},
        {{"makeup"}, Kind::Map, "{}"},
        {{"makeup", "min_start_lines"}, Kind::Integer, "6"},
        {{"makeup", "min_start_per_column"}, Kind::Integer, "2"},
        {{"makeup", "min_continuation"}, Kind::Integer, "3"},
        {{"makeup", "masthead_min_size"}, Kind::Length, "30pt"},
        {{"makeup", "lead_picture_min"}, Kind::Number, "0.6"},
        {{"masthead"}, Kind::Choice, "newspaper"},
        {{"pdfa"}, Kind::Bool, "true"},
        {{"bleed"}, Kind::Length, "3mm"},
        {{"crop_marks"}, Kind::Bool, "true"},
        {{"rule_width"}, Kind::Length, "1"},
        {{"accent"}, Kind::Color, "\"#00FF00\""},
    };
    // Right values for roles differ from each role's default.
    Style d = default_style();
    auto roles = all_roles(d);
    for (size_t i = 0; i < kRoleNames.size(); ++i) {
        const std::string& role = kRoleNames[i];
        const TextRole& r = *roles[i + 1];  // all_roles starts with the body
        keys.push_back({{"roles", role}, Kind::Map, "{}"});
        keys.push_back({{"roles", role, "font"}, Kind::Families, "Some Face"});
        keys.push_back({{"roles", role, "latin_font"}, Kind::Families, "[A, B]"});
        keys.push_back({{"roles", role, "size"}, Kind::Length, "7.5"});
        keys.push_back({{"roles", role, "bold"}, Kind::Bool, r.bold ? "false" : "true"});
        keys.push_back({{"roles", role, "italic"}, Kind::Bool, r.italic ? "false" : "true"});
        keys.push_back({{"roles", role, "color"}, Kind::Color, "\"#abcdef\""});
        keys.push_back({{"roles", role, "pitch"}, Kind::Length, "14"});
        keys.push_back({{"roles", role, "align"}, Kind::Choice, r.align == Align::End ? "start" : "end"});
    }
    return keys;
}

std::string dotted(const std::vector<std::string>& path) {
    std::string s;
    for (auto& p : path) s += (s.empty() ? "" : ".") + p;
    return s;
}

// A style file setting `path` to `value` in block style, after a comment
// and a valid key, so the value is neither on line 1 nor in column 1.
// Returns the file's text and the value's 1-based line and column.
struct Placed {
    std::string text;
    int line, col;
};

Placed place(const std::vector<std::string>& path, const std::string& value) {
    // A valid key first, unless it is the key under test.
    std::string text = "# wrong type for " + dotted(path) + "\n";
    text += path[0] == "lang" ? "hyphenate: true\n" : "lang: zh-Hans\n";
    int line = 2;
    std::string indent;
    for (size_t i = 0; i < path.size(); ++i) {
        ++line;
        text += indent + path[i] + ":";
        if (i + 1 < path.size()) {
            text += "\n";
            indent += "  ";
        } else {
            text += " " + value + "\n";
        }
    }
    int col = int(indent.size() + path.back().size() + 3);
    return {text, line, col};
}

}  // namespace

TEST_CASE("style: every key with a value of the wrong type is an error at the value") {
    const std::vector<Key> keys = all_keys();
    REQUIRE(keys.size() == 42 + 9 * kRoleNames.size());
    int n = 0;
    for (const Key& key : keys) {
        for (const std::string& value : wrong_values(key.kind)) {
            Placed p = place(key.path, value);
            std::string path = write_style("wrong-" + std::to_string(n++) + ".yaml", p.text);
            Diagnostics diags;
            Style s = load_style(path, diags);
            INFO(p.text);
            INFO(formatted(diags));
            REQUIRE(diags.size() == 1);
            const Diagnostic& d = diags[0];
            CHECK(d.severity == Severity::Error);
            CHECK(d.pos.file == path);
            CHECK(d.pos.line == p.line);
            CHECK(d.pos.col == p.col);
            CHECK(format(d).rfind(path + ":" + std::to_string(p.line) + ":" + std::to_string(p.col) + ": ", 0) == 0);
            CHECK(d.message.find(expected_message(key.kind)) != std::string::npos);
            if (key.kind == Kind::Map) CHECK(d.message.find("'" + dotted(key.path) + "'") != std::string::npos);
        }
    }
    CHECK(n > 500);
}

TEST_CASE("style: every key with a value of the right type is accepted") {
    int n = 0;
    for (const Key& key : all_keys()) {
        Placed p = place(key.path, key.ok);
        std::string path = write_style("right-" + std::to_string(n++) + ".yaml", p.text);
        Diagnostics diags;
        Style s = load_style(path, diags);
        INFO(p.text);
        INFO(formatted(diags));
        CHECK(diags.empty());
        // A set value differs from the default (maps set nothing).
        if (key.kind != Kind::Map) {
            Style d = default_style();
            d.path = path;
            CHECK(dump(s) != dump(d));
        }
    }
}

TEST_CASE("style: the key table names every key style.cpp reads") {
    // Keys are read as {"name", [&](...) ...} and roles as {"name", &s.role};
    // a key added there without a row in all_keys() fails here.
    const std::string src = read_text(GALLEY_SOURCE_DIR "/layout/src/style/style.cpp");
    REQUIRE(!src.empty());
    std::set<std::string> in_source, in_table;
    const std::regex key(R"re(\{"(\w+)", (\[&|page_size\}|&s\.))re");
    for (auto it = std::sregex_iterator(src.begin(), src.end(), key); it != std::sregex_iterator(); ++it)
        in_source.insert((*it)[1]);
    for (const Key& k : all_keys()) in_table.insert(k.path.begin(), k.path.end());
    CHECK(in_source.size() > 40);
    CHECK(in_source == in_table);
}

TEST_CASE("style: a wrong value keeps the default") {
    Diagnostics diags;
    Style s = load_style(write_style("keeps.yaml",
                                     "page: {columns: many, margins: {top: wide}}\n"
                                     "body: {size: big, color: red}\n"
                                     "hyphenate: perhaps\n"),
                         diags);
    CHECK(diags.size() == 5);
    const Style d = default_style();
    CHECK(s.columns == d.columns);
    CHECK(s.margin_top == d.margin_top);
    CHECK(s.body.size == d.body.size);
    CHECK(s.hyphenate == d.hyphenate);
}

TEST_CASE("style: columns out of range is an error at the value") {
    for (std::string v : {"0", "13", "-1"}) {
        Diagnostics diags;
        std::string path = write_style("columns.yaml", "page:\n  columns: " + v + "\n");
        load_style(path, diags);
        INFO(formatted(diags));
        REQUIRE(diags.size() == 1);
        CHECK(diags[0].message == "columns must be 1 to 12");
        CHECK(diags[0].pos.line == 2);
        CHECK(diags[0].pos.col == 12);
    }
    for (std::string v : {"1", "12"}) {
        Style s = load_ok(write_style("columns.yaml", "page:\n  columns: " + v + "\n"));
        CHECK(s.columns == std::stoi(v));
    }
}

TEST_CASE("style: an unknown key is an error naming it, at the key") {
    struct Case {
        std::string text;
        std::string name;
        int line, col;
    };
    const std::vector<Case> cases{
        {"colour: red\n", "colour", 1, 1},
        {"lang: en\npage:\n  colums: 3\n", "page.colums", 3, 3},
        {"page:\n  margins: {top: 1, left: 2}\n", "page.margins.left", 2, 21},
        {"roles:\n  titel: {size: 3}\n", "roles.titel", 2, 3},
        {"roles:\n  title:\n    weight: bold\n", "roles.title.weight", 3, 5},
        {"body: {size: 10, bold: true}\n", "body.bold", 1, 18},  // body has no bold key
        {"cjk:\n  kinsoku: on\n", "cjk.kinsoku", 2, 3},
        {"linebreak: {looseness: 1}\n", "linebreak.looseness", 1, 13},
    };
    for (const Case& c : cases) {
        Diagnostics diags;
        std::string path = write_style("unknown.yaml", c.text);
        load_style(path, diags);
        INFO(c.text);
        INFO(formatted(diags));
        REQUIRE(diags.size() == 1);
        CHECK(diags[0].message == "unknown style key '" + c.name + "'");
        CHECK(diags[0].pos.file == path);
        CHECK(diags[0].pos.line == c.line);
        CHECK(diags[0].pos.col == c.col);
    }
}

TEST_CASE("style: unreadable and malformed files are errors") {
    Diagnostics diags;
    std::string missing = style_dir() + "/no-such-style.yaml";
    Style s = load_style(missing, diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].pos.file == missing);
    CHECK(diags[0].pos.line == 0);
    CHECK(diags[0].message == "cannot read the style file");
    CHECK(s.columns == default_style().columns);

    diags.clear();
    std::string bad = write_style("bad.yaml", "page:\n  columns: [1, 2\n");
    load_style(bad, diags);
    INFO(formatted(diags));
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].pos.file == bad);
    CHECK(diags[0].pos.line >= 2);
    CHECK(diags[0].message.rfind("invalid YAML: ", 0) == 0);

    diags.clear();
    load_style(write_style("list.yaml", "- a\n- b\n"), diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].message.find("must be a mapping") != std::string::npos);
    CHECK(diags[0].pos.line == 1);
}

TEST_CASE("style: find_style takes a name from the styles folder or a path") {
    const std::string styles = GALLEY_SOURCE_DIR "/styles";
    CHECK(fs::path(find_style("bulletin", styles)) == fs::path(styles) / "bulletin.yaml");
    CHECK(fs::exists(find_style("bulletin", styles)));
    CHECK(fs::exists(find_style("broadsheet", styles)));
    CHECK(fs::path(find_style("no-such-style", styles)) == fs::path(styles) / "no-such-style.yaml");
    // A path is taken as it is, whether it exists or not.
    std::string own = write_style("own.yaml", "page: {columns: 4}\n");
    CHECK(find_style(own, styles) == own);
    CHECK(find_style("elsewhere/house.yaml", styles) == "elsewhere/house.yaml");
    CHECK(load_ok(find_style(own, styles)).columns == 4);
    CHECK(load_ok(find_style("newsletter-en", styles)).columns == 3);
}

TEST_CASE("style: style_for_language puts Latin faces first outside Chinese") {
    const Style base = default_style();
    for (std::string lang : {"en", "en-US", "de", "fr-FR"}) {
        INFO(lang);
        Style s = style_for_language(base, lang);
        Style b = base;
        auto before = all_roles(b);
        auto after = all_roles(s);
        for (size_t i = 0; i < after.size(); ++i) {
            std::vector<std::string> expected = before[i]->latin_font;
            expected.insert(expected.end(), before[i]->font.begin(), before[i]->font.end());
            CHECK(after[i]->font == expected);
            CHECK(after[i]->italic == before[i]->italic);  // Latin faces keep italic
        }
        CHECK(s.body.font.front() == "Linux Libertine O");
        CHECK(s.kicker.font.front() == "Linux Biolinum O");
        CHECK(s.code.font == base.code.font);  // no Latin face for code
        CHECK(s.quote.italic);
        CHECK(s.indent_em == Approx(1.0));  // Latin paragraphs: 1 em
    }
    // Narrower indents stay as they are.
    Style narrow = base;
    narrow.indent_em = 0.5;
    CHECK(style_for_language(narrow, "en").indent_em == Approx(0.5));
}

TEST_CASE("style: style_for_language keeps Chinese faces and drops italic for CJK") {
    Style base = default_style();
    base.body.italic = true;
    base.title.italic = true;
    for (std::string lang : {"zh-Hans", "zh", "zh-Hant-TW", "ja", "ko"}) {
        INFO(lang);
        Style s = style_for_language(base, lang);
        Style b = base;
        auto before = all_roles(b);
        auto after = all_roles(s);
        for (size_t i = 0; i < after.size(); ++i) {
            CHECK(after[i]->font == before[i]->font);
            CHECK(!after[i]->italic);
            CHECK(after[i]->size == before[i]->size);
            CHECK(after[i]->bold == before[i]->bold);
        }
        CHECK(s.body.font.front() == "Galley Serif SC");
        CHECK(s.indent_em == Approx(2.0));  // 2 字
    }
}
