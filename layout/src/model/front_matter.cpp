#include "model/front_matter.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include "model/yaml_fields.h"

namespace galley::model {

namespace {

// Walks the YAML tree of the front matter, turning every node into a field of
// the Document and every surprise into a diagnostic at that node.
class Reader {
public:
    Reader(const YamlFields& fields, Document& doc, Diagnostics& diags) : fields_(fields), doc_(doc), diags_(diags) {}

    void read(const YAML::Node& root) {
        if (root.IsNull()) {
            require_title();
            return;
        }
        if (!root.IsMap()) {
            error(diags_, pos(root), "the front matter must be a list of 'key: value' fields");
            return;
        }
        fields_.each_field(root,
                           {"title", "subtitle", "kicker", "section", "dateline", "summary", "byline", "credits",
                            "lang", "tags", "image", "related", "editor_note"},
                           "front matter",
                           [&](const std::string& key, const YAML::Node&, const YAML::Node& v) { top_field(key, v); });
        require_title();
    }

private:
    SourcePos pos(const YAML::Node& n) const { return fields_.pos(n); }

    void top_field(const std::string& key, const YAML::Node& v) {
        if (key == "title") {
            if (auto s = fields_.text(v, "title")) {
                doc_.title = *s;
                doc_.title_pos = pos(v);
            }
        } else if (key == "subtitle") {
            fields_.assign(doc_.subtitle, v, "subtitle");
        } else if (key == "kicker") {
            fields_.assign(doc_.kicker, v, "kicker");
        } else if (key == "section") {
            fields_.assign(doc_.section, v, "section");
        } else if (key == "summary") {
            fields_.assign(doc_.summary, v, "summary");
        } else if (key == "editor_note") {
            fields_.assign(doc_.editor_note, v, "editor_note");
        } else if (key == "lang") {
            if (auto tag = fields_.language_tag(v, "lang")) doc_.lang = *tag;
        } else if (key == "byline") {
            doc_.byline = fields_.string_list(v, "byline");
        } else if (key == "tags") {
            doc_.tags = fields_.string_list(v, "tags");
        } else if (key == "dateline") {
            dateline(v);
        } else if (key == "image") {
            image(v);
        } else if (key == "credits") {
            doc_.credits = fields_.credits(v);
        } else if (key == "related") {
            related(v);
        }
    }

    void require_title() {
        if (doc_.title.empty()) error(diags_, fields_.file_start(), "missing required field 'title'");
    }

    void dateline(const YAML::Node& v) {
        if (v.IsNull()) return;
        if (!v.IsMap()) {
            error(diags_, pos(v), "'dateline' must be a mapping with 'place', 'source' and 'date'");
            return;
        }
        Dateline d;
        d.pos = pos(v);
        fields_.each_field(v, {"place", "source", "date"}, "'dateline'",
                           [&](const std::string& key, const YAML::Node&, const YAML::Node& f) {
                               if (key == "place") fields_.assign(d.place, f, "dateline.place");
                               if (key == "source") fields_.assign(d.source, f, "dateline.source");
                               if (key == "date") d.date = fields_.date(f, "dateline.date");
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
        fields_.each_field(v, {"src", "caption", "credit"}, "'image'",
                           [&](const std::string& key, const YAML::Node&, const YAML::Node& f) {
                               if (key == "src") fields_.assign(img.src, f, "image.src");
                               if (key == "caption") fields_.assign(img.caption, f, "image.caption");
                               if (key == "credit") fields_.assign(img.credit, f, "image.credit");
                           });
        if (img.src.empty()) {
            error(diags_, pos(v), "'image' is missing 'src'");
            return;
        }
        img.path = resolve_image_path(doc_.path, img.src);
        doc_.image = std::move(img);
    }

    void related(const YAML::Node& v) {
        fields_.each_item(v, "related", "{title, rel, href}", {"title", "rel", "href"}, {"title", "rel"},
                          [&](const YAML::Node& item) {
                              doc_.related.push_back({fields_.item_text(item, "title", "related.title"),
                                                      fields_.item_text(item, "rel", "related.rel"),
                                                      fields_.item_text(item, "href", "related.href")});
                          });
    }

    const YamlFields& fields_;
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
    YamlFields fields(map, first_line0, diags);
    if (auto root = fields.load(yaml, "front matter")) Reader(fields, doc, diags).read(*root);
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
