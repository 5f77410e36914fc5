// A job's inputs expanded into tasks with their outputs, checked before any
// work starts; the shard's share.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include <sys/stat.h>

#include "common/files.h"
#include "galley/job.h"

namespace galley {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void usage(const std::string& message) { throw Failure({Severity::Error, {}, message}); }

// An input found: its path, and its name below the output folder.
struct Found {
    std::string path;
    fs::path name;
};

// A Markdown file in a folder is an article when it opens with front
// matter (a README.md beside the articles does not).
bool is_article(const fs::path& p) {
    if (p.extension() != ".md") return false;
    std::optional<std::string> text = read_file(p.string());
    return text && (text->rfind("---\n", 0) == 0 || text->rfind("---\r\n", 0) == 0);
}

// A YAML file in a folder is an issue when it lists articles (styles and
// other YAML files live in folders too).
bool is_issue_manifest(const fs::path& p) {
    if (p.extension() != ".yaml" && p.extension() != ".yml") return false;
    std::optional<std::string> text = read_file(p.string());
    if (!text) return false;
    return text->rfind("articles:", 0) == 0 || text->find("\narticles:") != std::string::npos;
}

bool hidden(const fs::path& p) {
    std::string n = p.filename().string();
    return n.size() > 1 && n[0] == '.';
}

void add_folder(const fs::path& dir, std::vector<Found>& out) {
    std::vector<Found> found;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) usage(dir.string() + ": cannot read the folder: " + ec.message());
    for (; it != end; it.increment(ec)) {
        if (ec) usage(dir.string() + ": cannot read the folder: " + ec.message());
        std::error_code type;  // a link in a loop has no type: it is no input
        if (hidden(it->path())) {
            if (it->is_directory(type)) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(type)) continue;
        if (is_article(it->path()) || is_issue_manifest(it->path()))
            found.push_back({it->path().string(), fs::relative(it->path(), dir)});
    }
    std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.path < b.path; });
    out.insert(out.end(), found.begin(), found.end());
}

void add_input(const std::string& arg, std::vector<Found>& out) {
    std::error_code ec;
    if (fs::is_directory(arg, ec))
        add_folder(arg, out);
    else
        out.push_back({arg, fs::path(arg).filename()});
}

constexpr std::size_t kMaxList = 64u << 20;

