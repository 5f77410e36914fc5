// columns: which grid row of which column each item of a story takes.
// Pure arithmetic over rows, so it is tested without fonts.
#pragma once
#include <vector>

#include "galley/frame.h"

namespace galley {

// A piece of a story's body that takes whole grid rows: a line of text,
// a figure with its caption. Its items are relative to the left edge of
// its column and the top of its first row.
struct FlowItem {
    std::vector<FrameItem> items;
    int rows = 1;
    int space_before = 0;         // blank rows before it, dropped at a column top
    bool keep_with_next = false;  // a heading: never last in a column
    int para_line = 0;            // its line within its paragraph
    int para_lines = 1;           // lines of that paragraph (widows, orphans)
    bool bar = false;             // a quote: a bar in the margin beside it
    bool floats = false;          // a figure: may move to the next column's top
    int span = 1;                 // a picture across columns: its column and span-1 to its right
    bool body_line = false;       // a line of body text (what a story's start is counted in)
    int para = -1;                // its paragraph's setting a line longer: Story::loose[para] (-1: none)
    int picture = -1;             // a picture make-up may set across the columns: Story::across[picture]
    int outline_level = 0;        // a heading's first line: its bookmark level (2, 3)
    std::string outline_title;
    // A table's body row (para_line counts the body rows): make-up puts no
    // blank row before it; when it is the first text of a column, its
    // table's header (`head`, `head_rows` rows: the header row and its
    // rules) is repeated above it; `foot` (the bottom rule of a three-line
    // table) is drawn under it when the table goes on in another column.
    bool table_row = false;
    int head_rows = 0;
    std::vector<FrameItem> head, foot;
    // Notes set at the column's foot (style `notes: column`): those whose
    // first marker this line holds, `note_rows` rows; items relative to the
    // top of their first row. Make-up keeps them in the line's column, under
    // a short rule, the rows above them for text.
    std::vector<FrameItem> notes;
    int note_rows = 0;
};

// A block of whole rows spanning a width (a story's head, the masthead, the
// contents box); items relative to its top left.
struct HeadBlock {
    std::vector<FrameItem> items;
    int rows = 0;
};

// An item spanning columns is placed in its leftmost column; the rows it
// takes in the columns to its right hold nothing else.
struct Placement {
    int column = 0;
    int row = 0;             // from the top of the area
    bool with_head = false;  // a table row with its header repeated in the rows above `row`
    int note_row = -1;       // where the item's notes start in its column (FlowItem::notes)
    bool note_rule = false;  // they are the column's first: the rule in the row above them
};

struct FillResult {
    std::vector<Placement> placed;  // for items [from, next)
    size_t next = 0;                // first item not placed
    int height = 0;                 // rows used in the fullest column
};

struct FillRules {
    int min_lines = 2;  // lines of a paragraph kept together at a column's top and bottom
    // A figure that floats to the next column's top ends its own column when
    // it leaves at most this many rows there (make-up fills them); with more,
    // the text after the figure fills them, read before its caption.
    int float_hole = 4;
};

// Fills `columns` columns of `rows` rows, column after column, from item
// `from` on. A spanning item goes where all its columns are free, at the
// next rows of its first column; the text of the columns it spans to the
// right flows above and below it. One across all the columns below text
// divides them into bands: the text before it balanced above it, the text
// after it filling the columns below. One that finds no such place in the
// columns left (nor floats to the next one's top) is not placed: `next`
// stops at it and the caller carries it on. The last column ends `reserve` rows early (room for a jump
// line) unless everything left fits. `full` is the height of a whole
// column of the page (0: `rows`): what needs more than that goes in at a
// column top anyway; what needs less waits for a column that holds it.
FillResult fill_columns(const std::vector<FlowItem>& items, size_t from, int columns, int rows,
                        const FillRules& rules, int reserve = 0, int full = 0);

// Like fill_columns, but when all remaining items fit, with the shortest
// column height that holds them, shared out evenly: the story's last
// columns are balanced.
FillResult fill_balanced(const std::vector<FlowItem>& items, size_t from, int columns, int rows,
                         const FillRules& rules, int reserve = 0, int full = 0);

// Rows that must stay with item i in its column (heading keeps, widows,
// orphans).
int rows_needed(const std::vector<FlowItem>& items, size_t i, const FillRules& rules);

// The rows each column reaches in a fill of items from `from` (a
// spanning picture counted in every column it takes).
std::vector<int> column_heights(const std::vector<FlowItem>& items, size_t from, const FillResult& fr, int columns);

// Moves every item by (dx, dy).
void translate(std::vector<FrameItem>& items, double dx, double dy);

}  // namespace galley
