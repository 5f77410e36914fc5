// HTML pages into lines, with gumbo (an HTML5 parser: tag soup is read as
// browsers read it), and GB18030 pages into UTF-8 with iconv.
#include <gumbo.h>
#include <nlohmann/json.hpp>
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <regex>
#include <set>

#include "common/strings.h"
#include "ingest/page.h"

namespace galley {

std::string declared_charset(const std::string& html) {
    static const std::regex charset(R"re(charset\s*=\s*["']?\s*([A-Za-z0-9_-]+))re", std::regex::icase);
    const std::string head = html.substr(0, 2048);
    std::smatch m;
    return std::regex_search(head, m, charset) ? m[1].str() : "";
}

std::optional<std::string> from_gb18030(const std::string& bytes) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string out(bytes.size() * 2 + 16, '\0');
    char* in = const_cast<char*>(bytes.data());
    size_t in_left = bytes.size(), out_left = out.size();
    char* to = out.data();
    bool ok = true;
    while (in_left > 0 && ok) {
        if (iconv(cd, &in, &in_left, &to, &out_left) != static_cast<size_t>(-1)) continue;
        if (errno == E2BIG) {
            const size_t used = static_cast<size_t>(to - out.data());
            out.resize(out.size() * 2);
            to = out.data() + used;
            out_left = out.size() - used;
        } else {
            ok = false;
        }
    }
    iconv_close(cd);
    if (!ok) return std::nullopt;
    out.resize(static_cast<size_t>(to - out.data()));
    return out;
}

namespace {

constexpr int kDeepest = 512;  // elements deeper than this are read as flat text

std::string attribute(const GumboNode* n, const char* name) {
    const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : "";
}

// schema.org's article in JSON-LD: its headline, date, authors,
// description and keywords, where the page's <meta> has none.
void read_json_ld(const char* text, PageMeta& meta) {
    const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded()) return;
    auto str = [](const nlohmann::json& j, const char* key) {
        return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
    };
    std::vector<nlohmann::json> items;
    auto collect = [&](const nlohmann::json& j) {
        if (j.is_array()) items.insert(items.end(), j.begin(), j.end());
        else if (j.is_object() && j.contains("@graph") && j["@graph"].is_array()) items.insert(items.end(), j["@graph"].begin(), j["@graph"].end());
        else items.push_back(j);
    };
    collect(doc);
    for (const nlohmann::json& item : items) {
        const std::string type = str(item, "@type");
        if (type.find("Article") == std::string::npos && type != "BlogPosting") continue;
        static const std::regex iso(R"(^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?))?)");
        std::smatch m;
        const std::string published = str(item, "datePublished");
        if (meta.date.empty() && std::regex_search(published, m, iso))
            meta.date = m[1].str() + (m[2].matched ? " " + m[2].str() : "");
        if (meta.ld_headline.empty()) meta.ld_headline = str(item, "headline");
        if (meta.description.empty()) meta.description = str(item, "description");
        if (meta.keywords.empty()) {
            if (item.contains("keywords") && item["keywords"].is_array()) {
                for (const auto& k : item["keywords"])
                    if (k.is_string()) meta.keywords += (meta.keywords.empty() ? "" : ",") + k.get<std::string>();
            } else {
                meta.keywords = str(item, "keywords");
            }
        }
        const nlohmann::json authors = item.contains("author") ? item["author"] : nlohmann::json();
        for (const auto& a : authors.is_array() ? authors : nlohmann::json::array({authors})) {
            const std::string name = a.is_string() ? a.get<std::string>() : str(a, "name");
            if (!name.empty() && str(a, "@type") != "Organization") meta.authors.push_back(name);
        }
        return;
    }
}

// <meta name=keywords>, dates, <link rel=canonical>, <html lang>, JSON-LD.
void read_head(const GumboNode* n, PageMeta& meta, int depth = 0) {
    if (n->type != GUMBO_NODE_ELEMENT || depth > kDeepest) return;
    const GumboTag tag = n->v.element.tag;
    if (tag == GUMBO_TAG_HTML) {
        std::string lang = attribute(n, "lang");
        if (lang.rfind("zh", 0) == 0) meta.lang = "zh-Hans";
        else if (lang.rfind("en", 0) == 0) meta.lang = "en";
    }
    if (tag == GUMBO_TAG_META) {
        std::string name = ascii_lower(attribute(n, "name"));
        if (name.empty()) name = ascii_lower(attribute(n, "property"));
        if (name.empty()) name = ascii_lower(attribute(n, "itemprop"));
        const std::string content = attribute(n, "content");
        // The last keywords win: a page may carry a mis-encoded copy first.
        if (name == "keywords" && !trim(content).empty()) meta.keywords = content;
        if (name == "news_keywords" && meta.news_keywords.empty()) meta.news_keywords = content;
        if ((name == "description" || name == "og:description") && meta.description.empty()) meta.description = content;
        if (name == "og:site_name" && meta.site_name.empty()) meta.site_name = content;
        static const std::set<std::string> dates{"article:published_time", "pubdate", "publishdate", "datepublished",
                                                 "og:release_date", "publish_date"};
        static const std::regex iso(R"((\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?)");
        std::smatch m;
        if (dates.count(name) && meta.date.empty() && std::regex_search(content, m, iso))
            meta.date = m[1].str() + (m[2].matched ? " " + m[2].str() : "");
    }
    // <time datetime="…">, <span class="timestamp" title="2016-06-13T1603Z">: a date for machines.
    static const std::regex stamp(R"(^(\d{4}-\d{2}-\d{2})T(\d{2}):?(\d{2}))");
    std::smatch when;
    const std::string machine = tag == GUMBO_TAG_TIME ? attribute(n, "datetime") : attribute(n, "title");
    if (meta.date.empty() && std::regex_search(machine, when, stamp))
        meta.date = when[1].str() + " " + when[2].str() + ":" + when[3].str();
    if (tag == GUMBO_TAG_SCRIPT && ascii_lower(attribute(n, "type")) == "application/ld+json" && n->v.element.children.length > 0) {
        const auto* text = static_cast<const GumboNode*>(n->v.element.children.data[0]);
        if (text->type == GUMBO_NODE_TEXT || text->type == GUMBO_NODE_WHITESPACE) read_json_ld(text->v.text.text, meta);
    }
    if (tag == GUMBO_TAG_LINK && attribute(n, "rel") == "canonical") meta.canonical = attribute(n, "href");
    if (tag == GUMBO_TAG_TITLE && meta.title.empty() && n->v.element.children.length > 0) {
        const auto* text = static_cast<const GumboNode*>(n->v.element.children.data[0]);
        if (text->type == GUMBO_NODE_TEXT) meta.title = trim(text->v.text.text);
    }
    const GumboVector& kids = n->v.element.children;
    for (unsigned k = 0; k < kids.length; ++k) read_head(static_cast<const GumboNode*>(kids.data[k]), meta, depth + 1);
}

class Lines {
public:
    std::vector<PageLine> out;

