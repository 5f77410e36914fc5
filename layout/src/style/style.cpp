// Style files over built-in defaults. Every key is known here; anything
// else is an error naming its line. Every number has a range, and the page
// must keep room for text (docs/style-reference.md).
#include "galley/style.h"

#include "galley/engine.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fontconfig/fontconfig.h>
// fcfreetype.h after fontconfig.h and FreeType's own: FcFreeTypeQuery.
#include <ft2build.h>
#include FT_FREETYPE_H
#include <fontconfig/fcfreetype.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <locale>
#include <map>
#include <optional>
#include <sstream>

#include "common/strings.h"
#include "model/source_map.h"
#include "model/yaml_fields.h"


namespace galley {


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
            {"code", &s.code}, {"caption", &s.caption}, {"table", &s.table}, {"table_head", &s.table_head},
            {"editor_note", &s.editor_note},
            {"masthead", &s.masthead},
            {"masthead_info", &s.masthead_info}, {"running_head", &s.running_head}, {"jump", &s.jump},
            {"contents_title", &s.contents_title}, {"contents", &s.contents}};
}

Style default_style() {
    Style s;
    const std::vector<std::string> serif{"Galley Serif SC", "Noto Serif CJK SC"};
    const std::vector<std::string> sans{"Galley Sans SC", "Noto Sans CJK SC"};
    // 楷体, as Chinese bulletins set 按语, captions, subtitles and （一） headings.
    const std::vector<std::string> kai{"Galley Kai SC", "LXGW WenKai", "Noto Serif CJK SC"};
    const Color grey{0.25, 0.25, 0.25};
    s.body = role(serif, 10.5, false, Align::Justify);
    s.body.line_pitch = 17.5;
    s.kicker = role(sans, 12, true, Align::Center, s.accent);
    s.title = role(serif, 22, true, Align::Center);
    s.title.line_pitch = 30;
    s.subtitle = role(kai, 14, false, Align::Center);
    s.subtitle.line_pitch = 22;
    s.dateline = role(sans, 9, false, Align::Center, grey);
    s.summary = role(sans, 10, false, Align::Justify, grey);
    s.summary.line_pitch = 17.5;
    s.heading2 = role(sans, 14, true, Align::Center);  // cjk-rules §5: a third over the body (12 on 9)
    s.heading3 = role(kai, 12, true, Align::Start);    // and a tenth to a fifth over it
    // Pull quotes: larger than the body, centred between rules.
    s.quote = role(sans, 12, true, Align::Center, s.accent);
    s.quote.italic = true;  // Latin only: Chinese faces have no italic
    s.list = role(serif, 10.5, false, Align::Justify);
    s.byline = role(serif, 10.5, false, Align::End);
    s.credits = role(serif, 10.5, false, Align::End);
    s.folio = role(serif, 9, false, Align::Center);
    s.code = role({"Linux Libertine Mono O", "Galley Sans SC", "Noto Sans CJK SC"}, 9, false, Align::Start);
    s.code.latin_font.clear();
    s.caption = role(kai, 9, false, Align::Justify, grey);
    s.editor_note = role(kai, 10.5, false, Align::Justify);
    // Tables a step smaller than the body (小五), the header in bold sans.
    s.table = role(serif, 9, false, Align::Start);
    s.table_head = role(sans, 9, true, Align::Center);
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

// The range of a numeric key (docs/style-reference.md lists them all) and its unit
// as messages print it.
struct Range {
    double lo, hi;
    const char* unit;  // "pt", "em" or "" (a plain number)
    bool zero_too = false;  // 0 is allowed too: a pitch of 0 takes the default
};

constexpr Range kPageSide{72, 14400, "pt"};  // 1 in to PDF's 200 in
constexpr Range kMargin{0, 14400, "pt"};     // and the page must keep room for text (check_page)
constexpr Range kColumns{1, 12, ""};
constexpr Range kEms{0, 10, "em"};           // gutter, indent
constexpr Range kFontSize{4, 200, "pt"};
constexpr Range kPitch{4, 400, "pt", true};  // and at least the size (check_pitches)
constexpr Range kGap{0, 1, "em"};
constexpr Range kLetterSpacing{0, 0.05, "em"};  // past 0.05 em letter-spacing shows
constexpr Range kExpansion{0, 0.05, ""};         // past 5 % wider or narrower a face looks another
constexpr Range kTolerance{0, 10, ""};       // an adjustment ratio; 10 is far past any use
constexpr Range kPenalty{0, 10000, ""};      // TeX's: 10000 forbids the break
constexpr Range kDemerits{0, 1e6, ""};
constexpr Range kLines{0, 50, ""};
constexpr Range kShare{0.1, 1, ""};
constexpr Range kBleed{0, 72, "pt"};
constexpr Range kRuleWidth{0.1, 10, "pt"};

// The least a column may measure, and the least body lines a page must
// hold, in body ems and lines: less is no page of text.
constexpr double kMinColumnEms = 4;
constexpr int kMinBodyLines = 3;

// Style files larger than this are refused unread: a house style is a
// few kilobytes.
constexpr std::uintmax_t kMaxStyleBytes = 1 << 20;

// A figure for a message: at most three decimals, in the classic locale.
std::string figure(double v) {
    std::ostringstream o;
    o.imbue(std::locale::classic());
    if (!(std::fabs(v) < 1e9)) {
        o << std::setprecision(3) << v;
        return o.str();
    }
    o << std::fixed << std::setprecision(3) << v;
    std::string s = o.str();
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string with_unit(double v, const char* unit) { return figure(v) + (*unit ? std::string(" ") + unit : ""); }

struct Reader {
    const model::YamlFields& fields;
    Diagnostics& diags;
    std::vector<Style::NamedFont>& named;
    std::vector<std::string>& font_dirs;  // the folders of fonts named by their files
    std::string folder = {};  // the style file's, for relative paths
    std::map<std::string, SourcePos> set_at = {};  // each dotted key the file sets, at its name
    std::string key = {};                           // the dotted key being read, for messages

    SourcePos at(const YAML::Node& n) const { return fields.pos(n); }

    bool as_number(const YAML::Node& n, double& out) {
        try {
            out = n.as<double>();
            if (std::isfinite(out)) return true;
        } catch (const YAML::Exception&) {
        }
        error(diags, at(n), "expected a number");
        return false;
    }
    // Lengths: a number of points, or a string with pt, mm, cm or in.
    bool as_length(const YAML::Node& n, double& out) {
        if (n.IsScalar()) {
            std::string s = n.Scalar();
            static const std::map<std::string, double> units{{"pt", 1}, {"mm", 72 / 25.4}, {"cm", 72 / 2.54}, {"in", 72}};
            for (auto& [u, f] : units) {
                if (s.size() > u.size() && s.compare(s.size() - u.size(), u.size(), u) == 0) {
                    try {
                        size_t used = 0;
                        double v = std::stod(s.substr(0, s.size() - u.size()), &used);
                        if (used == s.size() - u.size()) { out = v * f; return true; }
                    } catch (...) {
                    }
                }
            }
        }
        return as_number(n, out);
    }
    // Whether `v`, read from `n`, is in `r`; if not, an error at the value
    // naming the key, its range and the value as written.
    bool within(const YAML::Node& n, double v, const Range& r) {
        if ((v >= r.lo && v <= r.hi) || (r.zero_too && v == 0)) return true;
        std::string shown = n.Scalar();
        const bool plain = shown.find_first_not_of("0123456789+-.eE") == std::string::npos;
        if (!plain && shown.size() > 2 && shown.compare(shown.size() - 2, 2, "pt") != 0)
            shown += " (" + with_unit(v, "pt") + ")";
        error(diags, at(n), "'" + key + "' must be " + (r.zero_too ? "0 or " : "") + "from " + figure(r.lo) +
                                " to " + with_unit(r.hi, r.unit) + ", not " + shown);
        return false;
    }
    // A wrong or out-of-range value leaves `out` as it was.
    void number(const YAML::Node& n, double& out, const Range& r) {
        double v;
        if (as_number(n, v) && within(n, v, r)) out = v;
    }
    void length(const YAML::Node& n, double& out, const Range& r) {
        double v;
        if (as_length(n, v) && within(n, v, r)) out = v;
    }
    void integer(const YAML::Node& n, int& out, const Range& r) {
        int v;
        try {
            v = n.as<int>();
        } catch (const YAML::Exception&) {
            error(diags, at(n), "expected a whole number");
            return;
        }
        if (within(n, v, r)) out = v;
    }
    void boolean(const YAML::Node& n, bool& out) {
        try { out = n.as<bool>(); return; } catch (const YAML::Exception&) {}
        error(diags, at(n), "expected true or false");
    }
    static bool font_file(const std::string& name) {
        const std::string ext = ascii_lower(std::filesystem::path(name).extension().string());
        return ext == ".ttf" || ext == ".otf" || ext == ".ttc" || ext == ".otc";
    }
    // A font named by its file (relative to the style): its family, its
    // folder added to the style's font folders.
    std::string family_in(const std::string& file, const SourcePos& pos) {
        std::filesystem::path path = file;
        if (path.is_relative()) path = std::filesystem::path(folder) / path;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) {
            error(diags, pos, "no font file " + path.lexically_normal().string());
            return file;
        }
        int count = 0;
        FcPattern* face = FcFreeTypeQuery(reinterpret_cast<const FcChar8*>(path.c_str()), 0, nullptr, &count);
        FcChar8* family = nullptr;
        std::string name = file;
        if (face && FcPatternGetString(face, FC_FAMILY, 0, &family) == FcResultMatch)
            name = reinterpret_cast<const char*>(family);
        else
            error(diags, pos, "'" + file + "' is not a font file FreeType reads");
        if (face) FcPatternDestroy(face);
        const std::string dir = std::filesystem::weakly_canonical(path.parent_path(), ec).string();
        if (std::find(font_dirs.begin(), font_dirs.end(), dir) == font_dirs.end()) font_dirs.push_back(dir);
        return name;
    }
    // Folders, relative to the style file; each must exist.
    void folders(const YAML::Node& n, std::vector<std::string>& out) {
        if (!n.IsSequence() && !n.IsScalar()) {
            error(diags, at(n), "expected a folder or a list of folders");
            return;
        }
        std::vector<YAML::Node> items;
        if (n.IsScalar()) items.push_back(n);
        else for (auto f : n) items.push_back(f);
        for (const YAML::Node& f : items) {
            if (!f.IsScalar() || f.Scalar().empty()) { error(diags, at(f), "expected a folder"); continue; }
            std::filesystem::path dir = f.Scalar();
            if (dir.is_relative()) dir = std::filesystem::path(folder) / dir;
            std::error_code ec;
            if (!std::filesystem::is_directory(dir, ec))
                error(diags, at(f), "no font folder " + dir.lexically_normal().string());
            else out.push_back(std::filesystem::weakly_canonical(dir, ec).string());
        }
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
        if (!n.IsScalar() && !n.IsSequence()) {
            error(diags, at(n), "expected a font family or a list of them");
            return;
        }
        // A list, or one string of families between commas (as Pango reads it).
        std::vector<std::pair<std::string, SourcePos>> names;
        if (n.IsScalar()) {
            std::stringstream in(n.Scalar());
            for (std::string f; std::getline(in, f, ',');) {
                f.erase(0, f.find_first_not_of(' '));
                f.erase(f.find_last_not_of(' ') + 1);
                if (!f.empty()) names.push_back({f, at(n)});
            }
        } else {
            for (auto f : n) {
                if (!f.IsScalar()) { error(diags, at(f), "expected a font family name"); return; }
                names.push_back({f.Scalar(), at(f)});
            }
        }
        out.clear();
        for (auto& [family, pos] : names) {
            if (font_file(family)) family = family_in(family, pos);
            out.push_back(family);
        }
        for (size_t k = 0; k < names.size(); ++k)
            named.push_back({names[k].first, names[k].second, {out.begin() + static_cast<long>(k + 1), out.end()}});
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
        if (!n.IsMap()) {
            error(diags, at(n), where.empty() ? "a style must be a list of 'key: value' fields (page:, body:, roles: …)"
                                              : "'" + where + "' must be a mapping of 'key: value' fields");
            return;
        }
        for (auto kv : n) {
            const std::string name = kv.first.Scalar();
            const std::string dotted = where.empty() ? name : where + "." + name;
            auto it = keys.find(name);
            if (it == keys.end()) {
                error(diags, at(kv.first), "unknown style key '" + dotted + "'");
                continue;
            }
            key = dotted;
            set_at[dotted] = at(kv.first);
            it->second(kv.second);
        }
    }
    void text_role(const YAML::Node& n, const std::string& where, TextRole& r) {
        map(n, where, {
            {"font", [&](auto& v) { families(v, r.font); }},
            {"latin_font", [&](auto& v) { families(v, r.latin_font); }},
            {"size", [&](auto& v) { length(v, r.size, kFontSize); }},
            {"bold", [&](auto& v) { boolean(v, r.bold); }},
            {"italic", [&](auto& v) { boolean(v, r.italic); }},
            {"color", [&](auto& v) { color(v, r.color); }},
            {"pitch", [&](auto& v) { length(v, r.line_pitch, kPitch); }},
            {"align", [&](auto& v) { choice<Align>(v, r.align, {{"start", Align::Start}, {"center", Align::Center},
                                                                {"end", Align::End}, {"justify", Align::Justify}}); }},
        });
    }

    // Where the first of `keys` the file sets is; the whole file when it
    // sets none of them (the defaults conflict with what it sets elsewhere).
    SourcePos first_of(const std::vector<std::string>& keys) const {
        SourcePos first{fields.file_start().file, 0, 0};
        for (const std::string& k : keys) {
            auto it = set_at.find(k);
            if (it == set_at.end()) continue;
            const SourcePos& p = it->second;
            if (first.line == 0 || p.line < first.line || (p.line == first.line && p.col < first.col)) first = p;
        }
        return first;
    }
    // "body.pitch 17.5 pt", with "(the default)" when the file does not set it.
    std::string value_of(const std::string& k, double v) const {
        return k + " " + with_unit(v, "pt") + (set_at.count(k) ? "" : " (the default)");
    }
};

// The text of a style file, or nullopt and why not. Only a regular file of
// at most kMaxStyleBytes is read; its type is known before it is opened, as
// opening a FIFO would wait for a writer.
std::optional<std::string> read_style_text(const std::string& path, std::string& why) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        why = std::strerror(errno);
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        why = S_ISDIR(st.st_mode)    ? "it is a folder"
              : S_ISFIFO(st.st_mode) ? "it is a FIFO"
              : S_ISSOCK(st.st_mode) ? "it is a socket"
                                     : "it is a device";
        return std::nullopt;
    }
    auto too_large = [&](std::uintmax_t bytes) {
        why = "it is " + std::to_string(bytes) + " bytes, more than the limit of 1 MiB";
        return std::nullopt;
    };
    if (std::uintmax_t(st.st_size) > kMaxStyleBytes) return too_large(std::uintmax_t(st.st_size));
    // O_NONBLOCK: should a FIFO take the file's place after stat(), open()
    // still returns, and fstat() below refuses it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        why = std::strerror(errno);
        return std::nullopt;
    }
    std::string text;
    char buf[65536];
    int failed = 0;  // errno of a failed fstat() or read()
    if (::fstat(fd, &st) != 0) failed = errno;
    if (!failed && !S_ISREG(st.st_mode)) {
        ::close(fd);
        why = "it is not a regular file";
        return std::nullopt;
    }
    while (!failed && text.size() <= kMaxStyleBytes) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0) break;
        if (n > 0) text.append(buf, size_t(n));
        else if (errno != EINTR) failed = errno;
    }
    ::close(fd);
    if (failed) {
        why = std::strerror(failed);
        return std::nullopt;
    }
    if (text.size() > kMaxStyleBytes) return too_large(text.size());  // it grew after stat()
    return text;
}

