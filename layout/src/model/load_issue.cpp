// The loader stage for issues: manifest file -> Issue (masthead fields,
// 报尾, and every article loaded with load_article()).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <set>
#include <sstream>

#include "galley/document.h"
#include "model/front_matter.h"
#include "model/issue_manifest.h"
#include "model/source_map.h"

namespace galley::model {

namespace {

namespace fs = std::filesystem;

constexpr const char* kWhere = "issue manifest";

// The 报尾 keys, in the order they are printed.
constexpr std::array<std::string_view, 3> kDistributionKeys = {"报", "送", "发"};

// --- Private equivalents of helpers that are internal to front_matter.cpp
// and load_article.cpp (same behaviour, so messages read alike).

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

using Keys = std::initializer_list<std::string_view>;

std::string suggestion(const std::string& key, Keys known) {
    for (std::string_view k : known)
        if (key.size() > 2 && edit_distance(key, k) <= 2) return "; did you mean '" + std::string(k) + "'?";
    return {};
}

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

std::string hex_byte(unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", c);
    return buf;
}

// --- The manifest reader.

// One entry of 'articles' as written, before its file is read.
struct Entry {
    std::string src;   // as written
    std::string path;  // resolved against the manifest's folder
    SourcePos pos;     // the node holding the path
    bool lead = false;
};

class IssueReader {
public:
    IssueReader(const SourceMap& map, Issue& issue, Diagnostics& diags) : map_(map), issue_(issue), diags_(diags) {}

    void read(const YAML::Node& root) {
        if (root.IsNull()) {
            error(diags_, {map_.file(), 1, 1}, "the issue manifest is empty; it needs at least 'newsletter' and 'articles'");
            return;
        }
        if (!root.IsMap()) {
            error(diags_, pos(root), "the issue manifest must be a list of 'key: value' fields");
            return;
        }
        bool has_articles = false;
        each_field(root,
                   {"newsletter", "tagline", "issue", "date", "style", "issuer", "classification", "lang", "articles",
                    "distribution", "copies", "credits"},
                   kWhere, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
                       if (key == "articles") has_articles = true;
                       top_field(key, k, v);
                   });
        if (issue_.newsletter.empty()) error(diags_, {map_.file(), 1, 1}, "missing required field 'newsletter'");
        if (!has_articles) error(diags_, {map_.file(), 1, 1}, "missing required field 'articles'");
    }

    // Reads the articles named by the manifest, in order.
    void load_articles() {
        bool any_lead = std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) { return e.lead; });
        if (!any_lead && !entries_.empty()) entries_.front().lead = true;
        for (const Entry& e : entries_) {
            Document doc;
            if (readable(e))
                doc = load_article(e.path, diags_);
            else
                doc.path = e.path;
            issue_.articles.push_back(IssueArticle{e.path, e.lead, e.pos, std::move(doc)});
        }
    }

    SourcePos pos(const YAML::Node& n) const {
        YAML::Mark m = n.Mark();
        if (m.is_null()) return {map_.file(), 1, 1};
        return map_.at_line_byte(m.line, m.column);
    }

