// The galley command as a user runs it: exit status, messages, files.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <cstdio>
#include <filesystem>

#include "support.h"

extern char** environ;

using namespace galley::test;
namespace fs = std::filesystem;

namespace {

struct Run {
    int status;
    std::string err;
};

Run run(const std::string& args) {
    std::string errfile = temp_dir() + "/stderr.txt";
    std::string cmd = std::string(GALLEY_BINARY) + " " + args + " 2>" + errfile;
    int rc = std::system(cmd.c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, read_file(errfile)};
}

Run run_env(const std::string& env, const std::string& args) {
    std::string errfile = temp_dir() + "/stderr.txt";
    int rc = std::system((env + " " + GALLEY_BINARY + " " + args + " 2>" + errfile).c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, read_file(errfile)};
}

// Starts galley in the background, its output to spawn-out.txt and
// spawn-err.txt in the scratch folder.
pid_t spawn(const std::vector<std::string>& args) {
    std::vector<std::string> all{GALLEY_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string out = temp_dir() + "/spawn-out.txt", err = temp_dir() + "/spawn-err.txt";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

std::string join_pages(const std::string& pdf) {
    std::string all;
    for (const std::string& page : pdf_pages(pdf)) all += page;
    return all;
}

std::string write(const std::string& name, const std::string& text) {
    std::string path = temp_dir() + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

}  // namespace

TEST_CASE("cli: renders the sample article") {
    std::string out = temp_dir() + "/cli-sample.pdf";
    fs::remove(out);
    Run r = run("render " + sample("xian-gaoxin-party-building.md") + " -o " + out);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(fs::file_size(out) > 10000);
}

TEST_CASE("cli: a front-matter syntax error names file:line:col, exits 1 and keeps the old PDF") {
    std::string bad = write("broken.md", "---\ntitle: 标题\nbyline: [崔霖鹏, 李玮\n---\n正文。\n");
    std::string out = temp_dir() + "/keep.pdf";
    std::ofstream(out, std::ios::binary) << "an existing good PDF";
    Run r = run("render " + bad + " -o " + out);
    CHECK(r.status == 1);
    INFO(r.err);
    CHECK(r.err.rfind(bad + ":", 0) == 0);
    CHECK(r.err.find(": error: ") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(read_file(out) == "an existing good PDF");
    // No temporary file left beside it.
    int others = 0;
    for (auto& e : fs::directory_iterator(temp_dir()))
        if (e.path().filename().string().find(".galley-") == 0) ++others;
    CHECK(others == 0);
}

TEST_CASE("cli: a missing output is not created on error") {
    std::string bad = write("notitle.md", "---\nsubtitle: x\n---\n正文。\n");
    std::string out = temp_dir() + "/never.pdf";
    fs::remove(out);
    Run r = run("render " + bad + " -o " + out);
    CHECK(r.status == 1);
    CHECK(r.err.find("title") != std::string::npos);
    CHECK(!fs::exists(out));
}

TEST_CASE("cli: a 10,000-character unbreakable string is set with a warning, not a hang") {
    std::string word(10000, 'x');
    std::string src = write("long.md", "---\ntitle: Long\nlang: en\n---\n" + word + "\n");
    std::string out = temp_dir() + "/long.pdf";
    Run r = run("render " + src + " -o " + out);
    CHECK(r.status == 0);
    CHECK(r.err.find("warning") != std::string::npos);
    CHECK(fs::exists(out));
}

TEST_CASE("cli: a batch renders the same bytes on one thread or several") {
    std::string inputs;
    for (const char* name : {"xian-gaoxin-party-building.md", "gaoxin-economy-2018-review.md",
                             "incubator-new-tenants.md", "town-library-reopens.md"})
        inputs += " " + sample(name);
    inputs += " " + source_dir() + "/samples/gaoxin-2019-01.yaml";
    std::string one = temp_dir() + "/batch-1", three = temp_dir() + "/batch-3";
    fs::remove_all(one);
    fs::remove_all(three);
    Run a = run("render" + inputs + " -o " + one + " -j 1 -q");
    Run b = run("render" + inputs + " -o " + three + " -j 3 -q");
    CHECK(a.status == 0);
    CHECK(b.status == 0);
    CHECK(a.err == b.err);  // messages in input order either way
    int files = 0;
    for (auto& e : fs::directory_iterator(one)) {
        INFO(e.path().filename());
        std::string mine = read_file(e.path().string());
        CHECK(mine.size() > 10000);
        CHECK(mine == read_file((fs::path(three) / e.path().filename()).string()));
        ++files;
    }
    CHECK(files == 5);
}

TEST_CASE("cli: in a batch a bad input fails alone") {
    std::string bad = write("batch-bad.md", "---\ntitle: [oops\n---\n正文。\n");
    std::string dir = temp_dir() + "/batch-bad";
    fs::remove_all(dir);
    Run r = run("render " + sample("incubator-new-tenants.md") + " " + bad + " -o " + dir + " -j 2");
    CHECK(r.status == 1);
    CHECK(r.err.find(bad + ":3:1: error: invalid YAML") != std::string::npos);
    CHECK(fs::exists(dir + "/incubator-new-tenants.pdf"));
    CHECK(!fs::exists(dir + "/batch-bad.pdf"));
}

TEST_CASE("cli: a SOURCE_DATE_EPOCH that is not a number is a usage error") {
    std::string out = temp_dir() + "/bad-epoch.pdf";
    fs::remove(out);
    int rc = std::system(("SOURCE_DATE_EPOCH=yesterday " + std::string(GALLEY_BINARY) + " render " +
                          sample("incubator-new-tenants.md") + " -o " + out + " 2>" + temp_dir() + "/epoch.txt")
                             .c_str());
    CHECK(WIFEXITED(rc));
    CHECK(WEXITSTATUS(rc) == 2);
    CHECK(read_file(temp_dir() + "/epoch.txt") == "galley: error: SOURCE_DATE_EPOCH is not a number of seconds: 'yesterday'\n");
    CHECK(!fs::exists(out));
    Run far = run_env("SOURCE_DATE_EPOCH=99999999999999", "render " + sample("incubator-new-tenants.md") + " -o " + out);
    CHECK(far.status == 2);
    CHECK(far.err == "galley: error: SOURCE_DATE_EPOCH is after the year 9999: '99999999999999'\n");
    CHECK(!fs::exists(out));
}

// `pages: N` in a manifest: an issue that needs more pages is an error at
// that line naming how far over it is and its longest story, and no PDF is
// written; one that needs fewer is a warning.
TEST_CASE("cli: an issue over its page budget fails at the manifest's pages line and writes nothing") {
    const std::string articles = source_dir() + "/samples/articles/";
    auto manifest = [&](int pages) {
        return "newsletter: 高新区通讯\ndate: 2019-01-30\npages: " + std::to_string(pages) + "\narticles:\n  - " +
               articles + "xian-gaoxin-party-building.md\n  - " + articles + "gaoxin-economy-2018-review.md\n";
    };
    const std::string out = temp_dir() + "/budget.pdf";
    fs::remove(out);
    Run over = run("render " + write("over.yaml", manifest(1)) + " -o " + out + " --root " + source_dir());
    CHECK(over.status == 1);
    CHECK(over.err.find("over.yaml:3:8: error: the stories need ") != std::string::npos);
    CHECK(over.err.find("1 allowed") != std::string::npos);
    CHECK(over.err.find("lines over; the longest are '高新区召开2018年经济运行分析暨2019年一季度重点工作部署会'") !=
          std::string::npos);
    CHECK(!fs::exists(out));
    Run under = run("render " + write("under.yaml", manifest(30)) + " -o " + out + " --allow-any-path");
    CHECK(under.status == 0);
    CHECK(under.err.find("under.yaml:3:8: warning: the stories fill ") != std::string::npos);
    CHECK(under.err.find("of the 30 pages asked for") != std::string::npos);
    CHECK(fs::exists(out));
}

// ---------------------------------------------------------------- batches

namespace {

// `n` articles in `dir`: the Chinese samples in turn, titles numbered.
void copies(const std::string& dir, int n) {
    const std::vector<std::string> names{"xian-gaoxin-party-building.md", "business-environment-reform.md",
                                         "community-volunteers-new-year.md"};
    for (int k = 0; k < n; ++k) {
        std::string text = read_file(sample(names[k % names.size()]));
        size_t at = text.find("\ntitle:");
        text.insert(text.find('\n', at + 1), "（" + std::to_string(k + 1) + "）");
        std::ofstream(dir + "/a" + std::to_string(100 + k) + ".md", std::ios::binary) << text;
    }
}

std::vector<std::string> names_in(const std::string& dir) {
    std::vector<std::string> out;
    for (auto& e : fs::recursive_directory_iterator(dir)) out.push_back(e.path().lexically_relative(dir).string());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> report_lines(const std::string& path) {
    std::vector<std::string> out;
    std::istringstream in(read_file(path));
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace

TEST_CASE("cli: a folder with one broken article renders the rest and the report names the failure") {
    const std::string in = fresh_dir("dir-in"), out = temp_dir() + "/dir-out", report = temp_dir() + "/reports/dir.jsonl";
    copies(in, 3);
    fs::remove_all(temp_dir() + "/reports");  // made for the report
    std::ofstream(in + "/a101.md", std::ios::binary) << "---\ntitle: 坏\nbyline: [崔霖鹏\n---\n正文。\n";
    fs::remove_all(out);
    Run r = run("render " + in + " -o " + out + " -j 2 --report " + report);
    CHECK(r.status == 1);
    CHECK(r.err.find(in + "/a101.md:4:1: error: invalid YAML") != std::string::npos);
    CHECK(r.err.find("galley: [2/3] failed " + in + "/a101.md\n") != std::string::npos);
    CHECK(r.err.find("galley: [3/3] ok " + in + "/a102.md -> " + out + "/a102.pdf (") != std::string::npos);
    CHECK(r.err.find("galley: 3 inputs: 2 rendered, 1 failed, 0 skipped") != std::string::npos);
    CHECK(names_in(out) == std::vector<std::string>{"a100.pdf", "a102.pdf"});
    std::vector<std::string> lines = report_lines(report);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].find("{\"input\":\"" + in + "/a100.md\",\"output\":\"" + out + "/a100.pdf\",\"status\":\"ok\",\"pages\":") == 0);
    CHECK(lines[1].find("\"status\":\"failed\",\"pages\":0,") != std::string::npos);
    CHECK(lines[1].find("\"diagnostics\":[{\"severity\":\"error\",\"file\":\"" + in + "/a101.md\",\"line\":4,\"col\":1,") !=
          std::string::npos);
}

TEST_CASE("cli: shards 1/3 2/3 and 3/3 together make exactly the outputs of one run and none overlap") {
    const std::string in = fresh_dir("shard-in"), whole = temp_dir() + "/shard-whole";
    copies(in, 12);
    fs::remove_all(whole);
    REQUIRE(run("render " + in + " -o " + whole + " -q").status == 0);
    std::vector<std::string> together;
    for (int k = 1; k <= 3; ++k) {
        const std::string out = temp_dir() + "/shard-" + std::to_string(k);
        fs::remove_all(out);
        REQUIRE(run("render " + in + " -o " + out + " -q --shard " + std::to_string(k) + "/3").status == 0);
        for (const std::string& name : names_in(out)) {
            INFO(name);
            CHECK(read_file(out + "/" + name) == read_file(whole + "/" + name));
            together.push_back(name);
        }
    }
    std::sort(together.begin(), together.end());
    CHECK(together == names_in(whole));  // every output once: none missing, none twice
    CHECK(together.size() == 12);
    // From the environment of a Slurm array task.
    const std::string out = temp_dir() + "/shard-env";
    fs::remove_all(out);
    Run r = run_env("SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3", "render " + in + " -o " + out + " -q --shard env");
    CHECK(r.status == 0);
    CHECK(names_in(out) == names_in(temp_dir() + "/shard-2"));
}

TEST_CASE("cli: --skip-unchanged renders again exactly the changed inputs") {
    const std::string in = fresh_dir("skip-in"), out = temp_dir() + "/skip-out", report = temp_dir() + "/skip.jsonl";
    copies(in, 4);
    fs::remove_all(out);
    auto statuses = [&] {
        REQUIRE(run("render " + in + " -o " + out + " --skip-unchanged -q --report " + report).status == 0);
        std::string s;
        for (const std::string& line : report_lines(report)) s += line.find("\"status\":\"skipped\"") != std::string::npos ? 's' : 'r';
        return s;
    };
    CHECK(statuses() == "rrrr");
    const std::string before = read_file(out + "/a101.pdf");
    CHECK(statuses() == "ssss");
    std::ofstream(in + "/a102.md", std::ios::app) << "\n又一段。\n";
    CHECK(statuses() == "ssrs");
    CHECK(read_file(out + "/a101.pdf") == before);
    // Another style changes every output.
    REQUIRE(run("render " + in + " -o " + out + " --skip-unchanged -q -s broadsheet --report " + report).status == 0);
    CHECK(read_file(report).find("skipped") == std::string::npos);
}

TEST_CASE("cli: - reads the article from standard input and -o - writes the PDF to standard output") {
    const std::string out = temp_dir() + "/stdout.pdf", file = temp_dir() + "/file.pdf";
    const std::string articles = source_dir() + "/samples/articles";
    int rc = std::system(("cd " + articles + " && " + GALLEY_BINARY + " render - -o - < incubator-new-tenants.md > " + out).c_str());
    CHECK(WEXITSTATUS(rc) == 0);
    REQUIRE(run("render " + articles + "/incubator-new-tenants.md -o " + file).status == 0);
    CHECK(read_file(out).rfind("%PDF-", 0) == 0);
    CHECK(read_file(out) == read_file(file));
    // Through a pipe, and by the name /dev/stdout.
    rc = std::system((std::string(GALLEY_BINARY) + " render " + articles + "/incubator-new-tenants.md -o /dev/stdout | cat > " + out).c_str());
    CHECK(WEXITSTATUS(rc) == 0);
    CHECK(read_file(out) == read_file(file));
    // An issue manifest on standard input.
    rc = std::system(("cd " + source_dir() + "/samples && " + GALLEY_BINARY + " check - < gaoxin-2019-01.yaml 2>" +
                      temp_dir() + "/stdin-issue.txt").c_str());
    CHECK(WEXITSTATUS(rc) == 0);
}

TEST_CASE("cli: -o through a symlink replaces its target and keeps the link") {
    const std::string dir = fresh_dir("symlink");
    fs::create_directories(dir + "/archive");
    std::ofstream(dir + "/archive/today.pdf") << "yesterday's";
    fs::create_symlink("archive/today.pdf", dir + "/latest.pdf");
    CHECK(run("render " + sample("incubator-new-tenants.md") + " -o " + dir + "/latest.pdf").status == 0);
    CHECK(fs::is_symlink(fs::symlink_status(dir + "/latest.pdf")));
    CHECK(read_file(dir + "/archive/today.pdf").rfind("%PDF-", 0) == 0);
    CHECK(names_in(dir) == std::vector<std::string>{"archive", "archive/today.pdf", "latest.pdf"});
}

TEST_CASE("cli: one input and -o FOLDER writes NAME.pdf in it and a folder in an output's place fails alone") {
    const std::string dir = fresh_dir("to-folder");
    CHECK(run("render " + sample("incubator-new-tenants.md") + " -o " + dir).status == 0);
    CHECK(names_in(dir) == std::vector<std::string>{"incubator-new-tenants.pdf"});
    const std::string in = fresh_dir("folder-in"), out = fresh_dir("folder-out");
    copies(in, 4);
    fs::create_directories(out + "/a101.pdf");
    Run r = run("render " + in + " -o " + out + " -j 2 -q");
    CHECK(r.status == 1);
    CHECK(r.err == out + "/a101.pdf: error: cannot write the output: it is a folder\n");
    CHECK(names_in(out) == std::vector<std::string>{"a100.pdf", "a101.pdf", "a102.pdf", "a103.pdf"});
}

TEST_CASE("cli: a batch killed while it writes leaves no partial or temporary file") {
    const std::string in = fresh_dir("kill-in");
    copies(in, 30);
    for (int sig : {SIGTERM, SIGKILL}) {
        const std::string out = fresh_dir("kill-out-" + std::to_string(sig));
        pid_t pid = spawn({"render", in, "-o", out, "-j", "2", "-q"});
        // Wait until it has written a few, then kill it mid-batch.
        for (int tries = 0; tries < 400 && names_in(out).size() < 4; ++tries) ::usleep(10000);
        ::kill(pid, sig);
        int status = 0;
        ::waitpid(pid, &status, 0);
        INFO("signal " << sig);
        CHECK(WIFSIGNALED(status));
        std::vector<std::string> names = names_in(out);
        CHECK(names.size() >= 4);
        CHECK(names.size() < 30);
        for (const std::string& name : names) {
            INFO(name);
            CHECK(name.ends_with(".pdf"));
            CHECK(name[0] != '.');
            std::string pdf = read_file(out + "/" + name);
            CHECK(pdf.rfind("%PDF-", 0) == 0);
            CHECK(pdf.ends_with("%%EOF\n"));
        }
    }
}

TEST_CASE("cli: exit statuses 0 1 2 3 and the usage messages") {
    const std::string out = temp_dir() + "/status.pdf";
    CHECK(run("render " + sample("incubator-new-tenants.md") + " -o " + out).status == 0);
    CHECK(run("render " + temp_dir() + "/no-such.md -o " + out).status == 1);
    Run unknown = run("rendr x");
    CHECK(unknown.status == 2);
    CHECK(unknown.err.rfind("galley: error: unknown command 'rendr'; did you mean 'render'?\n", 0) == 0);
    CHECK(run("render --no-such-option x.md").status == 2);
    CHECK(run("render").status == 2);
    CHECK(run("proof " + sample("incubator-new-tenants.md")).status == 2);  // -o is required
    // Parse errors in our words, never CLI11's ("A subcommand is required",
    // "--style: 1 required TEXT missing", "Value many not in range").
    const std::string hint = "galley: 'galley --help' and 'galley COMMAND --help' list the commands and options\n";
    CHECK(run("--quiet x.md").err == "galley: error: no command given: render, check, proof or watch\n" + hint);
    CHECK(run("render x.md --stlye y").err == "galley: error: unknown option '--stlye'; did you mean '--style'?\n" + hint);
    CHECK(run("render x.md -o y.pdf --style").err == "galley: error: --style needs a value\n" + hint);
    CHECK(run("render -o y.pdf").err ==
          "galley: error: no input given: name articles (.md), issues (.yaml), folders or @LIST files\n" + hint);
    CHECK(run("proof x.md").err == "galley: error: --output is required\n" + hint);
    CHECK(run("render x.md -o y.pdf -j many").err ==
          "galley: error: --jobs: 'many' is not a number; give a whole number from 1 to 256\n" + hint);
    CHECK(run("proof x.md -o y --dpi 5").err == "galley: error: --dpi: '5' is not a number from 10 to 1200\n" + hint);
    CHECK(run("render " + sample("incubator-new-tenants.md") + " --shard 4/3").status == 2);
    CHECK(run("render " + sample("incubator-new-tenants.md") + " -j 0").status == 2);
    const std::string a = fresh_dir("status-a"), b = fresh_dir("status-b");
    std::ofstream(a + "/same.md") << "---\ntitle: 甲\n---\n\n正文。\n";
    std::ofstream(b + "/same.md") << "---\ntitle: 乙\n---\n\n正文。\n";
    Run collide = run("render " + a + "/same.md " + b + "/same.md -o " + temp_dir() + "/collide");
    CHECK(collide.status == 2);
    CHECK(collide.err.find("would both be written to") != std::string::npos);
    CHECK(!fs::exists(temp_dir() + "/collide"));
    // A warning fails the run only when asked.
    std::string src = write("warns.md", "---\ntitle: Long\nlang: en\n---\n" + std::string(3000, 'x') + "\n");
    CHECK(run("render " + src + " -o " + out).status == 0);
    CHECK(run("render " + src + " -o " + out + " --fail-on-warnings").status == 3);
    CHECK(run("check " + src + " --fail-on-warnings").status == 3);
    // --help and --version print on standard output and succeed.
    CHECK(std::system((std::string(GALLEY_BINARY) + " --version > " + temp_dir() + "/version.txt").c_str()) == 0);
    CHECK(read_file(temp_dir() + "/version.txt") == std::string("galley ") + GALLEY_VERSION + "\n");
    CHECK(std::system((std::string(GALLEY_BINARY) + " render --help > " + temp_dir() + "/help.txt").c_str()) == 0);
    CHECK(read_file(temp_dir() + "/help.txt").find("--skip-unchanged") != std::string::npos);
}

TEST_CASE("cli: watch renders again when the article or its picture changes and survives an error") {
    const std::string dir = fresh_dir("watch");
    const std::string src = dir + "/a.md", pdf = dir + "/a.pdf";
    fs::copy_file(source_dir() + "/samples/articles/images/incubator.jpg", dir + "/pic.jpg");
    std::ofstream(src) << "---\ntitle: 第一版\nimage:\n  src: pic.jpg\n---\n\n正文。\n";
    pid_t pid = spawn({"watch", src, "-o", pdf});
    auto wait_for = [&](auto done) {
        for (int tries = 0; tries < 1000; ++tries) {
            if (done()) return true;
            ::usleep(20000);
        }
        return false;
    };
    auto text = [&] { return fs::exists(pdf) ? squeeze(join_pages(pdf)) : std::string(); };
    CHECK(wait_for([&] { return text().find("第一版") != std::string::npos; }));
    // An editor's save: a new file renamed over the old.
    std::ofstream(dir + "/a.md.new") << "---\ntitle: 第二版\nimage:\n  src: pic.jpg\n---\n\n正文。\n";
    fs::rename(dir + "/a.md.new", src);
    CHECK(wait_for([&] { return text().find("第二版") != std::string::npos; }));
    // A broken article: an error, the watch goes on, the PDF is kept.
    std::ofstream(src) << "---\ntitle: [第三版\n---\n正文。\n";
    CHECK(wait_for([&] { return read_file(temp_dir() + "/spawn-err.txt").find("a.md:3:1: error: invalid YAML") != std::string::npos; }));
    CHECK(::kill(pid, 0) == 0);
    CHECK(text().find("第二版") != std::string::npos);
    std::ofstream(src) << "---\ntitle: 第四版\nimage:\n  src: pic.jpg\n---\n\n正文。\n";
    CHECK(wait_for([&] { return text().find("第四版") != std::string::npos; }));
    // The picture changes: rendered again.
    const auto before = fs::last_write_time(pdf);
    std::ofstream(dir + "/pic.jpg", std::ios::app) << '\0';
    CHECK(wait_for([&] { return fs::last_write_time(pdf) != before; }));
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
}

TEST_CASE("cli: an output that is the input's picture or style is refused and the file kept") {
    const std::string dir = fresh_dir("sources");
    fs::copy_file(source_dir() + "/samples/articles/images/incubator.jpg", dir + "/pic.jpg");
    std::ofstream(dir + "/a.md") << "---\ntitle: 图\nimage:\n  src: pic.jpg\n---\n\n正文。\n";
    std::ofstream(dir + "/s.yaml") << "columns: 1\n";
    const std::string picture = read_file(dir + "/pic.jpg");
    Run r = run("render " + dir + "/a.md -o " + dir + "/pic.jpg");
    CHECK(r.status == 1);
    CHECK(r.err == dir + "/pic.jpg: error: the output is '" + dir + "/pic.jpg', which this input is made from; give another output\n");
    CHECK(read_file(dir + "/pic.jpg") == picture);
    Run s = run("render " + dir + "/a.md -s " + dir + "/s.yaml -o " + dir + "/s.yaml");
    CHECK(s.status == 2);  // the style given is known before any work
    CHECK(read_file(dir + "/s.yaml") == "columns: 1\n");
    // The PDF and its frame dump go in place together, in folders made for them.
    Run both = run("render " + dir + "/a.md -o " + dir + "/new/a.pdf --dump " + dir + "/dumps/a.txt");
    CHECK(both.status == 0);
    CHECK(read_file(dir + "/dumps/a.txt").rfind("page 1 ", 0) == 0);
    CHECK(read_file(dir + "/new/a.pdf").rfind("%PDF-", 0) == 0);
    // A name of 255 bytes (NAME_MAX): the temporary name is short.
    const std::string name = std::string(251, 'n') + ".pdf";
    CHECK(run("render " + dir + "/a.md -o " + dir + "/" + name).status == 0);
    CHECK(fs::file_size(dir + "/" + name) > 10000);
}

namespace {

std::vector<std::string> pdf_font_names(const std::string& pdf) {
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(pdf));
    REQUIRE(doc);
    std::vector<std::string> out;
    for (auto& f : doc->fonts()) out.push_back(f.name());
    return out;
}

bool has_font(const std::vector<std::string>& names, const std::string& part) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("cli: a style naming a family no folder holds warns at its place and names the face used") {
    const std::string style = write("missing-family.yaml", "roles:\n  caption: {font: [KaiTi, Galley Kai SC]}\n  title: {font: FangSong}\n");
    Run r = run("check " + sample("xian-gaoxin-party-building.md") + " --style " + style);
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Catch::Contains(style + ":2:20: warning: font 'KaiTi' is not installed; 'Galley Kai SC' "
                                              "(GalleyKaiSC-Regular.ttf) is used instead"));
    CHECK_THAT(r.err, Catch::Contains(style + ":3:17: warning: font 'FangSong' is not installed; 'Galley Sans SC'"));
    // galley fonts lists the request and the face each role gets.
    const std::string out = temp_dir() + "/fonts.txt";
    CHECK(std::system((std::string(GALLEY_BINARY) + " fonts --style " + style + " >" + out + " 2>/dev/null").c_str()) == 0);
    const std::string listed = read_file(out);
    CHECK_THAT(listed, Catch::Contains("caption: KaiTi, Galley Kai SC 9 pt\n  Han:   Galley Kai SC 9px ("));
    CHECK_THAT(listed, Catch::Contains("title: FangSong 22 pt bold\n  Han:   Galley Sans SC Bold 22px ("));
}

TEST_CASE("cli: a font folder given with --font-path or a style's font_paths is used") {
    const std::string dir = temp_dir() + "/myfonts";
    fs::create_directories(dir);
    for (const char* f : {"DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"})
        fs::copy_file(std::string("/usr/share/fonts/truetype/dejavu/") + f, dir + "/" + f,
                      fs::copy_options::overwrite_existing);  // fonts-dejavu-core (tools/setup.sh)
    const std::string article = write("dejavu.md", "---\ntitle: Galley Font Path\nlang: en\n---\n\nText.\n");
    const std::string style = write("dejavu.yaml", "lang: en\nroles:\n  title: {latin_font: DejaVu Serif}\n");
    // Without the folder the family is missing: a warning, another face.
    const std::string without = temp_dir() + "/without.pdf";
    Run r = run("render " + article + " --style " + style + " -o " + without);
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Catch::Contains("font 'DejaVu Serif' is not installed"));
    CHECK(!has_font(pdf_font_names(without), "DejaVuSerif"));
    // With it, the title is set in it and nothing is said.
    const std::string with = temp_dir() + "/with.pdf";
    r = run("render " + article + " --style " + style + " --font-path " + dir + " -o " + with);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(has_font(pdf_font_names(with), "DejaVuSerif-Bold"));
    // The same folder named by the style, relative to it.
    const std::string listed = write("dejavu-paths.yaml", "lang: en\nfont_paths: [myfonts]\nroles:\n  title: {latin_font: DejaVu Serif}\n");
    const std::string by_style = temp_dir() + "/by-style.pdf";
    r = run("render " + article + " --style " + listed + " -o " + by_style);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(has_font(pdf_font_names(by_style), "DejaVuSerif-Bold"));
    // A folder that is not there is an error at its place.
    const std::string wrong = write("dejavu-wrong.yaml", "font_paths: [nowhere]\n");
    r = run("check " + article + " --style " + wrong);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains(wrong + ":1:14: error: no font folder " + temp_dir() + "/nowhere"));
}

TEST_CASE("cli: GALLEY_STYLES adds house styles and the shipped ones stay found") {
    const std::string dir = temp_dir() + "/house-styles";
    fs::create_directories(dir);
    std::ofstream(dir + "/house.yaml") << "accent: \"#003399\"\n";
    const std::string article = sample("xian-gaoxin-party-building.md");
    Run r = run_env("GALLEY_STYLES=" + dir, "check " + article + " -s house");
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    // The default style is not in that folder: the data folder's is used.
    r = run_env("GALLEY_STYLES=/nonexistent", "check " + article);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    // A name found nowhere is an error naming the folder the user chose.
    r = run_env("GALLEY_STYLES=" + dir, "check " + article + " -s nosuch");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains(dir + "/nosuch.yaml"));
}

TEST_CASE("cli: the data folder can be named with GALLEY_DATA_DIR and a wrong one is an error") {
    const std::string article = sample("xian-gaoxin-party-building.md");
    Run r = run_env("GALLEY_DATA_DIR=" + fs::path(GALLEY_BINARY).parent_path().string() + "/share/galley", "check " + article);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    r = run_env("GALLEY_DATA_DIR=/nonexistent", "check " + article);
    CHECK(r.status != 0);
    CHECK_THAT(r.err, Catch::Contains("/nonexistent: error: GALLEY_DATA_DIR holds no fonts.conf"));
}

TEST_CASE("cli: the Cairo back end loads the qpdf module beside the program, and its absence is an error") {
    const std::string article = sample("xian-gaoxin-party-building.md");
    const std::string pdf = temp_dir() + "/module.pdf";
    fs::remove(pdf);
    Run r = run("render " + article + " --pdf-backend cairo -o " + pdf);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(fs::file_size(pdf) > 10000);
    // The program alone, away from the module (its data named).
    const std::string dir = temp_dir() + "/no-module";
    fs::create_directories(dir);
    fs::copy_file(GALLEY_BINARY, dir + "/galley", fs::copy_options::overwrite_existing);
    const std::string data = fs::path(GALLEY_BINARY).parent_path().string() + "/share/galley";
    const std::string cmd = "GALLEY_DATA_DIR=" + data + " " + dir + "/galley render " + article + " -q -o " + dir;
    int rc = std::system((cmd + " --pdf-backend cairo 2>" + dir + "/err.txt").c_str());
    CHECK(WEXITSTATUS(rc) == 1);
    CHECK_THAT(read_file(dir + "/err.txt"),
               Catch::Contains(article + ": error: cannot find the archive module (galley-archive.so, for "
                                         "--pdf-backend cairo): looked in ") &&
                   Catch::Contains(dir + "/galley-archive.so"));
    CHECK_FALSE(fs::exists(dir + "/xian-gaoxin-party-building.pdf"));
    // The one-pass writer needs no module.
    rc = std::system((cmd + " 2>" + dir + "/err.txt").c_str());
    CHECK(WEXITSTATUS(rc) == 0);
    CHECK(fs::exists(dir + "/xian-gaoxin-party-building.pdf"));
}

TEST_CASE("cli: a style may name a font by its file and a missing file is an error at its place") {
    const std::string dir = temp_dir() + "/file-fonts";
    fs::create_directories(dir);
    fs::copy_file("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", dir + "/DejaVuSerif-Bold.ttf",
                  fs::copy_options::overwrite_existing);
    const std::string article = write("file-font.md", "---\ntitle: Galley Font File\nlang: en\n---\n\nText.\n");
    std::ofstream(dir + "/s.yaml") << "lang: en\nroles:\n  title: {latin_font: DejaVuSerif-Bold.ttf}\n";
    const std::string pdf = temp_dir() + "/file-font.pdf";
    Run r = run("render " + article + " --style " + dir + "/s.yaml -o " + pdf);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(has_font(pdf_font_names(pdf), "DejaVuSerif-Bold"));
    std::ofstream(dir + "/bad.yaml") << "roles:\n  title: {font: [nothere.otf, Galley Serif SC]}\n";
    r = run("check " + article + " --style " + dir + "/bad.yaml");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains(dir + "/bad.yaml:2:18: error: no font file " + dir + "/nothere.otf"));
}

