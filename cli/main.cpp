// galley: the command line. Parses arguments into a galley::Job and runs it;
// the library does the rest. Exit statuses: 0 success, 1 some input failed,
// 2 usage error, 3 warnings with --fail-on-warnings.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "galley/ingest.h"
#include "galley/job.h"

using namespace galley;

namespace {

std::string styles_dir() {
    if (const char* env = std::getenv("GALLEY_STYLES"); env && *env) return env;
    return "";  // data_dir()/styles
}

// Reproducible builds fix the PDF's dates with SOURCE_DATE_EPOCH; a value
// that is not a number of seconds is an error, not silently ignored.
long long source_date_epoch() {
    const char* s = std::getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) return -1;
    std::string v = s;
    if (v.size() > 15 || v.find_first_not_of("0123456789") != std::string::npos)
        throw Failure({Severity::Error, {}, "SOURCE_DATE_EPOCH is not a number of seconds: '" + v + "'"});
    const long long seconds = std::stoll(v);
    if (seconds > 253402300799LL)  // 9999-12-31T23:59:59Z: PDF dates have four-digit years
        throw Failure({Severity::Error, {}, "SOURCE_DATE_EPOCH is after the year 9999: '" + v + "'"});
    return seconds;
}

const std::vector<std::pair<std::string, std::string>> kCommands = {
    {"render", "Render articles (.md) and issues (.yaml) to PDF"},
    {"check", "Check inputs (syntax, fields, pictures, style, fonts, make-up) without writing anything"},
    {"proof", "Draw pages of an input as PNG proofs"},
    {"watch", "Render an input again whenever it, its pictures, its style or its articles change"},
    {"fonts", "List what each text role of a style asks for and the faces it gets"},
    {"ingest", "Turn saved news pages (their text) into articles"},
};

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
            diag = up;
        }
    }
    return row[b.size()];
}

// "galley rendr": CLI11 would only say that a subcommand is required.
bool unknown_command(int argc, char** argv) {
    if (argc < 2 || argv[1][0] == '-') return false;
    std::string given = argv[1];
    std::string best;
    size_t best_d = 3;
    for (const auto& [name, help] : kCommands) {
        if (name == given) return false;
        if (size_t d = edit_distance(given, name); d < best_d) best = name, best_d = d;
    }
    std::cerr << "galley: error: unknown command '" << given << "'"
              << (best.empty() ? "" : "; did you mean '" + best + "'?") << "\n"
              << "galley: the commands are render, check, proof and watch (galley --help)\n";
    return true;
}

// CLI11's words for a parse error, said as Galley says things: what is
// wrong, with the option's name, and a near option for a misspelt one.
std::string usage_message(const CLI::ParseError& e, const CLI::App& app) {
    const std::string m = e.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
        const std::string extra = m.substr(m.find(": ") == std::string::npos ? 0 : m.find(": ") + 2);
        std::string best;
        size_t best_d = 3;
        const auto parsed = app.get_subcommands();
        const CLI::App* cmd = parsed.empty() ? &app : parsed.front();
        for (const CLI::Option* o : cmd->get_options())
            for (const std::string& name : o->get_lnames())
                if (size_t d = edit_distance(extra, "--" + name); d < best_d) best = "--" + name, best_d = d;
        const bool option = !extra.empty() && extra[0] == '-';
        return (option ? "unknown option '" : "unexpected argument '") + extra + "'" +
               (best.empty() ? "" : "; did you mean '" + best + "'?");
    }
    if (dynamic_cast<const CLI::RequiredError*>(&e)) {
        if (m == "A subcommand is required") return "no command given: render, check, proof or watch";
        if (m.rfind("inputs ", 0) == 0) return "no input given: name articles (.md), issues (.yaml), folders or @LIST files";
        const std::string name = m.substr(0, m.find(' '));
        return name + " is required";
    }
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) && m.find(" required ") != std::string::npos &&
        m.find(" missing") != std::string::npos)
        return m.substr(0, m.find(':')) + " needs a value";
    return m;
}

std::atomic<bool> stop_watching{false};