private:
    using FieldFn = std::function<void(const std::string&, const YAML::Node&, const YAML::Node&)>;

    void top_field(const std::string& key, const YAML::Node& k, const YAML::Node& v) {
        if (key == "newsletter") {
            assign(issue_.newsletter, v, "newsletter");
        } else if (key == "tagline") {
            assign(issue_.tagline, v, "tagline");
        } else if (key == "issue") {
            assign(issue_.issue_label, v, "issue");
        } else if (key == "style") {
            assign(issue_.style, v, "style");
        } else if (key == "issuer") {
            assign(issue_.issuer, v, "issuer");
        } else if (key == "classification") {
            assign(issue_.classification, v, "classification");
        } else if (key == "lang") {
            if (auto s = text(v, "lang"); s && !s->empty()) {
                if (looks_like_language_tag(*s))
                    issue_.lang = *s;
                else
                    error(diags_, pos(v),
                          "'lang' must be a BCP 47 language tag such as 'zh-Hans' or 'en', not '" + *s + "'");
            }
        } else if (key == "date") {
            auto s = text(v, "date");
            if (!s || s->empty()) return;
            std::string why;
            if (auto dt = parse_date_time(*s, why))
                issue_.date = *dt;
            else
                error(diags_, pos(v), "invalid date '" + *s + "': " + why);
        } else if (key == "articles") {
            articles(k, v);
        } else if (key == "distribution") {
            distribution(v);
        } else if (key == "copies") {
            copies(v);
        } else if (key == "credits") {
            credits(v);
        }
    }

    // Calls `f` for every known key of `map`; reports unknown and repeated
    // keys (yaml-cpp silently keeps both) at the key. `hint` replaces the
    // did-you-mean suggestion when given.
    void each_field(const YAML::Node& map, Keys known, const std::string& where, const FieldFn& f,
                    const std::function<std::string(const std::string&)>& hint = {}) {
        std::set<std::string> seen;
        for (auto it = map.begin(); it != map.end(); ++it) {
            const YAML::Node k = it->first;
            const YAML::Node v = it->second;
            if (!k.IsScalar()) {
                error(diags_, pos(k), "keys in " + where + " must be plain names");
                continue;
            }
            const std::string& key = k.Scalar();
            if (std::find(known.begin(), known.end(), key) == known.end()) {
                error(diags_, pos(k),
                      "unknown key '" + key + "' in " + where + (hint ? hint(key) : suggestion(key, known)));
                continue;
            }
            if (!seen.insert(key).second) {
                error(diags_, pos(k), "key '" + key + "' is given twice in " + where);
                continue;
            }
            f(key, k, v);
        }
    }

    // A string field; null (a key with no value) counts as absent.
    std::optional<std::string> text(const YAML::Node& v, const std::string& name) {
        if (v.IsNull()) return std::nullopt;
        if (!v.IsScalar()) {
            error(diags_, pos(v), "'" + name + "' must be a string");
            return std::nullopt;
        }
        return join_lines(v.Scalar());
    }

    void assign(std::string& field, const YAML::Node& v, const std::string& name) {
        if (auto s = text(v, name)) field = *s;
    }

    std::vector<std::string> string_list(const YAML::Node& v, const std::string& name) {
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

    // --- articles

    void articles(const YAML::Node& k, const YAML::Node& v) {
        static const std::string shape = "a path or a mapping like {path, lead}";
        if (v.IsNull() || (v.IsSequence() && v.size() == 0)) {
            // A null value's mark is wherever the parser stopped: use the key.
            error(diags_, v.IsNull() ? pos(k) : pos(v), "'articles' must list at least one article");
            return;
        }
        if (!v.IsSequence()) {
            error(diags_, pos(v), "'articles' must be a list of article paths");
            return;
        }
        std::optional<std::size_t> lead;  // index into entries_
        for (const auto& item : v) {
            Entry e;
            SourcePos lead_pos;
            if (item.IsScalar()) {
                e.src = std::string(trim(item.Scalar()));
                e.pos = pos(item);
                if (e.src.empty()) {
                    error(diags_, pos(item), "an 'articles' item has an empty path");
                    continue;
                }
            } else if (item.IsMap()) {
                std::size_t before = diags_.size();
                YAML::Node path_node, lead_node;
                each_field(item, {"path", "lead"}, "an 'articles' item",
                           [&](const std::string& key, const YAML::Node&, const YAML::Node& f) {
                               if (key == "path") path_node.reset(f);
                               if (key == "lead") lead_node.reset(f);
                           });
                if (path_node && !path_node.IsNull()) {
                    if (!path_node.IsScalar())
                        error(diags_, pos(path_node), "'path' of an 'articles' item must be a string");
                    else
                        e.src = std::string(trim(path_node.Scalar()));
                }
                if (e.src.empty() && diags_.size() == before) error(diags_, pos(item), "'articles' item is missing 'path'");
                if (lead_node && !lead_node.IsNull()) {
                    bool b = false;
                    if (lead_node.IsScalar() && YAML::convert<bool>::decode(lead_node, b)) {
                        e.lead = b;
                        lead_pos = pos(lead_node);
                    } else {
                        error(diags_, pos(lead_node), "'lead' must be true or false");
                    }
                }
                if (diags_.size() != before) continue;
                e.pos = pos(path_node);
            } else {
                error(diags_, pos(item), "each 'articles' item must be " + shape);
                continue;
            }
            e.path = resolve_image_path(map_.file(), e.src);

            auto dup = std::find_if(entries_.begin(), entries_.end(),
                                    [&](const Entry& o) { return same_file(o.path, e.path); });
            if (dup != entries_.end()) {
                error(diags_, e.pos,
                      "article '" + e.src + "' is listed twice (first on line " + std::to_string(dup->pos.line) + ")");
                continue;
            }
            if (e.lead && lead) {
                const Entry& first = entries_[*lead];
                error(diags_, lead_pos,
                      "only one article can be the lead; '" + first.src + "' on line " +
                          std::to_string(first.pos.line) + " already is");
                e.lead = false;
            }
            if (e.lead) lead = entries_.size();
            entries_.push_back(std::move(e));
        }
    }

    static bool same_file(const std::string& a, const std::string& b) {
        if (a == b) return true;
        std::error_code ec1, ec2;
        fs::path ca = fs::weakly_canonical(a, ec1), cb = fs::weakly_canonical(b, ec2);
        return !ec1 && !ec2 && ca == cb;
    }

    // Problems reading an article file are the manifest's: they are
    // reported at the entry naming it, not at line 0 of a file that is not
    // there.
    bool readable(const Entry& e) {
        std::error_code ec;
        fs::file_status st = fs::status(e.path, ec);
        if (!fs::exists(st)) {
            error(diags_, e.pos, "article '" + e.src + "' not found");
            return false;
        }
        if (fs::is_directory(st)) {
            error(diags_, e.pos, "article '" + e.src + "' is a directory, not a file");
            return false;
        }
        std::ifstream in(e.path, std::ios::binary);
        if (!in) {
            error(diags_, e.pos, "cannot read article '" + e.src + "': " + std::strerror(errno));
            return false;
        }
        return true;
    }

    // --- 报尾

    void distribution(const YAML::Node& v) {
        if (v.IsNull()) return;
        if (!v.IsMap()) {
            error(diags_, pos(v), "'distribution' must be a mapping with the keys 报, 送 and 发");
            return;
        }
        std::array<std::vector<std::string>, kDistributionKeys.size()> names;
        std::size_t before = diags_.size();
        each_field(
            v, {kDistributionKeys[0], kDistributionKeys[1], kDistributionKeys[2]}, "'distribution'",
            [&](const std::string& key, const YAML::Node&, const YAML::Node& f) {
                auto at = std::find(kDistributionKeys.begin(), kDistributionKeys.end(), key);
                names[static_cast<std::size_t>(at - kDistributionKeys.begin())] =
                    string_list(f, "distribution." + key);
            },
            [](const std::string& key) {
                // Traditional forms are the likely slip.
                if (key == "報") return std::string("; did you mean '报'?");
                if (key == "發") return std::string("; did you mean '发'?");
                return std::string(" (the keys are 报, 送 and 发)");
            });
        for (std::size_t i = 0; i < kDistributionKeys.size(); ++i)
            if (!names[i].empty()) issue_.distribution.push_back({std::string(kDistributionKeys[i]), std::move(names[i])});
        if (issue_.distribution.empty() && diags_.size() == before)
            error(diags_, pos(v), "'distribution' must name recipients under at least one of 报, 送 and 发");
    }

    void copies(const YAML::Node& v) {
        if (v.IsNull()) return;
        const std::string s = v.IsScalar() ? std::string(trim(v.Scalar())) : std::string();
        bool ok = !s.empty() && s.size() <= 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
        int n = ok ? std::stoi(s) : 0;
        if (n <= 0) {
            error(diags_, pos(v),
                  v.IsScalar() ? "'copies' must be a positive whole number, not '" + s + "'"
                               : std::string("'copies' must be a positive whole number"));
            return;
        }
        issue_.copies = n;
    }

    void credits(const YAML::Node& v) {
        if (v.IsNull()) return;
        if (!v.IsSequence()) {
            error(diags_, pos(v), "'credits' must be a list of {role, name} items");
            return;
        }
        for (const auto& item : v) {
            if (!item.IsMap()) {
                error(diags_, pos(item), "each 'credits' item must be a mapping like {role, name}");
                continue;
            }
            std::size_t before = diags_.size();
            Credit c;
            each_field(item, {"role", "name"}, "a 'credits' item",
                       [&](const std::string& key, const YAML::Node&, const YAML::Node& f) {
                           if (key == "role") assign(c.role, f, "credits.role");
                           if (key == "name") assign(c.name, f, "credits.name");
                       });
            if (diags_.size() != before) continue;
            if (c.role.empty()) error(diags_, pos(item), "'credits' item is missing 'role'");
            if (c.name.empty()) error(diags_, pos(item), "'credits' item is missing 'name'");
            if (diags_.size() == before) issue_.credits.push_back(std::move(c));
        }
    }

    const SourceMap& map_;
    Issue& issue_;
    Diagnostics& diags_;
    std::vector<Entry> entries_;
};

}  // namespace

