// One task through the pipeline, for run() and watch().
#pragma once
#include <string>
#include <vector>

#include "galley/job.h"

namespace galley {

// Loads, checks the stamp (skip_unchanged), lays out and writes what the
// command asks for; never throws: failures are diagnostics. `fonts_hash` is
// fonts_digest() when stamps are used.
TaskResult run_task(const Job& job, const Task& task, FontContext& fonts, const std::string& fonts_hash);

// kExitFailed when the input failed, kExitWarnings when it warned and the
// job fails on warnings, else kExitOk.
int exit_status(const TaskResult& r, bool fail_on_warnings);

}  // namespace galley
