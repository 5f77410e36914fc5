// galley_bench: wall-clock figures for the pipeline's stages, in one process
// and (optionally) per CLI process. Prints figures only; asserts nothing
// (but fails when a render does).
//
//   galley_bench [--runs N] [--article PATH] [--style NAME] [--out DIR]
//                [--per-process BIN] [--batch N] [--issues N,M,...]
//   galley_bench --cli BIN --cli-batch N,M,... [--out DIR]
//
// --batch N renders every sample article N times as one batch on one
// thread and on two, sharing one FontContext, and prints the wall times.
// --issues 40,100 lays out issues of that many articles (the samples in
// turn) and prints make-up milliseconds per issue and per article.
//
// --cli BIN --cli-batch 100,1000 measures the galley command itself on big
// batches, and nothing else: for each size N, N copies of the samples in a
// folder rendered by one process `BIN render FOLDER -o OUT -j 1 --quiet
// --report OUT.jsonl`, then again with -j 2; for the largest N also one
// process per article, in turn. Each line gives articles, pages (summed
// from the reports, whose every line must say ok or warnings), wall
// seconds from spawn to reaped (per article: summed over the processes),
// articles and pages per second, and the peak RSS of the process (ru_maxrss
// from wait4; per article: the largest). Then the peak RSS of the largest N
// over that of the smallest, for -j 1 and -j 2.
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
#include <map>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/strings.h"
#include "common/timing.h"
#include "galley/engine.h"
#include "galley/ingest.h"
#include "model/front_matter.h"
#include "galley/job.h"
#include "ingest_score.h"

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
    std::string cli;          // path of the galley CLI for --cli-batch
    std::vector<int> cli_batch;  // batch sizes (articles) for the CLI at scale; empty: the other figures
    int ingest = 0;              // pages for the ingest figure; 0: the other figures
    std::string accuracy;        // a folder of pages with NAME.expected.yaml: ingest's per-field accuracy
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "galley_bench: %s\n"
                 "usage: galley_bench [--runs N] [--article PATH] [--style NAME] [--out DIR] "
                 "[--per-process BIN] [--batch N] [--issues N,M,...]\n"
                 "       galley_bench --cli BIN --cli-batch N,M,... [--out DIR]\n"
                 "       galley_bench --ingest N\n"
                 "       galley_bench --ingest-accuracy DIR\n",
                 why);
    std::exit(2);
}

// "40,100": positive sizes up to `most`, comma-separated.
std::vector<int> parse_sizes(const std::string& v, long most, const char* complaint) {
    std::vector<int> out;
    for (size_t at = 0; at <= v.size();) {
        size_t end = v.find(',', at);
        if (end == std::string::npos) end = v.size();
        const std::string item = v.substr(at, end - at);
        char* stop = nullptr;
        long n = std::strtol(item.c_str(), &stop, 10);
        if (item.empty() || *stop != 0 || n < 1 || n > most) usage(complaint);
        out.push_back(static_cast<int>(n));
        at = end + 1;
    }
    return out;
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
            for (int n : parse_sizes(v, 5000, "--issues wants sizes from 1 to 5000, comma-separated"))
                a.issues.push_back(n);
        } else if (k == "--per-process") {
            a.per_process = v;
        } else if (k == "--ingest-accuracy") {
            a.accuracy = v;
        } else if (k == "--ingest") {
            a.ingest = static_cast<int>(parse_sizes(v, 100000, "--ingest wants a page count from 1 to 100000").front());
        } else if (k == "--cli") {
            a.cli = v;
        } else if (k == "--cli-batch") {
            for (int n : parse_sizes(v, 99999, "--cli-batch wants sizes from 1 to 99999, comma-separated"))
                a.cli_batch.push_back(n);
        } else {
            usage(("unknown option " + k).c_str());
        }
    }
    if (a.cli.empty() != a.cli_batch.empty()) usage("--cli BIN and --cli-batch N,M,... go together");
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
    // Copied, not linked: a picture must lie inside its input's folder.
    fs::copy(fs::path(samples.front()).parent_path() / "images", fs::path(folder) / "images",
             fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
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

// What came of a child process.
struct Spawned {
    int status = -1;       // exit status; -1: not started, or killed by a signal
    double wall_s = 0;     // from spawn to reaped
    long peak_rss_kib = 0;  // the child's own ru_maxrss (from wait4), KiB
};

// Runs argv with stdout/stderr sent to /dev/null and waits for it.
Spawned spawn_quiet(const std::vector<std::string>& args) {
    Spawned out;
    std::vector<char*> argv;
    for (const std::string& s : args) argv.push_back(const_cast<char*>(s.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const auto t = Clock::now();
    int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        std::fprintf(stderr, "galley_bench: cannot start %s: %s\n", argv[0], std::strerror(rc));
        return out;
    }
    // wait4's rusage is this child's alone; getrusage(RUSAGE_CHILDREN) would
    // be the largest of every child waited for so far.
    int status = 0;
    rusage ru{};
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            std::perror("galley_bench: wait4");
            return out;
        }
    }
    out.wall_s = ms_since(t) / 1000.0;
    out.peak_rss_kib = ru.ru_maxrss;
    if (WIFEXITED(status))
        out.status = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        std::fprintf(stderr, "galley_bench: %s was killed by signal %d\n", argv[0], WTERMSIG(status));
    return out;
}