TEST_CASE("cli: ingest writes an article from a page file or standard input and explains its lines") {
    const std::string seed = source_dir() + "/tests/data/ingest/xian-gaoxin-raw.txt";
    const std::string out = temp_dir() + "/ingested.md";
    Run r = run("ingest " + seed + " -o " + out + " --explain");
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Catch::Contains("xian-gaoxin-raw.txt:2: breadcrumb: section '开发区报道', kicker '高新区'"));
    CHECK_THAT(r.err, Catch::Contains("xian-gaoxin-raw.txt:43: furniture (after the story)"));
    const std::string article = read_file(out);
    CHECK(article.rfind("---\ntitle: 西安高新区旗帜鲜明讲政治永葆忠诚敢担当\n", 0) == 0);
    // The article renders as written.
    const std::string pdf = temp_dir() + "/ingested.pdf";
    r = run("render " + out + " -o " + pdf);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    // Standard input to standard output.
    const std::string piped = temp_dir() + "/piped.md";
    CHECK(std::system((std::string(GALLEY_BINARY) + " ingest - < " + seed + " > " + piped + " 2>/dev/null").c_str()) == 0);
    std::string from_stdin = read_file(piped);
    erase_all(from_stdin, "file: stdin.txt");
    std::string from_file = article;
    erase_all(from_file, "file: xian-gaoxin-raw.txt");
    CHECK(from_stdin == from_file);
    // Several pages into a folder, NAME.md each; a page with no story fails alone.
    const std::string dir = temp_dir() + "/ingest-out";
    fs::create_directories(dir);
    const std::string empty = write("empty-page.txt", "Top\n");
    r = run("ingest " + seed + " " + empty + " -o " + dir);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("empty-page.txt:1:1: error: no headline found"));
    CHECK(read_file(dir + "/xian-gaoxin-raw.md") == article);
    CHECK(!fs::exists(dir + "/empty-page.md"));
}

TEST_CASE("cli: ingest --render goes on to the PDF through the render job") {
    const std::string seed = source_dir() + "/tests/data/ingest/xian-gaoxin-raw.txt";
    const std::string dir = temp_dir() + "/ingest-render";
    fs::create_directories(dir);
    Run r = run("ingest " + seed + " -o " + dir + "/seed.md --render -q");
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    REQUIRE(fs::exists(dir + "/seed.pdf"));
    CHECK(squeeze(join_pages(dir + "/seed.pdf")).find(squeeze("西安高新区旗帜鲜明讲政治永葆忠诚敢担当")) != std::string::npos);
    // With the article on standard output there is nothing to render.
    r = run("ingest " + seed + " --render");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("--render needs the article in a file"));
}
