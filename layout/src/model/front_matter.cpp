#include "model/front_matter.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <set>

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

using Keys = std::initializer_list<std::string_view>;

// Walks the YAML tree of the front matter, turning every node into a field of
// the Document and every surprise into a diagnostic at that node.
class Reader {
public:
    Reader(int first_line0, const SourceMap& map, Document& doc, Diagnostics& diags)
        : first_line0_(first_line0), map_(map), doc_(doc), diags_(diags) {}

    void read(const YAML::Node& root) {
        if (root.IsNull()) {
            require_title();
            return;
        }
        if (!root.IsMap()) {
            error(diags_, pos(root), "the front matter must be a list of 'key: value' fields");
            return;
        }
        each_field(root, {"title", "subtitle", "kicker", "section", "dateline", "summary", "byline",
                          "credits", "lang", "tags", "image", "related", "editor_note"},
                   "front matter", [&](const std::string& key, const YAML::Node& v) { top_field(key, v); });
        require_title();
    }

    SourcePos pos(const YAML::Node& n) const {
        YAML::Mark m = n.Mark();
        if (m.is_null()) return {map_.file(), 1, 1};  // the opening '---'
        return map_.at_line_byte(m.line + first_line0_, m.column);
    }

private:
    void top_field(const std::string& key, const YAML::Node& v) {
        if (key == "title") {
            if (auto s = text(v, "title")) {
                doc_.title = *s;
                doc_.title_pos = pos(v);
            }
        } else if (key == "subtitle") {
            assign(doc_.subtitle, v, "subtitle");
        } else if (key == "kicker") {
            assign(doc_.kicker, v, "kicker");
        } else if (key == "section") {
            assign(doc_.section, v, "section");
        } else if (key == "summary") {
            assign(doc_.summary, v, "summary");
        } else if (key == "editor_note") {
            assign(doc_.editor_note, v, "editor_note");
        } else if (key == "lang") {
            if (auto s = text(v, "lang"); s && !s->empty()) {
                if (looks_like_language_tag(*s))
                    doc_.lang = *s;
                else
                    error(diags_, pos(v),
                          "'lang' must be a BCP 47 language tag such as 'zh-Hans' or 'en', not '" + *s + "'");
            }
        } else if (key == "byline") {
            doc_.byline = string_list(v, "byline");
        } else if (key == "tags") {
            doc_.tags = string_list(v, "tags");
        } else if (key == "dateline") {
            dateline(v);
        } else if (key == "image") {
            image(v);
        } else if (key == "credits") {
            credits(v);
        } else if (key == "related") {
            related(v);
        }
    }

    void require_title() {
        if (doc_.title.empty()) error(diags_, {map_.file(), 1, 1}, "missing required field 'title'");
    }