// Runs argv with stdout/stderr sent to /dev/null; returns the exit status
// (or -1 when it could not be started or did not exit normally).
int run_quiet(const std::vector<std::string>& args) { return spawn_quiet(args).status; }

// A --report file (JSON Lines, an object per input) read simply: the
// "status" and "pages" of each line. nlohmann's dump() writes no spaces,
// and a quote inside a JSON string is escaped, so "pages": is the key.
struct ReportSum {
    int articles = 0;
    long pages = 0;
    std::string error;  // empty: every line ok or warnings
};

ReportSum read_report(const std::string& path) {
    ReportSum sum;
    std::ifstream in(path);
    if (!in) {
        sum.error = "cannot read the report " + path;
        return sum;
    }
    std::string text;
    for (int no = 1; std::getline(in, text); ++no) {
        if (text.empty()) continue;
        const std::string where = path + ":" + std::to_string(no) + ": ";
        const size_t s = text.find("\"status\":\"");
        const size_t p = text.find("\"pages\":");
        if (s == std::string::npos || p == std::string::npos) {
            sum.error = where + "no \"status\" or \"pages\": " + text.substr(0, 300);
            return sum;
        }
        const size_t from = s + std::strlen("\"status\":\"");
        const std::string status = text.substr(from, text.find('"', from) - from);
        if (status != "ok" && status != "warnings") {
            sum.error = where + "status " + status + ": " + text.substr(0, 600);
            return sum;
        }
        char* end = nullptr;
        const long pages = std::strtol(text.c_str() + p + std::strlen("\"pages\":"), &end, 10);
        if (pages < 0 || end == text.c_str() + p + std::strlen("\"pages\":")) {
            sum.error = where + "no page count: " + text.substr(0, 300);
            return sum;
        }
        ++sum.articles;
        sum.pages += pages;
    }
    return sum;
}

// One cli_* line: articles, pages, the rates and the peak RSS.
void cli_line(const std::string& name, int articles, long pages, double wall_s, long peak_rss_kib) {
    line("%s articles %d pages %ld wall_s %.1f articles_per_s %.1f pages_per_s %.1f peak_rss_mb %.1f", name.c_str(),
         articles, pages, wall_s, articles / wall_s, pages / wall_s, static_cast<double>(peak_rss_kib) / 1024.0);
}

