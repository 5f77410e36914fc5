// The engine: the stages in order, and nothing else.
//   load -> style -> compose -> make-up -> paint -> archive
#include "galley/engine.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <cmath>

#include "archive/archive.h"
#include "common/dates.h"
#include "common/language.h"
#include "common/strings.h"
#include "common/timing.h"
#include "compose/furniture.h"
#include "flow/pages.h"
#include "galley/paint.h"
#include "style/cascade.h"
#include "style/locale.h"
#include "text/font_context.h"

namespace galley {
namespace {

namespace fs = std::filesystem;

// One document's composition: its language, style, grid and composer;
// flow time is what make-up took besides shaping and breaking.
struct DocumentRun {
    RunStats local;
    RunStats& stats;
    std::string lang;
    Style style;
    Geometry g;
    Composer composer;
    ComposeContext cx;
    Clock::time_point start = Clock::now();
    double text_before;
    std::shared_ptr<PaintFaces> faces;

    DocumentRun(FontContext& fonts, const Style& base, const std::string& language, Diagnostics& diags,
                RunStats* s)
        : stats(s ? *s : local), lang(language), style(style_for_language(base, language)), g(geometry(style)),
          composer(fonts, diags, stats), cx{composer, style, lang}, text_before(stats.shape + stats.linebreak),
          faces(fonts.paint_faces) {}
    DocumentRun(const DocumentRun&) = delete;
    DocumentRun& operator=(const DocumentRun&) = delete;