    // Calls `f` for every key of `map` that is known; reports unknown and
    // repeated keys (yaml-cpp silently keeps both) at the key.
    void each_field(const YAML::Node& map, Keys known, const std::string& where,
                    const std::function<void(const std::string&, const YAML::Node&)>& f) {
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
            if (std::find(known.begin(), known.end(), key) == known.end()) {
                error(diags_, pos(k), "unknown key '" + key + "' in " + where + suggestion(key, known));
                continue;
            }
            if (!seen.insert(key).second) {
                error(diags_, pos(k), "key '" + key + "' is given twice in " + where);
                continue;
            }
            f(key, v);
        }
    }

    static std::string suggestion(const std::string& key, Keys known) {
        for (std::string_view k : known)
            if (key.size() > 2 && edit_distance(key, k) <= 2) return "; did you mean '" + std::string(k) + "'?";
        return {};
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

    void dateline(const YAML::Node& v) {
        if (v.IsNull()) return;
        if (!v.IsMap()) {
            error(diags_, pos(v), "'dateline' must be a mapping with 'place', 'source' and 'date'");
            return;
        }
        Dateline d;
        d.pos = pos(v);
        each_field(v, {"place", "source", "date"}, "'dateline'", [&](const std::string& key, const YAML::Node& f) {
            if (key == "place") assign(d.place, f, "dateline.place");
            if (key == "source") assign(d.source, f, "dateline.source");
            if (key == "date") {
                auto s = text(f, "dateline.date");
                if (!s || s->empty()) return;
                std::string why;
                if (auto dt = parse_date_time(*s, why))
                    d.date = *dt;
                else
                    error(diags_, pos(f), "invalid date '" + *s + "': " + why);
            }
        });
        doc_.dateline = std::move(d);
    }

    void image(const YAML::Node& v) {
        if (v.IsNull()) return;
        if (!v.IsMap()) {
            error(diags_, pos(v), "'image' must be a mapping with 'src', 'caption' and 'credit'");
            return;
        }
        Image img;
        img.pos = pos(v);
        each_field(v, {"src", "caption", "credit"}, "'image'", [&](const std::string& key, const YAML::Node& f) {
            if (key == "src") assign(img.src, f, "image.src");
            if (key == "caption") assign(img.caption, f, "image.caption");
            if (key == "credit") assign(img.credit, f, "image.credit");
        });
        if (img.src.empty()) {
            error(diags_, pos(v), "'image' is missing 'src'");
            return;
        }
        img.path = resolve_image_path(doc_.path, img.src);
        doc_.image = std::move(img);
    }

    // Shared shape of 'credits' and 'related': a list of small mappings.
    void each_item(const YAML::Node& v, const std::string& name, const std::string& shape, Keys known,
                   Keys required, const std::function<void(const YAML::Node&)>& f) {
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
            each_field(item, known, "a '" + name + "' item", [](const std::string&, const YAML::Node&) {});
            bool complete = true;
            for (std::string_view r : required) {
                const YAML::Node f = item[std::string(r)];
                if (!f || f.IsNull() || (f.IsScalar() && join_lines(f.Scalar()).empty())) {
                    error(diags_, pos(item), "'" + name + "' item is missing '" + std::string(r) + "'");
                    complete = false;
                }
            }
            if (complete && diags_.size() == before) f(item);
        }
    }

    std::string item_text(const YAML::Node& item, const char* key, const std::string& name) {
        const YAML::Node f = item[key];
        if (!f) return {};
        return text(f, name).value_or("");
    }

    void credits(const YAML::Node& v) {
        each_item(v, "credits", "{role, name}", {"role", "name"}, {"role", "name"}, [&](const YAML::Node& item) {
            doc_.credits.push_back({item_text(item, "role", "credits.role"), item_text(item, "name", "credits.name")});
        });
    }

    void related(const YAML::Node& v) {
        each_item(v, "related", "{title, rel, href}", {"title", "rel", "href"}, {"title", "rel"},
                  [&](const YAML::Node& item) {
                      doc_.related.push_back({item_text(item, "title", "related.title"),
                                              item_text(item, "rel", "related.rel"),
                                              item_text(item, "href", "related.href")});
                  });
    }

    int first_line0_;
    const SourceMap& map_;
    Document& doc_;
    Diagnostics& diags_;
};

bool read_digits(std::string_view s, std::size_t& i, int count, int& out) {
    if (i + static_cast<std::size_t>(count) > s.size()) return false;
    out = 0;
    for (int k = 0; k < count; ++k) {
        char c = s[i + static_cast<std::size_t>(k)];
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    i += static_cast<std::size_t>(count);
    return true;
}

bool expect(std::string_view s, std::size_t& i, char c) {
    if (i >= s.size() || s[i] != c) return false;
    ++i;
    return true;
}

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

}  // namespace

void read_front_matter(std::string_view yaml, int first_line0, const SourceMap& map, Document& doc,
                       Diagnostics& diags) {
    Reader reader(first_line0, map, doc, diags);
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        SourcePos p = e.mark.is_null() ? SourcePos{map.file(), 1, 1}
                                       : map.at_line_byte(e.mark.line + first_line0, e.mark.column);
        error(diags, p, "invalid YAML in front matter: " + e.msg);
        return;
    }
    reader.read(root);
}