// "@list.txt": a path per line; blank lines and lines starting with # skipped.
void add_list(const std::string& list, std::vector<Found>& out) {
    // A list may be a pipe (@<(find …)), but not a device, and not endless.
    std::string why;
    std::optional<std::string> text;
    struct stat st {};
    if (::stat(list.c_str(), &st) == 0 && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
        why = "it is a device";
    else
        text = read_file(list, &why, kMaxList);
    if (!text) usage(list + ": cannot read the list of inputs: " + why);
    size_t at = 0;
    while (at < text->size()) {
        size_t end = text->find('\n', at);
        if (end == std::string::npos) end = text->size();
        std::string line = text->substr(at, end - at);
        at = end + 1;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        line.erase(0, line.find_first_not_of(" \t"));
        if (line.empty() || line[0] == '#') continue;
        add_input(line, out);
    }
}

// The same file given twice (as itself and in its folder, say) is run once.
std::vector<Found> expand(const Job& job, bool& folder_like) {
    std::vector<Found> all;
    for (const std::string& arg : job.inputs) {
        std::error_code ec;
        if (arg.size() > 1 && arg[0] == '@') {
            add_list(arg.substr(1), all);
            folder_like = true;
        } else if (arg == "-") {
            all.push_back({"-", "stdin"});
        } else {
            folder_like = folder_like || fs::is_directory(arg, ec);
            add_input(arg, all);
        }
    }
    std::vector<Found> out;
    std::set<std::string> seen;
    for (Found& f : all) {
        std::error_code ec;
        fs::path key = f.path == "-" ? fs::path("-") : fs::weakly_canonical(f.path, ec);
        if (seen.insert(ec ? f.path : key.string()).second) out.push_back(std::move(f));
    }
    if (std::count_if(out.begin(), out.end(), [](const Found& f) { return f.path == "-"; }) > 0 && out.size() > 1)
        usage("'-' (standard input) cannot be mixed with other inputs");
    return out;
}

std::uint64_t fnv1a(const std::string& s) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

std::string canonical_or_same(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
    return ec ? path : p.string();
}

// Two tasks to one output, or an output that is one of the inputs (the
// style given, the report and the dump counted among them).
void check_outputs(const Job& job, const std::vector<Task>& tasks, const std::vector<Found>& found) {
    std::map<std::string, size_t> by_output;
    std::set<std::string> inputs;
    for (const Found& f : found)
        if (f.path != "-") inputs.insert(canonical_or_same(f.path));
    std::error_code ec;
    if (job.render.style_given && fs::is_regular_file(job.render.style, ec))
        inputs.insert(canonical_or_same(job.render.style));
    for (const std::string* extra : {&job.batch.report, &job.render.dump}) {
        if (extra->empty()) continue;
        const std::string key = canonical_or_same(*extra);
        if (inputs.count(key)) usage("'" + *extra + "' is one of the inputs; the report and the dump need files of their own");
        for (const Task& t : tasks)
            if (!t.output.empty() && t.output != "-" && canonical_or_same(t.output) == key)
                usage("'" + *extra + "' is also an output; the report and the dump need files of their own");
    }
    if (!job.batch.report.empty() && !job.render.dump.empty() &&
        canonical_or_same(job.batch.report) == canonical_or_same(job.render.dump))
        usage("the report and the dump are both '" + job.batch.report + "'");
    for (size_t i = 0; i < tasks.size(); ++i) {
        if (tasks[i].output.empty() || tasks[i].output == "-") continue;
        std::string key = canonical_or_same(tasks[i].output);
        auto [it, fresh] = by_output.emplace(key, i);
        if (!fresh)
            usage("'" + tasks[it->second].input + "' and '" + tasks[i].input + "' would both be written to '" +
                  tasks[i].output + "'; give them different names or render them to different folders");
        if (inputs.count(key)) usage("the output '" + tasks[i].output + "' is one of the inputs");
    }
}

std::string with_extension(const fs::path& p, const char* ext) {
    fs::path q = p;
    q.replace_extension(ext);
    return q.string();
}

// Where the task's output goes: a file, "-", or a path in the output folder.
std::string output_of(const Job& job, const Found& f, bool to_folder) {
    if (job.command == Command::Check) return {};
    if (job.command == Command::Proof) return (fs::path(job.output) / with_extension(f.name, "")).string();
    if (to_folder) {
        if (f.path == "-") usage("'-' (standard input) needs -o FILE or -o - (standard output)");
        return (fs::path(job.output) / with_extension(f.name, ".pdf")).string();
    }
    if (!job.output.empty()) return job.output;
    return f.path == "-" ? "-" : with_extension(f.path, ".pdf");
}

// Standard input, read whole but no further than the limit on sources.
std::string read_stdin(std::size_t max_bytes) {
    std::string text;
    char buf[65536];
    while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
        text.append(buf, static_cast<size_t>(std::cin.gcount()));
        if (text.size() > max_bytes)
            usage("standard input holds more than the limit of " + std::to_string(max_bytes >> 20) +
                  " MB (--max-file-size)");
    }
    return text;
}

}  // namespace

std::vector<Task> plan(const Job& job) {
    if (job.inputs.empty()) usage("no input given");
    bool folder_like = job.inputs.size() > 1;
    std::vector<Found> found = expand(job, folder_like);
    if (job.command == Command::Proof && (job.output.empty() || job.output == "-"))
        usage("proof needs -o FOLDER for its PNGs");
    if (!job.render.dump.empty() && (folder_like || found.size() > 1)) usage("--dump takes one input");
    std::error_code ec;
    const bool to_folder = job.command == Command::Render && !job.output.empty() && job.output != "-" &&
                           (folder_like || fs::is_directory(job.output, ec) || job.output.back() == '/');
    if (job.command == Command::Render && job.output == "-" && (folder_like || found.size() != 1))
        usage("-o - (standard output) takes one input");
    if (to_folder && (fs::exists(job.output, ec) ? !fs::is_directory(job.output, ec)
                                                 : fs::path(job.output).extension() == ".pdf"))
        usage("several inputs are written to a folder, and '" + job.output + "' names a file");
    if (job.command == Command::Proof && fs::exists(job.output, ec) && !fs::is_directory(job.output, ec))
        usage("proof writes PNGs into a folder, and '" + job.output + "' is a file");
    const Shard& shard = job.batch.shard;
    if (shard.count < 1 || shard.index < 0 || shard.index >= shard.count) usage("the shard is out of range");
    std::vector<Task> tasks;
    for (const Found& f : found) tasks.push_back({f.path, output_of(job, f, to_folder), {}});
    check_outputs(job, tasks, found);
    std::vector<Task> mine;
    for (size_t i = 0; i < tasks.size(); ++i)
        if (shard.count == 1 || fnv1a(found[i].name.generic_string()) % shard.count == static_cast<size_t>(shard.index))
            mine.push_back(std::move(tasks[i]));
    for (Task& t : mine)
        if (t.input == "-") t.text = read_stdin(job.render.read.max_bytes);
    return mine;
}

