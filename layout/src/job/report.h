// What a run tells its user as inputs finish: messages, status or progress
// lines, the JSON Lines report, the summary; and the JSON forms of
// diagnostics (check --format json, the report, stamps).
#pragma once
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "common/timing.h"
#include "galley/job.h"

namespace galley {

nlohmann::ordered_json diagnostic_json(const Diagnostic& d);
Diagnostic diagnostic_from_json(const nlohmann::ordered_json& j);
// An input's line in the report: input, output, status, pages,
// milliseconds, diagnostics.
nlohmann::ordered_json result_json(const TaskResult& r);
const char* status_name(Status s);

// Told of each input in input order; owns the report file.
class Reporter {
public:
    // Throws Failure (a usage error) when the report file cannot be made.
    Reporter(const Job& job, size_t total);
    ~Reporter();
    Reporter(const Reporter&) = delete;
    Reporter& operator=(const Reporter&) = delete;
    void done(const TaskResult& r);
    // The summary (a batch), and check's JSON document.
    void finish();
    // The run's exit status: kExitFailed when an input failed, else
    // kExitWarnings when one warned and the job fails on warnings.
    int status() const { return status_; }

private:
    void status_line(const TaskResult& r);
    void progress_line();

    const Job& job_;
    size_t total_, done_ = 0, failed_ = 0, warned_ = 0, skipped_ = 0;
    long pages_ = 0;
    Clock::time_point start_ = Clock::now();
    FILE* report_ = nullptr;
    bool progress_shown_ = false;
    int status_ = kExitOk;
    nlohmann::ordered_json checked_ = nlohmann::ordered_json::array();
};

}  // namespace galley
