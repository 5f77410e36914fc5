// furniture: the newsletter's own blocks, composed like stories: the 报头
// or nameplate, the 本期导读 / "In this issue" box and the 报尾.
#pragma once
#include <vector>

#include "compose/story.h"

namespace galley {

// The 报头 (bulletin) or nameplate (newspaper) as a block of whole rows.
HeadBlock masthead(ComposeContext& cx, const Issue& issue, const Geometry& g);

// 报尾: distribution lines between rules, copies on the right, credits.
HeadBlock tail_block(ComposeContext& cx, const Issue& issue, const Geometry& g);

// The contents box before the page numbers are known: its entries composed
// and placed, so its height is final.
struct ContentsBox {
    struct Label {
        size_t at = 0;        // where in block.items the label goes
        double dx = 0, dy = 0;  // the entry's last line, from the box's top left
        double end = 0;         // where that line's text ends, from the column's left
    };
    HeadBlock block;          // rules, title and entries
    std::vector<Label> labels;  // per story, at increasing `at`; none for an empty title
    std::vector<size_t> story;  // the story of each label
};

// `entry_lines`: each entry also prints its story's summary under the
// title (a 提要), the two in that many lines at most (the summary cut
// after a clause and marked …… when longer), and keeps to one column.
ContentsBox contents_box(ComposeContext& cx, const std::vector<Story>& stories, const Geometry& g,
                         int entry_lines = 0);

// The box with each story's first page (1-based) filled in: each label
// right-aligned on its entry's last line, dot leaders running up to it.
HeadBlock with_pages(ComposeContext& cx, const ContentsBox& box, const std::vector<int>& pages, const Geometry& g);

}  // namespace galley
