// GFM pipe tables through the whole pipeline: read into the model, styled
// (numeric columns found), set on the grid with three-line rules, broken
// between rows with the header repeated, tagged, read back row by row.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <qpdf/QPDF.hh>

#include <functional>

#include "model/front_matter.h"
#include "style/cascade.h"
#include "style/geometry.h"
#include "support.h"

using namespace galley;
using namespace galley::test;

namespace {

Document article(const std::string& body, Diagnostics& d) {
    return parse_article("---\ntitle: 表格\n---\n\n" + body, "t.md", d);
}

Document article_ok(const std::string& body) {
    Diagnostics d;
    Document doc = article(body, d);
    INFO(body);
    REQUIRE(d.empty());
    return doc;
}

std::string cell_text(const TableCell& c) { return spans_text(c.spans); }

const char* kFigures = R"(一季度主要指标如下。

表：2019年一季度主要经济指标

| 指标 | 单位 | 绝对值 | 增速（%） |
|:---|:---:|---:|---|
| 地区生产总值 | 亿元 | 412.6 | 9.1 |
| 规模以上工业总产值 | 亿元 | 618.25 | 10.4 |
| 固定资产投资 | 亿元 | 236.1 | 12.75 |
| 外贸进出口总额 | 亿元 | 301 | -3.5 |

以上数据为快报数。
)";

// The glyph runs of a layout, in page order.
std::vector<GlyphRun> runs_of(const Layout& layout) {
    std::vector<GlyphRun> out;
    for (const Frame& page : layout.pages)
        for (const FrameItem& item : page.items)
            if (auto* r = std::get_if<GlyphRun>(&item)) out.push_back(*r);
    return out;
}

int count_rules(const Layout& layout) {
    int n = 0;
    for (const Frame& page : layout.pages)
        for (const FrameItem& item : page.items)
            if (auto* r = std::get_if<Rule>(&item); r && !r->round) ++n;
    return n;
}

// The x of the decimal point in a run showing `text`, or of its right end
// when it has none.
double point_x(const GlyphRun& r) {
    const size_t point = r.text.find('.');
    for (const Glyph& g : r.glyphs)
        if (point != std::string::npos && g.cluster == point) return r.x + g.x;
    double end = 0;
    for (const Glyph& g : r.glyphs) end = std::max(end, g.x + g.advance);
    return r.x + end;
}

const GlyphRun* run_with(const std::vector<GlyphRun>& runs, const std::string& text) {
    for (const GlyphRun& r : runs)
        if (r.text == text) return &r;
    return nullptr;
}

}  // namespace

TEST_CASE("table: a GFM table is read with its alignments, cells and caption") {
    Document doc = article_ok(kFigures);
    REQUIRE(doc.body.size() == 3);  // the caption paragraph went into the table
    const Block& b = doc.body[1];
    REQUIRE(b.kind == BlockKind::Table);
    const Table& t = *b.table;
    CHECK(t.align == std::vector<ColumnAlign>{ColumnAlign::Left, ColumnAlign::Center, ColumnAlign::Right,
                                               ColumnAlign::Auto});
    REQUIRE(t.rows.size() == 5);
    for (const auto& row : t.rows) CHECK(row.size() == 4);
    CHECK(cell_text(t.rows[0][0]) == "指标");
    CHECK(cell_text(t.rows[2][2]) == "618.25");
    CHECK(spans_text(t.caption) == "2019年一季度主要经济指标");
    // Places: the table's first line, each cell's text.
    CHECK(b.pos.line == 9);
    CHECK(t.rows[2][0].pos.line == 12);
    CHECK(t.rows[2][0].pos.col == 3);
    CHECK(t.caption_pos.line == 7);

    // A caption after the table, in English.
    Document after = article_ok("| a | b |\n|---|---|\n| 1 | 2 |\n\nTable: Two figures\n");
    REQUIRE(after.body.size() == 1);
    CHECK(spans_text(after.body[0].table->caption) == "Two figures");
    CHECK(after.body[0].table->caption_label == "Table:");
    const StyledDocument styled = style_document(after, bulletin_style(), "en");
    std::string label;
    for (const StyledRun& r : styled.body[0].text.front().runs) label += r.text;
    CHECK(label == "Table 1: Two figures");
    // A paragraph that only mentions a table stays a paragraph.
    Document plain = article_ok("表中数据为快报数。\n\n| a |\n|---|\n| 1 |\n");
    CHECK(plain.body.size() == 2);
    CHECK(plain.body[1].table->caption.empty());
}

