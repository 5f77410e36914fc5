#include "flow/pages.h"

#include <algorithm>

namespace galley {
namespace {

void place_items(Frame& page, std::vector<FrameItem> items, double x, double y) {
    translate(items, x, y);
    for (auto& it : items) page.items.push_back(std::move(it));
}

class Paginator {
public:
    Paginator(const Furniture& f, const FurnitureText& text, const Style& style, const Geometry& g,
              const Locale& words, Layout& layout)
        : f_(f), text_(text), style_(style), g_(g), words_(words), layout_(layout) {}

    std::vector<int> run(const std::vector<Story>& stories) {
        std::vector<int> first_pages(stories.size());
        new_page();
        if (f_.masthead.rows > 0) {
            place_items(page(), f_.masthead.items, g_.left, g_.row_y(0));
            row_ = f_.masthead.rows;
        }
        limit_ = g_.rows - f_.contents_rows;
        for (size_t s = 0; s < stories.size(); ++s) {
            first_pages[s] = place_story(stories[s], s, s + 1 == stories.size());
        }
        // 报尾 at the foot of the last page (above the contents box on a
        // one-page issue), or of a page of its own.
        if (f_.tail.rows > 0) {
            if (row_ + f_.tail.rows > limit_) new_page();
            place_items(page(), f_.tail.items, g_.left, g_.row_y(limit_ - f_.tail.rows));
        }
        if (f_.contents_rows > 0) {
            HeadBlock contents = text_.contents(first_pages);
            place_items(layout_.pages[0], contents.items, g_.left, g_.row_y(g_.rows - contents.rows));
        }
        for (size_t p = 0; p < layout_.pages.size(); ++p) page_furniture(p);
        return first_pages;
    }

private:
    Frame& page() { return layout_.pages.back(); }
    int page_number() const { return static_cast<int>(layout_.pages.size()); }  // 1-based, of the last page

    void new_page() {
        fresh_ = true;
        Frame f;
        f.width = style_.page_width;
        f.height = style_.page_height;
        layout_.pages.push_back(std::move(f));
        row_ = 0;
        limit_ = g_.rows;
    }

    // A story starts where its head and its first lines (or its lead
    // picture) fit, and continues page after page; returns its first page.
    int place_story(const Story& st, size_t s, bool last_story) {
        int first = st.body.empty() ? 0 : rows_needed(st.body, 0, rules_);
        if (first > g_.rows - st.head.rows) first = 3;
        if (row_ > 0 && row_ + st.head.rows + std::max(first, 3) > limit_) new_page();
        const int first_page = page_number();
        page().items.push_back(Anchor{"story-" + std::to_string(s + 1), g_.left, g_.row_y(row_)});
        layout_.outline.push_back({st.title, 1, first_page - 1, g_.left, g_.row_y(row_)});
        place_items(page(), st.head.items, g_.left, g_.row_y(row_));
        row_ += st.head.rows;
        size_t k = 0;
        for (int part = 1;; ++part) {
            int area = limit_ - row_;
            FillResult fr = fill_balanced(st.body, k, g_.columns, area, rules_, f_.jumps ? 1 : 0, g_.rows);
            // Nothing fits on a fresh page (a keep as tall as the area less
            // the jump row): set it without the reserve.
            if (fr.next == k && fresh_) fr = fill_balanced(st.body, k, g_.columns, area, rules_, 0, area);
            for (size_t i = 0; i < fr.placed.size(); ++i) place_flow_item(st.body[k + i], fr.placed[i]);
            if (!fr.placed.empty()) fresh_ = false;
            k = fr.next;
            if (k >= st.body.size()) {
                row_ += fr.height + 1;
                if (!last_story && row_ < limit_) {
                    double y = g_.row_y(row_) - 0.5 * g_.pitch;
                    page().items.push_back(
                        Rule{g_.left, y, g_.left + g_.text_width, y, style_.rule_width, style_.accent});
                }
                return first_page;
            }
            if (f_.jumps)
                jump(st, s, part);
            else
                new_page();
        }
    }

    // （转第N版） at the foot of the last column, and on the next page the
    // title again with （接第M版）, the two linked to each other.
    void jump(const Story& st, size_t s, int part) {
        const int from_page = page_number();
        const std::string id = "story-" + std::to_string(s + 1);
        const std::string here = id + "-jump-" + std::to_string(part), there = id + "-cont-" + std::to_string(part);
        double x = g_.column_x(g_.columns - 1), y = g_.row_y(limit_ - 1);
        place_items(page(),
                    text_.line(fill(words_.jump_to, std::to_string(from_page + 1)), style_.jump, g_.column_width,
                               Align::End),
                    x, y + g_.baseline_offset());
        page().items.push_back(LinkArea{x, y, g_.column_width, g_.pitch, "", there});
        page().items.push_back(Anchor{here, x, y});
        new_page();
        page().items.push_back(Anchor{there, g_.left, g_.row_y(row_)});
        HeadBlock title = text_.continued_title(st.title);
        place_items(page(), title.items, g_.left, g_.row_y(row_));
        row_ += title.rows;
        double by = g_.row_y(row_);
        place_items(page(),
                    text_.line(fill(words_.jump_from, std::to_string(from_page)), style_.jump, g_.text_width,
                               Align::Center),
                    g_.left, by + g_.baseline_offset());
        page().items.push_back(LinkArea{g_.left, by, g_.text_width, g_.pitch, "", here});
        row_ += 1;
    }

    void place_flow_item(const FlowItem& it, const Placement& at) {
        double x = g_.column_x(at.column), y = g_.row_y(row_ + at.row);
        if (it.outline_level > 0) layout_.outline.push_back({it.outline_title, it.outline_level, page_number() - 1, x, y});
        place_items(page(), it.items, x, y);
        if (it.bar) {
            double bx = x - 0.6 * g_.em;
            page().items.push_back(Rule{bx, y, bx, y + it.rows * g_.pitch, 1.5 * style_.rule_width, style_.accent});
        }
    }

    // Running heads on later pages, folios ("- 1 -") on all.
    void page_furniture(size_t p) {
        Frame& pg = layout_.pages[p];
        if (p > 0 && !f_.running.empty()) {
            place_items(pg, text_.line(f_.running, style_.running_head, g_.text_width, Align::Center), g_.left,
                        g_.top - 0.6 * g_.pitch);
            double ry = g_.top - 0.3 * g_.pitch;
            pg.items.push_back(Rule{g_.left, ry, g_.left + g_.text_width, ry, style_.rule_width, style_.accent});
        }
        place_items(pg, text_.folio("- " + std::to_string(p + 1) + " -"), g_.left, g_.bottom + 1.5 * g_.pitch);
    }

    const Furniture& f_;
    const FurnitureText& text_;
    const Style& style_;
    const Geometry& g_;
    const Locale& words_;
    Layout& layout_;
    const FillRules rules_;
    int row_ = 0;
    int limit_ = 0;
    bool fresh_ = true;  // nothing of a story placed on this page yet
};

}  // namespace

std::vector<int> make_up(const std::vector<Story>& stories, const Furniture& furniture, const FurnitureText& text,
                         const Style& style, const Geometry& g, const Locale& words, Layout& layout) {
    return Paginator(furniture, text, style, g, words, layout).run(stories);
}

}  // namespace galley