// A render killed by SIGINT or SIGTERM leaves no temporary file: the ones
// open are removed, then the signal does what it would have done.
void on_fatal_signal(int sig) {
    remove_temporary_outputs();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

void on_stop_signal(int) { stop_watching = true; }

struct Parsed {
    Job job;
    std::string shard, pages, format = "text", pdf_backend;
    bool skip = false, fail = false;
    int max_mb = 16;
};

// CLI::Range calls a word "not in range"; this says what is wrong with it.
CLI::Validator number_from(double lo, double hi, bool whole) {
    auto shown = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v);
        return std::string(buf);
    };
    const std::string want = std::string(whole ? "a whole number" : "a number") + " from " + shown(lo) + " to " + shown(hi);
    return CLI::Validator(
        [=](std::string& s) -> std::string {
            char* end = nullptr;
            const double v = s.empty() ? 0 : std::strtod(s.c_str(), &end);
            if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v))
                return "'" + s + "' is not a number; give " + want;
            const bool digits = s.find_first_not_of("0123456789") == std::string::npos;
            if ((whole && !digits) || v < lo || v > hi) return "'" + s + "' is not " + want;
            return {};
        },
        whole ? "INT in [" + shown(lo) + " - " + shown(hi) + "]" : "NUMBER in [" + shown(lo) + " - " + shown(hi) + "]");
}

void font_options(CLI::App* cmd, Parsed& p) {
    cmd->add_option("--fonts-conf", p.job.fonts.fonts_conf, "private fontconfig file (default: the data folder's)");
    cmd->add_option("--font-path", p.job.fonts.font_dirs, "a folder of TTF, OTF or TTC files to use too (repeatable)")
        ->check(CLI::ExistingDirectory);
}

// `galley fonts`: each role's request and the faces it gets, after the
// warnings for families the style names and the configuration lacks.
int list_fonts(const Parsed& p) {
    try {
        Diagnostics diags;
        const std::string name = p.job.render.style.empty() ? "bulletin" : p.job.render.style;
        Style style = load_style(find_style(name, styles_dir()), diags);
        FontContextPtr fonts = make_font_context(p.job.fonts);
        std::vector<RoleFonts> roles;
        if (!has_errors(diags)) roles = role_fonts(style, *fonts, diags);
        for (const Diagnostic& d : diags) std::cerr << format(d) << "\n";
        if (has_errors(diags)) return kExitFailed;
        std::cout << "style " << style.path << "\ndata " << data_dir() << "\n";
        for (const RoleFonts& r : roles)
            std::cout << r.role << ": " << r.request << "\n  Han:   " << r.han << "\n  Latin: " << r.latin << "\n";
        return kExitOk;
    } catch (const Failure& f) {
        std::cerr << format(f.diagnostic) << "\n";
        return kExitFailed;
    }
}

struct IngestArgs {
    std::vector<std::string> pages;
    std::string output;
    bool explain = false;
    bool render = false;
};

// `galley ingest`: each page to an article (one page: -o FILE or standard
// output; several: -o FOLDER or NAME.md beside each); --explain says what
// each line became on standard error.
int ingest_pages(const IngestArgs& a, Parsed& p) {
    namespace fs = std::filesystem;
    int status = kExitOk;
    std::vector<std::string> written;
    const bool folder = a.pages.size() > 1 || (!a.output.empty() && fs::is_directory(a.output));
    for (const std::string& page : a.pages) {
        Diagnostics diags;
        Ingested in = ingest_page(page, diags);
        if (a.explain)
            for (const std::string& line : in.explain) std::cerr << line << "\n";
        for (const Diagnostic& d : diags) std::cerr << format(d) << "\n";
        if (has_errors(diags)) {
            status = kExitFailed;
            continue;
        }
        std::string out = a.output;
        if (folder) out = (fs::path(a.output.empty() ? fs::path(page).parent_path() : fs::path(a.output)) /
                           fs::path(page).stem()).string() + ".md";
        try {
            write_article(out.empty() ? "-" : out, in.article);
            if (!out.empty() && out != "-") written.push_back(out);
        } catch (const Failure& f) {
            std::cerr << format(f.diagnostic) << "\n";
            status = kExitFailed;
        }
    }
    if (!a.render || written.empty()) return status;
    // --render: the articles through the same job as `galley render`, each
    // PDF beside its article.
    Job& job = p.job;
    job.inputs = written;
    job.command = Command::Render;
    job.render.styles_dir = styles_dir();
    job.render.source_date_epoch = source_date_epoch();
    job.keep_results = false;
    const int rendered = run(job);
    return status != kExitOk ? status : rendered;
}

