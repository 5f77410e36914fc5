// The documents of docs/ against the code they describe: every key in
// their tables is one the loaders accept, every key the loaders know is in
// a table, the style defaults they give are the loader's, and no document
// refers to a file outside the repository.
//
// The tables read are Markdown pipe tables outside fenced code whose first
// header cell is "key" (style-reference.md, issue-format.md) or "field"
// (article-format.md); a row's key is its first cell when that is one
// backticked name, nested keys dotted ("page.margins.top",
// "dateline.place"). In style-reference.md, "NAME" in a key stands for
// every role the tables name ("roles.kicker").
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "galley/document.h"
#include "galley/style.h"
#include "model/issue_manifest.h"
#include "support.h"

using namespace galley;

namespace {

namespace fs = std::filesystem;

const std::string kSource = GALLEY_SOURCE_DIR;

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(line);
    }
    return out;
}

std::string trim(const std::string& s) {
    const size_t a = s.find_first_not_of(" \t");
    if (a == std::string::npos) return "";
    return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    size_t from = 0;
    for (size_t at; (at = s.find(sep, from)) != std::string::npos; from = at + 1) out.push_back(s.substr(from, at - from));
    out.push_back(s.substr(from));
    return out;
}

std::string joined(const std::set<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

std::string formatted(const Diagnostics& ds) {
    std::string out;
    for (const Diagnostic& d : ds) out += format(d) + "\n";
    return out;
}

bool mentions_unknown(const Diagnostics& ds) {
    return std::any_of(ds.begin(), ds.end(),
                       [](const Diagnostic& d) { return d.message.find("unknown") != std::string::npos; });
}

// --- Markdown

// Whether each line of `lines` is inside a fenced code block (the fence
// lines included): ``` or ~~~, closed by a run of the same character at
// least as long.
std::vector<bool> in_fences(const std::vector<std::string>& lines) {
    std::vector<bool> out(lines.size(), false);
    char fence = 0;
    size_t length = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string t = trim(lines[i]);
        const char c = t.empty() ? 0 : t[0];
        const size_t run = (c == '`' || c == '~') ? t.find_first_not_of(c) : 0;
        const size_t n = run == std::string::npos ? t.size() : run;
        if (fence == 0 && n >= 3) {
            fence = c, length = n;
            out[i] = true;
        } else if (fence != 0) {
            out[i] = true;
            if (c == fence && n >= length && trim(t.substr(n)).empty()) fence = 0;
        }
    }
    return out;
}

// The cells of a table line: split at '|' (not at "\|", which is a '|').
std::vector<std::string> cells_of(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    bool started = false;
    for (size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
            cell += '|';
            ++i;
        } else if (line[i] == '|') {
            if (started) out.push_back(trim(cell));
            cell.clear();
            started = true;
        } else {
            cell += line[i];
        }
    }
    if (!trim(cell).empty()) out.push_back(trim(cell));
    return out;
}

// "`name`" -> "name"; anything else (text around it, spaces) -> "".
std::string backticked_name(const std::string& cell) {
    if (cell.size() < 3 || cell.front() != '`' || cell.back() != '`') return "";
    const std::string inner = cell.substr(1, cell.size() - 2);
    if (inner.find_first_of("` \t") != std::string::npos) return "";
    return inner;
}

// What a cell says as a value: its first code span, else its text.
std::string cell_value(const std::string& cell) {
    const size_t open = cell.find('`');
    if (open == std::string::npos) return trim(cell);
    const size_t close = cell.find('`', open + 1);
    if (close == std::string::npos) return trim(cell);
    return cell.substr(open + 1, close - open - 1);
}

struct DocRow {
    std::string key;
    std::map<std::string, std::string> cells;  // by header, as written
    int line = 0;                              // 1-based
};

