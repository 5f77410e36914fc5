// Style files over built-in defaults. Every key is known here; anything
// else is an error naming its line.
#include "galley/style.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <map>


namespace galley {

// yaml-cpp marks are 0-based; style files are ASCII, so bytes are columns.
static SourcePos yaml_pos(const std::string& file, const YAML::Mark& m, int) {
    return {file, m.line + 1, m.column + 1};
}

static TextRole role(std::vector<std::string> font, double size, bool bold, Align align, Color color = {}) {
    TextRole r;
    const bool sans = !font.empty() && font.front().find("Sans") != std::string::npos;
    r.latin_font = {sans ? "Linux Biolinum O" : "Linux Libertine O"};
    r.font = std::move(font);
    r.size = size;
    r.bold = bold;
    r.align = align;
    r.color = color;
    return r;
}

std::vector<std::pair<std::string, TextRole*>> text_roles(Style& s) {
    return {{"kicker", &s.kicker}, {"title", &s.title}, {"subtitle", &s.subtitle}, {"dateline", &s.dateline},
            {"summary", &s.summary}, {"heading2", &s.heading2}, {"heading3", &s.heading3}, {"quote", &s.quote},
            {"list", &s.list}, {"byline", &s.byline}, {"credits", &s.credits}, {"folio", &s.folio},
            {"code", &s.code}, {"caption", &s.caption}, {"masthead", &s.masthead},
            {"masthead_info", &s.masthead_info}, {"running_head", &s.running_head}, {"jump", &s.jump},
            {"contents_title", &s.contents_title}, {"contents", &s.contents}};
}

Style default_style() {
    Style s;
    const std::vector<std::string> serif{"Galley Serif SC", "Noto Serif CJK SC"};
    const std::vector<std::string> sans{"Galley Sans SC", "Noto Sans CJK SC"};
    const Color grey{0.25, 0.25, 0.25};
    s.body = role(serif, 10.5, false, Align::Justify);
    s.body.line_pitch = 17.5;
    s.kicker = role(sans, 12, true, Align::Center, s.accent);
    s.title = role(serif, 22, true, Align::Center);
    s.title.line_pitch = 30;
    s.subtitle = role(sans, 14, false, Align::Center);
    s.subtitle.line_pitch = 22;
    s.dateline = role(sans, 9, false, Align::Center, grey);
    s.summary = role(sans, 10, false, Align::Justify, grey);
    s.summary.line_pitch = 17.5;
    s.heading2 = role(sans, 12, true, Align::Center);
    s.heading3 = role(sans, 10.5, true, Align::Start);
    // Pull quotes: larger than the body, centred between rules.
    s.quote = role(sans, 12, true, Align::Center, s.accent);
    s.quote.italic = true;  // Latin only: Chinese faces have no italic
    s.list = role(serif, 10.5, false, Align::Justify);
    s.byline = role(serif, 10.5, false, Align::End);
    s.credits = role(serif, 10.5, false, Align::End);
    s.folio = role(serif, 9, false, Align::Center);
    s.code = role({"Linux Libertine Mono O", "Galley Sans SC", "Noto Sans CJK SC"}, 9, false, Align::Start);
    s.code.latin_font.clear();
    s.caption = role(sans, 9, false, Align::Justify, grey);
    // 报头: the name in red 小标宋 (bulletin-conventions.md §1–2).
    s.masthead = role(serif, 42, true, Align::Center, s.accent);
    s.masthead.line_pitch = 56;
    s.masthead_info = role(serif, 12, false, Align::Center);
    s.masthead_info.line_pitch = 21;
    s.running_head = role(sans, 9, false, Align::Center, grey);
    s.jump = role(sans, 9, false, Align::End, grey);
    s.contents_title = role(sans, 12, true, Align::Center, s.accent);
    s.contents = role(sans, 9.5, false, Align::Start);
    return s;
}

namespace {

struct Reader {
    const std::string& file;
    Diagnostics& diags;
    std::vector<std::pair<std::string, SourcePos>>& named;

    SourcePos at(const YAML::Node& n) const { return yaml_pos(file, n.Mark(), 0); }