void input_options(CLI::App* cmd, Parsed& p) {
    cmd->add_option("inputs", p.job.inputs, "articles (.md), issues (.yaml), folders, @LIST files, or - (stdin)")
        ->required();
    cmd->add_option("-s,--style", p.job.render.style,
                    "style name in the styles folder or a path (default: an issue's own, else bulletin)");
    font_options(cmd, p);
    cmd->add_flag("-q,--quiet", p.job.batch.quiet, "no status or progress lines (messages still)");
    cmd->add_flag("--fail-on-warnings", p.fail, "exit with status 3 when an input has warnings");
    cmd->add_option("--root", p.job.render.read.root,
                    "the folder an input's articles, pictures and manifest style must be in (default: the input's own)");
    cmd->add_flag("--allow-any-path", p.job.render.read.any_path,
                  "read articles, pictures and styles wherever an input names them");
    cmd->add_option("--max-file-size", p.max_mb, "the largest article or manifest read, in MB (default 16)")
        ->check(number_from(1, 4096, true));
}

void batch_options(CLI::App* cmd, Parsed& p) {
    cmd->add_option("-j,--jobs", p.job.batch.jobs, "inputs at once (default: one per core)")->check(number_from(1, 256, true));
    cmd->add_option("--report", p.job.batch.report, "write a JSON Lines report: a line per input");
    cmd->add_option("--shard", p.shard, "run shard K of N (K/N), or env: Kubernetes or Slurm array index");
}

// The job the arguments describe; a usage error throws Failure.
void finish_job(Parsed& p, CLI::App& app) {
    Job& job = p.job;
    job.render.style_given = false;
    if (!p.pdf_backend.empty())
        job.render.pdf_backend = p.pdf_backend == "direct" ? PdfBackend::Direct : PdfBackend::Cairo;
    for (CLI::App* cmd : app.get_subcommands()) {
        if (cmd->get_name() == "check") job.command = Command::Check;
        if (cmd->get_name() == "proof") job.command = Command::Proof;
        job.render.style_given = cmd->count("--style") > 0;
    }
    job.render.styles_dir = styles_dir();
    job.render.source_date_epoch = source_date_epoch();
    job.batch.fail_on_warnings = p.fail;
    job.render.read.max_bytes = static_cast<std::size_t>(p.max_mb) << 20;
    job.keep_results = false;  // reported as they finish; a batch may be huge
    job.batch.skip_unchanged = p.skip;
    job.batch.progress = !job.batch.quiet && ::isatty(STDERR_FILENO);
    job.json = p.format == "json";
    if (!p.shard.empty()) job.batch.shard = parse_shard(p.shard, [](const char* n) { return std::getenv(n); });
    if (!p.pages.empty()) job.proof.pages = parse_pages(p.pages);
    const bool to_stdout = job.output == "-" || (job.output.empty() && job.inputs.size() == 1 && job.inputs[0] == "-");
    if (job.command == Command::Render && to_stdout && ::isatty(STDOUT_FILENO))
        throw Failure({Severity::Error, {}, "standard output is a terminal; give -o FILE for the PDF"});
}

}  // namespace

