#include "compose/furniture.h"

#include <cmath>
#include <string_view>

#include "common/dates.h"
#include "common/language.h"
#include "common/strings.h"
#include "common/utf8.h"
#include "style/cascade.h"
#include "style/locale.h"
#include "text/words.h"

namespace galley {
namespace {

void place(std::vector<FrameItem>& out, std::vector<FrameItem> items, double dx, double dy) {
    translate(items, dx, dy);
    for (auto& it : items) out.push_back(std::move(it));
}

}  // namespace

namespace {

// Lines of text in a role, each on a band of the role's pitch from y;
// returns the new y.
double stacked(HeadBlock& b, const std::vector<SetLine>& lines, const TextRole& role, double y) {
    for (const SetLine& l : lines) {
        add_runs(b.items, l, 0, y + baseline_in(role.line_pitch, role.size));
        y += role.line_pitch;
    }
    return y;
}

// The newsletter's name at the largest size, from its role's down to the
// style's minimum, that fits the measure on one line; at the minimum, in
// balanced lines. The pitch shrinks with the size.
std::pair<TextRole, std::vector<SetLine>> fitted_name(ComposeContext& cx, const std::string& name, double width) {
    TextRole role = cx.style.masthead;
    const double full = role.size, pitch = role.line_pitch > 0 ? role.line_pitch : 1.2 * full;
    const double least = std::min(full, cx.style.masthead_min_size);
    for (double size = full;; size = std::max(least, size - 1)) {
        role.size = size;
        role.line_pitch = pitch * size / full;
        const auto& lines = compose(cx, style_text(name, role, cx.lang, {}), headline_options(width, Align::Center));
        if (lines.size() <= 1 || size <= least) return {role, lines};
    }
}

}  // namespace

HeadBlock masthead(ComposeContext& cx, const Issue& issue, const Geometry& g) {
    const Style& style = cx.style;
    const bool newspaper = style.masthead_kind == Style::Masthead::Newspaper;
    TextRole info = style.masthead_info;
    info.line_pitch = role_pitch(info, g.pitch);
    HeadBlock b;
    double y = 0;
    auto line = [&](const std::string& text, const TextRole& role, Align align) {
        const auto& lines = compose(cx, style_text(text, role, cx.lang, {}), headline_options(g.text_width, align));
        y = stacked(b, lines, role, y);
    };
    if (!issue.classification.empty()) line(issue.classification, info, Align::Start);
    auto [name_role, name] = fitted_name(cx, issue.newsletter, g.text_width);
    y = stacked(b, name, name_role, y);
    // The tagline under the name, unless a bulletin without an issuer sets it left of the date.
    if (!issue.tagline.empty() && (newspaper || !issue.issuer.empty())) line(issue.tagline, info, Align::Center);
    if (!issue.issue_label.empty()) line(issue.issue_label, info, Align::Center);
    // 编印单位 left, date right, on one line right above the rule; on two
    // when they would meet.
    std::string date = issue.date ? format_date(*issue.date, is_cjk_lang(cx.lang), false) : "";
    std::string left = issue.issuer.empty() && !newspaper ? issue.tagline : issue.issuer;
    if (!left.empty() || !date.empty()) {
        auto width = [&](const std::string& t) {
            const auto& l = compose(cx, style_text(t, info, cx.lang, {}), {g.text_width, 0, Align::Start, false});
            return l.size() == 1 ? l.front().width : g.text_width;
        };
        if (!left.empty() && !date.empty() && width(left) + width(date) + 2 * info.size > g.text_width) {
            line(left, info, Align::Start);
            line(date, info, Align::End);
        } else {
            double base = y + baseline_in(info.line_pitch, info.size);
            if (!left.empty()) place(b.items, one_line(cx, left, info, g.text_width, Align::Start), 0, base);
            if (!date.empty()) place(b.items, one_line(cx, date, info, g.text_width, Align::End), 0, base);
            y += info.line_pitch;
        }
    }
    y += 4 * 72 / 25.4 - 0.3 * info.line_pitch;  // the rule 4 mm below (GB/T 9704)
    b.items.push_back(Rule{0, y, g.text_width, y, 1.5, style.accent});
    if (newspaper) b.items.push_back(Rule{0, y + 2.5, g.text_width, y + 2.5, 0.5, style.accent});
    b.rows = static_cast<int>(std::ceil(y / g.pitch - 1e-6)) + 1;
    return b;
}

HeadBlock tail_block(ComposeContext& cx, const Issue& issue, const Geometry& g) {
    HeadBlock b;
    if (issue.distribution.empty() && issue.copies == 0 && issue.credits.empty()) return b;
    const Locale& words = locale_for(cx.lang);
    const TextRole& role = cx.style.masthead_info;
    int row = 0;
    auto rule = [&](double w) {
        double y = row * g.pitch + (row == 0 ? 0.2 * g.pitch : 0);
        b.items.push_back(Rule{0, y, g.text_width, y, w, Color{}});
    };
    rule(1.0);  // 0.35 mm
    const double inset = role.size;  // 1 字 in from each side
    for (const DistributionLine& d : issue.distribution) {
        std::string text = d.key + words.label + join(d.names, words.names);
        for (const SetLine& l : compose(cx, style_text(text, role, cx.lang, {}), {g.text_width - 2 * inset, 0, Align::Start, false})) {
            std::vector<FrameItem> items;
            add_runs(items, l, inset, g.baseline_offset());
            place(b.items, std::move(items), 0, row * g.pitch);
            ++row;
        }
    }
    if (!issue.credits.empty() || issue.copies > 0) {
        if (row > 0) rule(0.7);  // 0.25 mm
        std::string left;
        for (const Credit& c : issue.credits) left += (left.empty() ? "" : words.credits) + c.role + words.label + c.name;
        std::string right = issue.copies > 0 ? fill(words.copies, std::to_string(issue.copies)) : "";
        double base = row * g.pitch + g.baseline_offset();
        if (!left.empty()) place(b.items, one_line(cx, left, role, g.text_width - 2 * inset, Align::Start), inset, base);
        if (!right.empty()) place(b.items, one_line(cx, right, role, g.text_width - 2 * inset, Align::End), inset, base);
        ++row;
    }
    rule(1.0);
    b.rows = row;
    return b;
}

namespace {

// The widest page label a long issue prints ("第88版"), and the room an
// entry's lines leave for it: the label and an em (leaders fill what the
// last line leaves beyond that).
double label_room(ComposeContext& cx, const Geometry& g) {
    const TextRole& role = cx.style.contents;
    const auto& probe = compose(cx, style_text(locale_for(cx.lang).widest_page_label, role, cx.lang, {}),
                                {g.column_width, 0, Align::Start, false});
    return (probe.empty() ? 3 * role.size : probe.front().width) + role.size;
}

// Dot leaders from `from` to `to` on a baseline, as round dots (zero-length
// rules with round caps) rather than a row of · or … glyphs: they are drawn,
// not text, so a reader's copy or an extractor sees "title 第3版" and not a
// title glued to a run of dots; no font has to hold the dot. The dots sit on
// one grid across the box (multiples of their pitch from the column's left),
// so the leaders of all entries line up; in Chinese at the middle of the
// characters (like ……), in English on the baseline (like periods).
void leaders(std::vector<FrameItem>& out, const ComposeContext& cx, double x0, double from, double to,
             double baseline) {
    const TextRole& role = cx.style.contents;
    const double em = role.size, step = 0.5 * em, dot = 0.14 * em, margin = 0.4 * em;
    const double y = baseline - (is_cjk_lang(cx.lang) ? 0.36 * em : dot / 2);
    for (double x = std::ceil((from + margin) / step) * step; x <= to - margin + 1e-6; x += step)
        out.push_back(Rule{x0 + x, y, x0 + x, y, dot, role.color, true});
}

// `text` in `role` justified across `width` in `most` lines at most: whole
// when it fits, else cut after the last clause (in English, word) that
// leaves room for the ellipsis, or after a word when none does.
std::vector<SetLine> excerpt(ComposeContext& cx, const std::string& text, const TextRole& role, double width,
                             int most) {
    const ComposeOptions o{width, 0, Align::Justify, false};
    auto set = [&](const std::string& t) { return compose(cx, style_text(t, role, cx.lang, {}), o); };
    std::vector<SetLine> whole = set(text);
    if (static_cast<int>(whole.size()) <= most) return whole;
    const bool cjk = is_cjk_lang(cx.lang);
    const std::string mark = cjk ? "\u2026\u2026" : "\u2026";
    std::vector<size_t> clauses, words;  // byte offsets the text may be cut at
    const std::vector<char> starts = word_starts(text, cx.lang);
    for (size_t i = 0; i < text.size();) {
        const Utf8Char c = utf8_decode(text, i);
        if (c.len == 0) break;
        if (starts[i]) words.push_back(i);
        if (cjk ? std::u32string_view(U"，、；：。！？").find(c.cp) != std::u32string_view::npos : c.cp == U' ')
            clauses.push_back(i);  // before the mark (or space): the ellipsis stands for it
        i += c.len;
    }
    for (const std::vector<size_t>* cuts : {&clauses, &words}) {
        // The longest cut that fits: fewer characters never take more lines.
        size_t lo = 0, hi = cuts->size();
        while (lo < hi) {
            const size_t mid = (lo + hi) / 2;
            if (static_cast<int>(set(text.substr(0, (*cuts)[mid]) + mark).size()) <= most) lo = mid + 1;
            else hi = mid;
        }
        if (lo > 0 && (*cuts)[lo - 1] > 0) return set(text.substr(0, (*cuts)[lo - 1]) + mark);
    }
    return {};
}

}  // namespace

ContentsBox contents_box(ComposeContext& cx, const std::vector<Story>& stories, const Geometry& g,
                         int entry_lines) {
    const Style& style = cx.style;
    const Locale& words = locale_for(cx.lang);
    const double number_width = label_room(cx, g);
    // Each entry: the title (ragged, balanced, broken between words) with
    // the page number at the end of its last line; entries flow through
    // the columns like a story.
    std::vector<FlowItem> entries;
    std::vector<size_t> last_line(stories.size(), SIZE_MAX);  // entry index of each story's last line
    std::vector<size_t> label_at(stories.size(), 0);           // its items before the label
    std::vector<double> text_end(stories.size(), 0);           // where its last line's text ends
    for (size_t s = 0; s < stories.size(); ++s) {
        // In the story's own language and faces: an English title in a
        // Chinese issue keeps Latin quotes and spacing.
        ComposeContext own{cx.composer, stories[s].contents_style, stories[s].lang};
        // Titles over their summaries stand out in bold; the summaries in grey.
        TextRole title_role = stories[s].contents_style.contents, summary_role = title_role;
        title_role.bold = title_role.bold || entry_lines > 0;
        summary_role.color = stories[s].contents_style.summary.color;
        const auto& lines = compose(own, style_text(stories[s].title, title_role, own.lang, {}),
                                    headline_options(g.column_width - number_width, Align::Start));
        auto items = line_items(lines, 0, g);
        if (items.empty()) continue;
        text_end[s] = lines.back().width;
        label_at[s] = items.back().items.size();
        for (auto& it : items) it.para_lines = 1;  // titles may break anywhere
        // The title links to the story.
        items.front().items.push_back(
            LinkArea{0, 0, g.column_width, g.pitch * items.size(), "", "story-" + std::to_string(s + 1)});
        last_line[s] = entries.size() + items.size() - 1;
        // Its summary follows as a paragraph of its own (no line alone), the
        // title kept with its first lines.
        const int room = entry_lines - static_cast<int>(items.size());
        if (room > 0 && !stories[s].summary.empty()) {
            auto more = line_items(excerpt(own, stories[s].summary, summary_role, g.column_width, room), 0, g);
            if (!more.empty()) items.back().keep_with_next = true;
            for (auto& it : more) items.push_back(std::move(it));
        }
        for (auto& it : items) entries.push_back(std::move(it));
    }
    FillResult fr = fill_balanced(entries, 0, g.columns, 1000, FillRules{entry_lines > 0 ? 2 : 1}, 0);
    HeadBlock title = text_block(cx, words.contents_title, style.contents_title, g.text_width, g, {});
    // Rows: a rule, the title, the entries, a rule.
    ContentsBox box;
    HeadBlock& b = box.block;
    double top = 0.5 * g.pitch;
    b.items.push_back(Rule{0, top, g.text_width, top, style.rule_width, style.accent});
    place(b.items, title.items, 0, g.pitch);
    int first_row = 1 + title.rows;
    for (size_t i = 0; i < fr.placed.size(); ++i) {
        size_t start = b.items.size();
        double dx = g.column_x(fr.placed[i].column) - g.left, dy = (first_row + fr.placed[i].row) * g.pitch;
        place(b.items, entries[i].items, dx, dy);
        for (size_t s = 0; s < stories.size(); ++s)
            if (last_line[s] == i) {
                box.labels.push_back({start + label_at[s], dx, dy, text_end[s]});
                box.story.push_back(s);
            }
    }
    b.rows = first_row + fr.height + 1;
    double bottom = (b.rows - 0.5) * g.pitch;
    b.items.push_back(Rule{0, bottom, g.text_width, bottom, style.rule_width, style.accent});
    return box;
}

HeadBlock with_pages(ComposeContext& cx, const ContentsBox& box, const std::vector<int>& pages, const Geometry& g) {
    const Locale& words = locale_for(cx.lang);
    const TextRole& role = cx.style.contents;
    HeadBlock b = box.block;
    // From the last label back, so the earlier places stay where they are.
    for (size_t k = box.labels.size(); k-- > 0;) {
        const auto& label = box.labels[k];
        const std::string text = fill(words.page_label, std::to_string(pages[box.story[k]]));
        auto n = one_line(cx, text, role, g.column_width, Align::End);
        translate(n, 0, g.baseline_offset());
        translate(n, label.dx, label.dy);
        const auto& set = compose(cx, style_text(text, role, cx.lang, {}), {g.column_width, 0, Align::End, false});
        const double label_x = g.column_width - (set.empty() ? 0 : set.front().width);
        leaders(n, cx, label.dx, label.end, label_x, label.dy + g.baseline_offset());
        b.items.insert(b.items.begin() + label.at, n.begin(), n.end());
    }
    return b;
}

}  // namespace galley