TEST_CASE("table: a picture in a cell gives way to its alt text with a warning at its place") {
    Diagnostics d;
    Document doc = article("| a | b |\n|---|---|\n| ![示意图](x.png) | 2 |\n", d);
    REQUIRE(doc.body.size() == 1);
    REQUIRE(doc.body[0].kind == BlockKind::Table);
    CHECK(cell_text(doc.body[0].table->rows[1][0]) == "示意图");
    REQUIRE(d.size() == 1);
    CHECK(format(d[0]) == "t.md:7:3: warning: a picture in a table cell is not set, only its alt text; put the picture "
                          "before or after the table");
}

TEST_CASE("table: columns of figures are aligned on the decimal point, others at their start") {
    Document doc = article_ok(kFigures);
    StyledDocument sd = style_document(doc, bulletin_style(), "zh-Hans");
    const StyledTable& t = *sd.body[1].table;
    using A = StyledTable::Align;
    CHECK(t.align == std::vector<A>{A::Start, A::Center, A::End, A::Decimal});
    REQUIRE(sd.body[1].text.size() == 1);  // the caption, numbered
    std::string caption;
    for (const StyledRun& r : sd.body[1].text.front().runs) caption += r.text;
    CHECK(caption == "表1：2019年一季度主要经济指标");
    // A column with a word in it is not numeric.
    Document words = article_ok("| a |\n|---|\n| 1.5 |\n| 约2 |\n");
    CHECK(style_document(words, bulletin_style(), "zh-Hans").body[0].table->align == std::vector<A>{A::Start});
}

TEST_CASE("table: set in a column on the grid, three rules, decimal points in a line") {
    Diagnostics d;
    Document doc = article(kFigures, d);
    Layout layout = layout_article(doc, bulletin_style(), fonts(), d);
    INFO(dump_frames(layout));
    REQUIRE(!has_errors(d));
    CHECK(d.empty());
    const std::vector<GlyphRun> runs = runs_of(layout);
    // Within its column (the story's columns are balanced, the table broken).
    const Geometry g = geometry(bulletin_style());
    auto in_column = [&](double x) { return std::fmod(x - g.left, g.column_width + g.gutter); };
    // 增速 is aligned on the decimal point: "9.1", "10.4" and "12.75" have
    // theirs at one x, "-3.5" too.
    std::vector<double> points;
    for (const char* v : {"9.1", "10.4", "12.75", "-3.5"}) {
        const GlyphRun* r = run_with(runs, v);
        REQUIRE(r);
        points.push_back(in_column(point_x(*r)));
    }
    for (double x : points) CHECK(x == Approx(points.front()).margin(0.01));
    // 绝对值 is right-aligned as the delimiter row asks: the ends line up.
    std::vector<double> ends;
    for (const char* v : {"412.6", "618.25", "236.1", "301"}) {
        const GlyphRun* r = run_with(runs, v);
        REQUIRE(r);
        double end = 0;
        for (const Glyph& g : r->glyphs) end = std::max(end, g.x + g.advance);
        ends.push_back(in_column(r->x + end));
    }
    for (double x : ends) CHECK(x == Approx(ends.front()).margin(0.01));
    // Each row on the grid, header cells in the header face, cells smaller than the body.
    const GlyphRun* head = run_with(runs, "指标");
    const GlyphRun* cell = run_with(runs, "地区生产总值");
    REQUIRE(head);
    REQUIRE(cell);
    CHECK(cell->size == Approx(9));
    CHECK(std::fmod(cell->y - head->y, 17.5) == Approx(0).margin(0.01));
    // A three-line table: above, under the header, below, in each column
    // it takes (its header repeated there).
    int heads = 0;
    for (const GlyphRun& r : runs) heads += r.text == "指标";
    CHECK(heads >= 1);
    CHECK(count_rules(layout) == 3 * heads);
}

