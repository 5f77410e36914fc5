#include "model/yaml_fields.h"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <set>

#include "common/dates.h"
#include "common/utf8.h"
#include "model/front_matter.h"

namespace galley::model {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1] ? 1u : 0u)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string suggestion(const std::string& key, const std::vector<std::string_view>& known) {
    for (std::string_view k : known)
        if (key.size() > 2 && edit_distance(key, k) <= 2) return "; did you mean '" + std::string(k) + "'?";
    return {};
}

// BCP 47 in its common shape: a 2-8 letter language, then 1-8 character
// alphanumeric subtags ("zh-Hans", "en-GB"). Catches "zh_CN" and stray text.
bool looks_like_language_tag(std::string_view s) {
    std::size_t i = 0;
    bool first = true;
    while (true) {
        std::size_t j = s.find('-', i);
        std::string_view sub = s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
        if (sub.empty() || sub.size() > 8) return false;
        for (char c : sub) {
            bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            bool digit = c >= '0' && c <= '9';
            if (!(alpha || (digit && !first))) return false;
        }
        if (first && sub.size() < 2 && sub != "x" && sub != "i") return false;
        first = false;
        if (j == std::string_view::npos) return true;
        i = j + 1;
    }
}

// yaml-cpp's words where they would puzzle: "invalid unicode: 55296".
std::string yaml_message(const std::string& msg) {
    const std::string unicode = "invalid unicode: ";
    if (msg.rfind(unicode, 0) == 0) {
        const std::string digits = msg.substr(unicode.size());
        if (!digits.empty() && digits.size() < 10 && digits.find_first_not_of("0123456789") == std::string::npos)
            return "the escape for " + code_point_name(static_cast<char32_t>(std::stoul(digits))) +
                   " is not a character (a lone surrogate, or past U+10FFFF)";
    }
    return msg;
}

// A line that is only a document marker ("---" or "..."), perhaps with a
// comment after it.
bool marker_line(std::string_view line, std::string_view marker) {
    if (line.substr(0, 3) != marker) return false;
    std::string_view rest = line.substr(3);
    std::size_t i = rest.find_first_not_of(" \t\r");
    return i == std::string_view::npos || rest[i] == '#';
}

bool blank_or_comment(std::string_view line) {
    std::size_t i = line.find_first_not_of(" \t\r");
    return i == std::string_view::npos || line[i] == '#';
}

// yaml-cpp reads only the first document of a stream: what a "..." line
// ends or a "---" line begins after it would be dropped without a word.
// The 0-based line of such a marker with content beyond it, if any.
std::optional<int> second_document(std::string_view text) {
    std::vector<std::string_view> lines;
    for (std::size_t at = 0; at <= text.size();) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos) nl = text.size();
        lines.push_back(text.substr(at, nl - at));
        at = nl + 1;
    }
    bool content = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const bool ends = marker_line(lines[i], "...");
        const bool starts = marker_line(lines[i], "---") && content;  // a leading "---" is allowed
        if (ends || starts)
            for (std::size_t j = i + 1; j < lines.size(); ++j)
                if (!blank_or_comment(lines[j])) return static_cast<int>(i);
        content = content || !blank_or_comment(lines[i]);
    }
    return std::nullopt;
}

// yaml-cpp 0.7 takes the end of the text as the closing quote of a quoted
// string left open ("title: \"标题" swallows every line after it). Read
// again with a comment line appended: a string left open swallows that too.
constexpr std::string_view kEndMark = "# galley: end of the YAML text";

std::optional<YAML::Mark> swallowed_end(const YAML::Node& node, std::size_t& budget) {
    if (budget == 0) return std::nullopt;
    --budget;
    if (node.IsScalar() && node.Scalar().find(kEndMark) != std::string::npos) return node.Mark();
    if (node.IsSequence())
        for (const YAML::Node& item : node)
            if (auto m = swallowed_end(item, budget)) return m;
    if (node.IsMap())
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (auto m = swallowed_end(it->first, budget)) return m;
            if (auto m = swallowed_end(it->second, budget)) return m;
        }
    return std::nullopt;
}

