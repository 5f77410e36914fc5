// galley_bench: wall-clock figures for the pipeline's stages, in one process
// and (optionally) per CLI process. Prints figures only; asserts nothing.
//
//   galley_bench [--runs N] [--article PATH] [--style NAME] [--out DIR]
//                [--per-process BIN] [--batch N]
//
// --batch N renders every sample article N times as one batch on one
// thread and on two, sharing one FontContext, and prints the wall times.
// --issues 40,100 lays out issues of that many articles (the samples in
// turn) and prints make-up milliseconds per issue and per article.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/timing.h"
#include "galley/engine.h"
#include "galley/job.h"

extern char** environ;

namespace fs = std::filesystem;
using namespace galley;

namespace {

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double minimum(const std::vector<double>& v) {
    return v.empty() ? 0 : *std::min_element(v.begin(), v.end());
}

// snprintf formats numbers per LC_NUMERIC, which stays "C" (the classic
// locale) because this program never calls setlocale.
void line(const char* fmt, auto... args) {
    char buf[256];
    std::snprintf(buf, sizeof buf, fmt, args...);
    std::fputs(buf, stdout);
    std::fputc('\n', stdout);
}

struct Args {
    int runs = 20;
    std::string article = std::string(GALLEY_SOURCE_DIR) + "/samples/articles/xian-gaoxin-party-building.md";
    std::string style = "bulletin";
    std::string out;          // empty: a fresh temporary directory, removed afterwards
    std::string per_process;  // path of the galley CLI; empty: skip
    int batch = 0;            // copies of every sample article for the thread figure; 0: skip
    std::vector<int> issues;  // issue sizes (articles) for the make-up figure
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "galley_bench: %s\n"
                 "usage: galley_bench [--runs N] [--article PATH] [--style NAME] [--out DIR] "
                 "[--per-process BIN] [--batch N] [--issues N,M,...]\n",
                 why);
    std::exit(2);
}

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        if (k == "-h" || k == "--help") usage("help");
        if (i + 1 >= argc) usage(("missing value for " + k).c_str());
        std::string v = argv[++i];
        if (k == "--runs") {
            char* end = nullptr;
            long n = std::strtol(v.c_str(), &end, 10);
            if (*end != 0 || n < 1 || n > 100000) usage("--runs wants a positive integer");
            a.runs = static_cast<int>(n);
        } else if (k == "--article") {
            a.article = v;
        } else if (k == "--style") {
            a.style = v;
        } else if (k == "--out") {
            a.out = v;
        } else if (k == "--batch") {
            a.batch = std::atoi(v.c_str());
            if (a.batch < 1 || a.batch > 1000) usage("--batch wants 1 to 1000");
        } else if (k == "--issues") {
            for (size_t at = 0; at < v.size();) {
                size_t end = v.find(',', at);
                if (end == std::string::npos) end = v.size();
                int n = std::atoi(v.substr(at, end - at).c_str());
                if (n < 1 || n > 5000) usage("--issues wants sizes from 1 to 5000, comma-separated");
                a.issues.push_back(n);
                at = end + 1;
            }
        } else if (k == "--per-process") {
            a.per_process = v;
        } else {
            usage(("unknown option " + k).c_str());
        }
    }
    return a;
}

// The sample articles, in name order.
std::vector<std::string> sample_articles() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(std::string(GALLEY_SOURCE_DIR) + "/samples/articles"))
        if (e.path().extension() == ".md") out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string make_temp_dir() {
    std::string tmpl = (fs::temp_directory_path() / "galley-bench-XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) {
        std::perror("galley_bench: mkdtemp");
        std::exit(1);
    }
    return buf.data();
}