TEST_CASE("table: the text reads back row by row and the tags are Table THead TBody TR TH TD") {
    Diagnostics d;
    Document doc = article(kFigures, d);
    Layout layout = layout_article(doc, bulletin_style(), fonts(), d);
    REQUIRE(!has_errors(d));
    const std::string pdf = temp_dir() + "/table.pdf";
    write_pdf(layout, pdf, {1548806400});
    const std::string text = squeeze(pdf_pages(pdf).front());
    CHECK(text.find(squeeze("地区生产总值 亿元 412.6 9.1")) != std::string::npos);
    CHECK(text.find(squeeze("外贸进出口总额 亿元 301 -3.5")) != std::string::npos);
    CHECK(text.find(squeeze("表1：2019年一季度主要经济指标")) != std::string::npos);
    // In the PDF's tree, each header cell heads its column.
    QPDF q;
    q.processFile(pdf.c_str());
    int th = 0, scoped = 0;
    std::function<void(QPDFObjectHandle)> walk = [&](QPDFObjectHandle e) {
        if (e.isArray()) {
            for (int k = 0; k < e.getArrayNItems(); ++k) walk(e.getArrayItem(k));
            return;
        }
        if (!e.isDictionary() || !e.getKey("/S").isName()) return;
        if (e.getKey("/S").getName() == "/TH") {
            ++th;
            QPDFObjectHandle a = e.getKey("/A");
            scoped += a.isDictionary() && a.getKey("/O").isName() && a.getKey("/O").getName() == "/Table" &&
                      a.getKey("/Scope").isName() && a.getKey("/Scope").getName() == "/Column";
        }
        walk(e.getKey("/K"));
    };
    walk(q.getRoot().getKey("/StructTreeRoot").getKey("/K"));
    CHECK(th == 4);
    CHECK(scoped == 4);

    std::map<std::string, int> types;
    std::vector<std::string> order;
    for (const StructNode& n : layout.structure) {
        ++types[n.type];
        if (n.type == "TH" || n.type == "TD" || n.type == "TR") order.push_back(n.type);
    }
    CHECK(types["Table"] == 1);
    CHECK(types["Caption"] == 1);
    CHECK(types["THead"] == 1);
    CHECK(types["TBody"] == 1);
    CHECK(types["TR"] == 5);
    CHECK(types["TH"] == 4);
    CHECK(types["TD"] == 16);
    REQUIRE(order.size() == 25);
    CHECK(order[0] == "TR");
    CHECK(std::count(order.begin(), order.begin() + 5, "TH") == 4);
    // TR's parents: THead, then TBody.
    for (size_t i = 0; i < layout.structure.size(); ++i) {
        const StructNode& n = layout.structure[i];
        if (n.type == "TH") CHECK(layout.structure[static_cast<size_t>(n.parent)].type == "TR");
        if (n.type == "TR") {
            const std::string& up = layout.structure[static_cast<size_t>(n.parent)].type;
            CHECK((up == "THead" || up == "TBody"));
        }
    }
}

TEST_CASE("table: a long table breaks between rows and repeats its header and never leaves one row alone") {
    std::string body = "| 序号 | 项目 | 投资（亿元） |\n|---|---|---|\n";
    for (int i = 1; i <= 60; ++i)
        body += "| " + std::to_string(i) + " | 第" + std::to_string(i) + "个重点项目 | " + std::to_string(i) + ".5 |\n";
    Diagnostics d;
    Document doc = article(body, d);
    Layout layout = layout_article(doc, bulletin_style(), fonts(), d);
    INFO(dump_frames(layout));
    REQUIRE(!has_errors(d));
    const std::vector<GlyphRun> runs = runs_of(layout);
    // Every column the table reaches starts with its header: 60 rows of
    // 17.5 pt do not fit one column.
    int heads = 0;
    for (const GlyphRun& r : runs) heads += r.text == "序号";
    CHECK(heads >= 2);
    // Each header is followed, in its column, by at least two body rows,
    // and each column's last body row is not alone there.
    std::map<std::pair<size_t, long>, std::vector<double>> rows_by_column;  // (page, column x) -> row ys
    for (size_t p = 0; p < layout.pages.size(); ++p)
        for (const FrameItem& item : layout.pages[p].items)
            if (auto* r = std::get_if<GlyphRun>(&item); r && r->text.find("个重点项目") != std::string::npos)
                rows_by_column[{p, std::lround(r->x / 100)}].push_back(r->y);
    CHECK(rows_by_column.size() >= 2);
    for (const auto& [where, ys] : rows_by_column) CHECK(ys.size() >= 2);
    // Only the first header is tagged: repeated ones are artifacts.
    int th = 0;
    for (const StructNode& n : layout.structure) th += n.type == "TH";
    CHECK(th == 3);
    // The text reads back in order: row 30 before row 31.
    const std::string pdf = temp_dir() + "/long-table.pdf";
    write_pdf(layout, pdf, {1548806400});
    std::string all;
    for (const std::string& page : pdf_pages(pdf)) all += squeeze(page);
    CHECK(all.find(squeeze("30 第30个重点项目 30.5")) < all.find(squeeze("31 第31个重点项目 31.5")));
}

TEST_CASE("table: a wide table spans the columns it needs and one too wide even small is an error at its place") {
    // Five columns of Latin words do not fit a 21-em column.
    std::string wide = "| Name | District | Industry | Investment | Completion |\n|---|---|---|---|---|\n";
    for (int i = 0; i < 4; ++i) wide += "| Headquarters | Hi-tech zone | Semiconductors | 12.5 billion | December |\n";
    Diagnostics d;
    Document doc = article(wide, d);
    Layout layout = layout_article(doc, bulletin_style(), fonts(), d);
    INFO(dump_frames(layout));
    REQUIRE(!has_errors(d));
    const GlyphRun* last = nullptr;
    const std::vector<GlyphRun> runs = runs_of(layout);
    for (const GlyphRun& r : runs)
        if (r.text == "Completion") last = &r;
    REQUIRE(last);
    const Geometry g = geometry(bulletin_style());
    CHECK(last->x > g.left + g.column_width);  // in the second column's width: the table spans both

    std::string huge = "|";
    for (int c = 0; c < 14; ++c) huge += " Semiconductors |";
    huge += "\n|";
    for (int c = 0; c < 14; ++c) huge += "---|";
    huge += "\n|";
    for (int c = 0; c < 14; ++c) huge += " Headquarters |";
    huge += "\n";
    Diagnostics e;
    Document too = article(huge, e);
    layout_article(too, bulletin_style(), fonts(), e);
    REQUIRE(has_errors(e));
    CHECK(format(e.front()).rfind("t.md:5:1: error: the table is too wide: its 14 columns", 0) == 0);
}

