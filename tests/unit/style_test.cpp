// Styles: the built-in default, style files over it (the cascade), every
// key's type error at the value's exact place, find_style and the language
// pass of style_for_language.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <iomanip>
#include <locale>
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
      << "\ntolerance=" << s.tolerance << " letter_spacing=" << s.letter_spacing_em << " expansion=" << s.expansion << " hyphen_penalty=" << s.hyphen_penalty
      << " double_hyphen_demerits=" << s.double_hyphen_demerits << " fitness_demerits=" << s.fitness_demerits
      << " line_penalty=" << s.line_penalty << "\nmakeup=" << s.min_start_lines << ","
      << s.min_start_per_column << "," << s.min_continuation << "," << s.masthead_min_size << ","
      << s.lead_picture_min << "\ntable=" << int(s.table_rules) << "," << s.table_min_size << ","
      << s.table_numbers << " section_break=" << s.section_break << " editor_note_frame=" << int(s.editor_note_frame) << " notes=" << int(s.notes) << " font_dirs=" << s.font_dirs.size()
      << "\npdfa=" << s.pdfa << " pdf_backend=" << int(s.pdf_backend) << " bleed=" << s.bleed
      << " crop_marks=" << s.crop_marks << " rule_width=" << s.rule_width << " accent=" << s.accent.r << ","
      << s.accent.g << "," << s.accent.b << "\n";
    const std::vector<std::pair<std::string, const TextRole*>> roles{
        {"body", &s.body}, {"kicker", &s.kicker}, {"title", &s.title}, {"subtitle", &s.subtitle},
        {"dateline", &s.dateline}, {"summary", &s.summary}, {"heading2", &s.heading2},
        {"heading3", &s.heading3}, {"quote", &s.quote}, {"list", &s.list}, {"byline", &s.byline},
        {"credits", &s.credits}, {"folio", &s.folio}, {"code", &s.code}, {"caption", &s.caption},
        {"table", &s.table}, {"table_head", &s.table_head}, {"editor_note", &s.editor_note}, {"masthead", &s.masthead}, {"masthead_info", &s.masthead_info}, {"running_head", &s.running_head},
        {"jump", &s.jump}, {"contents_title", &s.contents_title}, {"contents", &s.contents}};
    for (auto& [name, r] : roles) dump_role(o, name, *r);
    return o.str();
}

// The roles a style file may set under `roles:` (all but the body).
const std::vector<std::string> kRoleNames{
    "kicker", "title", "subtitle", "dateline", "summary", "heading2", "heading3", "quote", "list", "byline",
    "credits", "folio", "code", "caption", "table", "table_head", "editor_note", "masthead", "masthead_info", "running_head", "jump",
    "contents_title", "contents"};

std::vector<TextRole*> all_roles(Style& s) {
    return {&s.body, &s.kicker, &s.title, &s.subtitle, &s.dateline, &s.summary, &s.heading2,
            &s.heading3, &s.quote, &s.list, &s.byline, &s.credits, &s.folio, &s.code, &s.caption, &s.table, &s.table_head, &s.editor_note,
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
enum class Kind { Map, Number, Length, Integer, Bool, String, Color, Families, Choice, PageSize, Folders };

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
    case Kind::Folders: return "expected a folder";
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
    case Kind::Folders: return {"{a: b}"};
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
        {{"linebreak", "letter_spacing"}, Kind::Number, "0.01"},
        {{"linebreak", "expansion"}, Kind::Number, "0.01"},
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
        {{"table"}, Kind::Map, "{}"},
        {{"table", "rules"}, Kind::Choice, "grid"},
        {{"table", "min_size"}, Kind::Length, "6"},
        {{"table", "numbered"}, Kind::Bool, "false"},
        {{"section_break"}, Kind::String, "\"※\""},
        {{"editor_note_frame"}, Kind::Choice, "tint"},
        {{"notes"}, Kind::Choice, "column"},
        {{"font_paths"}, Kind::Folders, "[.]"},
        {{"masthead"}, Kind::Choice, "newspaper"},
        {{"pdfa"}, Kind::Bool, "true"},
        {{"pdf_backend"}, Kind::Choice, "cairo"},
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
        // At least the largest role's size (the masthead's 42), or its lines would overlap.
        keys.push_back({{"roles", role, "pitch"}, Kind::Length, "60"});
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
    REQUIRE(keys.size() == 53 + 9 * kRoleNames.size());
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
        CHECK(diags[0].message == "'page.columns' must be from 1 to 12, not " + v);
        CHECK(diags[0].pos.line == 2);
        CHECK(diags[0].pos.col == 12);
    }
    // Twelve columns of 4 em need a wider page than A4 (below).
    for (std::string v : {"1", "12"}) {
        Style s = load_ok(write_style("columns.yaml", "page:\n  size: A3\n  gutter: 0.5\n  columns: " + v + "\n"));
        CHECK(s.columns == std::stoi(v));
    }
}

