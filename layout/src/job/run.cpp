// A job's tasks on a pool of threads sharing one FontContext, reported in
// input order as they finish.
#include <sched.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "common/files.h"
#include "job/report.h"
#include "job/run.h"
#include "job/stamp.h"
#include "text/font_context.h"

namespace galley {
namespace {

namespace fs = std::filesystem;

// The pages a proof draws, 0-based, in order.
std::vector<int> proof_pages(const std::vector<PageRange>& ranges, int count, Diagnostics& diags,
                             const std::string& input) {
    std::vector<int> out;
    if (ranges.empty())
        for (int p = 0; p < count; ++p) out.push_back(p);
    for (const PageRange& r : ranges) {
        int last = r.last ? r.last : count;
        if (r.first > count || last > count)
            warning(diags, {input, 0, 0},
                    "the document has " + std::to_string(count) + " pages; pages beyond it are not drawn");
        for (int p = r.first; p <= std::min(last, count); ++p) out.push_back(p - 1);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// NAME-7.png, the page number padded to the document's page count (as
// pdftoppm does), so the files sort in page order.
std::string proof_name(const std::string& prefix, int page, int count) {
    std::string n = std::to_string(page + 1);
    n.insert(0, std::to_string(count).size() - n.size(), '0');
    return prefix + "-" + n + ".png";
}

// The same file by its resolved path (an output need not exist yet).
bool same_file(const std::string& a, const std::string& b) {
    std::error_code ec;
    return fs::weakly_canonical(fs::absolute(a), ec) == fs::weakly_canonical(fs::absolute(b), ec);
}

// Every output of the input made first, then put in place together: a
// failure on the way leaves all the old files as they were. An output that
// is one of the files the input is made from is refused.
void write_outputs(const Job& job, const Task& task, const Input& in, const Layout& layout, TaskResult& r) {
    std::vector<std::pair<std::string, std::string>> outputs;  // path, bytes
    switch (job.command) {
        case Command::Check:
            return;
        case Command::Proof:
            for (int p : proof_pages(job.proof.pages, r.pages, r.diags, task.input))
                outputs.push_back({proof_name(task.output, p, r.pages), png_bytes(layout, p, job.proof.dpi)});
            break;
        case Command::Render:
            if (!job.render.dump.empty()) outputs.push_back({job.render.dump, dump_frames(layout)});
            outputs.push_back({task.output, pdf_bytes(layout, pdf_options(in, job.render), &r.stats)});
    }
    for (const auto& [path, bytes] : outputs)
        for (const std::string& source : in.files)
            if (path != "-" && same_file(path, source))
                throw Failure({Severity::Error, {path, 0, 0},
                               "the output is '" + source + "', which this input is made from; give another output"});
    std::vector<StagedOutput> staged;
    for (const auto& [path, bytes] : outputs) {
        std::error_code ec;
        if (fs::path(path).has_parent_path() && path != "-") fs::create_directories(fs::path(path).parent_path(), ec);
        if (ec)
            throw Failure({Severity::Error, {path, 0, 0},
                           "cannot write the output: cannot make the folder '" + fs::path(path).parent_path().string() +
                               "': " + ec.message()});
        staged.push_back(stage_output(path, bytes));
    }
    for (StagedOutput& s : staged) s.commit();
}

void finish_result(TaskResult& r) {
    const bool warned = std::any_of(r.diags.begin(), r.diags.end(),
                                    [](const Diagnostic& d) { return d.severity == Severity::Warning; });
    if (has_errors(r.diags))
        r.status = Status::Failed;
    else if (r.status != Status::Skipped)
        r.status = warned ? Status::Warned : Status::Ok;
}

// The cores this process may run on (taskset, cpusets), not all the
// machine has.
int usable_cores() {
    cpu_set_t set;
    if (::sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

TaskResult run_task(const Job& job, const Task& task, FontContext& fonts, const std::string& fonts_hash) {
    TaskResult r;
    r.task = task;
    auto t0 = Clock::now();
    try {
        Input in = load_input(task.input, task.input == "-" ? &task.text : nullptr, job.render, r.diags);
        r.files = in.files;
        r.stats.load = ms_since(t0);
        const bool stamped = job.batch.skip_unchanged && job.command == Command::Render && task.output != "-";
        std::string hash;
        if (!has_errors(r.diags) && stamped) {
            hash = stamp_hash(in.files, task.text, job.render, fonts_hash);
            if (std::optional<Stamp> s = read_stamp(task.output); s && s->hash == hash) {
                r.status = Status::Skipped;
                r.pages = s->pages;
                r.diags = s->diags;
            }
        }
        if (!has_errors(r.diags) && r.status != Status::Skipped) {
            Layout layout = layout_input(in, fonts, r.diags, &r.stats);
            r.pages = static_cast<int>(layout.pages.size());
            if (!has_errors(r.diags)) write_outputs(job, task, in, layout, r);
            if (!has_errors(r.diags) && stamped) write_stamp(task.output, {hash, r.pages, r.diags});
        }
    } catch (const Failure& f) {
        // A stage's failure without a place (cairo, qpdf) is the input's.
        r.diags.push_back(f.diagnostic);
        if (r.diags.back().pos.file.empty()) r.diags.back().pos.file = task.input == "-" ? "<stdin>" : task.input;
    } catch (const std::exception& e) {
        error(r.diags, {task.input == "-" ? "<stdin>" : task.input, 0, 0}, std::string("internal error: ") + e.what());
    }
    finish_result(r);
    r.ms = ms_since(t0);
    return r;
}

int exit_status(const TaskResult& r, bool fail_on_warnings) {
    if (r.status == Status::Failed) return kExitFailed;
    const bool warned = std::any_of(r.diags.begin(), r.diags.end(),
                                    [](const Diagnostic& d) { return d.severity == Severity::Warning; });
    return warned && fail_on_warnings ? kExitWarnings : kExitOk;
}

int run(Job& job, FontContext& fonts) {
    job.results.clear();
    std::vector<Task> tasks;
    std::optional<Reporter> reporter;
    try {
        tasks = plan(job);
        reporter.emplace(job, tasks.size());
    } catch (const Failure& f) {
        std::fprintf(job.messages, "%s\n", format(f.diagnostic).c_str());
        return kExitUsage;
    }
    const std::string fonts_hash = job.batch.skip_unchanged ? fonts_digest(font_files(fonts)) : std::string();
    // Results wait here only until reported: memory goes with the inputs
    // in flight (and with job.results when the caller keeps them).
    std::map<size_t, TaskResult> finished;
    std::mutex lock;
    size_t next = 0, reported = 0;
    // Each worker takes the next input; whoever finishes one reports every
    // finished input not yet reported, in order, so messages come as soon
    // as an input and those before it are done.
    auto worker = [&] {
        for (;;) {
            size_t i;
            {
                std::lock_guard g(lock);
                if (next >= tasks.size() || (job.stop && job.stop->load())) return;
                i = next++;
            }
            TaskResult r = run_task(job, tasks[i], fonts, fonts_hash);
            std::lock_guard g(lock);
            finished.emplace(i, std::move(r));
            for (auto it = finished.find(reported); it != finished.end(); it = finished.find(++reported)) {
                reporter->done(it->second);
                if (job.keep_results) job.results.push_back(std::move(it->second));
                finished.erase(it);
            }
        }
    };
    int threads = job.batch.jobs > 0 ? job.batch.jobs : usable_cores();
    threads = static_cast<int>(std::min<size_t>(threads, std::max<size_t>(tasks.size(), 1)));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    reporter->finish();
    return reporter->status();
}

int run(Job& job) {
    FontContextPtr fonts;
    try {
        fonts = make_font_context(job.fonts);
    } catch (const Failure& f) {
        std::fprintf(job.messages, "%s\n", format(f.diagnostic).c_str());
        return kExitFailed;
    }
    return run(job, *fonts);
}

}  // namespace galley
