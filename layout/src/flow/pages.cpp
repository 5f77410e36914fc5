// pages: stories onto pages. Each story's head spans the columns, its body
// fills them on the grid and ends balanced; a story that does not fit
// continues on the next page behind a jump line. A newsletter issue adds
// the masthead, the contents box, running heads and the 报尾.
#include <pango/pangocairo.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "flow/story.h"
#include "galley/engine.h"
#include "style/cascade.h"
#include "text/font_context.h"

namespace galley {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

void place_items(Frame& page, std::vector<FrameItem> items, double x, double y) {
    translate(items, x, y);
    for (auto& it : items) page.items.push_back(std::move(it));
}

// One line of text as FrameItems on a baseline, x from `left`.
std::vector<FrameItem> one_line(ComposeContext& cx, const std::string& text, const TextRole& role, double width,
                                Align align, const std::string& lang) {
    std::vector<FrameItem> out;
    auto lines = compose(cx, style_text(text, role, lang, {}), {width, 0, align, false});
    for (size_t k = 0; k < lines.size(); ++k)
        for (GlyphRun r : lines[k].runs) {
            r.y = k * role.size * 1.4;
            out.push_back(std::move(r));
        }
    return out;
}

struct Furniture {
    bool masthead = false;
    HeadBlock masthead_block;
    HeadBlock contents;   // page 1 foot
    HeadBlock tail;       // 报尾, last page foot
    std::string running;  // running head text of later pages
    bool jumps = false;
};

struct StoryPages {
    int first_page = 0;
};

class Paginator {
public:
    Paginator(ComposeContext& cx, const Style& style, const Geometry& g, const std::string& lang)
        : cx_(cx), style_(style), g_(g), lang_(lang), cjk_(is_cjk_lang(lang)) {}

