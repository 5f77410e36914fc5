#include "model/front_matter.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include "common/dates.h"
#include "common/strings.h"
#include "common/utf8.h"
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
        fields_.read_fields(root, top_fields(), "front matter");
        require_title();
    }

private:
    SourcePos pos(const YAML::Node& n) const { return fields_.pos(n); }

    // The front matter's keys, in the order did-you-mean tries them.
    YamlFields::FieldTable top_fields() {
        return {
            {"title", calls(this, &Reader::title)},
            {"subtitle", fields_.text_to(doc_.subtitle)},
            {"kicker", fields_.text_to(doc_.kicker)},
            {"section", fields_.text_to(doc_.section)},
            {"dateline", calls(this, &Reader::dateline)},
            {"summary", fields_.text_to(doc_.summary)},
            {"byline", calls(this, &Reader::byline)},
            {"credits", fields_.credits_to(doc_.credits)},
            {"lang", fields_.language_to(doc_.lang)},
            {"tags", fields_.list_to(doc_.tags)},
            {"image", calls(this, &Reader::image)},
            {"related", calls(this, &Reader::related)},
            {"editor_note", fields_.text_to(doc_.editor_note)},
            {"signature", calls(this, &Reader::signature)},
            {"provenance", calls(this, &Reader::provenance)},
        };
    }

    void title(const YAML::Node& v) {
        if (auto s = fields_.text(v, "title")) {
            doc_.title = *s;
            doc_.title_pos = pos(v);
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
        fields_.read_fields(v,
                            {{"place", fields_.text_to(d.place)},
                             {"source", fields_.text_to(d.source)},
                             {"date", fields_.date_to(d.date)}},
                            "'dateline'", "dateline.");
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
        fields_.read_fields(v,
                            {{"src", fields_.text_to(img.src)},
                             {"caption", fields_.text_to(img.caption)},
                             {"credit", fields_.text_to(img.credit)}},
                            "'image'", "image.");
        if (img.src.empty()) {
            error(diags_, pos(v), "'image' is missing 'src'");
            return;
        }
        img.path = resolve_image_path(doc_.path, img.src);
        doc_.image = std::move(img);
    }

    // A name, or {role, name} for someone who is not a reporter (通讯员).
    void byline(const YAML::Node& v) {
        auto add = [&](const YAML::Node& item) {
            if (item.IsMap()) {
                Credit c;
                const std::size_t before = diags_.size();
                fields_.read_fields(item, {{"role", fields_.text_to(c.role)}, {"name", fields_.text_to(c.name)}},
                                    "a 'byline' entry", "byline.");
                if (diags_.size() > before) return;
                if (c.name.empty()) error(diags_, pos(item), "a 'byline' entry with a role needs a 'name'");
                else doc_.byline.push_back(c.name), doc_.byline_roles.push_back(c.role);
                return;
            }
            if (item.IsSequence()) {
                error(diags_, pos(item), "'byline' must be a string, a list of strings or of {role, name}");
                return;
            }
            for (std::string& name : fields_.string_list(item, "byline")) {
                doc_.byline.push_back(std::move(name));
                doc_.byline_roles.emplace_back();
            }
        };
        if (v.IsSequence())
            for (const YAML::Node& item : v) add(item);
        else
            add(v);
    }

    void signature(const YAML::Node& v) {
        if (v.IsNull()) return;
        if (!v.IsMap()) {
            error(diags_, pos(v), "'signature' must be a mapping with 'issuer', 'date' and 'note'");
            return;
        }
        Signature s;
        s.pos = pos(v);
        fields_.read_fields(v,
                            {{"issuer", fields_.list_to(s.issuers)},
                             {"date", fields_.text_to(s.date)},
                             {"note", fields_.list_to(s.notes)}},
                            "'signature'", "signature.");
        doc_.signature = std::move(s);
    }

    void provenance(const YAML::Node& v) {
        if (v.IsNull()) return;
        if (!v.IsMap()) {
            error(diags_, pos(v), "'provenance' must be a mapping with 'file' and 'url'");
            return;
        }
        fields_.read_fields(v, {{"file", fields_.text_to(doc_.provenance_file)}, {"url", fields_.text_to(doc_.provenance_url)}},
                            "'provenance'", "provenance.");
    }

    void related(const YAML::Node& v) {
        fields_.each_item(v, "related", "{title, rel, href}", {"title", "rel", "href"}, {"title", "rel"},
                          [&](const YAML::Node& item) {
                              doc_.related.push_back({fields_.item_text(item, "title", "related.title"),
                                                      fields_.item_text(item, "rel", "related.rel"),
                                                      fields_.item_text(item, "href", "related.href")});
                              std::string& href = doc_.related.back().href;
                              if (!href.empty() && !safe_link(href)) {
                                  warning(diags_, fields_.pos(item["href"]),
                                          "the related link '" + href + "' is set as plain text: links may go to "
                                          "http, https and mailto addresses and to places in the document (#…)");
                                  href.clear();
                              }
                          });
    }

    const YamlFields& fields_;
    Document& doc_;
    Diagnostics& diags_;
};

}  // namespace

void read_front_matter(std::string_view yaml, int first_line0, const SourceMap& map, Document& doc,
                       Diagnostics& diags) {
    YamlFields fields(map, first_line0, diags);
    if (auto root = fields.load(yaml, "front matter")) Reader(fields, doc, diags).read(*root);
}

std::optional<DateTime> parse_date_time(std::string_view s, std::string& why) {
    auto d = parse_iso8601(s, IsoForm::Written, &why);
    if (!d) return std::nullopt;
    return d->value;
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
            else if (!(is_cjk(utf8_before(out, out.size())) && is_cjk(utf8_decode(line, 0).cp)))
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
