// The engine's last stages: paint, then archive; and the whole run of one
// input for the CLI, the benchmark and the tests.

#include <filesystem>
#include <optional>

#include "archive/archive.h"
#include "pdf/writer.h"
#include "common/dates.h"
#include "common/files.h"
#include "common/strings.h"
#include "common/timing.h"
#include "galley/engine.h"
#include "galley/paint.h"
#include "style/locale.h"

namespace galley {
namespace {

namespace fs = std::filesystem;

ArchiveMetadata archive_metadata(const Layout& layout, const std::string& date) {
    const DocumentInfo& info = layout.info;
    ArchiveMetadata meta;
    meta.title = info.title;
    meta.author = join(info.authors, locale_for(info.lang).authors);
    meta.authors = info.authors;
    meta.subject = info.subject;
    meta.keywords = join(info.tags, ", ");
    meta.tags = info.tags;
    meta.source = info.source;
    meta.lang = info.lang;
    meta.date = date;
    for (const StructNode& n : layout.structure)
        if (n.type == "Figure") meta.figure_alts.push_back(n.alt);
    return meta;
}

}  // namespace

std::string pdf_bytes(const Layout& layout, const PdfOptions& options, RunStats* stats) {
    RunStats local;
    RunStats& st = stats ? *stats : local;
    PdfPaintOptions po;
    po.date = options.source_date_epoch >= 0 ? iso_from_epoch(options.source_date_epoch)
              : layout.info.date          ? iso_date(*layout.info.date)
                                          : iso_from_epoch(0);
    po.bleed = options.bleed;
    po.crop_marks = options.crop_marks;
    auto t0 = Clock::now();
    std::string painted;
    const bool direct = options.backend == PdfBackend::Direct;
    ArchiveOptions ao;
    ao.pdfa = options.pdfa;
    ao.bleed = options.bleed;
    std::unique_ptr<Painter> painter = direct ? direct_pdf_painter(painted, po, archive_metadata(layout, po.date), ao)
                                              : pdf_painter(painted, po);
    for (size_t p = 0; p < layout.pages.size(); ++p) painter->page(layout, static_cast<int>(p));
    auto t1 = Clock::now();
    painter->finish(layout);
    auto t2 = Clock::now();
    st.paint += std::chrono::duration<double, std::milli>(t1 - t0).count();
    st.finish += std::chrono::duration<double, std::milli>(t2 - t1).count();
    if (direct) return painted;
    // What cairo cannot write (D: dates, /Lang, /F 4, boxes, /ID, XMP,
    // PDF/A) the archive stage adds.
    std::string pdf = archive_pdf_bytes(painted, "the painted PDF", archive_metadata(layout, po.date), ao);
    st.archive += ms_since(t2);
    return pdf;
}

void write_pdf(const Layout& layout, const std::string& path, const PdfOptions& options, RunStats* stats) {
    const std::string pdf = pdf_bytes(layout, options, stats);
    write_output(path, pdf);
}

std::string png_bytes(const Layout& layout, int page, double dpi) {
    if (page < 0 || page >= static_cast<int>(layout.pages.size()))
        throw Failure({Severity::Error, {}, "no page " + std::to_string(page + 1) + " to draw"});
    std::vector<std::string> pngs;
    auto painter = png_painter(pngs, dpi);
    paint(layout, *painter, page, 1);
    return std::move(pngs.front());
}

void write_png(const Layout& layout, int page, double dpi, const std::string& path) {
    write_output(path, png_bytes(layout, page, dpi));
}

std::string dump_frames(const Layout& layout, int first_page, int page_count) {
    std::string out;
    auto painter = dump_painter(out);
    paint(layout, *painter, first_page, page_count);
    return out;
}

void render_file(const std::string& input, const std::string& output, const RenderOptions& o, FontContext& fonts,
                 Diagnostics& diags, RunStats* stats) {
    RunStats local;
    RunStats& st = stats ? *stats : local;
    auto t0 = Clock::now();
    Input in = load_input(input, nullptr, o, diags);
    st.load += ms_since(t0);
    if (has_errors(diags)) return;
    Layout layout = layout_input(in, fonts, diags, &st);
    if (has_errors(diags)) return;
    if (!o.dump.empty()) write_output(o.dump, dump_frames(layout));  // its errors are errors too
    write_pdf(layout, output, pdf_options(in, o), &st);
}

}  // namespace galley
