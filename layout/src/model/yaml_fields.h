// Reading the YAML of article front matter and issue manifests into fields,
// with every problem reported at its place in the file. Internal to the
// loader: front_matter.cpp and load_issue.cpp share it so that the same
// mistake gets the same message in both.
#pragma once
#include <yaml-cpp/yaml.h>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "galley/document.h"
#include "model/source_map.h"

namespace galley::model {

using Keys = std::initializer_list<std::string_view>;

// Wraps the SourceMap of the file the YAML came from and the diagnostics
// that problems go to. Holds references only: it lives as long as one read.
class YamlFields {
public:
    // `first_line0`: the 0-based file line where the YAML text starts (front
    // matter follows the opening '---'; a manifest is YAML from line 0).
    YamlFields(const SourceMap& map, int first_line0, Diagnostics& diags)
        : map_(map), first_line0_(first_line0), diags_(diags) {}

    // Parses `text`; on a syntax error reports "invalid YAML in <what>" and
    // returns nullopt.
    std::optional<YAML::Node> load(std::string_view text, const std::string& what) const;

    SourcePos pos(const YAML::Node& n) const { return pos(n.Mark()); }
    // Reports every key or value that text_problem() finds fault with;
    // false when there is one. Visits at most `budget` nodes, counting down.
    bool check_scalars(const YAML::Node& node, std::size_t& budget) const;
    static constexpr std::size_t kMaxValues = 100000;
    // Line 1, column 1: where whole-file problems (a missing field) go.
    SourcePos file_start() const { return {map_.file(), 1, 1}; }

    // What reading one field does: `name` is the field's name in messages
    // (the table's prefix and the key, e.g. "dateline.place").
    using ReadFn = std::function<void(const std::string& name, const YAML::Node& key, const YAML::Node& value)>;
    // One known key of a mapping and how its value is read.
    struct Field {
        std::string_view key;
        ReadFn read;
    };
    // The known keys of a mapping, in the order did-you-mean tries them.
    using FieldTable = std::vector<Field>;
    using HintFn = std::function<std::string(const std::string& key)>;

    // Reads every field of `map` with its table entry; reports keys that are
    // not plain names, unknown keys (with a did-you-mean suggestion from the
    // table, or what `hint` says when given) and repeated keys (yaml-cpp
    // silently keeps both) at the key, and skips them. `where` names the
    // mapping in messages ("front matter", "'dateline'").
    void read_fields(const YAML::Node& map, const FieldTable& table, const std::string& where,
                     const std::string& prefix = {}, const HintFn& hint = {}) const;

    // Readers for the common kinds of field, storing into `out`.
    ReadFn text_to(std::string& out) const;                  // text()
    ReadFn list_to(std::vector<std::string>& out) const;     // string_list()
    ReadFn language_to(std::string& out) const;              // language_tag()
    ReadFn date_to(std::optional<DateTime>& out) const;      // date()
    ReadFn credits_to(std::vector<Credit>& out) const;       // credits()
    ReadFn node_to(YAML::Node& out) const;                   // the value node itself

    // A string field (lines joined by join_lines()); null (a key with no
    // value) counts as absent.
    std::optional<std::string> text(const YAML::Node& v, const std::string& name) const;
    // text() stored into `field` when present.
    void assign(std::string& field, const YAML::Node& v, const std::string& name) const;
    // A string or a list of strings; null and empty items are dropped.
    std::vector<std::string> string_list(const YAML::Node& v, const std::string& name) const;
    // A BCP 47 language tag; nullopt when absent, empty or malformed.
    std::optional<std::string> language_tag(const YAML::Node& v, const std::string& name) const;
    // A date in the written form (parse_iso8601(…, IsoForm::Written)); nullopt
    // when absent, empty or invalid.
    std::optional<DateTime> date(const YAML::Node& v, const std::string& name) const;

    // A list of small mappings such as 'credits' and 'related': `f` gets each
    // item that has only `known` keys, all `required` ones non-empty, and no
    // other problem. `shape` shows the item in messages, e.g. "{role, name}".
    void each_item(const YAML::Node& v, const std::string& name, const std::string& shape, Keys known,
                   Keys required, const std::function<void(const YAML::Node& item)>& f) const;
    // The text of `key` in an each_item() item; empty when not given.
    std::string item_text(const YAML::Node& item, const char* key, const std::string& name) const;
    // 'credits': a list of {role, name}, in both articles and issues.
    std::vector<Credit> credits(const YAML::Node& v) const;

private:
    SourcePos pos(const YAML::Mark& m) const;
    using KeyFn = std::function<void(std::size_t index, const YAML::Node& key, const YAML::Node& value)>;
    // read_fields() over a plain list of keys: `f` gets the key's index.
    void each_known_key(const YAML::Node& map, const std::vector<std::string_view>& known, const std::string& where,
                        const KeyFn& f, const HintFn& hint) const;

    const SourceMap& map_;
    int first_line0_;
    Diagnostics& diags_;
};

// A field reader that calls (obj->*method)(value), for fields with their own
// reading code.
template <class T>
YamlFields::ReadFn calls(T* obj, void (T::*method)(const YAML::Node&)) {
    return [obj, method](const std::string&, const YAML::Node&, const YAML::Node& v) { (obj->*method)(v); };
}

}  // namespace galley::model