    void walk(const GumboNode* n, char tag, int depth = 0) {
        if (depth > kDeepest) return flat(n);
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
            text(n->v.text.text);
            return;
        }
        if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT) return;
        if (n->type == GUMBO_NODE_DOCUMENT) {
            for (unsigned k = 0; k < n->v.document.children.length; ++k)
                walk(static_cast<const GumboNode*>(n->v.document.children.data[k]), tag, depth + 1);
            return;
        }
        const GumboTag t = n->v.element.tag;
        static const std::set<GumboTag> hidden{GUMBO_TAG_SCRIPT,   GUMBO_TAG_STYLE,  GUMBO_TAG_NOSCRIPT,
                                               GUMBO_TAG_TEMPLATE, GUMBO_TAG_IFRAME, GUMBO_TAG_SVG,
                                               GUMBO_TAG_HEAD,     GUMBO_TAG_SELECT, GUMBO_TAG_BUTTON};
        if (hidden.count(t) || invisible(n)) return;
        if (t == GUMBO_TAG_IMG) {
            flush();
            const std::string src = attribute(n, "src");
            if (!src.empty() && current_ != 'f')
                out.push_back({src, 'i', static_cast<int>(n->v.element.start_pos.line), 0, up()});
            return;
        }
        if (crumbs(n)) return breadcrumb(n);
        char kind = kind_of(t, tag);
        if (kind != 'f' && (caption(n) || (t == GUMBO_TAG_CITE && !in_paragraph(n)))) kind = 'c';
        else if (kind != 'f' && editors_note(n)) kind = 'n';
        else if (kind == tag && t == GUMBO_TAG_P && bold_only(n)) kind = 's';
        const bool block = kind != tag || (is_block(t) && !(t == GUMBO_TAG_BR && link_depth_ > 0));
        if (block) flush(), start_ = static_cast<int>(n->v.element.start_pos.line), current_ = kind;
        if (t == GUMBO_TAG_BR) return;  // (inside a link it is not a block: the link is one item)
        const bool link = t == GUMBO_TAG_A;
        link_depth_ += link;
        if (block) stack_.push_back(static_cast<int>(blocks.size())), blocks.push_back({out.size(), out.size()});
        const GumboVector& kids = n->v.element.children;
        for (unsigned k = 0; k < kids.length; ++k) walk(static_cast<const GumboNode*>(kids.data[k]), kind, depth + 1);
        link_depth_ -= link;
        if (block) flush(), blocks[static_cast<size_t>(stack_.back())].second = out.size(), stack_.pop_back();
        current_ = tag;
    }

    void flush() {
        const std::string line = trim(utf8_encode(text_));
        if (!line.empty()) out.push_back({line, current_, start_, link_chars_, up()});
        text_.clear();
        link_chars_ = 0;
    }

    std::vector<std::pair<size_t, size_t>> blocks;  // each block element's lines [first, last)