namespace {

// A numeric key's documented range (docs/style-reference.md), as the error states it.
struct Ranged {
    std::vector<std::string> path;
    double lo, hi;
    std::string unit;  // "pt", "em" or ""
    bool zero_too = false;  // pitches: 0 takes the default
    bool whole = false;     // a whole number
};

std::vector<Ranged> ranged_keys() {
    std::vector<Ranged> keys{
        {{"page", "width"}, 72, 14400, "pt"},
        {{"page", "height"}, 72, 14400, "pt"},
        {{"page", "columns"}, 1, 12, "", false, true},
        {{"page", "gutter"}, 0, 10, "em"},
        {{"page", "margins", "top"}, 0, 14400, "pt"},
        {{"page", "margins", "bottom"}, 0, 14400, "pt"},
        {{"page", "margins", "inner"}, 0, 14400, "pt"},
        {{"page", "margins", "outer"}, 0, 14400, "pt"},
        {{"body", "size"}, 4, 200, "pt"},
        {{"body", "pitch"}, 4, 400, "pt", true},
        {{"body", "indent"}, 0, 10, "em"},
        {{"cjk", "han_latin_gap"}, 0, 1, "em"},
        {{"linebreak", "tolerance"}, 0, 10, ""},
        {{"linebreak", "letter_spacing"}, 0, 0.05, "em"},
        {{"linebreak", "expansion"}, 0, 0.05, ""},
        {{"linebreak", "hyphen_penalty"}, 0, 10000, ""},
        {{"linebreak", "double_hyphen_demerits"}, 0, 1000000, ""},
        {{"linebreak", "fitness_demerits"}, 0, 1000000, ""},
        {{"linebreak", "line_penalty"}, 0, 10000, ""},
        {{"makeup", "min_start_lines"}, 0, 50, "", false, true},
        {{"makeup", "min_start_per_column"}, 0, 50, "", false, true},
        {{"makeup", "min_continuation"}, 0, 50, "", false, true},
        {{"makeup", "masthead_min_size"}, 4, 200, "pt"},
        {{"makeup", "lead_picture_min"}, 0.1, 1, ""},
        {{"table", "min_size"}, 4, 200, "pt"},
        {{"bleed"}, 0, 72, "pt"},
        {{"rule_width"}, 0.1, 10, "pt"},
    };
    for (const std::string& role : kRoleNames) {
        keys.push_back({{"roles", role, "size"}, 4, 200, "pt"});
        keys.push_back({{"roles", role, "pitch"}, 4, 400, "pt", true});
    }
    return keys;
}

// A figure as the messages print it: no exponent, no trailing zeros.
std::string shown(double v) {
    std::ostringstream o;
    o.imbue(std::locale::classic());
    o << std::fixed << std::setprecision(3) << v;
    std::string s = o.str();
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    return s;
}

std::string range_message(const Ranged& k, const std::string& value) {
    return "'" + dotted(k.path) + "' must be " + (k.zero_too ? "0 or " : "") + "from " + shown(k.lo) + " to " +
           shown(k.hi) + (k.unit.empty() ? "" : " " + k.unit) + ", not " + value;
}

// The errors of a style file with `text`.
Diagnostics load_errors(const std::string& name, const std::string& text) {
    Diagnostics diags;
    load_style(write_style(name, text), diags);
    return diags;
}

}  // namespace

