#include "job/report.h"

#include "job/run.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <algorithm>

namespace galley {
namespace {

double tenth(double v) { return std::round(v * 10) / 10; }

const char* verb(Command c) {
    switch (c) {
        case Command::Check: return "checked";
        case Command::Proof: return "proofed";
        default: return "rendered";
    }
}

std::string count(size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

nlohmann::ordered_json diagnostic_json(const Diagnostic& d) {
    return {{"severity", d.severity == Severity::Error ? "error" : "warning"},
            {"file", d.pos.file},
            {"line", d.pos.line},
            {"col", d.pos.col},
            {"message", d.message}};
}

Diagnostic diagnostic_from_json(const nlohmann::ordered_json& j) {
    Diagnostic d;
    d.severity = j.at("severity").get<std::string>() == "error" ? Severity::Error : Severity::Warning;
    d.pos = {j.at("file").get<std::string>(), j.at("line").get<int>(), j.at("col").get<int>()};
    d.message = j.at("message").get<std::string>();
    return d;
}

const char* status_name(Status s) {
    switch (s) {
        case Status::Ok: return "ok";
        case Status::Warned: return "warnings";
        case Status::Failed: return "failed";
        case Status::Skipped: return "skipped";
    }
    return "?";
}

nlohmann::ordered_json result_json(const TaskResult& r) {
    nlohmann::ordered_json j{{"input", r.task.input},
                     {"output", r.task.output},
                     {"status", status_name(r.status)},
                     {"pages", r.pages},
                     {"ms", tenth(r.ms)},
                     {"diagnostics", nlohmann::ordered_json::array()}};
    for (const Diagnostic& d : r.diags) j["diagnostics"].push_back(diagnostic_json(d));
    return j;
}

Reporter::Reporter(const Job& job, size_t total) : job_(job), total_(total) {
    if (job.batch.report.empty()) return;
    std::error_code ec;
    if (std::filesystem::path(job.batch.report).has_parent_path())
        std::filesystem::create_directories(std::filesystem::path(job.batch.report).parent_path(), ec);
    report_ = std::fopen(job.batch.report.c_str(), "w");
    if (!report_)
        throw Failure({Severity::Error, {job.batch.report, 0, 0},
                       std::string("cannot write the report: ") + std::strerror(errno)});
}

Reporter::~Reporter() {
    if (report_) std::fclose(report_);
}

void Reporter::done(const TaskResult& r) {
    ++done_;
    const int s = exit_status(r, job_.batch.fail_on_warnings);
    if (s == kExitFailed || (s == kExitWarnings && status_ == kExitOk)) status_ = s;
    pages_ += r.pages;
    failed_ += r.status == Status::Failed;
    warned_ += std::any_of(r.diags.begin(), r.diags.end(),
                           [](const Diagnostic& d) { return d.severity == Severity::Warning; }) &&
               !has_errors(r.diags);
    skipped_ += r.status == Status::Skipped;
    if (report_) {
        std::string line = result_json(r).dump() + "\n";
        std::fwrite(line.data(), 1, line.size(), report_);
        std::fflush(report_);
    }
    if (job_.json) {
        nlohmann::ordered_json j = result_json(r);
        j.erase("output");
        checked_.push_back(std::move(j));
        return;
    }
    if (progress_shown_ && !r.diags.empty()) std::fputs("\r\033[K", job_.messages);
    for (const Diagnostic& d : r.diags) std::fprintf(job_.messages, "%s\n", format(d).c_str());
    if (job_.batch.quiet || total_ < 2) return;
    if (job_.batch.progress)
        progress_line();
    else
        status_line(r);
    std::fflush(job_.messages);
}

// "galley: [ 3/10] ok a.md -> out/a.pdf (4 pages, 35 ms)"
void Reporter::status_line(const TaskResult& r) {
    const int width = static_cast<int>(std::to_string(total_).size());
    std::string what = r.task.input;
    if (!r.task.output.empty() && r.status != Status::Failed) what += " -> " + r.task.output;
    std::string detail = r.status == Status::Failed ? "" : " (" + count(r.pages, "page", "pages") + ", ";
    if (r.status != Status::Failed) detail += std::to_string(std::lround(r.ms)) + " ms)";
    std::fprintf(job_.messages, "galley: [%*zu/%zu] %s %s%s\n", width, done_, total_, status_name(r.status),
                 what.c_str(), detail.c_str());
}

// "[ 120/1000] 35.1 inputs/s, 140.4 pages/s, ETA 0:25" redrawn in place.
void Reporter::progress_line() {
    const double s = ms_since(start_) / 1000;
    const double rate = s > 0 ? done_ / s : 0;
    const long eta = rate > 0 ? std::lround((total_ - done_) / rate) : 0;
    const int width = static_cast<int>(std::to_string(total_).size());
    std::fprintf(job_.messages, "\r\033[K[%*zu/%zu] %.1f inputs/s, %.1f pages/s, ETA %ld:%02ld", width, done_, total_,
                 rate, s > 0 ? pages_ / s : 0.0, eta / 60, eta % 60);
    progress_shown_ = true;
}

void Reporter::finish() {
    if (job_.json) {
        size_t errors = 0, warnings = 0;
        for (const auto& r : checked_)
            for (const auto& d : r["diagnostics"]) (d["severity"] == "error" ? errors : warnings)++;
        nlohmann::ordered_json doc{{"inputs", checked_}, {"errors", errors}, {"warnings", warnings}};
        std::string text = doc.dump(2) + "\n";
        std::fwrite(text.data(), 1, text.size(), job_.data);
        std::fflush(job_.data);
    }
    if (progress_shown_) std::fputs("\r\033[K", job_.messages);
    if (job_.batch.quiet || total_ < 2 || job_.json) return;
    const double s = ms_since(start_) / 1000;
    std::fprintf(job_.messages,
                 "galley: %zu inputs: %zu %s, %zu failed, %zu skipped, %zu with warnings; %ld pages in %.1f s "
                 "(%.1f inputs/s, %.1f pages/s)\n",
                 total_, done_ - failed_ - skipped_, verb(job_.command), failed_, skipped_, warned_, pages_, s,
                 s > 0 ? done_ / s : 0.0, s > 0 ? pages_ / s : 0.0);
    std::fflush(job_.messages);
}

}  // namespace galley