TEST_CASE("table: the grid style rules every cell") {
    Style s = bulletin_style();
    s.table_rules = Style::TableRules::Grid;
    Diagnostics d;
    Document doc = article("| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n| 4 | 5 | 6 |\n", d);
    Layout layout = layout_article(doc, s, fonts(), d);
    REQUIRE(!has_errors(d));
    // Per row a top rule and 4 verticals (3 rows), and the bottom rule.
    CHECK(count_rules(layout) == 3 * 5 + 1);
}

TEST_CASE("table: a header that would wrap in a column is set smaller, down to table.min_size, every cell on one line") {
    // The sample's table in the broadsheet's 15-em column: at 8 pt its
    // header wraps ("营业收入" over "（亿元）"), which read line by line
    // gives "营业收入增长（亿元）（%）"; at 7 pt, flush with the rules at both
    // ends as a three-line table is, every cell keeps to one line.
    Diagnostics sd;
    const Style broadsheet = load_style(source_dir() + "/styles/broadsheet.yaml", sd);
    REQUIRE(sd.empty());
    const std::string table = "表：2018年各园区主要经济指标\n\n| 园区 | 营业收入（亿元） | 增长（%） |\n|---|---|---|\n"
                              "| 软件园 | 1,050.0 | 14.6 |\n| 综合保税区 | 612.4 | 28.9 |\n| 生物医药园 | 164.9 | 12.1 |\n";
    auto runs_in = [&](const Style& s) {
        Diagnostics d;
        Document doc = article(table, d);
        Layout layout = layout_article(doc, s, fonts(), d);
        REQUIRE(!has_errors(d));
        return runs_of(layout);
    };
    const std::vector<GlyphRun> small = runs_in(broadsheet);
    const GlyphRun* head = run_with(small, "营业收入（亿元）");
    REQUIRE(head);
    CHECK(head->size == Approx(7));
    const GlyphRun* first = run_with(small, "园区");
    const GlyphRun* growth = run_with(small, "增长（%）");
    REQUIRE(first);
    REQUIRE(growth);
    CHECK(first->y == Approx(head->y));
    CHECK(growth->y == Approx(head->y));
    const Geometry g = geometry(broadsheet);
    CHECK(run_with(small, "综合保税区")->x == Approx(g.left).margin(0.01));  // no pad before the first column
    // With table.min_size at the table's size it wraps, at full size, as before.
    Style fixed = broadsheet;
    fixed.table_min_size = fixed.table.size;
    const std::vector<GlyphRun> wrapped = runs_in(fixed);
    CHECK(run_with(wrapped, "营业收入（亿元）") == nullptr);
    REQUIRE(run_with(wrapped, "营业收入"));
    CHECK(run_with(wrapped, "营业收入")->size == Approx(8));
}

// Frame dumps at fixed precision: a table in a column, one across two
// columns, one broken over columns and pages with its header repeated.
TEST_CASE("table: golden frame dumps") {
    auto dump_of = [](const std::string& body) {
        Diagnostics d;
        Document doc = article(body, d);
        Layout layout = layout_article(doc, bulletin_style(), fonts(), d);
        REQUIRE(!has_errors(d));
        return dump_frames(layout);
    };
    check_golden(dump_of(kFigures), "table-in-a-column.txt");
    std::string wide = "| Name | District | Industry | Investment | Completion |\n|---|---|---|---|---|\n";
    for (int i = 0; i < 4; ++i) wide += "| Headquarters | Hi-tech zone | Semiconductors | 12.5 billion | December |\n";
    check_golden(dump_of(wide), "table-across-columns.txt");
    std::string rows = "表：重点项目\n\n| 序号 | 项目 | 投资（亿元） |\n|---|---|---|\n";
    for (int i = 1; i <= 120; ++i)
        rows += "| " + std::to_string(i) + " | 第" + std::to_string(i) + "个重点项目 | " + std::to_string(i) + ".5 |\n";
    const std::string broken = dump_of(rows);
    CHECK(broken.find("page 2") != std::string::npos);
    check_golden(broken, "table-over-pages.txt");
}
