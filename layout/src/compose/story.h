// story: an article composed for the page: its head (kicker, title,
// subtitle, dateline, summary, lead image) as one block that spans the
// columns, its body as FlowItems on the grid, and its closing lines.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compose/compose.h"
#include "flow/columns.h"

namespace galley {

struct Story {
    HeadBlock head;
    std::vector<FlowItem> body;  // body, byline, credits, related
    std::string title;           // for the contents
    std::string section;         // for the running heads of the pages it is on
    std::string summary;         // its first paragraph, plain: the contents' 提要
    std::string lang;            // the article's language
    Style contents_style;        // the style in that language (its contents entry)
    bool lead_in_head = false;   // the lead picture is in the head, not the body
    int closing_rows = 0;        // rows of the byline and credits that end the body
    // Paragraph p (FlowItem::para) set a line longer or shorter (TeX's
    // \looseness ±1), for make-up to fill a column with lines instead of
    // blank rows: composed when first asked for (most never are), then
    // copied into the body in place of its lines.
    struct Settings {
        std::function<std::vector<FlowItem>(int looseness)> compose;
        // Each setting met so far, by looseness: shared by the story's
        // copies (make-up's trials), which never compose one twice.
        std::shared_ptr<std::map<int, std::vector<FlowItem>>> met = std::make_shared<std::map<int, std::vector<FlowItem>>>();
        int now = 0;  // the body's
    };
    std::vector<Settings> loose;
    // Picture p (FlowItem::picture) set across all the columns in `rows`
    // rows at most, caption included (never wider than the columns), for
    // make-up to take a page's spare rows with: an editor enlarges a
    // picture before leaving white. Pictures narrower than the columns.
    std::vector<std::function<FlowItem(int rows)>> across;
};

struct StoryOptions {
    bool wide_lead = false;  // a landscape lead picture spans the columns under the head
    double lead_scale = 1;   // and is set at this share of its full size
    std::vector<StructNode>* structure = nullptr;  // where to add the story's elements (tagged PDF)
};

// Composes a styled article into a story.
Story build_story(const StyledDocument& doc, Composer& composer, const Geometry& g, const StoryOptions& options);

// Set lines as FlowItems of one paragraph, x from the column's left.
std::vector<FlowItem> line_items(const std::vector<SetLine>& lines, double x, const Geometry& g);

}  // namespace galley