std::optional<DateTime> parse_date_time(std::string_view s, std::string& why) {
    static constexpr const char* shape = "expected YYYY-MM-DD[ HH:MM[:SS]][±HH:MM], e.g. 2019-01-18 13:01:08";
    DateTime dt;
    dt.text = std::string(s);
    std::size_t i = 0;
    auto fail = [&](std::string msg) -> std::optional<DateTime> {
        why = std::move(msg);
        return std::nullopt;
    };
    if (!(read_digits(s, i, 4, dt.year) && expect(s, i, '-') && read_digits(s, i, 2, dt.month) && expect(s, i, '-') &&
          read_digits(s, i, 2, dt.day)))
        return fail(shape);
    if (i < s.size() && s[i] == ' ') {
        ++i;
        if (!(read_digits(s, i, 2, dt.hour) && expect(s, i, ':') && read_digits(s, i, 2, dt.minute))) return fail(shape);
        dt.has_time = true;
        if (i < s.size() && s[i] == ':') {
            ++i;
            if (!read_digits(s, i, 2, dt.second)) return fail(shape);
            dt.has_seconds = true;
        }
    }
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i] == '-' ? -1 : 1;
        ++i;
        int oh = 0, om = 0;
        if (!(read_digits(s, i, 2, oh) && expect(s, i, ':') && read_digits(s, i, 2, om))) return fail(shape);
        if (oh > 14 || om > 59 || (oh == 14 && om > 0))
            return fail("the time zone offset " + std::string(sign < 0 ? "-" : "+") + two(oh) + ":" + two(om) +
                        " is out of range (-14:00 to +14:00)");
        dt.has_offset = true;
        dt.offset_minutes = sign * (oh * 60 + om);
    }
    if (i != s.size()) return fail(shape);

    if (dt.year < 1) return fail("the year must be 0001 or later");
    if (dt.month < 1 || dt.month > 12) return fail("month " + two(dt.month) + " is out of range (01-12)");
    static constexpr const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                             "July",    "August",   "September", "October", "November", "December"};
    bool leap = (dt.year % 4 == 0 && dt.year % 100 != 0) || dt.year % 400 == 0;
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max_day = days[dt.month - 1] + (dt.month == 2 && leap ? 1 : 0);
    if (dt.day < 1 || dt.day > max_day)
        return fail(std::string(months[dt.month - 1]) + " " + std::to_string(dt.year) + " has no day " + two(dt.day));
    if (dt.hour > 23) return fail("hour " + two(dt.hour) + " is out of range (00-23)");
    if (dt.minute > 59) return fail("minute " + two(dt.minute) + " is out of range (00-59)");
    if (dt.second > 59) return fail("second " + two(dt.second) + " is out of range (00-59)");
    return dt;
}

std::string join_lines(std::string_view text) {
    std::string out;
    bool blank_since_text = false;
    std::size_t i = 0;
    while (i <= text.size()) {
        std::size_t nl = std::min(text.find('\n', i), text.size());
        std::string_view line = trim(text.substr(i, nl - i));
        i = nl + 1;
        if (line.empty()) {
            blank_since_text = !out.empty();
            continue;
        }
        if (!out.empty()) {
            if (blank_since_text)
                out += '\n';
            else if (!(is_cjk(decode_before(out, out.size())) && is_cjk(decode_at(line, 0))))
                out += ' ';
        }
        out += line;
        blank_since_text = false;
    }
    return out;
}

std::string resolve_image_path(const std::string& article_path, const std::string& src) {
    namespace fs = std::filesystem;
    if (src.empty() || src.find("://") != std::string::npos || src.rfind("data:", 0) == 0) return src;
    fs::path p(src);
    if (p.is_absolute()) return p.lexically_normal().string();
    fs::path dir = fs::path(article_path).parent_path();
    return (dir.empty() ? p : dir / p).lexically_normal().string();
}

}  // namespace galley::model
