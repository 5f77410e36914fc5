// Front matter: the YAML fields between the opening and closing '---'.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "galley/document.h"
#include "model/source_map.h"

namespace galley::model {

// Parses `yaml` (the front matter text, which starts on 0-based file line
// `first_line0`) into `doc`, reporting problems at their place in the file.
void read_front_matter(std::string_view yaml, int first_line0, const SourceMap& map, Document& doc,
                       Diagnostics& diags);

// "YYYY-MM-DD[ HH:MM[:SS]][±HH:MM]": parse_iso8601(s, IsoForm::Written) of
// common/dates.h. On failure returns nullopt and says why.
std::optional<DateTime> parse_date_time(std::string_view text, std::string& why);

// Joins the lines of a multi-line scalar (e.g. a 'summary: |' block): a
// single line break disappears between two CJK characters and becomes one
// space otherwise; a blank line is kept as one '\n' (a paragraph break).
// The result is trimmed.
std::string join_lines(std::string_view text);

// An image source resolved against the folder of the article file. URLs and
// absolute paths are kept as written.
std::string resolve_image_path(const std::string& article_path, const std::string& src);

}  // namespace galley::model