private:
    // <ol class="breadcrumb">: one line, its items joined by " > ".
    static bool crumbs(const GumboNode* n) {
        const std::string names = ascii_lower(attribute(n, "class") + " " + attribute(n, "id"));
        return names.find("breadcrumb") != std::string::npos || names.find("crumbs") != std::string::npos;
    }
    void breadcrumb(const GumboNode* n) {
        flush();
        std::vector<std::string> items;
        gather(n, items);
        std::string line;
        for (const std::string& item : items)
            if (!trim(item).empty()) line += (line.empty() ? "" : " > ") + trim(item);
        if (!line.empty()) out.push_back({line, 'p', static_cast<int>(n->v.element.start_pos.line), 0, up()});
    }
    static void gather(const GumboNode* n, std::vector<std::string>& items, int depth = 0) {
        if (n->type == GUMBO_NODE_TEXT) items.push_back(n->v.text.text);
        if (n->type != GUMBO_NODE_ELEMENT || depth > kDeepest) return;
        for (unsigned k = 0; k < n->v.element.children.length; ++k)
            gather(static_cast<const GumboNode*>(n->v.element.children.data[k]), items, depth + 1);
    }
    // Below the deepest level walked, the text of everything as one run,
    // without recursion (as browsers stop nesting at 512 levels).
    void flat(const GumboNode* top) {
        std::vector<const GumboNode*> todo{top};
        while (!todo.empty()) {
            const GumboNode* n = todo.back();
            todo.pop_back();
            if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE) text(n->v.text.text);
            if (n->type != GUMBO_NODE_ELEMENT) continue;
            for (unsigned k = n->v.element.children.length; k-- > 0;)
                todo.push_back(static_cast<const GumboNode*>(n->v.element.children.data[k]));
        }
    }

    // class="…caption…": a picture's caption.
    static bool caption(const GumboNode* n) {
        return ascii_lower(attribute(n, "class")).find("caption") != std::string::npos;
    }
    static bool editors_note(const GumboNode* n) {
        const std::string c = ascii_lower(attribute(n, "class"));
        for (const char* name : {"editorialnote", "editor-note", "editors-note", "editornote", "editor_note"})
            if (c.find(name) != std::string::npos) return true;
        return false;
    }
    static bool in_paragraph(const GumboNode* n) {
        for (const GumboNode* p = n->parent; p && p->type == GUMBO_NODE_ELEMENT; p = p->parent)
            if (p->v.element.tag == GUMBO_TAG_P) return true;
        return false;
    }
    // <p><strong>Making connections</strong></p>: all its words bold, a subheading.
    static bool bold_only(const GumboNode* n, bool bold = false, int depth = 0) {
        if (n->type == GUMBO_NODE_TEXT) return bold;
        if (depth > 32) return false;
        if (n->type != GUMBO_NODE_ELEMENT) return true;
        const GumboTag t = n->v.element.tag;
        bold = bold || t == GUMBO_TAG_STRONG || t == GUMBO_TAG_B;
        bool any = false;
        for (unsigned k = 0; k < n->v.element.children.length; ++k) {
            const auto* c = static_cast<const GumboNode*>(n->v.element.children.data[k]);
            if (c->type == GUMBO_NODE_WHITESPACE || c->type == GUMBO_NODE_COMMENT) continue;
            if (!bold_only(c, bold, depth + 1)) return false;
            any = true;
        }
        return any || bold;
    }

    // The innermost block elements around the line being read.
    std::array<int, 4> up() const {
        std::array<int, 4> a{-1, -1, -1, -1};
        for (size_t k = 0; k < a.size() && k < stack_.size(); ++k) a[k] = stack_[stack_.size() - 1 - k];
        return a;
    }
    // style="display:none" or hidden: a browser does not show it.
    static bool invisible(const GumboNode* n) {
        std::string style = ascii_lower(attribute(n, "style"));
        style.erase(std::remove(style.begin(), style.end(), ' '), style.end());
        return style.find("display:none") != std::string::npos || gumbo_get_attribute(&n->v.element.attributes, "hidden");
    }

    static bool is_block(GumboTag t) {
        static const std::set<GumboTag> blocks{
            GUMBO_TAG_P,       GUMBO_TAG_DIV,     GUMBO_TAG_BR,      GUMBO_TAG_TR,         GUMBO_TAG_TD,
            GUMBO_TAG_TH,      GUMBO_TAG_SECTION, GUMBO_TAG_ARTICLE, GUMBO_TAG_UL,         GUMBO_TAG_OL,
            GUMBO_TAG_DL,      GUMBO_TAG_DT,      GUMBO_TAG_DD,      GUMBO_TAG_TABLE,      GUMBO_TAG_FORM,
            GUMBO_TAG_MAIN,    GUMBO_TAG_FIGURE,  GUMBO_TAG_PRE,     GUMBO_TAG_ADDRESS,    GUMBO_TAG_CENTER,
            GUMBO_TAG_H5,      GUMBO_TAG_H6,      GUMBO_TAG_TITLE,   GUMBO_TAG_BODY,       GUMBO_TAG_HR};
        return blocks.count(t) > 0;
    }
    // The kind of line an element's text makes; navigation and footers
    // keep theirs for everything inside them.
    static char kind_of(GumboTag t, char outer) {
        if (outer == 'f') return 'f';
        switch (t) {
        case GUMBO_TAG_NAV: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE: return 'f';
        case GUMBO_TAG_H1: return 'h';
        case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: return 's';
        case GUMBO_TAG_LI: return 'l';
        case GUMBO_TAG_BLOCKQUOTE: return 'q';
        case GUMBO_TAG_FIGCAPTION: return 'c';
        default: return outer;
        }
    }
    // Whitespace runs become one space; one with a line break between two
    // Chinese characters (the source's own line wrapping) goes.
    void text(const char* s) {
        const std::u32string u = utf8_decode_all(s);
        std::u32string& kept = text_;
        for (size_t i = 0; i < u.size(); ++i) {
            if (!is_blank(u[i])) {
                kept += u[i];
                link_chars_ += link_depth_ > 0;
                continue;
            }
            size_t j = i;
            bool newline = false;
            while (j < u.size() && is_blank(u[j])) newline |= u[j] == '\n', ++j;
            const char32_t before = kept.empty() ? 0 : kept.back(), after = j < u.size() ? u[j] : 0;
            if (!(newline && (is_han(before) || before > 0x3000) && (is_han(after) || after > 0x3000 || after == 0)))
                kept += ' ';
            i = j - 1;
        }
    }

    std::vector<int> stack_;  // the blocks the walk is in
    std::u32string text_;     // the line being read
    int link_chars_ = 0;   // of text_, inside <a>
    int link_depth_ = 0;
    char current_ = 'p';
    int start_ = 1;
};

}  // namespace