// The style file's text; nullopt and an error when it cannot be read.
std::optional<std::string> style_text(const std::string& path, Diagnostics& diags) {
    std::string why;
    std::optional<std::string> text = read_style_text(path, why);
    if (!text) error(diags, {path, 0, 0}, "cannot read the style file: " + why);
    return text;
}

void read_keys(Reader& rd, const YAML::Node& root, Style& s) {
    Diagnostics& diags = rd.diags;
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
            {"width", [&](auto& v) { rd.length(v, s.page_width, kPageSide); }},
            {"height", [&](auto& v) { rd.length(v, s.page_height, kPageSide); }},
            {"columns", [&](auto& v) { rd.integer(v, s.columns, kColumns); }},
            {"gutter", [&](auto& v) { rd.number(v, s.gutter_em, kEms); }},
            {"margins", [&](auto& m) { rd.map(m, "page.margins", {
                {"top", [&](auto& v) { rd.length(v, s.margin_top, kMargin); }},
                {"bottom", [&](auto& v) { rd.length(v, s.margin_bottom, kMargin); }},
                {"inner", [&](auto& v) { rd.length(v, s.margin_inner, kMargin); }},
                {"outer", [&](auto& v) { rd.length(v, s.margin_outer, kMargin); }}}); }}}); }},
        {"body", [&](auto& n) { rd.map(n, "body", {
            {"font", [&](auto& v) { rd.families(v, s.body.font); }},
            {"size", [&](auto& v) { rd.length(v, s.body.size, kFontSize); }},
            {"pitch", [&](auto& v) { rd.length(v, s.body.line_pitch, kPitch); }},
            {"color", [&](auto& v) { rd.color(v, s.body.color); }},
            {"indent", [&](auto& v) { rd.number(v, s.indent_em, kEms); }}}); }},
        {"roles", [&](auto& n) {
            std::map<std::string, std::function<void(const YAML::Node&)>> keys;
            for (auto& [name, r] : roles) keys[name] = [&, name = name, r = r](const YAML::Node& v) { rd.text_role(v, "roles." + name, *r); };
            rd.map(n, "roles", keys); }},
        {"lang", [&](auto& v) { rd.string(v, s.lang); }},
        {"hyphenate", [&](auto& v) { rd.boolean(v, s.hyphenate); }},
        {"cjk", [&](auto& n) { rd.map(n, "cjk", {
            {"punctuation", [&](auto& v) { rd.choice<PunctStyle>(v, s.punctuation, {{"quanjiao", PunctStyle::Quanjiao}, {"kaiming", PunctStyle::Kaiming}, {"banjiao", PunctStyle::Banjiao}}); }},
            {"break_level", [&](auto& v) { rd.choice<BreakLevel>(v, s.break_level, {{"basic", BreakLevel::Basic}, {"gb", BreakLevel::GB}, {"strict", BreakLevel::Strict}}); }},
            {"han_latin_gap", [&](auto& v) { rd.number(v, s.han_latin_gap_em, kGap); }}}); }},
        {"linebreak", [&](auto& n) { rd.map(n, "linebreak", {
            {"tolerance", [&](auto& v) { rd.number(v, s.tolerance, kTolerance); }},
            {"letter_spacing", [&](auto& v) { rd.number(v, s.letter_spacing_em, kLetterSpacing); }},
            {"expansion", [&](auto& v) { rd.number(v, s.expansion, kExpansion); }},
            {"hyphen_penalty", [&](auto& v) { rd.number(v, s.hyphen_penalty, kPenalty); }},
            {"double_hyphen_demerits", [&](auto& v) { rd.number(v, s.double_hyphen_demerits, kDemerits); }},
            {"fitness_demerits", [&](auto& v) { rd.number(v, s.fitness_demerits, kDemerits); }},
            {"line_penalty", [&](auto& v) { rd.number(v, s.line_penalty, kPenalty); }}}); }},
        {"makeup", [&](auto& n) { rd.map(n, "makeup", {
            {"min_start_lines", [&](auto& v) { rd.integer(v, s.min_start_lines, kLines); }},
            {"min_start_per_column", [&](auto& v) { rd.integer(v, s.min_start_per_column, kLines); }},
            {"min_continuation", [&](auto& v) { rd.integer(v, s.min_continuation, kLines); }},
            {"masthead_min_size", [&](auto& v) { rd.length(v, s.masthead_min_size, kFontSize); }},
            {"lead_picture_min", [&](auto& v) { rd.number(v, s.lead_picture_min, kShare); }}}); }},
        {"table", [&](auto& n) { rd.map(n, "table", {
            {"rules", [&](auto& v) { rd.choice<Style::TableRules>(v, s.table_rules, {{"three-line", Style::TableRules::ThreeLine}, {"grid", Style::TableRules::Grid}}); }},
            {"min_size", [&](auto& v) { rd.length(v, s.table_min_size, kFontSize); }},
            {"numbered", [&](auto& v) { rd.boolean(v, s.table_numbers); }}}); }},
        {"section_break", [&](auto& v) { rd.string(v, s.section_break); }},
        {"notes", [&](auto& v) { rd.choice<Style::NotePlace>(v, s.notes, {{"end", Style::NotePlace::StoryEnd}, {"column", Style::NotePlace::ColumnFoot}}); }},
        {"editor_note_frame", [&](auto& v) { rd.choice<Style::NoteFrame>(v, s.editor_note_frame, {{"rules", Style::NoteFrame::Rules}, {"tint", Style::NoteFrame::Tint}, {"none", Style::NoteFrame::None}}); }},
        {"masthead", [&](auto& v) { rd.choice<Style::Masthead>(v, s.masthead_kind, {{"bulletin", Style::Masthead::Bulletin}, {"newspaper", Style::Masthead::Newspaper}}); }},
        {"pdfa", [&](auto& v) { rd.boolean(v, s.pdfa); }},
        {"pdf_backend", [&](auto& v) { rd.choice<PdfBackend>(v, s.pdf_backend, {{"cairo", PdfBackend::Cairo}, {"direct", PdfBackend::Direct}}); }},
        {"font_paths", [&](auto& v) { rd.folders(v, s.font_dirs); }},
        {"bleed", [&](auto& v) { rd.length(v, s.bleed, kBleed); }},
        {"crop_marks", [&](auto& v) { rd.boolean(v, s.crop_marks); }},
        {"rule_width", [&](auto& v) { rd.length(v, s.rule_width, kRuleWidth); }},
        {"accent", [&](auto& v) { rd.color(v, s.accent); }},
    });
}

