// A body picture across columns ({columns=N} after it) through the whole
// pipeline: set at the width of the columns it spans, and no text on it.
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "style/geometry.h"
#include "support.h"

using namespace galley;
using namespace galley::test;

namespace {

Style style_named(const std::string& name) {
    Diagnostics d;
    Style s = load_style(source_dir() + "/styles/" + name + ".yaml", d);
    REQUIRE(!has_errors(d));
    return s;
}

// The economy sample, its chart asked to span `columns`.
Document economy_with_wide_chart(const std::string& columns) {
    const std::string path = sample("gaoxin-economy-2018-review.md");
    std::string text = read_file(path);
    const std::string end = "\"制图 林可欣\")";
    const size_t at = text.find(end);
    REQUIRE(at != std::string::npos);
    text.insert(at + end.size(), "{columns=" + columns + "}");
    Diagnostics d;
    Document doc = parse_article(text, path, d);
    REQUIRE(!has_errors(d));
    return doc;
}

struct Box {
    double x0, y0, x1, y1;
};

// A glyph run's ink box, roughly: its advances, an em above and a fifth of
// one below the baseline.
Box run_box(const GlyphRun& r) {
    double w = 0;
    for (const Glyph& g : r.glyphs) w = std::max(w, g.x + g.advance);
    return {r.x, r.y - 0.8 * r.size, r.x + w, r.y + 0.2 * r.size};
}

bool overlap(const Box& a, const Box& b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }

struct Found {
    int page = -1;
    ImageItem image;
};

Found the_picture(const Layout& layout) {
    Found f;
    for (size_t p = 0; p < layout.pages.size(); ++p)
        for (const FrameItem& item : layout.pages[p].items)
            if (auto* im = std::get_if<ImageItem>(&item)) {
                REQUIRE(f.page < 0);  // the article's one picture
                f = {static_cast<int>(p), *im};
            }
    REQUIRE(f.page >= 0);
    return f;
}

// The picture spans `span` columns of the grid from one of its columns,
// centred there, and no text of its page is drawn on it.
void check_spanning(const Layout& layout, const Geometry& g, int span) {
    const Found f = the_picture(layout);
    const ImageItem& im = f.image;
    const double measure = span * g.column_width + (span - 1) * g.gutter;
    INFO("picture at " << im.x << ", " << im.y << ", " << im.width << " x " << im.height << " on page "
                       << f.page + 1 << "; columns " << g.column_width << " + " << g.gutter);
    CHECK(im.width > (span - 1) * (g.column_width + g.gutter));  // wider than span-1 columns
    CHECK(im.width <= measure + 0.01);
    bool centred = false;
    for (int c = 0; c + span <= g.columns; ++c)
        centred = centred || std::abs(im.x - (g.column_x(c) + (measure - im.width) / 2)) < 0.01;
    CHECK(centred);
    const Box pic{im.x, im.y, im.x + im.width, im.y + im.height};
    int runs = 0;
    for (const FrameItem& item : layout.pages[f.page].items)
        if (auto* r = std::get_if<GlyphRun>(&item)) {
            ++runs;
            INFO("run '" << r->text << "' at " << r->x << ", " << r->y);
            CHECK_FALSE(overlap(run_box(*r), pic));
        }
    CHECK(runs > 20);
}

}  // namespace

TEST_CASE("picture span: a chart across both columns of the bulletin, no text on it") {
    const Style style = style_named("bulletin");
    Diagnostics d;
    const Layout layout = layout_article(economy_with_wide_chart("2"), style, fonts(), d);
    const Geometry g = geometry(style);
    REQUIRE(g.columns == 2);
    check_spanning(layout, g, 2);
    const Found f = the_picture(layout);
    CHECK(f.image.width > g.column_width + g.gutter);  // landscape: the full two columns' measure
    // {columns=all} is the same picture.
    const Layout all = layout_article(economy_with_wide_chart("all"), style, fonts(), d);
    CHECK(the_picture(all).image.width == f.image.width);
    // It heads a page (the third), so that page's content opens with it:
    // the PDF's tags are still accepted (cairo 1.16 once refused them).
    CHECK(f.page >= 1);
    CHECK(f.image.y == Approx(g.top + 0.25 * g.pitch));
    const std::string pdf = temp_dir() + "/picture-span.pdf";
    PdfOptions o;
    o.source_date_epoch = 1548806400;
    write_pdf(layout, pdf, o);
    CHECK(std::filesystem::file_size(pdf) > 10000);
}

TEST_CASE("picture span: a chart across 2 of the broadsheet's 5 columns, no text on it") {
    const Style style = style_named("broadsheet");
    Diagnostics d;
    const Layout layout = layout_article(economy_with_wide_chart("2"), style, fonts(), d);
    const Geometry g = geometry(style);
    REQUIRE(g.columns == 5);
    check_spanning(layout, g, 2);
    // One column, as before: the column's width.
    const Layout one = layout_article(economy_with_wide_chart("1"), style, fonts(), d);
    CHECK(the_picture(one).image.width <= g.column_width + 0.01);
}

// Set alone in the bulletin, the economy article's chart (one column wide
// in its Markdown) does not fit under the text of its column: floated to
// the next column's top, the text after it would fill its column first and
// read before it (pdf-check's FID). Make-up sets it across both columns
// instead, in a band under the text before it, so the text after it — its
// next paragraph, "从主要指标看…" — is below it.
TEST_CASE("picture span: a picture that would be read out of order is set across the columns") {
    Diagnostics d;
    const std::string path = source_dir() + "/samples/articles/gaoxin-economy-2018-review.md";
    const Document doc = load_article(path, d);
    REQUIRE(!has_errors(d));
    const Style style = load_style(find_style("bulletin", source_dir() + "/styles"), d);
    const Layout layout = layout_article(doc, style, fonts(), d);
    REQUIRE(!has_errors(d));
    const Geometry g = geometry(style);
    const Found f = the_picture(layout);
    CHECK(f.image.width > g.column_width + g.gutter);
    int after = 0;
    for (const FrameItem& item : layout.pages[f.page].items)
        if (auto* r = std::get_if<GlyphRun>(&item); r && r->text.rfind("从主要指标看", 0) == 0) {
            ++after;
            CHECK(r->y > f.image.y + f.image.height);
        }
    CHECK(after == 1);
}
