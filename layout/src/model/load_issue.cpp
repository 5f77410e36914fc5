// The loader stage for issues: manifest file -> Issue (masthead fields,
// 报尾, and every article loaded with load_article()).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/files.h"
#include "galley/document.h"
#include "model/front_matter.h"
#include "model/issue_manifest.h"
#include "model/source_map.h"
#include "model/yaml_fields.h"

namespace galley::model {

namespace {

namespace fs = std::filesystem;

constexpr const char* kWhere = "issue manifest";

// The 报尾 keys, in the order they are printed.
constexpr std::array<std::string_view, 3> kDistributionKeys = {"报", "送", "发"};

// One entry of 'articles' as written, before its file is read.
struct Entry {
    std::string src;   // as written
    std::string path;  // resolved against the manifest's folder
    SourcePos pos;     // the node holding the path
    bool lead = false;
};

class IssueReader {
public:
    IssueReader(const YamlFields& fields, Issue& issue, Diagnostics& diags, const ReadRules& rules)
        : fields_(fields), issue_(issue), diags_(diags), rules_(rules) {}

    void read(const YAML::Node& root) {
        if (root.IsNull()) {
            error(diags_, fields_.file_start(),
                  "the issue manifest is empty; it needs at least 'newsletter' and 'articles'");
            return;
        }
        if (!root.IsMap()) {
            error(diags_, pos(root), "the issue manifest must be a list of 'key: value' fields");
            return;
        }
        fields_.read_fields(root, top_fields(), kWhere);
        if (issue_.newsletter.empty()) error(diags_, fields_.file_start(), "missing required field 'newsletter'");
        if (!has_articles_) error(diags_, fields_.file_start(), "missing required field 'articles'");
    }

    // Reads the articles named by the manifest, in order.
    void load_articles() {
        bool any_lead = std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) { return e.lead; });
        if (!any_lead && !entries_.empty()) entries_.front().lead = true;
        for (const Entry& e : entries_) {
            Document doc;
            if (readable(e))
                doc = load_article(e.path, diags_, rules_);
            else
                doc.path = e.path;
            issue_.articles.push_back(IssueArticle{e.path, e.lead, e.pos, std::move(doc)});
        }
    }

private:
    SourcePos pos(const YAML::Node& n) const { return fields_.pos(n); }

    // The manifest's keys, in the order did-you-mean tries them.
    YamlFields::FieldTable top_fields() {
        return {
            {"newsletter", fields_.text_to(issue_.newsletter)},
            {"tagline", fields_.text_to(issue_.tagline)},
            {"issue", fields_.text_to(issue_.issue_label)},
            {"date", fields_.date_to(issue_.date)},
            {"style", calls(this, &IssueReader::style)},
            {"issuer", fields_.text_to(issue_.issuer)},
            {"classification", fields_.text_to(issue_.classification)},
            {"lang", fields_.language_to(issue_.lang)},
            {"articles", [this](const std::string&, const YAML::Node& k, const YAML::Node& v) { articles(k, v); }},
            {"distribution", calls(this, &IssueReader::distribution)},
            {"copies", calls(this, &IssueReader::copies)},
            {"pages", calls(this, &IssueReader::pages)},
            {"reorder", calls(this, &IssueReader::reorder)},
            {"credits", fields_.credits_to(issue_.credits)},
        };
    }

    // --- articles

    void articles(const YAML::Node& k, const YAML::Node& v) {
        has_articles_ = true;
        if (v.IsNull() || (v.IsSequence() && v.size() == 0)) {
            // A null value's mark is wherever the parser stopped: use the key.
            error(diags_, v.IsNull() ? pos(k) : pos(v), "'articles' must list at least one article");
            return;
        }
        if (!v.IsSequence()) {
            error(diags_, pos(v), "'articles' must be a list of article paths");
            return;
        }
        for (const auto& item : v) {
            Entry e;
            SourcePos lead_pos;
            if (!read_entry(item, e, lead_pos)) continue;
            e.path = resolve_image_path(issue_.path, e.src);
            add_entry(std::move(e), lead_pos);
        }
    }

    // One 'articles' item: a path, or a mapping {path, lead}. False when it
    // has a problem (reported).
    bool read_entry(const YAML::Node& item, Entry& e, SourcePos& lead_pos) {
        if (item.IsScalar()) {
            e.src = std::string(trim(item.Scalar()));
            e.pos = pos(item);
            if (e.src.empty()) error(diags_, pos(item), "an 'articles' item has an empty path");
            return !e.src.empty();
        }
        if (!item.IsMap()) {
            error(diags_, pos(item), "each 'articles' item must be a path or a mapping like {path, lead}");
            return false;
        }
        std::size_t before = diags_.size();
        YAML::Node path_node, lead_node;
        fields_.read_fields(item, {{"path", fields_.node_to(path_node)}, {"lead", fields_.node_to(lead_node)}},
                            "an 'articles' item");
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
        e.pos = pos(path_node);
        return diags_.size() == before;
    }

