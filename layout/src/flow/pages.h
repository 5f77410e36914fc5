// pages (make-up): composed stories onto pages, as an editor places them.
// A story that fits on a page is never split: it starts where it fits
// whole or moves to the next page, and the room it leaves is filled by a
// later story that fits whole (when reordering is allowed) or spread as
// blank rows between the page's stories. A longer story starts only with
// enough lines to be read and continues at the top of the next page, with
// enough lines there too. Each story's head spans the columns; its body
// fills them on the grid and ends balanced. A newsletter issue adds the
// masthead, the contents box, running heads and the 报尾.
// Pure arithmetic over composed blocks: the little text make-up prints
// itself (folios, running heads) it asks of FurnitureText, which the
// compose stage answers from its memo.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "compose/story.h"
#include "style/geometry.h"

namespace galley {

struct Furniture {
    HeadBlock masthead;    // rows 0: none
    int contents_rows = 0; // kept free at page 1's foot
    HeadBlock tail;        // 报尾, last page foot
    std::string running;   // running head text of later pages
    std::string fields;    // between its parts, and before the sections of the stories on the page
};

// What an editor asks of a page (style keys under `makeup:`, the manifest's `reorder`).
struct MakeupRules {
    int min_start_lines = 8;      // body lines a split story starts a page with
    int min_start_per_column = 3; // and in each column it uses there
    int min_continuation = 4;     // body lines it continues with on the next page
    bool reorder = false;         // a later story may fill the room a page has left
    int pages = 0;                // the manifest's page budget (0: none)
};

struct FurnitureText {
    // One line of `text` in `role` across `width`, on the baseline y = 0.
    std::function<std::vector<FrameItem>(const std::string& text, const TextRole& role, double width, Align align)>
        line;
    // A folio ("- 3 -"), set as Latin so its spaces stay.
    std::function<std::vector<FrameItem>(const std::string& text)> folio;
    // Page 1's contents box, given the page each story starts on (1-based),
    // each entry with its story's summary, the two in `entry_lines` lines at
    // most (0: titles only); its rows do not depend on the pages.
    std::function<HeadBlock(const std::vector<int>& first_pages, int entry_lines)> contents;
};

// Places the stories; a picture that waits for the next page moves after
// the text in its story's body. Returns the rows spread to fill a page
// budget the stories fall short of.
int make_up(std::vector<Story>& stories, const Furniture& furniture, const MakeupRules& rules,
             const FurnitureText& text, const Style& style, const Geometry& g, Layout& layout);

}  // namespace galley
