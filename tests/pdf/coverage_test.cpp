// tests/data/articles/coverage.md uses every field of the article format
// and every Markdown construct Galley sets: it renders with no warning, and
// each field and construct is found in the PDF, read back with poppler and
// qpdf.
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "support.h"

using namespace galley;
using namespace galley::test;

namespace {

struct Coverage {
    Document doc;
    Layout layout;
    std::string pdf;
    std::string text;  // every page, squeezed
};

const Coverage& coverage() {
    static const Coverage c = [] {
        Coverage c;
        Diagnostics d;
        c.doc = load_article(source_dir() + "/tests/data/articles/coverage.md", d);
        c.layout = layout_article(c.doc, bulletin_style(), fonts(), d);
        std::vector<std::string> said;
        for (const Diagnostic& x : d) said.push_back(format(x));
        INFO(Catch::Detail::stringify(said));
        REQUIRE(d.empty());  // not a warning
        c.pdf = temp_dir() + "/coverage.pdf";
        PdfOptions o;
        o.source_date_epoch = 1554690600;
        o.pdfa = true;
        write_pdf(c.layout, c.pdf, o);
        for (const std::string& p : pdf_pages(c.pdf)) c.text += squeeze(p);
        return c;
    }();
    return c;
}

bool has(const std::string& what) { return coverage().text.find(squeeze(what)) != std::string::npos; }

}  // namespace

TEST_CASE("coverage: every front matter field is printed or written") {
    const Coverage& c = coverage();
    INFO(c.text);
    CHECK(has("项目建设"));  // kicker
    CHECK(has("高新区发布2019年一季度重点项目推进情况"));
    CHECK(has("十二个项目开工 三个项目投产"));
    CHECK(has("西安　高新区通讯　2019年4月8日 10:30"));
    CHECK(has("4月8日，高新区通报2019年一季度重点项目推进情况。"));  // summary
    CHECK(has("（记者 林可欣 通讯员 赵一鸣）"));
    CHECK(has("编辑：何静"));
    CHECK(has("校对：王某"));
    CHECK(has("创业园科技企业孵化器B座（示意图）。（高新区通讯）"));  // the lead picture's caption and credit
    CHECK(has("编者按：项目是经济发展的“压舱石”。"));
    CHECK(has("上一篇：高新区召开2018年经济运行分析暨2019年一季度重点工作部署会"));
    CHECK(has("下一篇：创业园科技企业孵化器迎来新一批入驻企业"));
    // Tags, language, the source and the section: in the PDF's metadata and tree.
    QPDF q;
    q.processFile(c.pdf.c_str());
    const std::string xmp = q.getRoot().getKey("/Metadata").getStreamData()->getSize() > 0
                                ? [&] {
                                      auto data = q.getRoot().getKey("/Metadata").getStreamData();
                                      return std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
                                  }()
                                : "";
    CHECK(xmp.find("<dc:source>https://example.org/gaoxin/2019/0408.html</dc:source>") != std::string::npos);
    for (const char* tag : {"重点项目", "一季度", "投资"}) CHECK(xmp.find(std::string("<rdf:li>") + tag) != std::string::npos);
    CHECK(q.getRoot().getKey("/Lang").getUTF8Value() == "zh-Hans");
    // The section is the story's: in its Story (the running heads of an issue) and nowhere lost.
    CHECK(c.doc.section == "经济发展");
    CHECK(c.doc.image.has_value());
    int images = 0;
    for (const Frame& page : c.layout.pages)
        for (const FrameItem& item : page.items) images += std::holds_alternative<ImageItem>(item);
    CHECK(images == 2);  // the lead picture and the chart
}

TEST_CASE("coverage: every Markdown construct is set") {
    const Coverage& c = coverage();
    INFO(c.text);
    CHECK(has("投资完成情况"));                                  // ##
    CHECK(has("（一）产业项目"));                                // ###
    CHECK(has("良好开局"));                                      // strong
    CHECK(has("表1：2019年一季度重点项目投资完成情况"));          // table caption
    CHECK(has("产业项目 24 61.8"));                              // a table row, in order
    CHECK(has("原计划的6月封顶时间提前到5月"));                  // struck text kept
    CHECK(has("我们把每一天都排满了，确保年中投产。"));          // the quote
    CHECK(has("（1）加快在建项目进度；"));                        // ordered list
    CHECK(has("完成项目清单更新"));                              // task list
    CHECK(has("＊　＊　＊"));                                    // thematic break
    CHECK(has("重点项目分布示意图（单位：个）（制图 林可欣）"));  // a body picture's caption and credit
    CHECK(has("XM-2019-001"));                                   // code
    CHECK(has("1　重点项目名单由高新区发展改革局于2019年1月公布，共42个。"));  // footnotes
    CHECK(has("2　本文数据为快报数，以统计部门年报为准。"));
    // Links: the related story, the autolinked address and e-mail, and the
    // notes both ways (named destinations).
    QPDF q;
    q.processFile(c.pdf.c_str());
    std::set<std::string> uris;
    int internal = 0;
    for (QPDFPageObjectHelper& page : QPDFPageDocumentHelper(q).getAllPages())
        for (QPDFAnnotationObjectHelper& a : page.getAnnotations("/Link")) {
            QPDFObjectHandle action = a.getObjectHandle().getKey("/A");
            if (action.isDictionary() && action.getKey("/URI").isString()) uris.insert(action.getKey("/URI").getUTF8Value());
            else ++internal;
        }
    CHECK(uris.count("https://example.org/gaoxin/2019/0116.html"));
    CHECK(uris.count("https://example.org/xm"));
    CHECK(uris.count("mailto:xmb@example.org"));
    CHECK(internal >= 4);  // two markers to their notes, two notes back
    // The tag tree has the table, the notes, the list items and the code.
    std::multiset<std::string> types;
    for (const StructNode& n : c.layout.structure) types.insert(n.type);
    for (const char* t : {"H2", "H3", "Table", "TH", "TD", "Note", "L", "LI", "Figure", "Caption", "Code", "BlockQuote"}) {
        INFO(t);
        CHECK(types.count(t) > 0);
    }
    CHECK(types.count("Note") == 2);
    // Strikethrough and the task boxes are drawn: rules through and around text.
    int rules = 0;
    for (const Frame& page : c.layout.pages)
        for (const FrameItem& item : page.items) rules += std::holds_alternative<Rule>(item);
    CHECK(rules > 12);
}