Issue parse_issue(const std::string& input, const std::string& path, Diagnostics& diags) {
    Issue issue;
    issue.path = path;

    std::string_view text = input;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    SourceMap map(text, path);

    if (auto bad = find_invalid_utf8(text)) {
        error(diags, map.at(*bad),
              "invalid UTF-8 (byte " + hex_byte(static_cast<unsigned char>(text[*bad])) +
                  "); the issue manifest must be saved as UTF-8");
        return issue;
    }

    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        SourcePos p = e.mark.is_null() ? SourcePos{path, 1, 1} : map.at_line_byte(e.mark.line, e.mark.column);
        error(diags, p, "invalid YAML in issue manifest: " + e.msg);
        return issue;
    }

    IssueReader reader(map, issue, diags);
    reader.read(root);
    reader.load_articles();
    return issue;
}

}  // namespace galley::model

namespace galley {

Issue load_issue(const std::string& path, Diagnostics& diags) {
    Issue issue;
    issue.path = path;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        error(diags, {path, 0, 0}, "cannot read the issue manifest: it is a directory");
        return issue;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error(diags, {path, 0, 0}, std::string("cannot read the issue manifest: ") + std::strerror(errno));
        return issue;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) {
        error(diags, {path, 0, 0}, "cannot read the issue manifest: read error");
        return issue;
    }
    return model::parse_issue(buf.str(), path, diags);
}

}  // namespace galley