    std::vector<StoryPages> run(std::vector<Story>& stories, const Furniture& f, Layout& layout) {
        layout_ = &layout;
        std::vector<StoryPages> where(stories.size());
        new_page();
        if (f.masthead) {
            place_items(page(), f.masthead_block.items, g_.left, g_.row_y(0));
            row_ = f.masthead_block.rows;
        }
        limit_ = g_.rows - f.contents.rows;
        const FillRules rules;
        for (size_t s = 0; s < stories.size(); ++s) {
            Story& st = stories[s];
            // A story starts where its head and its first lines (or its
            // lead picture) fit.
            int first = st.body.empty() ? 0 : rows_needed(st.body, 0, rules);
            if (first > g_.rows - st.head.rows) first = 3;
            if (row_ > 0 && row_ + st.head.rows + std::max(first, 3) > limit_) new_page();
            where[s].first_page = static_cast<int>(layout.pages.size()) - 1;
            page().items.push_back(Anchor{"story-" + std::to_string(s + 1), g_.left, g_.row_y(row_)});
            layout.outline.push_back({st.title, 1, static_cast<int>(layout.pages.size()) - 1, g_.left, g_.row_y(row_)});
            place_items(page(), st.head.items, g_.left, g_.row_y(row_));
            row_ += st.head.rows;
            size_t k = 0;
            for (int part = 1;; ++part) {
                int area = limit_ - row_;
                FillResult fr = fill_balanced(st.body, k, g_.columns, area, rules, f.jumps ? 1 : 0, g_.rows);
                // Nothing fits on a fresh page (a keep as tall as the area
                // less the jump row): set it without the reserve.
                if (fr.next == k && fresh_)
                    fr = fill_balanced(st.body, k, g_.columns, area, rules, 0, area);
                for (size_t i = 0; i < fr.placed.size(); ++i) place_flow_item(st.body[k + i], fr.placed[i]);
                if (!fr.placed.empty()) fresh_ = false;
                k = fr.next;
                if (k >= st.body.size()) {
                    row_ += fr.height + 1;
                    if (s + 1 < stories.size() && row_ < limit_) {
                        double y = g_.row_y(row_) - 0.5 * g_.pitch;
                        page().items.push_back(Rule{g_.left, y, g_.left + g_.text_width, y, style_.rule_width, style_.accent});
                    }
                    break;
                }
                const int from_page = static_cast<int>(layout.pages.size());  // 1-based number of this page
                if (f.jumps) {
                    std::string text = cjk_ ? "（转第" + std::to_string(from_page + 1) + "版）"
                                            : "Continued on page " + std::to_string(from_page + 1);
                    std::string here = "story-" + std::to_string(s + 1) + "-jump-" + std::to_string(part);
                    std::string there = "story-" + std::to_string(s + 1) + "-cont-" + std::to_string(part);
                    double x = g_.column_x(g_.columns - 1), y = g_.row_y(limit_ - 1);
                    place_items(page(), one_line(cx_, text, style_.jump, g_.column_width, Align::End, lang_), x,
                                y + g_.baseline_offset());
                    page().items.push_back(LinkArea{x, y, g_.column_width, g_.pitch, "", there});
                    page().items.push_back(Anchor{here, x, y});
                    new_page();
                    // The continuation: the title again, then 上接.
                    std::string back = cjk_ ? "（接第" + std::to_string(from_page) + "版）"
                                            : "Continued from page " + std::to_string(from_page);
                    page().items.push_back(Anchor{there, g_.left, g_.row_y(row_)});
                    HeadBlock title = text_block(cx_, st.title, style_.heading2, g_.text_width, g_, {});
                    place_items(page(), title.items, g_.left, g_.row_y(row_));
                    row_ += title.rows;
                    double by = g_.row_y(row_);
                    place_items(page(), one_line(cx_, back, style_.jump, g_.text_width, Align::Center, lang_), g_.left,
                                by + g_.baseline_offset());
                    page().items.push_back(LinkArea{g_.left, by, g_.text_width, g_.pitch, "", here});
                    row_ += 1;
                } else {
                    new_page();
                }
            }
        }
        // 报尾 at the foot of the last page (above the contents box on a
        // one-page issue), or of a page of its own.
        if (f.tail.rows > 0) {
            if (row_ + f.tail.rows > limit_) new_page();
            place_items(page(), f.tail.items, g_.left, g_.row_y(limit_ - f.tail.rows));
        }
        // Contents box at the foot of page 1.
        if (f.contents.rows > 0)
            place_items(layout.pages[0], f.contents.items, g_.left, g_.row_y(g_.rows - f.contents.rows));
        // Running heads and folios.
        for (size_t p = 0; p < layout.pages.size(); ++p) {
            Frame& pg = layout.pages[p];
            if (p > 0 && !f.running.empty()) {
                double y = g_.top - 0.6 * g_.pitch;
                place_items(pg, one_line(cx_, f.running, style_.running_head, g_.text_width, Align::Center, lang_),
                            g_.left, y);
                double ry = g_.top - 0.3 * g_.pitch;
                pg.items.push_back(Rule{g_.left, ry, g_.left + g_.text_width, ry, style_.rule_width, style_.accent});
            }
            // "- 1 -": a lone — may not start a line; shaped as Latin so
            // the spaces stay.
            std::string folio = "- " + std::to_string(p + 1) + " -";
            place_items(pg, one_line(cx_, folio, style_.folio, g_.text_width, Align::Center, "en"), g_.left,
                        g_.bottom + 1.5 * g_.pitch);
        }
        return where;
    }

private:
    Frame& page() { return layout_->pages.back(); }
    void new_page() {
        fresh_ = true;
        Frame f;
        f.width = style_.page_width;
        f.height = style_.page_height;
        layout_->pages.push_back(std::move(f));
        row_ = 0;
        limit_ = g_.rows;
    }
    void place_flow_item(const FlowItem& it, const Placement& at) {
        double x = g_.column_x(at.column), y = g_.row_y(row_ + at.row);
        if (it.outline_level > 0)
            layout_->outline.push_back({it.outline_title, it.outline_level, static_cast<int>(layout_->pages.size()) - 1, x, y});
        place_items(page(), it.items, x, y);
        if (it.bar) {
            double bx = x - 0.6 * g_.em;
            page().items.push_back(Rule{bx, y, bx, y + it.rows * g_.pitch, 1.5 * style_.rule_width, style_.accent});
        }
    }

