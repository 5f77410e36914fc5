// A run of the galley command as data, as qpdf's QPDFJob: the inputs, the
// options, the outputs, and what came of each input. The CLI only parses
// its arguments into a Job; the benchmark and the tests build Jobs too.
#pragma once
#include <atomic>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "galley/diagnostics.h"
#include "galley/engine.h"

namespace galley {

enum class Command { Render, Check, Proof };

// Exit statuses of a run (and of the galley command).
enum ExitStatus : int {
    kExitOk = 0,
    kExitFailed = 1,    // some input failed
    kExitUsage = 2,     // the arguments: unknown option, colliding outputs, …
    kExitWarnings = 3,  // warnings, with fail_on_warnings
};

// A run's share of a batch: an input goes to shard hash(its path) % count,
// so the same inputs always go to the same shard whatever else is listed.
struct Shard {
    int index = 0;  // 0-based
    int count = 1;
};

// "K/N" (K from 1 to N), or "env": Kubernetes Indexed Jobs
// (JOB_COMPLETION_INDEX, with GALLEY_SHARD_COUNT set to the completions in
// the job spec) or Slurm job arrays (SLURM_ARRAY_TASK_ID less
// SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT). Throws Failure (a usage
// error) saying what is wrong. `getenv` is the environment to read.
Shard parse_shard(const std::string& spec, const std::function<const char*(const char*)>& getenv);

// Pages to proof, 1-based and inclusive; last 0: to the end.
struct PageRange {
    int first = 1;
    int last = 0;
};
// "1-3", "2", "4-", "1,3,5-7". Throws Failure (a usage error).
std::vector<PageRange> parse_pages(const std::string& spec);

struct BatchOptions {
    int jobs = 0;                   // inputs at once; 0: one per core
    bool quiet = false;             // no status or progress lines (messages still)
    bool progress = false;          // one progress line redrawn in place (a terminal)
    std::string report;             // JSON Lines file, a line per input; empty: none
    bool fail_on_warnings = false;  // kExitWarnings when an input warned
    bool skip_unchanged = false;    // stamps beside the outputs say what they were made from
    Shard shard;
};

struct ProofOptions {
    std::vector<PageRange> pages;  // empty: every page
    double dpi = 150;
};

// One input as it is run.
struct Task {
    std::string input;   // a path, or "-" (standard input)
    std::string output;  // a PDF path or "-" (render), a folder (proof), empty (check)
    std::string text;    // the input's bytes when read already (standard input)
};

enum class Status { Ok, Warned, Failed, Skipped };

struct TaskResult {
    Task task;
    Status status = Status::Ok;
    int pages = 0;
    double ms = 0;
    RunStats stats;                      // by stage
    Diagnostics diags;                   // a skipped input's are those of the run that made its output
    std::vector<std::string> files;      // what it was made from: input, articles, pictures, style
};

struct Job {
    Command command = Command::Render;
    // Files, folders (searched for *.md and issue manifests *.yaml/*.yml),
    // list files "@list.txt" (a path per line; # comments), "-" (stdin).
    std::vector<std::string> inputs;
    // Render: a PDF, "-" (stdout) or a folder (NAME.pdf for each input;
    // inputs found in a folder keep their path below it); empty: each PDF
    // beside its input. Proof: the folder for NAME-PAGE.png. Check: unused.
    std::string output;
    RenderOptions render;
    FontOptions fonts;
    BatchOptions batch;
    ProofOptions proof;
    bool json = false;               // check: the diagnostics as one JSON document on `data`
    FILE* messages = stderr;         // diagnostics, status and progress
    FILE* data = stdout;             // check --format json
    const std::atomic<bool>* stop = nullptr;  // set (by a signal handler): start no more inputs

    // Filled by run(): one per task, in input order. Off: each result is
    // dropped once reported, so a batch of a million inputs needs no more
    // memory than one of a hundred (the CLI).
    bool keep_results = true;
    std::vector<TaskResult> results;
};

// The job's tasks: inputs expanded (folders in name order), outputs derived
// and checked before any work starts (two inputs to one output, an output
// that is an input, several inputs to one file), then the shard's share.
// Throws Failure (a usage error).
std::vector<Task> plan(const Job& job);

// Plans and runs the job on batch.jobs threads sharing `fonts`; reports each
// input as soon as it and those before it are done; returns the exit status.
int run(Job& job, FontContext& fonts);
// The same with a FontContext made from job.fonts.
int run(Job& job);

// Re-renders job's one input whenever it, its pictures, its style or an
// issue's articles change, until *job.stop is set; errors are reported and
// watching goes on. Returns the exit status of the last render.
int watch(Job& job, FontContext& fonts);

// Removes the temporary files outputs are being written to (where the file
// system cannot make unnamed ones); for a SIGINT or SIGTERM handler: it is
// async-signal-safe.
void remove_temporary_outputs() noexcept;

}  // namespace galley