    bool number(const YAML::Node& n, double& out) {
        try {
            out = n.as<double>();
            if (std::isfinite(out)) return true;
        } catch (const YAML::Exception&) {
        }
        error(diags, at(n), "expected a number");
        return false;
    }
    // Lengths: a number of points, or a string with pt, mm, cm or in.
    void length(const YAML::Node& n, double& out) {
        if (n.IsScalar()) {
            std::string s = n.Scalar();
            static const std::map<std::string, double> units{{"pt", 1}, {"mm", 72 / 25.4}, {"cm", 72 / 2.54}, {"in", 72}};
            for (auto& [u, f] : units) {
                if (s.size() > u.size() && s.compare(s.size() - u.size(), u.size(), u) == 0) {
                    try {
                        size_t used = 0;
                        double v = std::stod(s.substr(0, s.size() - u.size()), &used);
                        if (used == s.size() - u.size()) { out = v * f; return; }
                    } catch (...) {
                    }
                }
            }
        }
        double v;
        if (number(n, v)) out = v;
    }
    void integer(const YAML::Node& n, int& out) {
        try { out = n.as<int>(); return; } catch (const YAML::Exception&) {}
        error(diags, at(n), "expected a whole number");
    }
    void boolean(const YAML::Node& n, bool& out) {
        try { out = n.as<bool>(); return; } catch (const YAML::Exception&) {}
        error(diags, at(n), "expected true or false");
    }
    void string(const YAML::Node& n, std::string& out) {
        if (n.IsScalar()) out = n.Scalar();
        else error(diags, at(n), "expected a string");
    }
    void color(const YAML::Node& n, Color& out) {
        std::string s = n.IsScalar() ? n.Scalar() : "";
        if (s.size() == 7 && s[0] == '#' && s.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos) {
            auto h = [&](int i) { return std::stoi(s.substr(i, 2), nullptr, 16) / 255.0; };
            out = {h(1), h(3), h(5)};
        } else {
            error(diags, at(n), "expected a colour as #RRGGBB");
        }
    }
    void families(const YAML::Node& n, std::vector<std::string>& out) {
        if (n.IsScalar()) {
            out = {n.Scalar()};
            named.push_back({n.Scalar(), at(n)});
            return;
        }
        if (n.IsSequence()) {
            out.clear();
            for (auto f : n) {
                if (!f.IsScalar()) { error(diags, at(f), "expected a font family name"); return; }
                out.push_back(f.Scalar());
                named.push_back({f.Scalar(), at(f)});
            }
            return;
        }
        error(diags, at(n), "expected a font family or a list of them");
    }
    template <class E>
    void choice(const YAML::Node& n, E& out, const std::map<std::string, E>& names) {
        if (n.IsScalar()) {
            auto it = names.find(n.Scalar());
            if (it != names.end()) { out = it->second; return; }
        }
        std::string list;
        for (auto& [k, v] : names) list += (list.empty() ? "" : ", ") + k;
        error(diags, at(n), "expected one of: " + list);
    }
    // Walks a mapping, handing each known key to its reader.
    void map(const YAML::Node& n, const std::string& where,
             const std::map<std::string, std::function<void(const YAML::Node&)>>& keys) {
        if (!n.IsMap()) { error(diags, at(n), "'" + where + "' must be a mapping"); return; }
        for (auto kv : n) {
            std::string key = kv.first.Scalar();
            auto it = keys.find(key);
            if (it == keys.end()) {
                error(diags, at(kv.first), "unknown style key '" + (where.empty() ? key : where + "." + key) + "'");
                continue;
            }
            it->second(kv.second);
        }
    }
    void text_role(const YAML::Node& n, const std::string& where, TextRole& r) {
        map(n, where, {
            {"font", [&](auto& v) { families(v, r.font); }},
            {"latin_font", [&](auto& v) { families(v, r.latin_font); }},
            {"size", [&](auto& v) { length(v, r.size); }},
            {"bold", [&](auto& v) { boolean(v, r.bold); }},
            {"italic", [&](auto& v) { boolean(v, r.italic); }},
            {"color", [&](auto& v) { color(v, r.color); }},
            {"pitch", [&](auto& v) { length(v, r.line_pitch); }},
            {"align", [&](auto& v) { choice<Align>(v, r.align, {{"start", Align::Start}, {"center", Align::Center},
                                                                {"end", Align::End}, {"justify", Align::Justify}}); }},
        });
    }
};

}  // namespace

Style load_style(const std::string& path, Diagnostics& diags) {
    Style s = default_style();
    s.path = path;
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::BadFile&) {
        error(diags, {path, 0, 0}, "cannot read the style file");
        return s;
    } catch (const YAML::ParserException& e) {
        error(diags, yaml_pos(path, e.mark, 0), "invalid YAML: " + e.msg);
        return s;
    }
    if (!root || root.IsNull()) return s;
    Reader rd{path, diags, s.named_fonts};
    auto page_size = [&](const YAML::Node& v) {
        static const std::map<std::string, std::pair<double, double>> sizes{
            {"A4", {595.276, 841.890}}, {"A3", {841.890, 1190.551}}, {"A5", {419.528, 595.276}},
            {"Letter", {612, 792}}, {"Legal", {612, 1008}}, {"Tabloid", {792, 1224}}};
        auto it = v.IsScalar() ? sizes.find(v.Scalar()) : sizes.end();
        if (it == sizes.end()) { error(diags, rd.at(v), "unknown page size (A3, A4, A5, Letter, Legal, Tabloid)"); return; }
        s.page_width = it->second.first;
        s.page_height = it->second.second;
    };
    std::map<std::string, TextRole*> roles;
    for (auto& [name, role] : text_roles(s)) roles[name] = role;
    rd.map(root, "", {
        {"page", [&](auto& n) { rd.map(n, "page", {
            {"size", page_size},
            {"width", [&](auto& v) { rd.length(v, s.page_width); }},
            {"height", [&](auto& v) { rd.length(v, s.page_height); }},
            {"columns", [&](auto& v) { rd.integer(v, s.columns); if (s.columns < 1 || s.columns > 12) error(diags, rd.at(v), "columns must be 1 to 12"); }},
            {"gutter", [&](auto& v) { rd.number(v, s.gutter_em); }},
            {"margins", [&](auto& m) { rd.map(m, "page.margins", {
                {"top", [&](auto& v) { rd.length(v, s.margin_top); }},
                {"bottom", [&](auto& v) { rd.length(v, s.margin_bottom); }},
                {"inner", [&](auto& v) { rd.length(v, s.margin_inner); }},
                {"outer", [&](auto& v) { rd.length(v, s.margin_outer); }}}); }}}); }},
        {"body", [&](auto& n) { rd.map(n, "body", {
            {"font", [&](auto& v) { rd.families(v, s.body.font); }},
            {"size", [&](auto& v) { rd.length(v, s.body.size); }},
            {"pitch", [&](auto& v) { rd.length(v, s.body.line_pitch); }},
            {"color", [&](auto& v) { rd.color(v, s.body.color); }},
            {"indent", [&](auto& v) { rd.number(v, s.indent_em); }}}); }},
        {"roles", [&](auto& n) {
            std::map<std::string, std::function<void(const YAML::Node&)>> keys;
            for (auto& [name, r] : roles) keys[name] = [&, name = name, r = r](const YAML::Node& v) { rd.text_role(v, "roles." + name, *r); };
            rd.map(n, "roles", keys); }},
        {"lang", [&](auto& v) { rd.string(v, s.lang); }},
        {"hyphenate", [&](auto& v) { rd.boolean(v, s.hyphenate); }},
        {"cjk", [&](auto& n) { rd.map(n, "cjk", {
            {"punctuation", [&](auto& v) { rd.choice<PunctStyle>(v, s.punctuation, {{"quanjiao", PunctStyle::Quanjiao}, {"kaiming", PunctStyle::Kaiming}, {"banjiao", PunctStyle::Banjiao}}); }},
            {"break_level", [&](auto& v) { rd.choice<BreakLevel>(v, s.break_level, {{"basic", BreakLevel::Basic}, {"gb", BreakLevel::GB}, {"strict", BreakLevel::Strict}}); }},
            {"han_latin_gap", [&](auto& v) { rd.number(v, s.han_latin_gap_em); }}}); }},
        {"linebreak", [&](auto& n) { rd.map(n, "linebreak", {
            {"tolerance", [&](auto& v) { rd.number(v, s.tolerance); }},
            {"hyphen_penalty", [&](auto& v) { rd.number(v, s.hyphen_penalty); }},
            {"double_hyphen_demerits", [&](auto& v) { rd.number(v, s.double_hyphen_demerits); }},
            {"fitness_demerits", [&](auto& v) { rd.number(v, s.fitness_demerits); }},
            {"line_penalty", [&](auto& v) { rd.number(v, s.line_penalty); }}}); }},
        {"makeup", [&](auto& n) { rd.map(n, "makeup", {
            {"min_start_lines", [&](auto& v) { rd.integer(v, s.min_start_lines); }},
            {"min_start_per_column", [&](auto& v) { rd.integer(v, s.min_start_per_column); }},
            {"min_continuation", [&](auto& v) { rd.integer(v, s.min_continuation); }},
            {"masthead_min_size", [&](auto& v) { rd.length(v, s.masthead_min_size); }},
            {"lead_picture_min", [&](auto& v) { rd.number(v, s.lead_picture_min); }}}); }},
        {"masthead", [&](auto& v) { rd.choice<Style::Masthead>(v, s.masthead_kind, {{"bulletin", Style::Masthead::Bulletin}, {"newspaper", Style::Masthead::Newspaper}}); }},
        {"pdfa", [&](auto& v) { rd.boolean(v, s.pdfa); }},
        {"bleed", [&](auto& v) { rd.length(v, s.bleed); }},
        {"crop_marks", [&](auto& v) { rd.boolean(v, s.crop_marks); }},
        {"rule_width", [&](auto& v) { rd.length(v, s.rule_width); }},
        {"accent", [&](auto& v) { rd.color(v, s.accent); }},
    });
    return s;
}

std::string find_style(const std::string& name_or_path, const std::string& styles_dir) {
    namespace fs = std::filesystem;
    if (name_or_path.find('/') != std::string::npos || fs::exists(name_or_path)) return name_or_path;
    return (fs::path(styles_dir) / (name_or_path + ".yaml")).string();
}

}  // namespace galley