int main(int argc, char** argv) {
    if (unknown_command(argc, argv)) return kExitUsage;
    CLI::App app{"Galley: typesets news articles into print-ready PDF bulletins.\n"
                 "Exit status: 0 success, 1 some input failed, 2 usage error, 3 warnings with --fail-on-warnings."};
    app.set_version_flag("--version", std::string("galley ") + GALLEY_VERSION);
    app.require_subcommand(1, 1);
    app.set_help_all_flag("--help-all", "Print the help of every command and exit (the man page is made from it)");
    Parsed p;

    CLI::App* render = app.add_subcommand("render", kCommands[0].second);
    input_options(render, p);
    batch_options(render, p);
    render->add_option("-o,--output", p.job.output,
                       "the PDF, - (stdout), or a folder for NAME.pdf (several inputs); default: beside each input");
    render->add_flag("--pdfa", p.job.render.pdfa, "write PDF/A-2b (also the style key pdfa: true)");
    render->add_option("--pdf-backend", p.pdf_backend,
                       "direct (the one-pass writer: every part of the file written straight from the pages; the "
                       "default) or cairo (Cairo paints, qpdf finishes); also the style key pdf_backend")
        ->check(CLI::IsMember({"cairo", "direct"}));
    render->add_flag("--skip-unchanged", p.skip,
                     "render only inputs whose sources, pictures, style, fonts or Galley version changed");
    render->add_option("--dump", p.job.render.dump, "also write the frame dump (one input)");

    CLI::App* check = app.add_subcommand("check", kCommands[1].second);
    input_options(check, p);
    batch_options(check, p);
    check->add_option("--format", p.format, "text, or json (one document on stdout)")
        ->check(CLI::IsMember({"text", "json"}));

    CLI::App* proof = app.add_subcommand("proof", kCommands[2].second);
    input_options(proof, p);
    batch_options(proof, p);
    proof->add_option("-o,--output", p.job.output, "the folder for NAME-PAGE.png")->required();
    proof->add_option("--pages", p.pages, "pages to draw: 1-3,5 or 4- (default: all)");
    proof->add_option("--dpi", p.job.proof.dpi, "resolution (default 150)")->check(number_from(10, 1200, false));

    CLI::App* watch_cmd = app.add_subcommand("watch", kCommands[3].second);
    input_options(watch_cmd, p);
    watch_cmd->add_option("-o,--output", p.job.output, "the PDF to keep up to date")->required();
    watch_cmd->add_flag("--pdfa", p.job.render.pdfa, "write PDF/A-2b");

    CLI::App* fonts_cmd = app.add_subcommand("fonts", kCommands[4].second);
    fonts_cmd->add_option("-s,--style", p.job.render.style, "style name in the styles folder or a path (default: bulletin)");
    font_options(fonts_cmd, p);

    IngestArgs ingest_args;
    CLI::App* ingest_cmd = app.add_subcommand("ingest", kCommands[5].second);
    ingest_cmd->add_option("pages", ingest_args.pages, "saved pages' text (.txt), or - (stdin)")->required();
    ingest_cmd->add_option("-o,--output", ingest_args.output,
                           "the article (one page; default: standard output) or a folder for NAME.md");
    ingest_cmd->add_flag("--explain", ingest_args.explain, "say on standard error what each line became and why");
    ingest_cmd->add_flag("--render", ingest_args.render, "render each article to PDF beside it, as galley render does");
    ingest_cmd->add_option("-s,--style", p.job.render.style, "the style --render uses (default: bulletin)");
    ingest_cmd->add_option("-j,--jobs", p.job.batch.jobs, "articles rendered at once (default: one per core)")
        ->check(number_from(1, 256, true));
    ingest_cmd->add_flag("-q,--quiet", p.job.batch.quiet, "no status or progress lines (messages still)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
        std::cerr << "galley: error: " << usage_message(e, app) << "\n"
                  << "galley: 'galley --help' and 'galley COMMAND --help' list the commands and options\n";
        return kExitUsage;
    }
    if (fonts_cmd->parsed()) return list_fonts(p);
    if (ingest_cmd->parsed()) {
        if (ingest_args.render && (ingest_args.output.empty() || ingest_args.output == "-") && ingest_args.pages.size() == 1) {
            std::cerr << "galley: error: --render needs the article in a file: give -o ARTICLE.md or -o FOLDER\n";
            return kExitUsage;
        }
        return ingest_pages(ingest_args, p);
    }
    try {
        finish_job(p, app);
    } catch (const Failure& f) {
        std::cerr << format(f.diagnostic) << "\n";
        return kExitUsage;
    }
    if (watch_cmd->parsed()) {
        std::signal(SIGINT, on_stop_signal);
        std::signal(SIGTERM, on_stop_signal);
        p.job.stop = &stop_watching;
        FontContextPtr fonts;
        try {
            fonts = make_font_context(p.job.fonts);
        } catch (const Failure& f) {
            std::cerr << format(f.diagnostic) << "\n";
            return kExitFailed;
        }
        return watch(p.job, *fonts);
    }
    std::signal(SIGINT, on_fatal_signal);
    std::signal(SIGTERM, on_fatal_signal);
    std::signal(SIGHUP, on_fatal_signal);
    return run(p.job);
}