TEST_CASE("style: every numeric key out of its range is an error at the value and keeps the default") {
    const std::vector<Ranged> keys = ranged_keys();
    // Every number, length and whole-number key of all_keys() has a range.
    size_t numeric = 0;
    for (const Key& k : all_keys())
        if (k.kind == Kind::Number || k.kind == Kind::Length || k.kind == Kind::Integer) ++numeric;
    CHECK(keys.size() == numeric);
    int n = 0;
    for (const Ranged& k : keys) {
        std::vector<std::string> wrong{shown(k.lo - (k.whole ? 1 : 0.05)), shown(k.hi + (k.whole ? 1 : 0.5)),
                                       shown(k.hi * 1000)};
        if (k.zero_too) wrong.push_back("2");
        for (const std::string& value : wrong) {
            Placed p = place(k.path, value);
            std::string path = write_style("range-" + std::to_string(n++) + ".yaml", p.text);
            Diagnostics diags;
            Style s = load_style(path, diags);
            INFO(p.text);
            INFO(formatted(diags));
            REQUIRE(diags.size() == 1);
            CHECK(diags[0].message == range_message(k, value));
            CHECK(diags[0].pos.file == path);
            CHECK(diags[0].pos.line == p.line);
            CHECK(diags[0].pos.col == p.col);
            Style d = default_style();
            d.path = path;
            CHECK(dump(s) == dump(d));
        }
        // Both ends are in range (a value there may still conflict with
        // other keys: that is another error).
        std::vector<std::string> right{shown(k.lo), shown(k.hi)};
        if (k.zero_too) right.push_back("0");
        for (const std::string& value : right) {
            Placed p = place(k.path, value);
            Diagnostics diags;
            load_style(write_style("range-" + std::to_string(n++) + ".yaml", p.text), diags);
            INFO(p.text);
            INFO(formatted(diags));
            for (const Diagnostic& d : diags) CHECK(d.message.find("must be") == std::string::npos);
        }
    }
}

TEST_CASE("style: the values the issue found are refused with their ranges") {
    struct Case {
        std::string text, message;
        int line, col;
    };
    const std::vector<Case> cases{
        {"body:\n  size: 0\n", "'body.size' must be from 4 to 200 pt, not 0", 2, 9},
        {"roles:\n  title: {size: -3}\n", "'roles.title.size' must be from 4 to 200 pt, not -3", 2, 17},
        {"body: {pitch: 900}\n", "'body.pitch' must be 0 or from 4 to 400 pt, not 900", 1, 15},
        {"page: {width: -595}\n", "'page.width' must be from 72 to 14400 pt, not -595", 1, 15},
        {"page: {width: 10mm}\n", "'page.width' must be from 72 to 14400 pt, not 10mm (28.346 pt)", 1, 15},
        {"page: {height: 300in}\n", "'page.height' must be from 72 to 14400 pt, not 300in (21600 pt)", 1, 16},
        {"page: {gutter: 1e6}\n", "'page.gutter' must be from 0 to 10 em, not 1e6", 1, 16},
        {"bleed: 1000000\n", "'bleed' must be from 0 to 72 pt, not 1000000", 1, 8},
        {"page:\n  margins: {top: -1cm}\n", "'page.margins.top' must be from 0 to 14400 pt, not -1cm (-28.346 pt)", 2, 18},
        {"makeup: {min_continuation: -2}\n", "'makeup.min_continuation' must be from 0 to 50, not -2", 1, 28},
        {"linebreak: {tolerance: -1}\n", "'linebreak.tolerance' must be from 0 to 10, not -1", 1, 24},
    };
    for (const Case& c : cases) {
        Diagnostics diags = load_errors("issue-values.yaml", c.text);
        INFO(c.text);
        INFO(formatted(diags));
        REQUIRE(diags.size() == 1);
        CHECK(diags[0].message == c.message);
        CHECK(diags[0].pos.line == c.line);
        CHECK(diags[0].pos.col == c.col);
    }
}

