// galley: the command line. Parses arguments, calls the library, reports.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <optional>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "galley/engine.h"

namespace fs = std::filesystem;
using namespace galley;

static int report(const Diagnostics& diags) {
    for (const Diagnostic& d : diags) std::cerr << format(d) << "\n";
    return has_errors(diags) ? 1 : 0;
}

static std::string styles_dir() {
    if (const char* env = std::getenv("GALLEY_STYLES")) return env;
    return std::string(GALLEY_SOURCE_DIR) + "/styles";
}

static long long source_date_epoch() {
    const char* s = std::getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) return -1;
    char* end = nullptr;
    long long v = std::strtoll(s, &end, 10);
    return (*end == 0 && v >= 0) ? v : -1;
}

struct RenderArgs {
    std::string input, output, style = "bulletin", png, dump, fonts_conf;
    bool pdfa = false;
};

static bool is_issue(const std::string& path) {
    auto ext = fs::path(path).extension().string();
    return ext == ".yaml" || ext == ".yml";
}

static int render(const RenderArgs& a, bool style_given) {
    Diagnostics diags;
    // An issue manifest names its style; --style overrides it.
    std::optional<Issue> issue;
    std::optional<Document> doc;
    if (is_issue(a.input))
        issue = load_issue(a.input, diags);
    else
        doc = load_article(a.input, diags);
    if (has_errors(diags)) return report(diags);
    std::string style_name = a.style;
    if (issue && !issue->style.empty() && !style_given) {
        style_name = issue->style;
        // A path in the manifest is relative to the manifest.
        if (style_name.find('/') != std::string::npos && fs::path(style_name).is_relative())
            style_name = (fs::path(a.input).parent_path() / style_name).string();
    }
    Style style = load_style(find_style(style_name, styles_dir()), diags);
    if (has_errors(diags)) return report(diags);
    auto fonts = make_font_context({a.fonts_conf});
    Layout layout = issue ? layout_issue(*issue, style, *fonts, diags) : layout_article(*doc, style, *fonts, diags);
    if (has_errors(diags)) return report(diags);
    PdfOptions pdf;
    pdf.source_date_epoch = source_date_epoch();
    pdf.pdfa = a.pdfa || style.pdfa;
    pdf.bleed = style.bleed;
    pdf.crop_marks = style.crop_marks;
    write_pdf(layout, a.output, pdf);
    if (!a.png.empty()) write_png(layout, 0, 110, a.png);
    if (!a.dump.empty()) {
        std::ofstream(a.dump, std::ios::binary) << dump_frames(layout);
    }
    report(diags);
    return 0;
}

int main(int argc, char** argv) {
    CLI::App app{"Galley: typesets news articles into print-ready PDF bulletins"};
    app.require_subcommand(1);
    RenderArgs ra;
    CLI::App* cmd = app.add_subcommand("render", "Render an article (.md) or an issue (.yaml) to PDF");
    cmd->add_option("input", ra.input, "article or issue manifest")->required();
    cmd->add_option("-o,--output", ra.output, "PDF to write")->required();
    CLI::Option* style_opt =
        cmd->add_option("-s,--style", ra.style, "style name in styles/ or a path (default: the issue's, else bulletin)");
    cmd->add_option("--png", ra.png, "also draw page 1 as a PNG proof");
    cmd->add_option("--dump", ra.dump, "also write the frame dump");
    cmd->add_option("--fonts-conf", ra.fonts_conf, "private fontconfig file");
    cmd->add_flag("--pdfa", ra.pdfa, "write PDF/A-2b (also the style key pdfa: true)");
    CLI11_PARSE(app, argc, argv);
    try {
        if (cmd->parsed()) return render(ra, style_opt->count() > 0);
    } catch (const Failure& f) {
        std::cerr << format(f.diagnostic) << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "galley: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