int nesting_depth(const std::string& html) {
    // Elements a parser closes by itself (p, li, td…) and void ones do not nest.
    static const std::set<std::string> flat{"p", "li", "td", "th", "tr", "dt", "dd", "option", "br", "img", "hr",
                                            "meta", "link", "input", "wbr", "area", "base", "col", "embed", "source",
                                            "track", "param", "!doctype"};
    int depth = 0, deepest = 0;
    for (size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
        const bool end = at + 1 < html.size() && html[at + 1] == '/';
        size_t b = at + 1 + end, e = b;
        while (e < html.size() && (std::isalnum(static_cast<unsigned char>(html[e])) || html[e] == '!')) ++e;
        if (e == b) continue;
        const std::string name = ascii_lower(html.substr(b, e - b));
        const size_t close = html.find('>', e);
        if (flat.count(name) || (close != std::string::npos && close > 0 && html[close - 1] == '/')) continue;
        depth = end ? std::max(0, depth - 1) : depth + 1;
        deepest = std::max(deepest, depth);
    }
    return deepest;
}

std::vector<PageLine> html_lines(const std::string& html, PageMeta& meta) {
    GumboOutput* doc = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
    read_head(doc->root, meta);
    meta.html = true;
    Lines lines;
    lines.walk(doc->document, 'p');
    lines.flush();
    meta.block = dom_block(lines.out, lines.blocks);
    gumbo_destroy_output(&kGumboDefaultOptions, doc);
    return lines.out;
}

}  // namespace galley