// --cli BIN --cli-batch N,M,...: the galley command on big batches, one
// process for all N articles (-j 1, then -j 2), and for the largest N one
// process per article. Returns the exit status for main.
int cli_batch(const Args& a, const std::string& dir) {
    const int largest = *std::max_element(a.cli_batch.begin(), a.cli_batch.end());
    const int smallest = *std::min_element(a.cli_batch.begin(), a.cli_batch.end());
    long rss_largest[3] = {0, 0, 0}, rss_smallest[3] = {0, 0, 0};  // by -j
    for (int n : a.cli_batch) {
        const std::string base = dir + "/cli-N" + std::to_string(n);
        std::error_code ec;
        fs::remove_all(base, ec);  // fresh, also under a given --out
        const std::string folder = make_articles(base + "/articles", n);
        long batch_pages = -1;
        for (int threads : {1, 2}) {
            const std::string out = base + "/out-j" + std::to_string(threads);
            const std::string report = out + ".jsonl";
            fs::create_directories(out);
            const Spawned run = spawn_quiet({a.cli, "render", folder, "-o", out, "-j", std::to_string(threads),
                                             "--quiet", "--report", report});
            if (run.status != 0) {
                std::fprintf(stderr, "galley_bench: %s render %s -j %d exited with status %d\n", a.cli.c_str(),
                             folder.c_str(), threads, run.status);
                return 1;
            }
            const ReportSum sum = read_report(report);
            if (!sum.error.empty() || sum.articles != n) {
                std::fprintf(stderr, "galley_bench: %s\n",
                             sum.error.empty() ? ("the report " + report + " has " + std::to_string(sum.articles) +
                                                  " lines for " + std::to_string(n) + " articles")
                                                     .c_str()
                                               : sum.error.c_str());
                return 1;
            }
            if (batch_pages >= 0 && sum.pages != batch_pages)
                std::fprintf(stderr, "galley_bench: note: -j 1 made %ld pages and -j 2 %ld\n", batch_pages, sum.pages);
            batch_pages = sum.pages;
            cli_line("cli_batch_N" + std::to_string(n) + "_j" + std::to_string(threads), sum.articles, sum.pages,
                     run.wall_s, run.peak_rss_kib);
            std::fflush(stdout);
            if (n == largest) rss_largest[threads] = run.peak_rss_kib;
            if (n == smallest) rss_smallest[threads] = run.peak_rss_kib;
        }
        if (n != largest) continue;

        // One process per article, in turn, each with a report of its own.
        const std::string out = base + "/per-process";
        fs::create_directories(out);
        double wall_s = 0;  // the processes' own, summed: not the reports read between them
        long pages = 0, peak_kib = 0;
        for (int k = 0; k < n; ++k) {
            char name[32];
            std::snprintf(name, sizeof name, "a%05d", k);
            const std::string article = folder + "/" + name + ".md";
            const std::string report = out + "/" + name + ".jsonl";
            const Spawned run =
                spawn_quiet({a.cli, "render", article, "-o", out + "/" + name + ".pdf", "-q", "--report", report});
            if (run.status != 0) {
                std::fprintf(stderr, "galley_bench: %s render %s exited with status %d\n", a.cli.c_str(),
                             article.c_str(), run.status);
                return 1;
            }
            const ReportSum sum = read_report(report);
            if (!sum.error.empty() || sum.articles != 1) {
                std::fprintf(stderr, "galley_bench: %s\n",
                             sum.error.empty() ? ("the report " + report + " has no line").c_str() : sum.error.c_str());
                return 1;
            }
            wall_s += run.wall_s;
            pages += sum.pages;
            peak_kib = std::max(peak_kib, run.peak_rss_kib);
        }
        if (pages != batch_pages)
            std::fprintf(stderr, "galley_bench: note: one process per article made %ld pages, the batch %ld\n", pages,
                         batch_pages);
        cli_line("cli_per_process_N" + std::to_string(n), n, pages, wall_s, peak_kib);
        std::fflush(stdout);
    }
    if (largest != smallest)
        for (int threads : {1, 2})
            line("cli_batch_rss_ratio_N%d_over_N%d_j%d %.3f", largest, smallest, threads,
                 static_cast<double>(rss_largest[threads]) / static_cast<double>(rss_smallest[threads]));
    std::fflush(stdout);
    return 0;
}