// The rows of every table of `path` whose first header cell is `first`.
std::vector<DocRow> table_rows(const std::string& path, const std::string& first) {
    const std::vector<std::string> lines = lines_of(read_text(path));
    const std::vector<bool> fenced = in_fences(lines);
    auto table_line = [&](size_t i) { return i < lines.size() && !fenced[i] && trim(lines[i]).rfind('|', 0) == 0; };
    std::vector<DocRow> out;
    for (size_t i = 0; i < lines.size();) {
        if (!table_line(i)) {
            ++i;
            continue;
        }
        const std::vector<std::string> header = cells_of(lines[i]);
        size_t j = i + 1;
        for (; table_line(j); ++j) {
            if (j == i + 1 || header.empty() || header[0] != first) continue;  // the delimiter row
            const std::vector<std::string> cells = cells_of(lines[j]);
            DocRow row;
            row.key = cells.empty() ? "" : backticked_name(cells[0]);
            if (row.key.empty()) continue;
            row.line = static_cast<int>(j + 1);
            for (size_t c = 1; c < cells.size() && c < header.size(); ++c) row.cells[header[c]] = cells[c];
            out.push_back(std::move(row));
        }
        i = j;
    }
    return out;
}

// --- YAML text for one key

// A value as YAML: lists, mappings and quoted strings as written, anything
// else double-quoted (yaml-cpp converts a quoted "2" or "true" as a plain one).
std::string yaml_value(const std::string& v) {
    if (!v.empty() && (v[0] == '[' || v[0] == '{' || v[0] == '"' || v[0] == '\'')) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// `path` set to `value` in block style.
std::string nested(const std::vector<std::string>& path, const std::string& value) {
    std::string text, indent;
    for (size_t i = 0; i < path.size(); ++i) {
        text += indent + path[i] + ":";
        text += i + 1 < path.size() ? "\n" : " " + value + "\n";
        indent += "  ";
    }
    return text;
}

// `path` as an item of a list of mappings: "a:\n  - {b: x}".
std::string as_list_item(const std::vector<std::string>& path, const std::string& value) {
    return path[0] + ":\n  - {" + path[1] + ": " + value + "}\n";
}

// --- styles

std::string style_path(const std::string& name, const std::string& text) {
    const std::string path = galley::test::temp_dir() + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

const std::string kStyleDoc = kSource + "/docs/style-reference.md";

// Header cells that are not a sub-key's name.
const std::set<std::string> kNotSubKeys{"key", "type", "default", "example", "range", "meaning", "used for"};

struct StyleKey {
    std::string key;       // dotted, NAME replaced
    std::string value;     // YAML
    std::string written;   // the row's key as the document writes it
    int line = 0;
};

// Every key of the document's tables with the value to set it to: its
// default, else its example, else an empty mapping.
std::vector<StyleKey> documented_style_keys() {
    const std::vector<DocRow> rows = table_rows(kStyleDoc, "key");
    std::vector<std::string> roles;
    for (const DocRow& r : rows) {
        const std::vector<std::string> parts = split(r.key, '.');
        if (parts.size() == 2 && parts[0] == "roles" && parts[1] != "NAME" &&
            std::find(roles.begin(), roles.end(), parts[1]) == roles.end())
            roles.push_back(parts[1]);
    }
    std::vector<StyleKey> out;
    for (const DocRow& r : rows) {
        std::string value = "{}";
        for (const char* column : {"example", "default"})
            if (auto it = r.cells.find(column); it != r.cells.end() && !cell_value(it->second).empty())
                value = yaml_value(cell_value(it->second));
        const size_t name = r.key.find("NAME");
        if (name == std::string::npos) {
            out.push_back({r.key, value, r.key, r.line});
            continue;
        }
        for (const std::string& role : roles)
            out.push_back({r.key.substr(0, name) + role + r.key.substr(name + 4), value, r.key, r.line});
    }
    return out;
}

// Every field of a style as text, so two styles compare field by field and
// a failure shows which one differs. Colours as 0-255, as the document
// writes them.
void dump_color(std::ostringstream& o, const Color& c) {
    o << std::lround(c.r * 255) << "," << std::lround(c.g * 255) << "," << std::lround(c.b * 255);
}

void dump_role(std::ostringstream& o, const std::string& name, const TextRole& r) {
    o << name << ".font=";
    for (auto& f : r.font) o << f << "|";
    o << "\n" << name << ".latin_font=";
    for (auto& f : r.latin_font) o << f << "|";
    o << "\n" << name << ": size=" << r.size << " bold=" << r.bold << " italic=" << r.italic << " color=";
    dump_color(o, r.color);
    o << " align=" << int(r.align) << " pitch=" << r.line_pitch << "\n";
}

std::string dump(Style s) {
    std::ostringstream o;
    o.precision(10);
    o << "page=" << s.page_width << "x" << s.page_height << " margins=" << s.margin_top << "," << s.margin_bottom
      << "," << s.margin_inner << "," << s.margin_outer << " columns=" << s.columns << " gutter=" << s.gutter_em
      << "\nindent=" << s.indent_em << " lang=" << s.lang << " hyphenate=" << s.hyphenate
      << " masthead=" << int(s.masthead_kind) << "\npunctuation=" << int(s.punctuation)
      << " break_level=" << int(s.break_level) << " han_latin_gap=" << s.han_latin_gap_em
      << "\ntolerance=" << s.tolerance << " hyphen_penalty=" << s.hyphen_penalty
      << " double_hyphen_demerits=" << s.double_hyphen_demerits << " fitness_demerits=" << s.fitness_demerits
      << " line_penalty=" << s.line_penalty << "\nmakeup=" << s.min_start_lines << "," << s.min_start_per_column
      << "," << s.min_continuation << "," << s.masthead_min_size << "," << s.lead_picture_min
      << "\ntable=" << int(s.table_rules) << "," << s.table_min_size << "," << s.table_numbers
      << " section_break=" << s.section_break << " editor_note_frame=" << int(s.editor_note_frame)
      << " notes=" << int(s.notes) << "\npdfa=" << s.pdfa << " bleed=" << s.bleed << " crop_marks=" << s.crop_marks
      << " rule_width=" << s.rule_width << " accent=";
    dump_color(o, s.accent);
    o << "\n";
    dump_role(o, "body", s.body);
    for (auto& [name, r] : text_roles(s)) dump_role(o, name, *r);
    return o.str();
}

// --- articles and issues

// A key a document's table names, and the line of its row.
struct Field {
    std::string key;
    int line = 0;
};

std::vector<Field> documented_fields(const std::string& doc, const std::string& first) {
    std::vector<Field> out;
    for (const DocRow& r : table_rows(doc, first)) out.push_back({r.key, r.line});
    return out;
}

// The keys a loader source lists: its top_fields() table, the keys of each
// nested read_fields() call (named by its prefix "x." or its 'x' in
// messages), the known keys of each each_item() list, and the 报尾's keys.
std::set<std::string> loader_keys(const std::string& src, const std::string& shared_src) {
    std::set<std::string> out;
    const std::regex field(R"re(\{"(\w+)", )re");
    const size_t top = src.find("top_fields() {");
    REQUIRE(top != std::string::npos);
    const std::string table = src.substr(top, src.find("};", top) - top);
    for (auto it = std::sregex_iterator(table.begin(), table.end(), field); it != std::sregex_iterator(); ++it)
        out.insert((*it)[1]);
    REQUIRE(out.size() >= 10);
    const std::set<std::string> tops = out;

    // A call up to its first ';': its table, where it is and its prefix.
    const std::regex call(R"re(read_fields\(([^;]*))re");
    const std::regex prefix(R"re("(\w+)\.")re"), where(R"re('(\w+)')re");
    for (auto it = std::sregex_iterator(src.begin(), src.end(), call); it != std::sregex_iterator(); ++it) {
        const std::string args = (*it)[1];
        std::smatch m;
        std::string parent;
        if (std::regex_search(args, m, prefix) || std::regex_search(args, m, where)) parent = m[1];
        for (auto k = std::sregex_iterator(args.begin(), args.end(), field); k != std::sregex_iterator(); ++k) {
            INFO(args);
            REQUIRE(!parent.empty());
            out.insert(parent + "." + std::string((*k)[1]));
        }
    }

    const std::regex items(R"re(each_item\(\w+, "(\w+)", "[^"]*", \{([^}]*)\})re");
    const std::regex quoted(R"re("(\w+)")re");
    for (const std::string* text : {&src, &shared_src})
        for (auto it = std::sregex_iterator(text->begin(), text->end(), items); it != std::sregex_iterator(); ++it) {
            const std::string name = (*it)[1], known = (*it)[2];
            if (!tops.count(name)) continue;  // 'credits' of yaml_fields.cpp: only where the table has it
            for (auto k = std::sregex_iterator(known.begin(), known.end(), quoted); k != std::sregex_iterator(); ++k)
                out.insert(name + "." + std::string((*k)[1]));
        }

    // The 报尾's keys are a list of their own (not \w: std::regex is bytes).
    const size_t dist = src.find("kDistributionKeys = {");
    if (dist != std::string::npos) {
        const size_t open = src.find('{', dist), close = src.find('}', open);
        const std::string list = src.substr(open + 1, close - open - 1);
        for (size_t q = list.find('"'); q != std::string::npos; q = list.find('"', list.find('"', q + 1) + 1))
            out.insert("distribution." + list.substr(q + 1, list.find('"', q + 1) - q - 1));
    }
    return out;
}

std::set<std::string> missing_from(const std::set<std::string>& names, const std::vector<Field>& documented) {
    std::set<std::string> in_doc;
    for (const Field& f : documented) in_doc.insert(f.key);
    std::set<std::string> missing;
    for (const std::string& n : names)
        if (!in_doc.count(n)) missing.insert(n);
    return missing;
}

const std::string kArticleDoc = kSource + "/docs/article-format.md";
const std::string kIssueDoc = kSource + "/docs/issue-format.md";

// A valid value of each article field, as front-matter lines.
const std::map<std::string, std::string> kArticleValues{
    {"title", "title: 高新区发布重点项目推进情况\n"},
    {"subtitle", "subtitle: 十二个项目开工\n"},
    {"kicker", "kicker: 项目建设\n"},
    {"section", "section: 经济发展\n"},
    {"dateline", "dateline:\n  place: 西安\n  source: 高新区通讯\n  date: 2019-04-08 10:30\n"},
    {"dateline.place", "dateline:\n  place: 西安\n"},
    {"dateline.source", "dateline:\n  source: 高新区通讯\n"},
    {"dateline.date", "dateline:\n  date: 2019-01-18 13:01:08\n"},
    {"summary", "summary: |\n  4月8日，高新区通报一季度重点项目推进情况。\n"},
    {"byline", "byline: [崔霖鹏, 李玮]\n"},
    {"byline.role", "byline:\n  - {role: 通讯员, name: 赵一鸣}\n"},
    {"byline.name", "byline:\n  - 林可欣\n  - {role: 通讯员, name: 赵一鸣}\n"},
    {"credits", "credits:\n  - {role: 编辑, name: 何静}\n"},
    {"credits.role", "credits:\n  - {role: 编辑, name: 何静}\n"},
    {"credits.name", "credits:\n  - {role: 校对, name: 王某}\n"},
    {"lang", "lang: en-US\n"},
    {"tags", "tags: [党建, 高新区]\n"},
    {"image", "image:\n  src: images/incubator.jpg\n  caption: 孵化器B座。\n  credit: 高新区通讯\n"},
    {"image.src", "image:\n  src: images/incubator.jpg\n"},
    {"image.caption", "image:\n  src: images/incubator.jpg\n  caption: 孵化器B座。\n"},
    {"image.credit", "image:\n  src: images/incubator.jpg\n  credit: 高新区通讯\n"},
    {"related", "related:\n  - {title: 上一篇的标题, rel: previous}\n"},
    {"related.title", "related:\n  - {title: 下一篇的标题, rel: next}\n"},
    {"related.rel", "related:\n  - {title: 相关的标题, rel: see-also}\n"},
    {"related.href", "related:\n  - {title: 上一篇的标题, rel: previous, href: \"https://example.org/0116.html\"}\n"},
    {"editor_note", "editor_note: 编者按：本刊摘发一季度重点项目推进情况。\n"},
    {"provenance", "provenance:\n  file: page.html\n  url: https://example.org/0408.html\n"},
    {"provenance.file", "provenance:\n  file: page.html\n"},
    {"provenance.url", "provenance:\n  url: https://example.org/0408.html\n"},
};

// A valid value of each manifest key, as manifest lines.
const std::map<std::string, std::string> kIssueValues{
    {"newsletter", "newsletter: 高新区通讯\n"},
    {"tagline", "tagline: 西安高新区党工委主办\n"},
    {"issue", "issue: 2019年第1期（总第12期）\n"},
    {"date", "date: 2019-01-20\n"},
    {"style", "style: bulletin\n"},
    {"issuer", "issuer: 西安高新区党工委办公室\n"},
    {"classification", "classification: 内部资料\n"},
    {"lang", "lang: zh-Hans\n"},
    {"articles", "articles:\n  - articles/finance.md\n"},
    {"articles.path", "articles:\n  - path: articles/finance.md\n"},
    {"articles.lead", "articles:\n  - path: articles/finance.md\n    lead: true\n"},
    {"distribution", "distribution:\n  报: [市委办公厅]\n  送: [各区县党委]\n  发: [各镇街党工委]\n"},
    {"distribution.报", "distribution:\n  报: [市委办公厅, 市政府办公厅]\n"},
    {"distribution.送", "distribution:\n  送: 各区县党委\n"},
    {"distribution.发", "distribution:\n  发: [各镇街党工委, 各直属党委]\n"},
    {"copies", "copies: 200\n"},
    {"pages", "pages: 4\n"},
    {"reorder", "reorder: true\n"},
    {"credits", "credits:\n  - {role: 责任编辑, name: 何静}\n"},
    {"credits.role", "credits:\n  - {role: 责任编辑, name: 何静}\n"},
    {"credits.name", "credits:\n  - {role: 编辑, name: 王某}\n"},
};

// The YAML setting `key`: its entry in `values`, else (a key the test has
// no value for) a plain value at its dotted place, as an item of a list
// when its parent's value is a list; `known` says which.
std::string setting_of(const std::string& key, const std::map<std::string, std::string>& values, bool& known) {
    auto it = values.find(key);
    known = it != values.end();
    if (known) return it->second;
    const std::vector<std::string> path = split(key, '.');
    auto parent = values.find(path[0]);
    if (path.size() == 2 && parent != values.end() && parent->second.find("\n  - ") != std::string::npos)
        return as_list_item(path, "x");
    return nested(path, "x");
}

// Whether `text` is read without a problem (a key the test has a value
// for) or at least without an "unknown" message (one it has none for).
template <class Parse>
bool accepted(const std::string& text, bool known, Parse parse, std::string& shown) {
    Diagnostics diags;
    parse(text, diags);
    shown = text + "\n" + formatted(diags);
    return known ? diags.empty() : !mentions_unknown(diags);
}

// --- references out of the repository

// `line` without its code spans (links inside them are not links).
std::string without_code_spans(const std::string& line) {
    std::string out;
    for (size_t i = 0; i < line.size();) {
        if (line[i] != '`') {
            out += line[i++];
            continue;
        }
        const size_t run = line.find_first_not_of('`', i) == std::string::npos ? line.size() - i
                                                                                 : line.find_first_not_of('`', i) - i;
        const std::string ticks(run, '`');
        size_t close = line.find(ticks, i + run);
        while (close != std::string::npos && close + run < line.size() && line[close + run] == '`')
            close = line.find(ticks, close + run + 1);
        if (close == std::string::npos) {
            out += line.substr(i, run);
            i += run;
            continue;
        }
        i = close + run;
    }
    return out;
}

}  // namespace

TEST_CASE("docs: every style key in docs/style-reference.md is accepted by load_style") {
    const std::vector<StyleKey> keys = documented_style_keys();
    REQUIRE(keys.size() > 100);
    int n = 0;
    for (const StyleKey& k : keys) {
        const std::string text = "# " + k.written + " (docs/style-reference.md:" + std::to_string(k.line) + ")\n" +
                                 nested(split(k.key, '.'), k.value);
        const std::string path = style_path("docs-key-" + std::to_string(n++) + ".yaml", text);
        Diagnostics diags;
        load_style(path, diags);
        INFO(text);
        INFO(formatted(diags));
        CHECK_FALSE(mentions_unknown(diags));
        CHECK(diags.empty());
    }
}

TEST_CASE("docs: every key style.cpp reads is in docs/style-reference.md") {
    // As style_test.cpp finds them: {"name", [&](...) ...}, {"name", &s.role}
    // and page_size; each must be a part of a documented dotted key.
    const std::string src = read_text(kSource + "/layout/src/style/style.cpp");
    REQUIRE(!src.empty());
    std::set<std::string> in_source, in_doc, missing;
    const std::regex key(R"re(\{"(\w+)", (\[&|page_size\}|&s\.))re");
    for (auto it = std::sregex_iterator(src.begin(), src.end(), key); it != std::sregex_iterator(); ++it)
        in_source.insert((*it)[1]);
    for (const DocRow& r : table_rows(kStyleDoc, "key"))
        for (const std::string& part : split(r.key, '.'))
            if (part != "NAME") in_doc.insert(part);
    for (const std::string& k : in_source)
        if (!in_doc.count(k)) missing.insert(k);
    CHECK(in_source.size() > 40);
    INFO("read by style.cpp, not in a table of docs/style-reference.md: " << joined(missing));
    CHECK(missing.empty());
}

TEST_CASE("docs: the style defaults in docs/style-reference.md are the loader's defaults") {
    // A "default" cell is its row's default; a cell under a sub-key's name
    // (the roles tables' "size", "font" …) that of the row's key and the
    // sub-key. Setting a key to it must leave the default style as it is.
    Style d = default_style();
    const std::string expected = dump(d);
    int n = 0, checked = 0;
    for (const DocRow& r : table_rows(kStyleDoc, "key")) {
        for (const auto& [header, cell] : r.cells) {
            std::string key;
            if (header == "default") key = r.key;
            else if (!kNotSubKeys.count(header) && header.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos)
                key = r.key + "." + header;
            if (key.empty() || cell_value(cell).empty()) continue;
            const std::string text = "# docs/style-reference.md:" + std::to_string(r.line) + "\n" +
                                     nested(split(key, '.'), yaml_value(cell_value(cell)));
            Diagnostics diags;
            const Style s = load_style(style_path("docs-default-" + std::to_string(n++) + ".yaml", text), diags);
            INFO(text);
            INFO(formatted(diags));
            CHECK(diags.empty());
            CHECK(dump(s) == expected);
            ++checked;
        }
    }
    CHECK(checked > 100);
}

TEST_CASE("docs: every article field in docs/article-format.md is accepted by parse_article") {
    const std::vector<Field> fields = documented_fields(kArticleDoc, "field");
    REQUIRE(fields.size() >= 14);
    for (const Field& f : fields) {
        bool known = false;
        const std::string setting = setting_of(f.key, kArticleValues, known);
        auto parse = [&](const std::string& setting, Diagnostics& diags) {
            // 'title' is required: every article has one, unless the field is the title.
            const std::string text = "---\n" + std::string(f.key == "title" ? "" : "title: 标题\n") + setting +
                                     "---\n\n正文第一段。\n";
            parse_article(text, kSource + "/tests/data/articles/docs.md", diags);
        };
        std::string shown;
        INFO("docs/article-format.md:" << f.line << ": " << f.key
                                       << (known ? "" : " (no value for it in docs_test.cpp: only 'unknown' is checked)"));
        const bool ok = accepted(setting, known, parse, shown);
        INFO(shown);
        CHECK(ok);
    }
}

TEST_CASE("docs: every field the article loader knows is in docs/article-format.md") {
    const std::set<std::string> known = loader_keys(read_text(kSource + "/layout/src/model/front_matter.cpp"),
                                                    read_text(kSource + "/layout/src/model/yaml_fields.cpp"));
    // The loader's tables as this test reads them: a sanity check of the reading.
    for (const char* k : {"title", "dateline.date", "byline.role", "image.src", "related.href", "credits.name", "provenance.url"})
        CHECK(known.count(k) == 1);
    const std::set<std::string> missing = missing_from(known, documented_fields(kArticleDoc, "field"));
    INFO("known to layout/src/model/front_matter.cpp, not in a table of docs/article-format.md: " << joined(missing));
    CHECK(missing.empty());
}

TEST_CASE("docs: every issue key in docs/issue-format.md is accepted by parse_issue") {
    const std::vector<Field> keys = documented_fields(kIssueDoc, "key");
    REQUIRE(keys.size() >= 14);
    // Articles resolve against tests/data/issues/, where articles/finance.md is.
    const std::string manifest = kSource + "/tests/data/issues/docs.yaml";
    for (const Field& f : keys) {
        bool known = false;
        const std::string setting = setting_of(f.key, kIssueValues, known);
        const std::string top = split(f.key, '.')[0];
        auto parse = [&](const std::string& setting, Diagnostics& diags) {
            // 'newsletter' and 'articles' are required, unless the key is one of them.
            const std::string text = std::string(top == "newsletter" ? "" : "newsletter: 高新区通讯\n") +
                                     (top == "articles" ? "" : "articles: [articles/finance.md]\n") + setting;
            model::parse_issue(text, manifest, diags);
        };
        std::string shown;
        INFO("docs/issue-format.md:" << f.line << ": " << f.key
                                     << (known ? "" : " (no value for it in docs_test.cpp: only 'unknown' is checked)"));
        const bool ok = accepted(setting, known, parse, shown);
        INFO(shown);
        CHECK(ok);
    }
}

TEST_CASE("docs: every key the manifest loader knows is in docs/issue-format.md") {
    const std::set<std::string> known = loader_keys(read_text(kSource + "/layout/src/model/load_issue.cpp"),
                                                    read_text(kSource + "/layout/src/model/yaml_fields.cpp"));
    for (const char* k : {"newsletter", "articles.lead", "distribution.报", "distribution.发", "credits.role", "reorder"})
        CHECK(known.count(k) == 1);
    const std::set<std::string> missing = missing_from(known, documented_fields(kIssueDoc, "key"));
    INFO("known to layout/src/model/load_issue.cpp, not in a table of docs/issue-format.md: " << joined(missing));
    CHECK(missing.empty());
}

TEST_CASE("docs: no document refers to a path outside the repository") {
    // The documents a reader of the repository reads. They must stand on
    // their own: no path into the shared folder beside the repository, no
    // spec document by name that the repository does not hold, and every
    // relative link to a file that is in the repository.
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(kSource + "/docs"))
        if (e.is_regular_file() && e.path().extension() == ".md") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 5);
    for (const char* f : {"README.md", "samples/README.md", "styles/README.md"}) files.push_back(fs::path(kSource) / f);

    const fs::path root = fs::weakly_canonical(kSource);
    const std::vector<std::string> outside{"../shared", "/work/shared", "cjk-rules", "bulletin-conventions",
                                           "platform-notes", "architecture.md"};
    const std::regex link(R"re(\]\(([^)\s]+))re");
    std::vector<std::string> found;
    for (const fs::path& file : files) {
        const std::string shown = fs::relative(file, root).generic_string();
        const std::vector<std::string> lines = lines_of(read_text(file.string()));
        REQUIRE(!lines.empty());
        const std::vector<bool> fenced = in_fences(lines);
        for (size_t i = 0; i < lines.size(); ++i) {
            const std::string at = shown + ":" + std::to_string(i + 1) + ": ";
            for (const std::string& s : outside)
                if (lines[i].find(s) != std::string::npos) found.push_back(at + "'" + s + "': " + trim(lines[i]));
            if (fenced[i]) continue;
            const std::string text = without_code_spans(lines[i]);
            for (auto it = std::sregex_iterator(text.begin(), text.end(), link); it != std::sregex_iterator(); ++it) {
                std::string target = (*it)[1];
                if (target.find("://") != std::string::npos || target.rfind("mailto:", 0) == 0 || target[0] == '#')
                    continue;
                target = target.substr(0, target.find('#'));
                const fs::path resolved = fs::weakly_canonical(file.parent_path() / target);
                const std::string rel = fs::relative(resolved, root).generic_string();
                if (rel.empty() || rel.rfind("..", 0) == 0)
                    found.push_back(at + "a link out of the repository: " + target);
                else if (!fs::exists(resolved))
                    found.push_back(at + "a link to a file that is not there: " + target);
            }
        }
    }
    std::string report;
    for (const std::string& f : found) report += f + "\n";
    INFO(report);
    CHECK(found.empty());
}