TEST_CASE("style: a pitch less than its size is an error naming both") {
    Diagnostics diags = load_errors("pitch.yaml", "lang: en\nbody:\n  size: 12\n  pitch: 10\n");
    INFO(formatted(diags));
    REQUIRE(diags.size() == 1);
    CHECK(format(diags[0]) == style_dir() + "/pitch.yaml:3:3: error: body.pitch 10 pt is less than body.size 12 pt: "
                                            "its lines would overlap");
    // A size over the default pitch: the default is named as such.
    diags = load_errors("pitch2.yaml", "roles:\n  title: {bold: false, size: 40}\n");
    INFO(formatted(diags));
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].message == "roles.title.pitch 30 pt (the default) is less than roles.title.size 40 pt: "
                              "its lines would overlap");
    CHECK(diags[0].pos.line == 2);
    CHECK(diags[0].pos.col == 24);
    // Equal is solid setting, allowed; 0 is the default pitch.
    load_ok(write_style("solid.yaml", "body: {size: 12, pitch: 12}\nroles: {title: {size: 40, pitch: 0}}\n"));
}

TEST_CASE("style: a page without room for the columns names the keys that conflict") {
    // Margins wider than the page, at the first key involved.
    Diagnostics diags = load_errors("wide-margins.yaml", "lang: en\npage:\n  margins: {inner: 400, outer: 300}\n");
    INFO(formatted(diags));
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].message ==
          "the page leaves no room for the columns: page.width 595.276 pt less page.margins inner 400 + outer 300 "
          "is -104.724 pt; page.columns 2 of at least 4 em and gutters of 2 em (body.size 10.5 pt) need 105 pt");
    CHECK(diags[0].pos.line == 3);
    CHECK(diags[0].pos.col == 13);
    // Twelve columns with wide gutters on A4.
    diags = load_errors("many-columns.yaml", "page:\n  gutter: 10\n  columns: 12\n");
    INFO(formatted(diags));
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].message == "the page leaves no room for the columns: page.width 595.276 pt less page.margins "
                              "inner 56.7 + outer 56.7 is 481.876 pt; page.columns 12 of at least 4 em and gutters "
                              "of 10 em (body.size 10.5 pt) need 1659 pt");
    CHECK(diags[0].pos.line == 2);
    CHECK(diags[0].pos.col == 3);
    // A body too large for the default page, at body.size.
    diags = load_errors("big-body.yaml", "body: {size: 60, pitch: 60}\n");
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].message.find("no room for the columns") != std::string::npos);
    CHECK(diags[0].pos.col == 8);
    // The narrowest page that holds a column of 4 em.
    load_ok(write_style("narrow.yaml", "page: {width: 72, columns: 1, margins: {inner: 15, outer: 15}}\n"
                                       "body: {size: 10.5}\n"));
}

TEST_CASE("style: a page without room for body lines names the keys that conflict") {
    Diagnostics diags = load_errors("short.yaml", "# the page\npage:\n  height: 100\n  margins: {top: 400}\n");
    INFO(formatted(diags));
    REQUIRE(diags.size() == 1);
    CHECK(format(diags[0]) == style_dir() +
                                  "/short.yaml:3:3: error: the page leaves no room for text: page.height 100 pt "
                                  "less page.margins top 400 + bottom 62 is -362 pt; the body needs at least 52.5 pt "
                                  "(3 lines of 17.5 pt)");
    // Three body lines fit exactly; a pitch of 0 is 1.6 times the size.
    const std::string page = "page: {height: 100, margins: {top: 20, bottom: 20}}\n";
    load_ok(write_style("three-lines.yaml", page + "body: {pitch: 20}\n"));
    diags = load_errors("auto-pitch.yaml", page + "body: {pitch: 0, size: 13}\n");
    INFO(formatted(diags));
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].message.find("is 60 pt; the body needs at least 62.4 pt (3 lines of 20.8 pt)") != std::string::npos);
    CHECK(diags[0].pos.line == 1);
    CHECK(diags[0].pos.col == 8);
}

TEST_CASE("style: a role whose line is taller than the text area is an error") {
    // 400 - 70 - 62 = 268 pt of text height.
    Diagnostics diags = load_errors("tall-role.yaml", "page: {height: 400}\nroles:\n  masthead: {pitch: 300}\n");
    INFO(formatted(diags));
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].message == "a line of roles.masthead does not fit the page: roles.masthead.pitch 300 pt, but "
                              "page.height 400 pt less page.margins top 70 + bottom 62 is 268 pt");
    CHECK(diags[0].pos.line == 1);
    // Without a pitch a role's lines are up to 1.5 times its size; at the
    // size, the first key involved.
    diags = load_errors("tall-title.yaml", "roles:\n  title: {size: 190, pitch: 0}\npage: {height: 400}\n");
    INFO(formatted(diags));
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].message == "a line of roles.title does not fit the page: roles.title.size 190 pt sets lines of "
                              "285 pt, but page.height 400 pt less page.margins top 70 + bottom 62 is 268 pt");
    CHECK(diags[0].pos.line == 2);
    CHECK(diags[0].pos.col == 11);
}

