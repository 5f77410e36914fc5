// The galley command as a user runs it: exit status, messages, files.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "support.h"

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
        if (e.path().filename().string().find(".keep.pdf.tmp") == 0) ++others;
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
