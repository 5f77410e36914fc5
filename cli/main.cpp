// galley: the command line. Parses arguments, calls the library, reports.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "galley/engine.h"

namespace fs = std::filesystem;
using namespace galley;

static std::string styles_dir() {
    if (const char* env = std::getenv("GALLEY_STYLES")) return env;
    return std::string(GALLEY_SOURCE_DIR) + "/styles";
}

// Reproducible builds fix the PDF's dates with SOURCE_DATE_EPOCH; a value
// that is not a number of seconds is an error, not silently ignored.
static long long source_date_epoch() {
    const char* s = std::getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) return -1;
    std::string v = s;
    if (v.size() > 15 || v.find_first_not_of("0123456789") != std::string::npos)
        throw Failure({Severity::Error, {}, "SOURCE_DATE_EPOCH is not a number of seconds: '" + v + "'"});
    return std::stoll(v);
}

struct RenderArgs {
    std::vector<std::string> inputs;
    std::string output, png, dump, fonts_conf;
    RenderOptions options;
    int jobs = 1;
};

// Several documents into a folder, on `jobs` threads sharing one
// FontContext; the PDFs are the same bytes whatever the thread count.
static int render(const RenderArgs& a) {
    auto fonts = make_font_context({a.fonts_conf});
    RenderOptions options = a.options;
    std::vector<BatchItem> items;
    if (a.inputs.size() == 1) {
        items.push_back({a.inputs[0], a.output, {}, false});
        options.png = a.png;
        options.dump = a.dump;
    } else {
        fs::create_directories(a.output);
        for (const std::string& in : a.inputs)
            items.push_back({in, (fs::path(a.output) / (fs::path(in).stem().string() + ".pdf")).string(), {}, false});
    }
    render_batch(items, options, *fonts, a.jobs);
    int rc = 0;
    for (const BatchItem& it : items) {
        for (const Diagnostic& d : it.diags) std::cerr << format(d) << "\n";
        if (it.failed) rc = 1;
    }
    return rc;
}

int main(int argc, char** argv) {
    CLI::App app{"Galley: typesets news articles into print-ready PDF bulletins"};
    app.require_subcommand(1);
    RenderArgs ra;
    CLI::App* cmd = app.add_subcommand("render", "Render articles (.md) or issues (.yaml) to PDF");
    cmd->add_option("inputs", ra.inputs, "articles or issue manifests")->required();
    cmd->add_option("-o,--output", ra.output, "the PDF to write; with several inputs, a folder for NAME.pdf")
        ->required();
    CLI::Option* style_opt =
        cmd->add_option("-s,--style", ra.options.style, "style name in styles/ or a path (default: the issue's, else bulletin)");
    cmd->add_option("-j,--jobs", ra.jobs, "documents rendered at once (several inputs)")->check(CLI::Range(1, 64));
    cmd->add_option("--png", ra.png, "also draw page 1 as a PNG proof (one input)");
    cmd->add_option("--dump", ra.dump, "also write the frame dump (one input)");
    cmd->add_option("--fonts-conf", ra.fonts_conf, "private fontconfig file");
    cmd->add_flag("--pdfa", ra.options.pdfa, "write PDF/A-2b (also the style key pdfa: true)");
    CLI11_PARSE(app, argc, argv);
    try {
        ra.options.style_given = style_opt->count() > 0;
        ra.options.styles_dir = styles_dir();
        ra.options.source_date_epoch = source_date_epoch();  // checked once, before any work
        if (ra.inputs.size() > 1 && (!ra.png.empty() || !ra.dump.empty())) {
            std::cerr << "galley: error: --png and --dump take one input\n";
            return 2;
        }
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
