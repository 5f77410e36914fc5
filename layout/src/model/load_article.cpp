// The loader stage: article file -> Document (front matter + flat body).
#include "galley/document.h"
#include "model/front_matter.h"
#include "model/markdown_body.h"
#include "model/source_map.h"

namespace galley {

namespace {

bool is_fence(std::string_view line) { return model::trim_right(line) == "---"; }

}  // namespace

Document parse_article(const std::string& input, const std::string& path, Diagnostics& diags) {
    Document doc;
    doc.path = path;

    std::string_view text = model::strip_bom(input);
    model::SourceMap map(text, path);
    if (!model::check_text(map, "article", diags)) return doc;

    if (!is_fence(map.line(0))) {
        error(diags, {path, 1, 1},
              "missing front matter: the article must start with a '---' line, then its fields "
              "(at least 'title'), then a closing '---' line");
        return doc;
    }
    int close = -1;
    for (int i = 1; i < map.line_count(); ++i)
        if (is_fence(map.line(i))) {
            close = i;
            break;
        }
    if (close < 0) {
        error(diags, {path, 1, 1}, "unterminated front matter: the '---' on line 1 has no closing '---' line");
        return doc;
    }

    std::size_t yaml_begin = map.line_start(1);
    model::read_front_matter(text.substr(yaml_begin, map.line_start(close) - yaml_begin), 1, map, doc, diags);

    doc.body_line = close + 2;
    std::size_t body_offset = close + 1 < map.line_count() ? map.line_start(close + 1) : text.size();
    model::read_body(map, body_offset, doc, diags);
    if (!doc.signature) model::find_signature(doc);
    if (doc.body.empty()) error(diags, {path, doc.body_line, 1}, "the article has no body text");
    return doc;
}

Document load_article(const std::string& path, Diagnostics& diags, const ReadRules& rules) {
    if (auto text = model::read_source_file(path, "article", rules.max_bytes, diags))
        return parse_article(*text, path, diags);
    Document unread;
    unread.path = path;
    return unread;
}

}  // namespace galley
