// ingest: a saved news page (its visible text) becomes an article: the
// headline, breadcrumb, dateline, summary, byline and credits into front
// matter, the story's paragraphs and subheadings into Markdown, the page's
// furniture (menus, share bars, "previous/next", comment prompts) left out.
#pragma once
#include <string>
#include <vector>

#include "galley/diagnostics.h"

namespace galley {

struct Ingested {
    std::string article;               // front matter and body, ready for `galley render`
    std::vector<std::string> explain;  // per input line: what it became and the rule that decided
};

// `text` is the page's text (UTF-8); `file` names it in messages and in
// the article's provenance. A field that cannot be found is left out with a
// warning; a page with no story is an error.
Ingested ingest_text(const std::string& text, const std::string& file, Diagnostics& diags);

// An HTML page: parsed as browsers parse it (gumbo), in UTF-8 or in the
// GB 2312/GBK/GB18030 its <meta charset> declares; its <meta> keywords
// become tags, its canonical link the provenance URL.
// Pictures are kept (`![caption](src)`, the caption from <figcaption> or a
// 图为…/图注： line) when their file is in `folder` (the page's; "": the
// current folder) at the path the page gives.
Ingested ingest_html(const std::string& html, const std::string& file, Diagnostics& diags,
                     const std::string& folder = "");

// The page at `path` ("-": standard input), read as sources are (a regular
// file of at most 16 MB), then ingest_html (.html, .htm, or a page that
// starts as HTML) or ingest_text.
Ingested ingest_page(const std::string& path, Diagnostics& diags);

// Writes an article all or nothing, as PDFs are written; "-": standard output.
void write_article(const std::string& path, const std::string& article);

}  // namespace galley