// The node read last (the greatest mark), keys included.
void last_node(const YAML::Node& node, std::size_t& budget, YAML::Mark& last) {
    if (budget == 0) return;
    --budget;
    const YAML::Mark m = node.Mark();
    if (!m.is_null() && (m.line > last.line || (m.line == last.line && m.column > last.column))) last = m;
    if (node.IsSequence())
        for (const YAML::Node& item : node) last_node(item, budget, last);
    if (node.IsMap())
        for (auto it = node.begin(); it != node.end(); ++it) {
            last_node(it->first, budget, last);
            last_node(it->second, budget, last);
        }
}

// Whether the quoted string opening at text[at] closes ('' and \" escape).
bool quote_closes(std::string_view text, std::size_t at) {
    const char q = text[at];
    for (std::size_t i = at + 1; i < text.size(); ++i) {
        if (q == '"' && text[i] == '\\') ++i;
        else if (text[i] == q && q == '\'' && i + 1 < text.size() && text[i + 1] == '\'') ++i;
        else if (text[i] == q) return true;
    }
    return false;
}

// Whether a quoted string may have been left open: only the node read last
// can have swallowed the text's end. nullopt when that is not known from
// the text (a tag or anchor before its quote): read again to know.
std::optional<bool> maybe_open(std::string_view text, const YAML::Node& root) {
    std::size_t budget = YamlFields::kMaxValues;
    YAML::Mark last = YAML::Mark::null_mark();
    last_node(root, budget, last);
    if (last.is_null()) return text.find_first_of("\"'") != std::string_view::npos ? std::nullopt : std::optional(false);
    std::size_t at = 0;
    for (int line = 0; line < last.line && at != std::string_view::npos; ++line) {
        at = text.find('\n', at);
        if (at != std::string_view::npos) ++at;
    }
    if (at == std::string_view::npos || at + last.column >= text.size()) return std::nullopt;
    at += last.column;
    if (text.find_first_of("\"'", at) == std::string_view::npos) return false;
    if (text[at] != '"' && text[at] != '\'') return std::nullopt;
    return !quote_closes(text, at);
}

}  // namespace

SourcePos YamlFields::pos(const YAML::Mark& m) const {
    // A node built by yaml-cpp rather than read (the empty document) has no
    // mark: point at the start of the file.
    if (m.is_null()) return file_start();
    return map_.at_line_byte(m.line + first_line0_, m.column);
}

std::optional<YAML::Node> YamlFields::load(std::string_view text, const std::string& what) const {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp's own words for this are "bad file".
        error(diags_, pos(e.mark),
              "invalid YAML in " + what + ": lists and mappings nested too deeply (" + std::to_string(e.depth()) + " levels)");
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        error(diags_, pos(e.mark), "invalid YAML in " + what + ": " + yaml_message(e.msg));
        return std::nullopt;
    }
    if (auto line0 = second_document(text)) {
        const bool ends = marker_line(map_.line(*line0 + first_line0_), "...");
        error(diags_, map_.at_line_byte(*line0 + first_line0_, 0),
              "invalid YAML in " + what + ": " +
                  (ends ? "this '...' line ends the YAML document, and what follows it would be lost"
                        : "this '---' line starts a second YAML document, which would be lost") +
                  "; remove the line");
        return std::nullopt;
    }
    if (maybe_open(text, root).value_or(true)) {
        try {
            std::size_t budget = kMaxValues;
            const YAML::Node again = YAML::Load(std::string(text) + "\n" + std::string(kEndMark) + "\n");
            if (auto open = swallowed_end(again, budget)) {
                error(diags_, pos(*open),
                      "invalid YAML in " + what + ": the quoted string that starts here is never closed");
                return std::nullopt;
            }
        } catch (const YAML::Exception&) {
            // Read once without the mark: whatever this is, it is not an open quote.
        }
    }
    std::size_t budget = kMaxValues;
    if (!check_scalars(root, budget)) return std::nullopt;
    if (budget == 0) {
        // Aliases repeated within aliases ("billion laughs") make a small
        // file hold more values than any article needs.
        error(diags_, file_start(),
              "the " + what + " holds more than " + std::to_string(kMaxValues) + " values (aliases repeated?)");
        return std::nullopt;
    }
    return root;
}