    // The composed pages take the document's font table with them, and
    // where painters open its files.
    void finish(Layout& layout) {
        layout.fonts = std::move(composer.font_table.faces);
        layout.faces = faces;
        stats.flow += ms_since(start) - (stats.shape + stats.linebreak - text_before);
    }
};

// Make-up's text, answered from the composer's memo: each distinct
// string is shaped once however often a page prints it.
FurnitureText furniture_text(ComposeContext& cx, ComposeContext& latin, const Geometry& g,
                             std::function<HeadBlock(const std::vector<int>&, int)> contents) {
    FurnitureText t;
    t.line = [&cx](const std::string& text, const TextRole& role, double width, Align align) {
        return one_line(cx, text, role, width, align);
    };
    t.folio = [&latin, &g](const std::string& text) {
        return one_line(latin, text, latin.style.folio, g.text_width, Align::Center);
    };
    t.contents = std::move(contents);
    return t;
}

MakeupRules makeup_rules(const Style& style, bool reorder) {
    MakeupRules r;
    r.min_start_lines = style.min_start_lines;
    r.min_start_per_column = style.min_start_per_column;
    r.min_continuation = style.min_continuation;
    r.reorder = reorder;
    return r;
}

// Authors and tags of all its articles, each once, in order.
void add_once(std::vector<std::string>& v, const std::vector<std::string>& more) {
    for (const auto& s : more)
        if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// Body lines set on a page: distinct baselines in each column.
int lines_on(const Frame& page) {
    std::set<std::pair<long, long>> lines;
    for (const FrameItem& item : page.items)
        if (auto* r = std::get_if<GlyphRun>(&item); r && r->tag != kArtifact)
            lines.insert({std::lround(r->x / 50), std::lround(r->y)});
    return static_cast<int>(lines.size());
}

// `pages: N` in the manifest: an issue that needs more pages is an error
// naming how far over it is and its longest stories; one whose stories
// fall short is spread to fill them, and says by how many rows.
void check_page_budget(const Issue& issue, const std::vector<Story>& stories, const Layout& layout, int spread,
                       Diagnostics& diags) {
    const int n = issue.pages, m = static_cast<int>(layout.pages.size());
    if (m < n) {
        warning(diags, issue.pages_pos,
                "the stories fill " + std::to_string(m) + " of the " + std::to_string(n) + " pages asked for");
        return;
    }
    if (m == n && spread > 0)
        warning(diags, issue.pages_pos,
                "the stories fall short of " + std::to_string(n) + " pages: " + std::to_string(spread) +
                    " blank rows are spread over them");
    if (m == n) return;
    int over = 0;
    for (int p = n; p < m; ++p) over += lines_on(layout.pages[p]);
    std::vector<std::pair<int, size_t>> sizes;
    for (size_t s = 0; s < stories.size(); ++s) {
        int rows = stories[s].head.rows;
        for (const FlowItem& it : stories[s].body) rows += it.rows;
        sizes.push_back({rows, s});
    }
    std::sort(sizes.rbegin(), sizes.rend());
    std::string longest;
    for (size_t k = 0; k < sizes.size() && k < 3; ++k)
        longest += (k ? ", " : "") + std::string("'") + stories[sizes[k].second].title + "' (" +
                   std::to_string(sizes[k].first) + " rows)";
    error(diags, issue.pages_pos,
          "the stories need " + std::to_string(m) + " pages, " + std::to_string(n) + " allowed: " +
              std::to_string(over) + " lines over; the longest are " + longest);
}

struct IssueStories {
    std::vector<Story> stories;
    std::optional<StyledDocument> lead;  // the lead's styled text, when it has a lead picture in its head
};

IssueStories issue_stories(const Issue& issue, const Style& base, DocumentRun& run, Layout& layout) {
    // The lead story first; each story in its own language.
    std::vector<const IssueArticle*> order;
    for (auto& a : issue.articles)
        if (a.lead) order.push_back(&a);
    for (auto& a : issue.articles)
        if (!a.lead) order.push_back(&a);
    IssueStories out;
    for (const IssueArticle* a : order) {
        StyledDocument styled = style_document(a->doc, base, a->doc.lang.empty() ? run.lang : a->doc.lang);
        StoryOptions options;
        options.wide_lead = a->lead;  // the front page's lead picture spans the page
        options.structure = &layout.structure;
        out.stories.push_back(build_story(styled, run.composer, run.g, options));
        if (out.stories.size() == 1 && out.stories[0].lead_in_head) out.lead = std::move(styled);
    }
    return out;
}

// The lead starts on page 1 under the masthead: when its head and a few
// lines do not fit above the contents box in `room` rows, its picture is
// set smaller, down to makeup.lead_picture_min of its size, then at a
// column's width in the body. The lead is the first story composed: its
// structure elements are the first after the document's, and the smaller
// setting has as many.
void fit_lead(const StyledDocument& lead, DocumentRun& run, Layout& layout, std::vector<Story>& stories, int room) {
    auto fits = [&](const Story& st) { return st.head.rows + run.style.min_start_per_column <= room; };
    if (fits(stories[0])) return;
    size_t end = 2;
    while (end < layout.structure.size() && layout.structure[end].type != "Art") ++end;
    const double least = run.style.lead_picture_min;
    std::vector<double> scales;
    for (double scale = 0.9; scale > least + 1e-9; scale -= 0.1) scales.push_back(scale);
    scales.push_back(least);
    scales.push_back(0);  // at a column's width, in the body
    for (double scale : scales) {
        StoryOptions options;
        options.wide_lead = scale > 0;
        options.lead_scale = scale;
        std::vector<StructNode> nodes{layout.structure.front()};
        options.structure = &nodes;
        Story st = build_story(lead, run.composer, run.g, options);
        if (options.wide_lead && !fits(st)) continue;
        if (nodes.size() != end) return;
        std::copy(nodes.begin(), nodes.end(), layout.structure.begin());
        stories[0] = std::move(st);
        return;
    }
}

}  // namespace

Layout layout_article(const Document& doc, const Style& base, FontContext& fonts, Diagnostics& diags,
                      RunStats* stats) {
    DocumentRun run(fonts, base, doc.lang.empty() ? base.lang : doc.lang, diags, stats);
    Layout layout;
    layout.info = {doc.title, doc.byline, doc.summary, doc.tags, run.lang,
                   doc.dateline ? doc.dateline->date : std::nullopt,
                   doc.provenance_url.empty() ? doc.provenance_file : doc.provenance_url};
    layout.structure = {{"Document", -1, ""}};
    StoryOptions options;
    options.wide_lead = true;
    options.structure = &layout.structure;
    std::vector<Story> stories{build_story(style_document(doc, base, run.lang), run.composer, run.g, options)};
    ComposeContext latin{run.composer, run.style, "en"};
    make_up(stories, Furniture{}, makeup_rules(run.style, false), furniture_text(run.cx, latin, run.g, nullptr),
            run.style, run.g, layout);
    run.finish(layout);
    return layout;
}

Layout layout_issue(const Issue& issue, const Style& base, FontContext& fonts, Diagnostics& diags,
                    RunStats* stats) {
    DocumentRun run(fonts, base, !issue.lang.empty() ? issue.lang : base.lang, diags, stats);
    const Locale& words = locale_for(run.lang);
    Layout layout;
    layout.info.title = issue.newsletter + (issue.issue_label.empty() ? "" : " " + issue.issue_label);
    layout.info.subject = issue.tagline;
    layout.info.lang = run.lang;
    layout.info.date = issue.date;
    for (auto& a : issue.articles) {
        add_once(layout.info.authors, a.doc.byline);
        add_once(layout.info.tags, a.doc.tags);
    }
    layout.structure = {{"Document", -1, ""}};
    IssueStories composed = issue_stories(issue, base, run, layout);
    std::vector<Story>& stories = composed.stories;

    Furniture f;
    f.masthead = masthead(run.cx, issue, run.g);
    std::vector<std::string> running{issue.newsletter};
    if (!issue.issue_label.empty()) running.push_back(issue.issue_label);
    if (issue.date) running.push_back(format_date(*issue.date, is_cjk_lang(run.lang), false));
    f.running = join(running, words.fields);
    f.fields = words.fields;
    f.tail = tail_block(run.cx, issue, run.g);
    // The contents box lists page numbers make-up decides; its height does
    // not depend on them, so it is composed first and numbered after.
    ContentsBox contents = contents_box(run.cx, stories, run.g);
    f.contents_rows = contents.block.rows;
    if (composed.lead)
        fit_lead(*composed.lead, run, layout, stories, run.g.rows - f.contents_rows - f.masthead.rows);
    layout.outline = {{layout.info.title, 0, 0, run.g.left, run.g.top}};
    ComposeContext latin{run.composer, run.style, "en"};
    // Boxes with summaries are composed when make-up asks for them.
    std::map<int, ContentsBox> boxes;
    boxes.emplace(0, std::move(contents));
    auto number = [&](const std::vector<int>& pages, int entry_lines) {
        auto box = boxes.find(entry_lines);
        if (box == boxes.end()) box = boxes.emplace(entry_lines, contents_box(run.cx, stories, run.g, entry_lines)).first;
        return with_pages(run.cx, box->second, pages, run.g);
    };
    MakeupRules rules = makeup_rules(run.style, issue.reorder);
    rules.pages = issue.pages;
    const int spread =
        make_up(stories, f, rules, furniture_text(run.cx, latin, run.g, number), run.style, run.g, layout);
    if (issue.pages > 0) check_page_budget(issue, stories, layout, spread, diags);
    run.finish(layout);
    return layout;
}

}  // namespace galley
