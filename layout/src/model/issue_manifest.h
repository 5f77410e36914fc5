// Issue manifests: the YAML file naming a newsletter's articles, masthead
// and 报尾 (article-format.md, "Issue").
#pragma once
#include <string>

#include "galley/document.h"

namespace galley::model {

// Parses the manifest `text` read from `path` and loads every article it
// names (paths relative to the folder of `path`). load_issue() is this plus
// reading the file.
Issue parse_issue(const std::string& text, const std::string& path, Diagnostics& diags, const ReadRules& rules = {});

}  // namespace galley::model
