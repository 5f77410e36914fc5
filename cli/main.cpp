// galley: the command line. Parses arguments, calls the library, reports.
#include <CLI/CLI.hpp>

#include <cstdlib>
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
};

static int render(const RenderArgs& a) {
    Diagnostics diags;
    Document doc = load_article(a.input, diags);
    if (has_errors(diags)) return report(diags);
    Style style = load_style(find_style(a.style, styles_dir()), diags);
    if (has_errors(diags)) return report(diags);
    auto fonts = make_font_context({a.fonts_conf});
    Layout layout = layout_article(doc, style, *fonts, diags);
    if (has_errors(diags)) return report(diags);
    write_pdf(layout, a.output, {source_date_epoch()});
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
    CLI::App* cmd = app.add_subcommand("render", "Render an article (.md) to PDF");
    cmd->add_option("input", ra.input, "article file")->required();
    cmd->add_option("-o,--output", ra.output, "PDF to write")->required();
    cmd->add_option("-s,--style", ra.style, "style name in styles/ or a path")->capture_default_str();
    cmd->add_option("--png", ra.png, "also draw page 1 as a PNG proof");
    cmd->add_option("--dump", ra.dump, "also write the frame dump");
    cmd->add_option("--fonts-conf", ra.fonts_conf, "private fontconfig file");
    CLI11_PARSE(app, argc, argv);
    try {
        if (cmd->parsed()) return render(ra);
    } catch (const Failure& f) {
        std::cerr << format(f.diagnostic) << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "galley: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
