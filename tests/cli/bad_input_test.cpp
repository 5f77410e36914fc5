// The bad-input corpus (issue 11, deliverable 9): tests/data/bad/NNN-name/
// holds one hostile or broken input each and a case.yaml saying how galley
// is run on it and what it must answer. tests/data/bad/README.md describes
// the keys. Each case runs on a copy of its folder, within 10 s and 1 GB,
// and must leave no file behind and change none it was not asked to write.
// Cases listed in tests/data/bad/KNOWN-FAILURES.md are run but not held to
// their answer (bugs still open); one of them that passes is an error, so
// the list is kept honest.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "support.h"

using namespace galley::test;
namespace fs = std::filesystem;

namespace {

constexpr double kTimeLimit = 10.0;               // seconds of wall-clock time
constexpr rlim_t kMemoryLimit = rlim_t(1) << 30;  // bytes of address space

const std::vector<std::string> kCategories = {"articles", "manifests", "styles", "pictures", "paths", "outputs"};

// What no message may hold: a C++ runtime's or library's own words, or a
// temporary file's name.
const std::vector<std::string> kForbidden = {"terminate called", "what():", "basic_filebuf", "basic_ios",
                                             "filesystem error", "std::", "bad_alloc", "Assertion",
                                             "AddressSanitizer", "Segmentation", "(null)", ".tmp"};

std::string corpus_dir() { return GALLEY_TEST_DATA "/bad"; }

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

struct Case {
    std::string name, category, args, stdin_file, message, absent, stdout_text;
    int status = -1;
    std::map<std::string, std::string> env;
    std::vector<std::pair<std::string, std::string>> setup;  // kind, value
    std::vector<std::string> writes;
};

Case load_case(const fs::path& dir) {
    YAML::Node y = YAML::LoadFile((dir / "case.yaml").string());
    Case c;
    c.name = dir.filename().string();
    c.category = y["category"].as<std::string>("");
    c.args = y["args"].as<std::string>("");
    c.status = y["status"].as<int>(-1);
    c.message = y["message"].as<std::string>("");
    c.absent = y["absent"].as<std::string>("");
    c.stdout_text = y["stdout"].as<std::string>("");
    c.stdin_file = y["stdin"].as<std::string>("");
    if (y["env"])
        for (auto kv : y["env"]) c.env[kv.first.as<std::string>()] = kv.second.as<std::string>();
    if (y["setup"])
        for (auto item : y["setup"])
            for (auto kv : item) c.setup.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
    if (y["writes"])
        for (auto w : y["writes"]) c.writes.push_back(w.as<std::string>());
    return c;
}

std::vector<Case> all_cases() {
    std::vector<Case> out;
    for (auto& e : fs::directory_iterator(corpus_dir()))
        if (e.is_directory() && fs::exists(e.path() / "case.yaml")) out.push_back(load_case(e.path()));
    std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
    return out;
}

// The case names KNOWN-FAILURES.md lists: the `NNN-name`s a list item
// ("- `NNN-name`, `MMM-name`: ...") starts with.
std::set<std::string> known_failures() {
    std::set<std::string> out;
    std::istringstream in(read_file(corpus_dir() + "/KNOWN-FAILURES.md"));
    static const std::regex item(R"(^\s*[-*]\s+((`[0-9]{3}-[a-z0-9-]+`(,\s*)?)+))");
    static const std::regex name("`([0-9]{3}-[a-z0-9-]+)`");
    std::smatch m;
    for (std::string line; std::getline(in, line);) {
        if (!std::regex_search(line, m, item)) continue;
        const std::string names = m[1];
        for (std::sregex_iterator it(names.begin(), names.end(), name), end; it != end; ++it) out.insert((*it)[1]);
    }
    return out;
}

struct Places {
    std::string root, dir, out;
    std::string expand(std::string s) const {
        s = replace_all(s, "{dir}", dir);
        s = replace_all(s, "{out}", out);
        // {C*N}: the character C N times (long file names).
        static const std::regex rep(R"(\{(.)\*([0-9]+)\})");
        std::smatch m;
        while (std::regex_search(s, m, rep)) s.replace(m.position(), m.length(), std::string(std::stoul(m[2]), m.str(1)[0]));
        return s;
    }
    // A path of the case, relative to the case's folder unless absolute.
    std::string path(const std::string& p) const {
        std::string e = expand(p);
        return e.empty() || e[0] == '/' ? e : dir + "/" + e;
    }
};

// Words of a command line: blanks separate, '...' and "..." quote.
std::vector<std::string> split_args(const std::string& line) {
    std::vector<std::string> out;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (char ch : line) {
        if (quote) {
            if (ch == quote) quote = 0;
            else word += ch;
        } else if (ch == '\'' || ch == '"') {
            quote = ch;
            in_word = true;
        } else if (ch == ' ' || ch == '\t' || ch == '\n') {
            if (in_word) out.push_back(word);
            word.clear();
            in_word = false;
        } else {
            word += ch;
            in_word = true;
        }
    }
    if (in_word) out.push_back(word);
    return out;
}

std::pair<std::string, std::string> arrow(const std::string& v) {
    size_t at = v.find(" -> ");
    REQUIRE(at != std::string::npos);
    return {v.substr(0, at), v.substr(at + 4)};
}

const std::string kExisting = "%PDF-1.7\n% an existing good PDF, to be left as it is\n%%EOF\n";

void apply_setup(const Case& c, const Places& p) {
    for (const auto& [kind, value] : c.setup) {
        INFO("setup " << kind << ": " << value);
        if (kind == "fifo") {
            REQUIRE(::mkfifo(p.path(value).c_str(), 0644) == 0);
        } else if (kind == "symlink") {
            auto [name, target] = arrow(value);
            fs::create_symlink(p.expand(target), p.path(name));
        } else if (kind == "sparse") {
            std::istringstream in(value);
            std::string name;
            std::uintmax_t size = 0;
            in >> name >> size;
            std::ofstream(p.path(name), std::ios::binary | std::ios::app).flush();
            fs::resize_file(p.path(name), size);
        } else if (kind == "mkdir") {
            fs::create_directories(p.path(value));
        } else if (kind == "existing") {
            fs::create_directories(fs::path(p.path(value)).parent_path());
            std::ofstream(p.path(value), std::ios::binary) << kExisting;
        } else if (kind == "copy") {  // a file of the source tree
            auto [from, to] = arrow(value);
            fs::copy_file(source_dir() + "/" + from, p.path(to));
        } else {
            FAIL("unknown setup '" << kind << "'");
        }
    }
}

// Every entry below `root`, links not followed, FIFOs not opened: its kind
// and, for a file, its size and a hash of its bytes; for a link, its target.
std::map<std::string, std::string> snapshot(const std::string& root) {
    std::map<std::string, std::string> out;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
        const fs::path& path = it->path();
        std::string rel = path.lexically_relative(root).string();
        fs::file_status st = fs::symlink_status(path);
        if (fs::is_symlink(st)) {
            out[rel] = "link " + fs::read_symlink(path).string();
        } else if (fs::is_regular_file(st)) {
            std::uintmax_t size = fs::file_size(path);
            std::string id = "file " + std::to_string(size);
            if (size <= (64u << 20)) id += " " + std::to_string(std::hash<std::string>{}(read_file(path.string())));
            else id += " " + std::to_string(fs::last_write_time(path).time_since_epoch().count());
            out[rel] = id;
        } else if (fs::is_directory(st)) {
            out[rel] = "folder";
        } else {
            out[rel] = fs::is_fifo(st) ? "fifo" : "other";
        }
    }
    return out;
}