// The body's pitch as the grid takes it (geometry() in cascade.cpp).
double body_pitch(const Style& s) { return s.body.line_pitch > 0 ? s.body.line_pitch : 1.6 * s.body.size; }

// A pitch the file gives is at least its role's size: less, and its lines
// would overlap.
void check_pitches(const Reader& rd, Style& s) {
    std::vector<std::pair<std::string, TextRole*>> all{{"body", &s.body}};
    for (auto& [name, r] : text_roles(s)) all.push_back({"roles." + name, r});
    for (auto& [name, r] : all) {
        if (r->line_pitch == 0 || r->line_pitch >= r->size) continue;
        const std::string pitch = name + ".pitch", size = name + ".size";
        error(rd.diags, rd.first_of({pitch, size}),
              rd.value_of(pitch, r->line_pitch) + " is less than " + rd.value_of(size, r->size) +
                  ": its lines would overlap");
    }
}

// The page keeps room for text: columns of at least kMinColumnEms body ems
// across, kMinBodyLines body lines down, and a line of every role.
void check_page(const Reader& rd, Style& s) {
    const double em = s.body.size;
    const double across = s.page_width - s.margin_inner - s.margin_outer;
    const double need_across = s.columns * kMinColumnEms * em + (s.columns - 1) * s.gutter_em * em;
    if (across < need_across)
        error(rd.diags,
              rd.first_of({"page.size", "page.width", "page.margins.inner", "page.margins.outer", "page.columns",
                           "page.gutter", "body.size"}),
              "the page leaves no room for the columns: page.width " + with_unit(s.page_width, "pt") +
                  " less page.margins inner " + figure(s.margin_inner) + " + outer " + figure(s.margin_outer) +
                  " is " + with_unit(across, "pt") + "; page.columns " + std::to_string(s.columns) + " of at least " +
                  figure(kMinColumnEms) + " em and gutters of " + figure(s.gutter_em) + " em (body.size " +
                  with_unit(em, "pt") + ") need " + with_unit(need_across, "pt"));
    const double down = s.page_height - s.margin_top - s.margin_bottom, pitch = body_pitch(s);
    const std::vector<std::string> height_keys{"page.size", "page.height", "page.margins.top", "page.margins.bottom"};
    if (down < kMinBodyLines * pitch) {
        std::vector<std::string> keys = height_keys;
        keys.insert(keys.end(), {"body.pitch", "body.size"});
        error(rd.diags, rd.first_of(keys),
              "the page leaves no room for text: page.height " + with_unit(s.page_height, "pt") +
                  " less page.margins top " + figure(s.margin_top) + " + bottom " + figure(s.margin_bottom) + " is " +
                  with_unit(down, "pt") + "; the body needs at least " + with_unit(kMinBodyLines * pitch, "pt") +
                  " (" + std::to_string(kMinBodyLines) + " lines of " + with_unit(pitch, "pt") + ")");
        return;
    }
    // A role without a pitch sets lines of up to 1.5 times its size.
    for (auto& [name, r] : text_roles(s)) {
        const double tallest = r->line_pitch > 0 ? r->line_pitch : 1.5 * r->size;
        if (tallest <= down) continue;
        const std::string key = "roles." + name + (r->line_pitch > 0 ? ".pitch" : ".size");
        std::vector<std::string> keys = height_keys;
        keys.push_back(key);
        error(rd.diags, rd.first_of(keys),
              "a line of roles." + name + " does not fit the page: " +
                  (r->line_pitch > 0 ? key + " " + with_unit(r->line_pitch, "pt")
                                     : key + " " + with_unit(r->size, "pt") + " sets lines of " +
                                           with_unit(tallest, "pt")) +
                  ", but page.height " + with_unit(s.page_height, "pt") + " less page.margins top " +
                  figure(s.margin_top) + " + bottom " + figure(s.margin_bottom) + " is " + with_unit(down, "pt"));
    }
}

}  // namespace