// `n` articles in `folder`: the samples in turn, each copy's title
// numbered, with the samples' pictures beside them. Returns the folder.
std::string make_articles(const std::string& folder, int n) {
    const std::vector<std::string> samples = sample_articles();
    fs::create_directories(folder);
    std::error_code ec;
    fs::create_symlink(fs::path(samples.front()).parent_path() / "images", fs::path(folder) / "images", ec);
    for (int k = 0; k < n; ++k) {
        std::ifstream in(samples[k % samples.size()], std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (size_t at = text.find("\ntitle:"); at != std::string::npos) {
            size_t end = text.find('\n', at + 1);
            if (text[end - 1] == '"') --end;
            text.insert(end, " (" + std::to_string(k + 1) + ")");
        }
        char name[32];
        std::snprintf(name, sizeof name, "a%05d.md", k);
        std::ofstream(fs::path(folder) / name, std::ios::binary) << text;
    }
    return folder;
}

// Runs argv with stdout/stderr sent to /dev/null; returns the exit status
// (or -1 when it could not be started or did not exit normally).
int run_quiet(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const std::string& s : args) argv.push_back(const_cast<char*>(s.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        std::fprintf(stderr, "galley_bench: cannot start %s: %s\n", argv[0], std::strerror(rc));
        return -1;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int bench(const Args& a) {
    const bool own_dir = a.out.empty();
    const std::string dir = own_dir ? make_temp_dir() : a.out;
    if (!own_dir) fs::create_directories(dir);
    struct Cleanup {  // removes our own temporary directory on every way out
        const std::string* dir;
        ~Cleanup() {
            std::error_code ec;
            if (dir) fs::remove_all(*dir, ec);
        }
    } cleanup{own_dir ? &dir : nullptr};
    const std::string pdf = (fs::path(dir) / "bench.pdf").string();
    const std::string style_path = find_style(a.style, std::string(GALLEY_SOURCE_DIR) + "/styles");

    // 1. In process: the font context once (cold), then N full renders.
    auto t0 = Clock::now();
    FontContextPtr fonts = make_font_context(FontOptions{});
    const double font_ms = ms_since(t0);

    std::vector<double> load, shape, linebreak, flow, paint, finish, archive, total;
    std::uintmax_t pdf_bytes = 0;
    size_t warnings = 0;
    RunStats last;
    RenderOptions options;
    options.style = style_path;
    options.style_given = true;
    for (int r = 0; r < a.runs; ++r) {
        RunStats st;
        Diagnostics diags;
        auto t_run = Clock::now();
        render_file(a.article, pdf, options, *fonts, diags, &st);
        if (has_errors(diags)) {
            for (const Diagnostic& d : diags) std::fprintf(stderr, "%s\n", format(d).c_str());
            return 1;
        }
        total.push_back(ms_since(t_run));
        load.push_back(st.load);
        shape.push_back(st.shape);
        linebreak.push_back(st.linebreak);
        flow.push_back(st.flow);
        paint.push_back(st.paint);
        finish.push_back(st.finish);
        archive.push_back(st.archive);
        pdf_bytes = fs::file_size(pdf);
        warnings = diags.size();
        last = st;
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const double peak_rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB

    line("article %s", fs::path(a.article).filename().string().c_str());
    line("style %s", a.style.c_str());
    line("runs %d", a.runs);
    line("font_context_ms %.1f", font_ms);
    line("%-12s %10s %10s", "stage", "median_ms", "min_ms");
    const struct {
        const char* name;
        const std::vector<double>* v;
    } rows[] = {{"load", &load},   {"shape", &shape},         {"linebreak", &linebreak},
                {"flow", &flow},   {"paint", &paint},         {"pdf_finish", &finish}, {"archive", &archive},
                {"total", &total}};
    for (const auto& row : rows) line("%-12s %10.2f %10.2f", row.name, median(*row.v), minimum(*row.v));
    line("itemize_calls %d", last.itemize_calls);
    line("shaped_strings %d", last.shaped_strings);
    line("pdf_bytes %ju", pdf_bytes);
    line("warnings %zu", warnings);
    line("peak_rss_mb %.1f", peak_rss_mb);

    // 2. A batch on one thread and on two: a Job over copies of the samples.
    if (a.batch > 0) {
        const std::string copies = make_articles(dir + "/batch", a.batch * static_cast<int>(sample_articles().size()));
        double wall[3] = {0, 0, 0};
        for (int threads : {1, 2}) {
            Job job;
            job.inputs = {copies};
            job.output = dir + "/batch-out-j" + std::to_string(threads);
            job.render.styles_dir = std::string(GALLEY_SOURCE_DIR) + "/styles";
            job.batch.jobs = threads;
            job.batch.quiet = true;
            auto t = Clock::now();
            const int status = run(job, *fonts);
            wall[threads] = ms_since(t);
            if (status != kExitOk) {
                std::fprintf(stderr, "galley_bench: the batch failed (status %d)\n", status);
                return 1;
            }
            line("batch_%zu_docs_j%d_ms %.0f", job.results.size(), threads, wall[threads]);
        }
        line("batch_j2_over_j1 %.3f", wall[2] / wall[1]);
    }

    // 3. Make-up as issues grow.
    for (int n : a.issues) {
        const std::string manifest = (fs::path(dir) / ("issue-" + std::to_string(n) + ".yaml")).string();
        const std::vector<std::string> samples = sample_articles();
        {
            // Each article a file of its own (a manifest names a file once);
            // their pictures from the samples' folder.
            std::error_code ec;
            fs::create_symlink(fs::path(samples.front()).parent_path() / "images", fs::path(dir) / "images", ec);
            std::ofstream m(manifest);
            m << "newsletter: 高新区通讯\ndate: 2019-01-30\narticles:\n";
            for (int k = 0; k < n; ++k) {
                const std::string copy = (fs::path(dir) / ("a" + std::to_string(k) + ".md")).string();
                fs::copy_file(samples[k % samples.size()], copy, fs::copy_options::overwrite_existing);
                m << "  - " << copy << "\n";
            }
        }
        Diagnostics diags;
        Issue issue = load_issue(manifest, diags);
        Style style = load_style(style_path, diags);
        if (has_errors(diags)) {
            for (const Diagnostic& d : diags) std::fprintf(stderr, "%s\n", format(d).c_str());
            return 1;
        }
        RunStats st;
        auto t = Clock::now();
        Layout layout = layout_issue(issue, style, *fonts, diags, &st);
        const double total = ms_since(t);
        line("issue_%d_articles pages %zu layout_ms %.1f makeup_ms %.1f makeup_ms_per_article %.3f", n,
             layout.pages.size(), total, st.flow, st.flow / n);
    }

    // 4. Per process: the CLI end to end, K = min(N, 10) times.
    if (!a.per_process.empty()) {
        const int k = std::min(a.runs, 10);
        const std::string cli_pdf = (fs::path(dir) / "cli.pdf").string();
        std::vector<double> wall;
        for (int i = 0; i < k; ++i) {
            auto t = Clock::now();
            int rc = run_quiet({a.per_process, "render", a.article, "-o", cli_pdf, "-s", a.style});
            double ms = ms_since(t);
            if (rc != 0) {
                std::fprintf(stderr, "galley_bench: %s exited with status %d\n", a.per_process.c_str(), rc);
                break;
            }
            wall.push_back(ms);
        }
        if (!wall.empty())
            line("per_process_ms median %.1f min %.1f (n=%zu)", median(wall), minimum(wall), wall.size());
    }
    std::fflush(stdout);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Args args = parse(argc, argv);
    try {
        return bench(args);
    } catch (const Failure& f) {
        std::fprintf(stderr, "%s\n", format(f.diagnostic).c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "galley_bench: error: %s\n", e.what());
    }
    return 1;
}
