// The loader stage: article file -> Document (front matter + flat body).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "galley/document.h"
#include "model/front_matter.h"
#include "model/markdown_body.h"
#include "model/source_map.h"

namespace galley {

namespace {

bool is_fence(std::string_view line) { return model::trim_right(line) == "---"; }

std::string hex_byte(unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", c);
    return buf;
}

Document unread(const std::string& path) {
    Document doc;
    doc.path = path;
    return doc;
}

}  // namespace

Document parse_article(const std::string& input, const std::string& path, Diagnostics& diags) {
    Document doc;
    doc.path = path;

    std::string_view text = input;
    // A byte order mark is not part of the first line's text.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    model::SourceMap map(text, path);

    // Everything below assumes valid UTF-8 (column counting, YAML, md4c).
    if (auto bad = model::find_invalid_utf8(text)) {
        error(diags, map.at(*bad),
              "invalid UTF-8 (byte " + hex_byte(static_cast<unsigned char>(text[*bad])) +
                  "); the article must be saved as UTF-8");
        return doc;
    }

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
    if (doc.body.empty()) error(diags, {path, doc.body_line, 1}, "the article has no body text");
    return doc;
}

Document load_article(const std::string& path, Diagnostics& diags) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        error(diags, {path, 0, 0}, "cannot read the article: it is a directory");
        return unread(path);
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error(diags, {path, 0, 0}, std::string("cannot read the article: ") + std::strerror(errno));
        return unread(path);
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) {
        error(diags, {path, 0, 0}, "cannot read the article: read error");
        return unread(path);
    }
    return parse_article(buf.str(), path, diags);
}

}  // namespace galley
