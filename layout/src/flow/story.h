// story: an article composed for the page: its head (kicker, title,
// subtitle, dateline, summary, lead image) as one block that spans the
// columns, its body as FlowItems on the grid, and its closing lines.
#pragma once
#include <string>
#include <vector>

#include "common/dates.h"    // format_date, iso_date
#include "common/strings.h"  // join
#include "flow/columns.h"
#include "flow/compose.h"

namespace galley {

struct Geometry {
    double em = 10.5, pitch = 17.5;
    double left = 0, text_width = 0, column_width = 0, gutter = 0;
    double top = 0, bottom = 0;
    int columns = 1, rows = 1;  // rows: grid lines in a column
    double baseline_offset() const { return 0.5 * pitch + 0.38 * em; }  // from a row's top
    double row_y(int row) const { return top + row * pitch; }
    double column_x(int c) const { return left + c * (column_width + gutter); }
};

Geometry geometry(const Style& style);

// A block of whole rows spanning `width`; items relative to its top left.
struct HeadBlock {
    std::vector<FrameItem> items;
    int rows = 0;
};

struct Story {
    HeadBlock head;
    std::vector<FlowItem> body;  // body, byline, credits, related
    std::string title;           // for jump lines and the contents
    bool lead_in_head = false;   // the lead picture is in the head, not the body
};

struct StoryOptions {
    bool wide_lead = false;  // a landscape lead picture spans the columns under the head
    std::vector<StructNode>* structure = nullptr;  // where to add the story's elements (tagged PDF)
};

// Builds a story; `cx` carries the article's language.
Story build_story(const Document& doc, ComposeContext& cx, const Geometry& g, const StoryOptions& options);

// One paragraph of the given role as rows of a HeadBlock of width `width`,
// each line on its own row band of `pitch` (whole body rows in total).
HeadBlock text_block(ComposeContext& cx, const std::string& text, const TextRole& role, double width,
                     const Geometry& g, const SourcePos& pos);

// Set lines as FlowItems of one paragraph, x from the column's left.
std::vector<FlowItem> line_items(std::vector<SetLine> lines, double x, const Geometry& g);

}  // namespace galley