    ComposeContext& cx_;
    const Style& style_;
    const Geometry& g_;
    std::string lang_;
    bool cjk_;
    Layout* layout_ = nullptr;
    int row_ = 0;
    int limit_ = 0;
    bool fresh_ = true;  // nothing of a story placed on this page yet
};

// The 报头 (bulletin) or nameplate (newspaper) as a block of whole rows.
HeadBlock masthead(ComposeContext& cx, const Issue& issue, const Style& style, const Geometry& g, bool cjk) {
    HeadBlock b;
    const std::string& lang = cx.lang;
    double y = 0;
    auto line = [&](const std::string& text, const TextRole& role, Align align, double pitch) {
        auto items = one_line(cx, text, role, g.text_width, align, lang);
        translate(items, 0, y + 0.5 * pitch + 0.38 * role.size);
        for (auto& it : items) b.items.push_back(std::move(it));
        y += pitch;
    };
    if (!issue.classification.empty()) line(issue.classification, style.masthead_info, Align::Start, style.masthead_info.line_pitch);
    line(issue.newsletter, style.masthead, Align::Center, style.masthead.line_pitch);
    if (!issue.tagline.empty() && style.masthead_kind == Style::Masthead::Newspaper)
        line(issue.tagline, style.masthead_info, Align::Center, style.masthead_info.line_pitch);
    if (!issue.issue_label.empty()) line(issue.issue_label, style.masthead_info, Align::Center, style.masthead_info.line_pitch);
    // 编印单位 left, date right, on one line right above the rule.
    std::string date = issue.date ? format_date(*issue.date, cjk, false) : "";
    std::string left = issue.issuer.empty() && style.masthead_kind == Style::Masthead::Bulletin ? issue.tagline : issue.issuer;
    if (!left.empty() || !date.empty()) {
        double pitch = style.masthead_info.line_pitch;
        double base = y + 0.5 * pitch + 0.38 * style.masthead_info.size;
        if (!left.empty()) {
            auto items = one_line(cx, left, style.masthead_info, g.text_width, Align::Start, lang);
            translate(items, 0, base);
            for (auto& it : items) b.items.push_back(std::move(it));
        }
        if (!date.empty()) {
            auto items = one_line(cx, date, style.masthead_info, g.text_width, Align::End, lang);
            translate(items, 0, base);
            for (auto& it : items) b.items.push_back(std::move(it));
        }
        y += pitch;
    }
    y += 4 * 72 / 25.4 - 0.3 * style.masthead_info.line_pitch;  // the rule 4 mm below (GB/T 9704)
    b.items.push_back(Rule{0, y, g.text_width, y, 1.5, style.accent});
    if (style.masthead_kind == Style::Masthead::Newspaper)
        b.items.push_back(Rule{0, y + 2.5, g.text_width, y + 2.5, 0.5, style.accent});
    b.rows = static_cast<int>(std::ceil(y / g.pitch - 1e-6)) + 1;
    return b;
}

// 本期导读: every story with the page it starts on, in the columns.
HeadBlock contents_box(ComposeContext& cx, const std::vector<Story>& stories, const std::vector<int>& pages,
                       const Style& style, const Geometry& g, bool cjk) {
    HeadBlock b;
    const std::string& lang = cx.lang;
    // Room for the widest page label a long issue prints ("第88版").
    const std::string widest = cjk ? "第88版" : "88";
    auto probe = compose(cx, style_text(widest, style.contents, lang, {}), {g.column_width, 0, Align::Start, false});
    const double number_width = (probe.empty() ? 3 * style.contents.size : probe.front().width) + style.contents.size;
    // Each entry: the title (ragged) with the page number at the end of its
    // last line; entries flow through the columns like a story.
    std::vector<FlowItem> entries;
    for (size_t s = 0; s < stories.size(); ++s) {
        auto lines = compose(cx, style_text(stories[s].title, style.contents, lang, {}),
                             {g.column_width - number_width, 0, Align::Start, false});
        auto items = line_items(lines, 0, g);
        if (items.empty()) continue;
        std::string num = cjk ? "第" + std::to_string(pages[s]) + "版" : std::to_string(pages[s]);
        auto n = one_line(cx, num, style.contents, g.column_width, Align::End, lang);
        translate(n, 0, g.baseline_offset());
        for (auto& it : n) items.back().items.push_back(std::move(it));
        for (auto& it : items) it.para_lines = 1;  // entries may break anywhere
        // The whole entry links to the story.
        FlowItem& first = items.front();
        first.items.push_back(LinkArea{0, 0, g.column_width, g.pitch * items.size(), "",
                                       "story-" + std::to_string(s + 1)});
        for (auto& it : items) entries.push_back(std::move(it));
    }
    FillResult fr = fill_balanced(entries, 0, g.columns, 1000, FillRules{1}, 0);
    HeadBlock title = text_block(cx, cjk ? "本期导读" : "In this issue", style.contents_title, g.text_width, g, {});
    // Rows: a rule, the title, the entries, a rule.
    double top = 0.5 * g.pitch;
    b.items.push_back(Rule{0, top, g.text_width, top, style.rule_width, style.accent});
    for (auto it : title.items) {
        std::vector<FrameItem> one{it};
        translate(one, 0, g.pitch);
        b.items.push_back(one.front());
    }
    int first_row = 1 + title.rows;
    for (size_t i = 0; i < fr.placed.size(); ++i) {
        std::vector<FrameItem> items = entries[i].items;
        translate(items, g.column_x(fr.placed[i].column) - g.left, (first_row + fr.placed[i].row) * g.pitch);
        for (auto& it : items) b.items.push_back(std::move(it));
    }
    b.rows = first_row + fr.height + 1;
    double bottom = (b.rows - 0.5) * g.pitch;
    b.items.push_back(Rule{0, bottom, g.text_width, bottom, style.rule_width, style.accent});
    return b;
}

// 报尾: distribution lines between rules, copies on the right, credits.
HeadBlock tail_block(ComposeContext& cx, const Issue& issue, const Style& style, const Geometry& g, bool cjk) {
    HeadBlock b;
    if (issue.distribution.empty() && issue.copies == 0 && issue.credits.empty()) return b;
    const std::string& lang = cx.lang;
    const TextRole& role = style.masthead_info;
    int row = 0;
    auto rule = [&](double w) {
        double y = row * g.pitch + (row == 0 ? 0.2 * g.pitch : 0);
        b.items.push_back(Rule{0, y, g.text_width, y, w, Color{}});
    };
    rule(1.0);  // 0.35 mm
    const double inset = role.size;  // 1 字 in from each side
    for (const DistributionLine& d : issue.distribution) {
        std::string text = d.key + (cjk ? "：" : ": ") + join(d.names, cjk ? "，" : ", ");
        auto lines = compose(cx, style_text(text, role, lang, {}), {g.text_width - 2 * inset, 0, Align::Start, false});
        for (auto& l : lines) {
            auto items = line_items({l}, inset, g);
            translate(items.front().items, 0, row * g.pitch);
            for (auto& it : items.front().items) b.items.push_back(std::move(it));
            ++row;
        }
    }
    if (!issue.credits.empty() || issue.copies > 0) {
        if (row > 0) rule(0.7);  // 0.25 mm
        std::string left;
        for (const Credit& c : issue.credits) left += (left.empty() ? "" : cjk ? "　" : "  ") + c.role + (cjk ? "：" : ": ") + c.name;
        std::string right = issue.copies > 0 ? (cjk ? "（共印" + std::to_string(issue.copies) + "份）"
                                                    : std::to_string(issue.copies) + " copies")
                                             : "";
        double base = row * g.pitch + g.baseline_offset();
        if (!left.empty()) {
            auto items = one_line(cx, left, role, g.text_width - 2 * inset, Align::Start, lang);
            translate(items, inset, base);
            for (auto& it : items) b.items.push_back(std::move(it));
        }
        if (!right.empty()) {
            auto items = one_line(cx, right, role, g.text_width - 2 * inset, Align::End, lang);
            translate(items, inset, base);
            for (auto& it : items) b.items.push_back(std::move(it));
        }
        ++row;
    }
    rule(1.0);
    b.rows = row;
    return b;
}

// What one document's layout shares: its language, style, grid, Pango
// context and stage clock.
struct DocumentRun {
    StageTimes local;
    StageTimes& times;
    std::string lang;
    bool cjk;
    Style style;
    Geometry g;
    PangoContext* pango;
    ComposeContext cx;
    Clock::time_point start = Clock::now();
    double text_before;