TEST_CASE("style: a folder or device or FIFO as the style file is refused unopened") {
    Diagnostics diags;
    load_style(style_dir(), diags);
    REQUIRE(diags.size() == 1);
    CHECK(format(diags[0]) == style_dir() + ": error: cannot read the style file: it is a folder");

    diags.clear();
    load_style("/dev/null", diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].message == "cannot read the style file: it is a device");

    // Opening a FIFO for reading waits for a writer: the loader must not.
    const std::string fifo = style_dir() + "/fifo.yaml";
    fs::remove(fifo);
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto loading = std::async(std::launch::async, [&] {
        Diagnostics d;
        load_style(fifo, d);
        return d;
    });
    if (loading.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        // Free the loader (a writer opening the FIFO lets its open() return).
        const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0) ::close(fd);
        FAIL("load_style blocked on a FIFO");
    }
    diags = loading.get();
    REQUIRE(diags.size() == 1);
    CHECK(format(diags[0]) == fifo + ": error: cannot read the style file: it is a FIFO");
    fs::remove(fifo);
}

TEST_CASE("style: a style file over 1 MiB is refused unread") {
    const std::string big = style_dir() + "/big.yaml";
    { std::ofstream(big, std::ios::binary) << "lang: en\n"; }
    fs::resize_file(big, (1 << 20) + 1);  // sparse: zero bytes past the text
    Diagnostics diags;
    load_style(big, diags);
    REQUIRE(diags.size() == 1);
    CHECK(format(diags[0]) == big + ": error: cannot read the style file: it is 1048577 bytes, more than the limit "
                                    "of 1 MiB");
    // 1 MiB exactly is read.
    std::string text = "lang: en\n";
    text += std::string((1 << 20) - text.size() - 1, '#') + "\n";
    Style s = load_ok(write_style("mib.yaml", text));
    CHECK(s.lang == "en");
}

TEST_CASE("style: deeply nested YAML is an error of its own and no crash") {
    const std::vector<std::string> texts{
        std::string(10000, '['),
        std::string(10000, '[') + std::string(10000, ']'),
        "page: " + [] { std::string s; for (int i = 0; i < 3000; ++i) s += "{a: "; return s; }(),
        [] { std::string s; for (int i = 0; i < 1000; ++i) s += std::string(size_t(i), ' ') + "k:\n"; return s; }(),
    };
    int n = 0;
    for (const std::string& text : texts) {
        Diagnostics diags = load_errors("deep-" + std::to_string(n++) + ".yaml", text);
        INFO(text.substr(0, 40));
        INFO(formatted(diags));
        REQUIRE(diags.size() == 1);
        CHECK(diags[0].message.rfind("invalid YAML in style: lists and mappings nested too deeply (", 0) == 0);
        CHECK(diags[0].pos.line >= 1);
    }
    // 100 levels are only an unknown key.
    std::string hundred;
    for (int i = 0; i < 100; ++i) hundred += "{a: ";
    hundred += "1" + std::string(100, '}') + "\n";
    Diagnostics diags = load_errors("deep-ok.yaml", "page: " + hundred);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].message == "unknown style key 'page.a'");
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
    CHECK(diags[0].message == "cannot read the style file: No such file or directory");
    CHECK(s.columns == default_style().columns);

    diags.clear();
    std::string bad = write_style("bad.yaml", "page:\n  columns: [1, 2\n");
    load_style(bad, diags);
    INFO(formatted(diags));
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].pos.file == bad);
    CHECK(diags[0].pos.line >= 2);
    CHECK(diags[0].message.rfind("invalid YAML in style: ", 0) == 0);

    diags.clear();
    load_style(write_style("list.yaml", "- a\n- b\n"), diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].message == "a style must be a list of 'key: value' fields (page:, body:, roles: …)");
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
