// The page as the ingest reader takes it: lines of text, each with the kind
// of block that held it, and what an HTML page says of itself.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "common/language.h"
#include "common/utf8.h"

namespace galley {

// A line of the page: its text, what kind of block held it (HTML pages: 'h'
// the headline, 's' a subheading, 'l' a list item, 'q' a quote, 'c' a
// caption, 'f' navigation, a header or a footer, 'i' a picture, its text
// the src; 'p' else) and its line in the source.
struct PageLine {
    std::string text;
    char tag = 'p';
    int line = 0;
    int link_chars = 0;  // characters inside links (HTML pages)
    std::array<int, 4> up{-1, -1, -1, -1};  // HTML: the block elements around it, innermost first
};

// What an HTML page says of itself: <meta> dates and keywords, its
// canonical address, <html lang>.
struct PageMeta {
    std::string date, keywords, news_keywords, canonical, lang;
    std::string description, site_name;  // <meta name=description>, og:site_name
    std::string ld_headline;             // JSON-LD's article headline
    std::vector<std::string> authors;    // JSON-LD's article authors (people)
    bool html = false;                   // an HTML page (else a page's text)
    std::string title;   // <title>, often the headline and the site's name
    std::string folder;  // the page's, where its pictures are looked for ("": none kept)
    std::optional<std::pair<size_t, size_t>> block;  // the lines of the element holding the story
};

inline bool is_blank(char32_t c) { return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0 || c == '\r' || c == '\n'; }

inline std::string trim(const std::string& s) {
    std::u32string u = utf8_decode_all(s);
    size_t a = 0, b = u.size();
    while (a < b && is_blank(u[a])) ++a;
    while (b > a && is_blank(u[b - 1])) --b;
    return utf8_encode(u.substr(a, b - a));
}

// The charset an HTML page declares in its first 2 KB ("" if none).
std::string declared_charset(const std::string& html);

// GB18030 (a superset of GBK and GB 2312) to UTF-8, with iconv; nullopt if
// the bytes are not GB18030.
std::optional<std::string> from_gb18030(const std::string& bytes);

// How deep a page's elements nest at most (those a parser closes by
// itself, like <p> and <li>, not counted): gumbo's recursion cannot take
// hundreds of thousands of levels.
int nesting_depth(const std::string& html);

// The visible text of an HTML5 page (gumbo) as lines, one per block;
// script, style and the like left out; `meta` filled from <head>.
std::vector<PageLine> html_lines(const std::string& html, PageMeta& meta);

// How much a line looks like the story's text: positive for a paragraph
// (more for a longer one with more clauses, less for one made of links),
// negative for menus, link lists and page furniture.
double story_weight(const PageLine& line);

// A page's text: the lines [first, last) that hold the story, the run of
// paragraphs (a few other lines between them at most) with the greatest
// total weight.
std::pair<size_t, size_t> story_block(const std::vector<PageLine>& lines);

// HTML pages: the lines [first, last) of the block element that holds the
// story, as Readability finds it: each paragraph's weight goes to the
// blocks around it (whole to the two innermost, half and a third to the
// next two), each block's score is scaled by the share of its text that is
// not links, and the best block wins. `blocks` gives each element's lines.
std::optional<std::pair<size_t, size_t>> dom_block(const std::vector<PageLine>& lines,
                                                   const std::vector<std::pair<size_t, size_t>>& blocks);

}  // namespace galley