// --ingest N: N pages through galley ingest in one process, the seed page's
// text and the same page as HTML by turns; ms per page and per hundred.
int ingest_figure(const Args& a) {
    const std::string seed = std::string(GALLEY_SOURCE_DIR) + "/tests/data/ingest/xian-gaoxin-raw.txt";
    std::ifstream in(seed, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    if (text.empty()) throw Failure({Severity::Error, {seed, 0, 0}, "cannot read the seed page"});
    std::string html = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>t</title></head><body>";
    for (size_t at = 0, end; at < text.size(); at = end + 1) {
        end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        html += "<p>" + text.substr(at, end - at) + "</p>\n";
    }
    html += "</body></html>";
    size_t bytes = 0;
    const auto t0 = Clock::now();
    for (int n = 0; n < a.ingest; ++n) {
        Diagnostics diags;
        Ingested page = n % 2 ? ingest_html(html, "seed.html", diags) : ingest_text(text, "seed.txt", diags);
        bytes += page.article.size();
    }
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    std::printf("ingest_pages %d\ningest_ms_per_page %.3f\ningest_ms_per_100_pages %.1f\narticle_bytes %zu\n", a.ingest,
                ms / a.ingest, 100 * ms / a.ingest, bytes / static_cast<size_t>(a.ingest));
    return 0;
}

// --ingest-accuracy DIR: every NAME.html (and NAME.txt) with a
// NAME.expected.yaml through galley ingest; per field, how many pages
// give exactly what an editor took from the page.
int ingest_accuracy(const Args& a) {
    const auto t0 = Clock::now();
    const IngestScore score = score_ingest(a.accuracy);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    std::printf("%s", score.table().c_str());
    std::printf("ingest_and_parse_ms_per_page %.3f (%zu pages)\n", ms / static_cast<double>(score.pages), score.pages);
    for (const std::string& m : score.misses) std::fprintf(stderr, "miss: %s\n", m.c_str());
    return 0;
}

// The two PDF back ends on one layout of the article, N times each: Cairo
// (paint, its finish: subsetting and writing, the archive stage's qpdf
// pass) and the one-pass writer (pages, finish), ms per document and the
// file's size (both files kept in the output folder).
void compare_backends(const Args& a, const std::string& style_path, FontContext& fonts, const std::string& dir) {
    Diagnostics d;
    const Style style = load_style(style_path, d);
    Document doc = load_article(a.article, d);
    const Layout layout = layout_article(doc, style, fonts, d);
    if (has_errors(d)) return;
    line("%-8s %10s %10s %10s %10s %10s", "backend", "paint_ms", "finish_ms", "archive_ms", "total_ms", "pdf_bytes");
    for (PdfBackend backend : {PdfBackend::Cairo, PdfBackend::Direct}) {
        PdfOptions o;
        o.backend = backend;
        o.pdfa = style.pdfa;
        std::vector<double> paint, finish, archive, total;
        std::string pdf;
        for (int r = 0; r < a.runs; ++r) {
            RunStats st;
            auto t = Clock::now();
            pdf = pdf_bytes(layout, o, &st);
            total.push_back(ms_since(t));
            paint.push_back(st.paint);
            finish.push_back(st.finish);
            archive.push_back(st.archive);
        }
        line("%-8s %10.2f %10.2f %10.2f %10.2f %10zu", backend == PdfBackend::Cairo ? "cairo" : "direct",
             median(paint), median(finish), median(archive), median(total), pdf.size());
        const char* name = backend == PdfBackend::Cairo ? "/backend-cairo.pdf" : "/backend-direct.pdf";
        std::ofstream(dir + name, std::ios::binary) << pdf;
    }
}

int bench(const Args& a) {
    if (!a.accuracy.empty()) return ingest_accuracy(a);
    if (a.ingest > 0) return ingest_figure(a);
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
    if (!a.cli_batch.empty()) return cli_batch(a, dir);
    const std::string pdf = (fs::path(dir) / "bench.pdf").string();
    const std::string style_path = find_style(a.style, "");

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
    compare_backends(a, style_path, *fonts, dir);

    // 2. A batch on one thread and on two: a Job over copies of the samples.
    if (a.batch > 0) {
        const std::string copies = make_articles(dir + "/batch", a.batch * static_cast<int>(sample_articles().size()));
        double wall[3] = {0, 0, 0};
        for (int threads : {1, 2}) {
            Job job;
            job.inputs = {copies};
            job.output = dir + "/batch-out-j" + std::to_string(threads);
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
            fs::copy(fs::path(samples.front()).parent_path() / "images", fs::path(dir) / "images",
                     fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
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

    // 4. Per process: the CLI end to end, K = min(N, 10) times, beside
    // what a cold render spends before the PDF: `--version` (process start,
    // dynamic linking, static set-up) and `check` (that, plus the font
    // context, loading and make-up). Interleaved, so drift hits all three;
    // the Cairo back end's renders after them, each after another: a
    // process started just after an 80 ms Cairo render took 3 ms longer
    // here than one started after a short one.
    if (!a.per_process.empty()) {
        const int k = std::min(a.runs, 10);
        const std::string cli_pdf = (fs::path(dir) / "cli.pdf").string();
        std::vector<double> start, check, wall, direct;
        auto timed = [&](const std::vector<std::string>& argv, std::vector<double>& into) {
            auto t = Clock::now();
            const int rc = run_quiet(argv);
            if (rc != 0) std::fprintf(stderr, "galley_bench: %s exited with status %d\n", a.per_process.c_str(), rc);
            else into.push_back(ms_since(t));
            return rc == 0;
        };
        for (int i = 0; i < k; ++i)
            if (!timed({a.per_process, "--version"}, start) ||
                !timed({a.per_process, "check", a.article, "-s", a.style}, check) ||
                !timed({a.per_process, "render", a.article, "-o", cli_pdf, "-s", a.style, "--pdf-backend", "direct"},
                       direct))
                break;
        for (int i = 0; i < k; ++i)
            if (!timed({a.per_process, "render", a.article, "-o", cli_pdf, "-s", a.style, "--pdf-backend", "cairo"},
                       wall))
                break;
        if (!wall.empty()) {
            line("per_process_ms median %.1f min %.1f (n=%zu), --pdf-backend direct (the default)", median(direct),
                 minimum(direct), direct.size());
            line("per_process_cairo_ms median %.1f min %.1f (n=%zu), --pdf-backend cairo", median(wall), minimum(wall),
                 wall.size());
            line("cold_start_ms process %.1f, fonts+load+makeup %.1f, pdf %.1f cairo / %.1f direct (medians: "
                 "--version; check - --version; render - check)",
                 median(start), median(check) - median(start), median(wall) - median(check),
                 median(direct) - median(check));
        }
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