Shard parse_shard(const std::string& spec, const std::function<const char*(const char*)>& getenv) {
    auto number = [](const std::string& s, const std::string& what) {
        if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
            usage("--shard: " + what + " is not a number: '" + s + "'");
        return std::stoi(s);
    };
    auto env = [&](const char* name) -> std::string {
        const char* v = getenv(name);
        return v ? v : "";
    };
    Shard s;
    if (spec == "env") {
        if (!env("JOB_COMPLETION_INDEX").empty()) {
            if (env("GALLEY_SHARD_COUNT").empty())
                usage("--shard env: JOB_COMPLETION_INDEX is set but GALLEY_SHARD_COUNT is not (set it to the job's completions)");
            s.index = number(env("JOB_COMPLETION_INDEX"), "JOB_COMPLETION_INDEX");
            s.count = number(env("GALLEY_SHARD_COUNT"), "GALLEY_SHARD_COUNT");
        } else if (!env("SLURM_ARRAY_TASK_ID").empty()) {
            if (env("SLURM_ARRAY_TASK_COUNT").empty()) usage("--shard env: SLURM_ARRAY_TASK_COUNT is not set");
            // An array 0-15:2 runs tasks 0, 2, … 14: eight shards.
            int min = env("SLURM_ARRAY_TASK_MIN").empty() ? 0 : number(env("SLURM_ARRAY_TASK_MIN"), "SLURM_ARRAY_TASK_MIN");
            int step = env("SLURM_ARRAY_TASK_STEP").empty() ? 1 : number(env("SLURM_ARRAY_TASK_STEP"), "SLURM_ARRAY_TASK_STEP");
            s.index = (number(env("SLURM_ARRAY_TASK_ID"), "SLURM_ARRAY_TASK_ID") - min) / std::max(step, 1);
            s.count = number(env("SLURM_ARRAY_TASK_COUNT"), "SLURM_ARRAY_TASK_COUNT");
        } else {
            usage("--shard env: neither JOB_COMPLETION_INDEX (Kubernetes) nor SLURM_ARRAY_TASK_ID (Slurm) is set");
        }
    } else {
        size_t slash = spec.find('/');
        if (slash == std::string::npos) usage("--shard wants K/N (K from 1 to N) or env, not '" + spec + "'");
        s.index = number(spec.substr(0, slash), "K") - 1;
        s.count = number(spec.substr(slash + 1), "N");
    }
    if (s.count < 1 || s.index < 0 || s.index >= s.count)
        usage("--shard: shard " + std::to_string(s.index + 1) + " of " + std::to_string(s.count) + " does not exist");
    return s;
}

std::vector<PageRange> parse_pages(const std::string& spec) {
    std::vector<PageRange> out;
    auto page = [&](const std::string& s) {
        if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos || std::stoi(s) < 1)
            usage("--pages wants page numbers from 1, as 1-3,5 or 4-, not '" + spec + "'");
        return std::stoi(s);
    };
    size_t at = 0;
    while (at <= spec.size()) {
        size_t end = std::min(spec.find(',', at), spec.size());
        std::string part = spec.substr(at, end - at);
        size_t dash = part.find('-');
        PageRange r;
        if (dash == std::string::npos) {
            r.first = r.last = page(part);
        } else {
            r.first = page(part.substr(0, dash));
            r.last = dash + 1 == part.size() ? 0 : page(part.substr(dash + 1));
            if (r.last && r.last < r.first) usage("--pages: " + part + " runs backwards");
        }
        out.push_back(r);
        at = end + 1;
    }
    return out;
}

}  // namespace galley