    DocumentRun(FontContext& fonts, const Style& base, const std::string& language, Diagnostics& diags,
                StageTimes* t)
        : times(t ? *t : local), lang(language), cjk(is_cjk_lang(language)),
          style(style_for_language(base, language)), g(geometry(style)), pango(new_pango_context(fonts)),
          cx{fonts, pango, style, lang, diags, times}, text_before(times.shape + times.linebreak) {}
    DocumentRun(const DocumentRun&) = delete;
    DocumentRun& operator=(const DocumentRun&) = delete;
    // Flow time is what the page building took besides shaping and breaking.
    ~DocumentRun() {
        times.flow += ms_since(start) - (times.shape + times.linebreak - text_before);
        g_object_unref(pango);
    }
};

}  // namespace

Layout layout_article(const Document& doc, const Style& base_style, FontContext& fonts, Diagnostics& diags,
                      StageTimes* times_out) {
    DocumentRun run(fonts, base_style, doc.lang.empty() ? base_style.lang : doc.lang, diags, times_out);
    Layout layout;
    layout.title = doc.title;
    layout.author = join(doc.byline, run.cjk ? "、" : ", ");
    layout.subject = doc.summary;
    layout.keywords = join(doc.tags, ", ");
    layout.lang = run.lang;
    if (doc.dateline && doc.dateline->date) layout.date = iso_date(*doc.dateline->date);
    StoryOptions options;
    options.wide_lead = true;
    layout.structure = {{"Document", -1, ""}};
    options.structure = &layout.structure;
    std::vector<Story> stories{build_story(doc, run.cx, run.g, options)};
    Paginator(run.cx, run.style, run.g, run.lang).run(stories, Furniture{}, layout);
    return layout;
}