// Escapes ("\0", "\x01", "\ud800") make in a value what the file itself
// may not hold: every key and value is checked before any is read.
bool YamlFields::check_scalars(const YAML::Node& node, std::size_t& budget) const {
    if (budget == 0) return true;  // load() reports it
    --budget;
    if (node.IsScalar()) {
        if (auto why = text_problem(node.Scalar())) {
            error(diags_, pos(node), "the value " + *why);
            return false;
        }
        return true;
    }
    bool ok = true;
    if (node.IsSequence())
        for (const YAML::Node& item : node) ok = check_scalars(item, budget) && ok;
    if (node.IsMap())
        for (auto it = node.begin(); it != node.end(); ++it)
            ok = check_scalars(it->first, budget) && check_scalars(it->second, budget) && ok;
    return ok;
}

void YamlFields::each_known_key(const YAML::Node& map, const std::vector<std::string_view>& known,
                                const std::string& where, const KeyFn& f, const HintFn& hint) const {
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
        // Copies: yaml-cpp's iterator hands out a temporary pair.
        const YAML::Node k = it->first;
        const YAML::Node v = it->second;
        if (!k.IsScalar()) {
            error(diags_, pos(k), "keys in " + where + " must be plain names");
            continue;
        }
        const std::string& key = k.Scalar();
        auto at = std::find(known.begin(), known.end(), key);
        if (at == known.end()) {
            error(diags_, pos(k),
                  "unknown key '" + key + "' in " + where + (hint ? hint(key) : suggestion(key, known)));
            continue;
        }
        if (!seen.insert(key).second) {
            error(diags_, pos(k), "key '" + key + "' is given twice in " + where);
            continue;
        }
        f(static_cast<std::size_t>(at - known.begin()), k, v);
    }
}

void YamlFields::read_fields(const YAML::Node& map, const FieldTable& table, const std::string& where,
                             const std::string& prefix, const HintFn& hint) const {
    std::vector<std::string_view> known;
    for (const Field& field : table) known.push_back(field.key);
    each_known_key(
        map, known, where,
        [&](std::size_t i, const YAML::Node& k, const YAML::Node& v) {
            if (table[i].read) table[i].read(prefix + k.Scalar(), k, v);
        },
        hint);
}

YamlFields::ReadFn YamlFields::text_to(std::string& out) const {
    return [this, &out](const std::string& name, const YAML::Node&, const YAML::Node& v) { assign(out, v, name); };
}

YamlFields::ReadFn YamlFields::list_to(std::vector<std::string>& out) const {
    return [this, &out](const std::string& name, const YAML::Node&, const YAML::Node& v) { out = string_list(v, name); };
}

YamlFields::ReadFn YamlFields::language_to(std::string& out) const {
    return [this, &out](const std::string& name, const YAML::Node&, const YAML::Node& v) {
        if (auto tag = language_tag(v, name)) out = *tag;
    };
}

YamlFields::ReadFn YamlFields::date_to(std::optional<DateTime>& out) const {
    return [this, &out](const std::string& name, const YAML::Node&, const YAML::Node& v) { out = date(v, name); };
}

YamlFields::ReadFn YamlFields::credits_to(std::vector<Credit>& out) const {
    return [this, &out](const std::string&, const YAML::Node&, const YAML::Node& v) { out = credits(v); };
}