    // Adds an entry unless its file is listed already; a second lead is
    // reported and demoted.
    void add_entry(Entry e, const SourcePos& lead_pos) {
        auto dup = std::find_if(entries_.begin(), entries_.end(),
                                [&](const Entry& o) { return same_file(o.path, e.path); });
        if (dup != entries_.end()) {
            error(diags_, e.pos,
                  "article '" + e.src + "' is listed twice (first on line " + std::to_string(dup->pos.line) + ")");
            return;
        }
        if (e.lead && lead_) {
            const Entry& first = entries_[*lead_];
            error(diags_, lead_pos,
                  "only one article can be the lead; '" + first.src + "' on line " + std::to_string(first.pos.line) +
                      " already is");
            e.lead = false;
        }
        if (e.lead) lead_ = entries_.size();
        entries_.push_back(std::move(e));
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
        if (!rules_.any_path) {
            const std::string root = rules_.root.empty() ? fs::path(issue_.path).parent_path().string() : rules_.root;
            if (auto why = outside_root(e.path, root)) {
                error(diags_, e.pos,
                      "article '" + e.src + "' is not read: " + *why +
                          "; a manifest's articles must be inside its folder (or give --root or --allow-any-path)");
                return false;
            }
        }
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
        if (!fs::is_regular_file(st)) {  // a FIFO would block the open below
            error(diags_, e.pos, "article '" + e.src + "' is not a regular file");
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
        YamlFields::FieldTable table;
        for (std::size_t i = 0; i < kDistributionKeys.size(); ++i)
            table.push_back({kDistributionKeys[i], fields_.list_to(names[i])});
        fields_.read_fields(v, table, "'distribution'", "distribution.", [](const std::string& key) {
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

    void style(const YAML::Node& v) {
        issue_.style_pos = pos(v);
        if (auto s = fields_.text(v, "style")) issue_.style = *s;
    }
    void copies(const YAML::Node& v) { positive(v, "copies", issue_.copies); }
    void pages(const YAML::Node& v) {
        issue_.pages_pos = pos(v);
        positive(v, "pages", issue_.pages);
    }
    void reorder(const YAML::Node& v) {
        const std::string s = v.IsScalar() ? std::string(trim(v.Scalar())) : std::string();
        if (s == "true" || s == "false")
            issue_.reorder = s == "true";
        else
            error(diags_, pos(v), "'reorder' must be true or false");
    }
    void positive(const YAML::Node& v, const std::string& key, int& out) {
        if (v.IsNull()) return;
        const std::string s = v.IsScalar() ? std::string(trim(v.Scalar())) : std::string();
        bool ok = !s.empty() && s.size() <= 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
        int n = ok ? std::stoi(s) : 0;
        if (n <= 0) {
            error(diags_, pos(v),
                  v.IsScalar() ? "'" + key + "' must be a positive whole number, not '" + s + "'"
                               : "'" + key + "' must be a positive whole number");
            return;
        }
        out = n;
    }

    const YamlFields& fields_;
    Issue& issue_;
    Diagnostics& diags_;
    const ReadRules& rules_;
    std::vector<Entry> entries_;
    std::optional<std::size_t> lead_;  // the lead among entries_
    bool has_articles_ = false;
};

}  // namespace

Issue parse_issue(const std::string& input, const std::string& path, Diagnostics& diags, const ReadRules& rules) {
    Issue issue;
    issue.path = path;

    std::string_view text = strip_bom(input);
    SourceMap map(text, path);
    if (!check_text(map, kWhere, diags)) return issue;

    YamlFields fields(map, 0, diags);
    auto root = fields.load(text, kWhere);
    if (!root) return issue;

    IssueReader reader(fields, issue, diags, rules);
    reader.read(*root);
    reader.load_articles();
    return issue;
}

}  // namespace galley::model

namespace galley {

Issue load_issue(const std::string& path, Diagnostics& diags, const ReadRules& rules) {
    if (auto text = model::read_source_file(path, "issue manifest", rules.max_bytes, diags))
        return model::parse_issue(*text, path, diags, rules);
    Issue unread;
    unread.path = path;
    return unread;
}

}  // namespace galley
