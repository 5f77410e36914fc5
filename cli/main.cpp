// galley: the command line. Parses arguments, calls the library, reports.
#include <CLI/CLI.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

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
    std::string output, style = "bulletin", png, dump, fonts_conf;
    bool style_given = false;
    bool pdfa = false;
    int jobs = 1;
};

static bool is_issue(const std::string& path) {
    auto ext = fs::path(path).extension().string();
    return ext == ".yaml" || ext == ".yml";
}

// One document: its messages go to `out` (printed in input order later, so
// a batch reports the same way whatever the number of threads).
static int render_one(const RenderArgs& a, const std::string& input, const std::string& output, FontContext& fonts,
                      bool shared, std::ostream& out) {
    Diagnostics diags;
    auto report = [&] {
        for (const Diagnostic& d : diags) out << format(d) << "\n";
        return has_errors(diags) ? 1 : 0;
    };
    try {
        // An issue manifest names its style; --style overrides it.
        std::optional<Issue> issue;
        std::optional<Document> doc;
        if (is_issue(input))
            issue = load_issue(input, diags);
        else
            doc = load_article(input, diags);
        if (has_errors(diags)) return report();
        std::string style_name = a.style;
        if (issue && !issue->style.empty() && !a.style_given) {
            style_name = issue->style;
            // A path in the manifest is relative to the manifest.
            if (style_name.find('/') != std::string::npos && fs::path(style_name).is_relative())
                style_name = (fs::path(input).parent_path() / style_name).string();
        }
        Style style = load_style(find_style(style_name, styles_dir()), diags);
        if (has_errors(diags)) return report();
        Layout layout = issue ? layout_issue(*issue, style, fonts, diags) : layout_article(*doc, style, fonts, diags);
        if (has_errors(diags)) return report();
        PdfOptions pdf;
        pdf.source_date_epoch = source_date_epoch();
        pdf.pdfa = a.pdfa || style.pdfa;
        pdf.bleed = style.bleed;
        pdf.crop_marks = style.crop_marks;
        if (shared) pdf.fonts = &fonts;
        write_pdf(layout, output, pdf);
        if (!a.png.empty()) write_png(layout, 0, 110, a.png);
        if (!a.dump.empty()) std::ofstream(a.dump, std::ios::binary) << dump_frames(layout);
        return report();
    } catch (const Failure& f) {
        report();
        out << format(f.diagnostic) << "\n";
        return 1;
    }
}

// Several documents into a folder, on `jobs` threads sharing one
// FontContext; the PDFs are the same bytes whatever the thread count.
static int render(const RenderArgs& a) {
    source_date_epoch();  // checked once, before any work
    auto fonts = make_font_context({a.fonts_conf});
    if (a.inputs.size() == 1) return render_one(a, a.inputs[0], a.output, *fonts, false, std::cerr);
    fs::create_directories(a.output);
    std::vector<std::ostringstream> messages(a.inputs.size());
    std::vector<int> status(a.inputs.size(), 0);
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i; (i = next++) < a.inputs.size();) {
            std::string name = fs::path(a.inputs[i]).stem().string() + ".pdf";
            status[i] = render_one(a, a.inputs[i], (fs::path(a.output) / name).string(), *fonts, a.jobs > 1,
                                   messages[i]);
        }
    };
    std::vector<std::thread> threads;
    for (int t = 1; t < a.jobs; ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    int rc = 0;
    for (size_t i = 0; i < a.inputs.size(); ++i) {
        std::cerr << messages[i].str();
        rc = std::max(rc, status[i]);
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
        cmd->add_option("-s,--style", ra.style, "style name in styles/ or a path (default: the issue's, else bulletin)");
    cmd->add_option("-j,--jobs", ra.jobs, "documents rendered at once (several inputs)")->check(CLI::Range(1, 64));
    cmd->add_option("--png", ra.png, "also draw page 1 as a PNG proof (one input)");
    cmd->add_option("--dump", ra.dump, "also write the frame dump (one input)");
    cmd->add_option("--fonts-conf", ra.fonts_conf, "private fontconfig file");
    cmd->add_flag("--pdfa", ra.pdfa, "write PDF/A-2b (also the style key pdfa: true)");
    CLI11_PARSE(app, argc, argv);
    try {
        ra.style_given = style_opt->count() > 0;
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
