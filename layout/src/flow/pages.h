// pages (make-up): composed stories onto pages. Each story's head spans the
// columns, its body fills them on the grid and ends balanced; a story that
// does not fit continues on the next page behind a jump line. A newsletter
// issue adds the masthead, the contents box, running heads and the 报尾.
// Pure arithmetic over composed blocks: the little text make-up prints
// itself (jump lines, folios, running heads, a continuation's title) it
// asks of FurnitureText, which the compose stage answers from its memo.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "compose/story.h"
#include "style/geometry.h"
#include "style/locale.h"

namespace galley {

struct Furniture {
    HeadBlock masthead;    // rows 0: none
    int contents_rows = 0; // kept free at page 1's foot
    HeadBlock tail;        // 报尾, last page foot
    std::string running;   // running head text of later pages
    bool jumps = false;    // jump lines where a story continues
};

struct FurnitureText {
    // One line of `text` in `role` across `width`, on the baseline y = 0.
    std::function<std::vector<FrameItem>(const std::string& text, const TextRole& role, double width, Align align)>
        line;
    // A folio ("- 3 -"), set as Latin so its spaces stay.
    std::function<std::vector<FrameItem>(const std::string& text)> folio;
    // A story's title repeated where it continues, in whole rows.
    std::function<HeadBlock(const std::string& title)> continued_title;
    // Page 1's contents box, given the page each story starts on (1-based).
    std::function<HeadBlock(const std::vector<int>& first_pages)> contents;
};

// Places the stories, returns the 1-based page each starts on.
std::vector<int> make_up(const std::vector<Story>& stories, const Furniture& furniture, const FurnitureText& text,
                         const Style& style, const Geometry& g, const Locale& words, Layout& layout);

}  // namespace galley