YamlFields::ReadFn YamlFields::node_to(YAML::Node& out) const {
    return [&out](const std::string&, const YAML::Node&, const YAML::Node& v) { out.reset(v); };
}

std::optional<std::string> YamlFields::text(const YAML::Node& v, const std::string& name) const {
    if (v.IsNull()) return std::nullopt;
    if (!v.IsScalar()) {
        error(diags_, pos(v), "'" + name + "' must be a string");
        return std::nullopt;
    }
    return join_lines(v.Scalar());
}

void YamlFields::assign(std::string& field, const YAML::Node& v, const std::string& name) const {
    if (auto s = text(v, name)) field = *s;
}

std::vector<std::string> YamlFields::string_list(const YAML::Node& v, const std::string& name) const {
    std::vector<std::string> out;
    const std::string msg = "'" + name + "' must be a string or a list of strings";
    auto add = [&](const YAML::Node& n) {
        if (n.IsNull()) return;
        if (!n.IsScalar()) {
            error(diags_, pos(n), msg);
            return;
        }
        if (std::string s = join_lines(n.Scalar()); !s.empty()) out.push_back(std::move(s));
    };
    if (v.IsSequence())
        for (const auto& item : v) add(item);
    else
        add(v);
    return out;
}

std::optional<std::string> YamlFields::language_tag(const YAML::Node& v, const std::string& name) const {
    auto s = text(v, name);
    if (!s || s->empty()) return std::nullopt;
    if (looks_like_language_tag(*s)) return s;
    error(diags_, pos(v), "'" + name + "' must be a BCP 47 language tag such as 'zh-Hans' or 'en', not '" + *s + "'");
    return std::nullopt;
}

std::optional<DateTime> YamlFields::date(const YAML::Node& v, const std::string& name) const {
    auto s = text(v, name);
    if (!s || s->empty()) return std::nullopt;
    std::string why;
    auto d = parse_iso8601(*s, IsoForm::Written, &why);
    if (!d) {
        error(diags_, pos(v), "invalid date '" + *s + "': " + why);
        return std::nullopt;
    }
    return d->value;
}

void YamlFields::each_item(const YAML::Node& v, const std::string& name, const std::string& shape, Keys known,
                           Keys required, const std::function<void(const YAML::Node& item)>& f) const {
    if (v.IsNull()) return;
    if (!v.IsSequence()) {
        error(diags_, pos(v), "'" + name + "' must be a list of " + shape + " items");
        return;
    }
    for (const auto& item : v) {
        if (!item.IsMap()) {
            error(diags_, pos(item), "each '" + name + "' item must be a mapping like " + shape);
            continue;
        }
        std::size_t before = diags_.size();
        // Only the checks: `f` reads the fields it wants once the item is sound.
        each_known_key(item, std::vector<std::string_view>(known), "a '" + name + "' item",
                       [](std::size_t, const YAML::Node&, const YAML::Node&) {}, {});
        bool complete = true;
        for (std::string_view r : required) {
            const YAML::Node field = item[std::string(r)];
            if (!field || field.IsNull() || (field.IsScalar() && join_lines(field.Scalar()).empty())) {
                error(diags_, pos(item), "'" + name + "' item is missing '" + std::string(r) + "'");
                complete = false;
            }
        }
        if (complete && diags_.size() == before) f(item);
    }
}

std::string YamlFields::item_text(const YAML::Node& item, const char* key, const std::string& name) const {
    const YAML::Node field = item[key];
    if (!field) return {};
    return text(field, name).value_or("");
}

std::vector<Credit> YamlFields::credits(const YAML::Node& v) const {
    std::vector<Credit> out;
    each_item(v, "credits", "{role, name}", {"role", "name"}, {"role", "name"}, [&](const YAML::Node& item) {
        out.push_back({item_text(item, "role", "credits.role"), item_text(item, "name", "credits.name")});
    });
    return out;
}

}  // namespace galley::model