struct Outcome {
    int status = -1;      // exit status, or -1 when killed
    int signal = 0;       // the signal that ended it
    bool timed_out = false;
    double seconds = 0;
    long max_rss_kb = 0;
    std::string err, out;
};

// Runs galley with `args` in `cwd`: no shell, at most kTimeLimit seconds and
// kMemoryLimit bytes of address space (under AddressSanitizer, of resident
// memory, checked after).
Outcome run_galley(const std::vector<std::string>& args, const std::string& cwd, const std::string& stdin_path,
                   const std::map<std::string, std::string>& env, const std::string& io) {
    const std::string err_path = io + ".err", out_path = io + ".out";
    std::vector<std::string> all{GALLEY_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::setpgid(0, 0);
        if (::chdir(cwd.c_str()) != 0) ::_exit(120);
#ifndef __SANITIZE_ADDRESS__  // ASan reserves terabytes of shadow address space; the peak RSS is still checked
        struct rlimit lim {kMemoryLimit, kMemoryLimit};
        ::setrlimit(RLIMIT_AS, &lim);
#endif
        int in = ::open(stdin_path.empty() ? "/dev/null" : stdin_path.c_str(), O_RDONLY);
        int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0) ::_exit(121);
        ::dup2(in, 0), ::dup2(out, 1), ::dup2(err, 2);
        for (const char* v : {"SOURCE_DATE_EPOCH", "GALLEY_STYLES", "JOB_COMPLETION_INDEX", "GALLEY_SHARD_COUNT",
                              "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_STEP",
                              "SLURM_ARRAY_TASK_COUNT"})
            ::unsetenv(v);
        for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
        ::execv(argv[0], argv.data());
        ::_exit(122);
    }
    Outcome o;
    int status = 0;
    struct rusage usage {};
    for (;;) {
        pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
        if (done == pid) break;
        o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (o.seconds > kTimeLimit && !o.timed_out) {
            o.timed_out = true;
            ::kill(-pid, SIGKILL);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    o.max_rss_kb = usage.ru_maxrss;
    if (WIFEXITED(status)) o.status = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
    o.err = read_file(err_path);
    o.out = read_file(out_path);
    return o;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

bool is_dot_or_tmp(const std::string& rel) {
    std::string base = fs::path(rel).filename().string();
    return base.find(".tmp") != std::string::npos || (!base.empty() && base[0] == '.');
}

// Runs one case; the problems found, empty when it answered as it must.
std::vector<std::string> run_case(const Case& c, Outcome& o) {
    std::vector<std::string> problems;
    Places p;
    p.root = temp_dir() + "/bad/" + c.name;
    p.dir = p.root + "/in";
    p.out = p.root + "/out";
    fs::remove_all(p.root);
    fs::create_directories(p.out);
    fs::copy(corpus_dir() + "/" + c.name, p.dir, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    fs::remove(p.dir + "/case.yaml");
    apply_setup(c, p);
    const auto before = snapshot(p.root);
    const std::string io = temp_dir() + "/bad-io";
    fs::create_directories(io);
    std::vector<std::string> args;
    for (const std::string& a : split_args(c.args)) args.push_back(p.expand(a));
    std::map<std::string, std::string> env;
    for (const auto& [k, v] : c.env) env[k] = p.expand(v);
    o = run_galley(args, p.dir, c.stdin_file.empty() ? "" : p.path(c.stdin_file), env, io + "/" + c.name);
    const auto after = snapshot(p.root);

    if (o.timed_out) problems.push_back("killed after " + std::to_string(int(kTimeLimit)) + " s");
    if (o.signal) problems.push_back("died of signal " + std::to_string(o.signal));
    if (o.max_rss_kb > long(kMemoryLimit >> 10)) problems.push_back("used " + std::to_string(o.max_rss_kb) + " kB");
    if (o.status != c.status)
        problems.push_back("exit status " + std::to_string(o.status) + ", expected " + std::to_string(c.status));
    for (const std::string& want : lines_of(p.expand(c.message)))
        if (o.err.find(want) == std::string::npos) problems.push_back("no message '" + want + "'");
    for (const std::string& nope : lines_of(p.expand(c.absent)))
        if (o.err.find(nope) != std::string::npos) problems.push_back("a message holds '" + nope + "'");
    for (const std::string& word : kForbidden)
        if (o.err.find(word) != std::string::npos) problems.push_back("a message holds '" + word + "'");
    // Each diagnostic once: the same message twice is noise that hides others.
    std::set<std::string> seen;
    for (const std::string& line : lines_of(o.err))
        if ((line.find(": error: ") != std::string::npos || line.find(": warning: ") != std::string::npos) &&
            !seen.insert(line).second)
            problems.push_back("the message '" + line + "' is printed twice");
    if (!c.stdout_text.empty() && o.out.find(p.expand(c.stdout_text)) == std::string::npos)
        problems.push_back("standard output lacks '" + p.expand(c.stdout_text) + "'");

    // The files the case asks for, and the folders made to hold them.
    std::set<std::string> allowed;
    for (const std::string& w : c.writes) {
        fs::path rel = fs::path(p.path(w)).lexically_relative(p.root);
        if (!after.count(rel.string())) problems.push_back("did not write " + rel.string());
        for (fs::path up = rel; !up.empty(); up = up.parent_path()) allowed.insert(up.string());
    }
    for (const auto& [rel, id] : before) {
        auto it = after.find(rel);
        if (it == after.end()) problems.push_back("removed " + rel);
        else if (it->second != id && !allowed.count(rel)) problems.push_back("changed " + rel);
    }
    for (const auto& [rel, id] : after) {
        if (before.count(rel) || allowed.count(rel)) continue;
        problems.push_back(std::string(is_dot_or_tmp(rel) ? "left a temporary file " : "made ") + rel);
    }
    if (problems.empty()) fs::remove_all(p.root);  // a failed case's files stay for a look until the process ends
    return problems;
}

std::string show(const Case& c, const Outcome& o) {
    std::ostringstream s;
    s << c.name << ": galley " << c.args << "\n  status " << o.status;
    if (o.signal) s << " (signal " << o.signal << ")";
    s << ", " << o.seconds << " s, " << o.max_rss_kb / 1024 << " MB\n";
    for (const std::string& line : lines_of(o.err)) s << "  | " << line << "\n";
    return s.str();
}

// Runs every case of `category`: each one's failure is reported by name.
// GALLEY_BAD_CASE=NNN runs only the cases whose name starts so;
// GALLEY_BAD_SHOW=1 prints what each case answered.
void run_category(const std::string& category) {
    const std::set<std::string> known = known_failures();
    const char* only = std::getenv("GALLEY_BAD_CASE");
    const bool verbose = std::getenv("GALLEY_BAD_SHOW") != nullptr;
    int ran = 0;
    for (const Case& c : all_cases()) {
        if (c.category != category) continue;
        if (only && *only && c.name.rfind(only, 0) != 0) continue;
        ++ran;
        INFO("case " << c.name);
        Outcome o;
        std::vector<std::string> problems = run_case(c, o);
        if (verbose) std::cerr << show(c, o) << std::flush;
        INFO(show(c, o));
        if (known.count(c.name)) {
            if (problems.empty()) FAIL_CHECK(c.name << " passes now: take it off KNOWN-FAILURES.md");
            continue;
        }
        for (const std::string& problem : problems) FAIL_CHECK(c.name << ": " << problem);
    }
    if (!only) CHECK(ran > 0);
}

}  // namespace

TEST_CASE("bad input corpus: every case is well formed and the corpus is complete") {
    const std::vector<Case> cases = all_cases();
    CHECK(cases.size() >= 100);
    std::set<std::string> names;
    std::map<std::string, int> per_category;
    for (const Case& c : cases) {
        INFO("case " << c.name);
        names.insert(c.name);
        CHECK(std::regex_match(c.name, std::regex("[0-9]{3}-[a-z0-9-]+")));
        CHECK(std::find(kCategories.begin(), kCategories.end(), c.category) != kCategories.end());
        CHECK(!c.args.empty());
        CHECK(c.status >= 0);
        CHECK(c.status <= 3);
        CHECK((c.status == 0 || !c.message.empty()));  // a failure says what it is
        CHECK((c.status != 2 || c.writes.empty()));  // a usage error does nothing
        ++per_category[c.category];
    }
    for (const std::string& cat : kCategories) {
        INFO(cat);
        CHECK(per_category[cat] >= 5);
    }
    // Every known failure names a case.
    for (const std::string& k : known_failures()) {
        INFO(k);
        CHECK(names.count(k) == 1);
    }
}

TEST_CASE("bad input corpus: articles") { run_category("articles"); }
TEST_CASE("bad input corpus: issue manifests") { run_category("manifests"); }
TEST_CASE("bad input corpus: styles") { run_category("styles"); }
TEST_CASE("bad input corpus: pictures") { run_category("pictures"); }
TEST_CASE("bad input corpus: paths") { run_category("paths"); }
TEST_CASE("bad input corpus: outputs") { run_category("outputs"); }