Style load_style(const std::string& path, Diagnostics& diags) {
    Style s = default_style();
    s.path = path;
    const size_t errors_before = diags.size();
    const std::optional<std::string> text = style_text(path, diags);
    if (!text) return s;
    // The same checks as articles and manifests: UTF-8 without controls,
    // in the file and in what YAML escapes make.
    const model::SourceMap map(model::strip_bom(*text), path);
    if (!model::check_text(map, "style", diags)) return s;
    const model::YamlFields fields(map, 0, diags);
    const std::optional<YAML::Node> root = fields.load(map.text(), "style");
    if (!root || root->IsNull()) return s;
    Reader rd{fields, diags, s.named_fonts, s.font_dirs, std::filesystem::path(path).parent_path().string()};
    read_keys(rd, *root, s);
    // The checks across keys judge only values that were each right.
    const auto is_error = [](const Diagnostic& d) { return d.severity == Severity::Error; };
    if (std::any_of(diags.begin() + long(errors_before), diags.end(), is_error)) return s;
    check_pitches(rd, s);
    check_page(rd, s);
    return s;
}

std::string find_style(const std::string& name_or_path, const std::string& styles_dir) {
    namespace fs = std::filesystem;
    if (name_or_path.find('/') != std::string::npos || fs::exists(name_or_path)) return name_or_path;
    const std::string file = name_or_path + ".yaml";
    std::error_code ec;
    if (!styles_dir.empty() && fs::exists(fs::path(styles_dir) / file, ec)) return (fs::path(styles_dir) / file).string();
    const fs::path ours = fs::path(data_dir()) / "styles" / file;
    // Not found anywhere: the message names the folder the user chose.
    return styles_dir.empty() || fs::exists(ours, ec) ? ours.string() : (fs::path(styles_dir) / file).string();
}

}  // namespace galley