Layout layout_issue(const Issue& issue, const Style& base_style, FontContext& fonts, Diagnostics& diags,
                    StageTimes* times_out) {
    DocumentRun run(fonts, base_style, !issue.lang.empty() ? issue.lang : base_style.lang, diags, times_out);
    const bool cjk = run.cjk;
    const std::string& lang = run.lang;
    const Style& style = run.style;
    const Geometry& g = run.g;
    ComposeContext& cx = run.cx;
    Layout layout;
    layout.title = issue.newsletter + (issue.issue_label.empty() ? "" : " " + issue.issue_label);
    layout.lang = lang;
    if (issue.date) layout.date = iso_date(*issue.date);
    // Authors and keywords of all its articles, each once, in order.
    std::vector<std::string> authors, keywords;
    auto add_once = [](std::vector<std::string>& v, const std::string& s) {
        if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
    };
    for (auto& a : issue.articles) {
        for (auto& n : a.doc.byline) add_once(authors, n);
        for (auto& t : a.doc.tags) add_once(keywords, t);
    }
    layout.author = join(authors, cjk ? "、" : ", ");
    layout.keywords = join(keywords, ", ");
    layout.subject = issue.tagline;

    // The lead story first; each story in its own language.
    std::vector<const IssueArticle*> order;
    for (auto& a : issue.articles)
        if (a.lead) order.push_back(&a);
    for (auto& a : issue.articles)
        if (!a.lead) order.push_back(&a);
    std::vector<Story> stories;
    layout.structure = {{"Document", -1, ""}};
    for (const IssueArticle* a : order) {
        std::string alang = a->doc.lang.empty() ? lang : a->doc.lang;
        Style astyle = style_for_language(base_style, alang);
        ComposeContext acx{fonts, run.pango, astyle, alang, diags, run.times};
        StoryOptions options;
        options.wide_lead = a->lead;  // the front page's lead picture spans the page
        options.structure = &layout.structure;
        stories.push_back(build_story(a->doc, acx, g, options));
    }
    Furniture f;
    f.masthead = true;
    f.masthead_block = masthead(cx, issue, style, g, cjk);
    f.jumps = true;
    std::vector<std::string> running{issue.newsletter};
    if (!issue.issue_label.empty()) running.push_back(issue.issue_label);
    if (issue.date) running.push_back(format_date(*issue.date, cjk, false));
    f.running = join(running, cjk ? "　" : " · ");
    f.tail = tail_block(cx, issue, style, g, cjk);
    // Two passes: the contents box lists page numbers the layout decides;
    // its size does not depend on them, so the second pass lands the same.
    std::vector<int> pages(stories.size(), 0);
    for (int pass = 0; pass < 2; ++pass) {
        f.contents = contents_box(cx, stories, pages, style, g, cjk);
        layout.pages.clear();
        layout.outline = {{layout.title, 0, 0, g.left, g.top}};
        auto where = Paginator(cx, style, g, lang).run(stories, f, layout);
        for (size_t s = 0; s < where.size(); ++s) pages[s] = where[s].first_page + 1;
    }
    return layout;
}

}  // namespace galley
