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

TEST_CASE("cli: a batch renders the same bytes on one thread or several") {
    std::string inputs;
    for (const char* name : {"xian-gaoxin-party-building.md", "gaoxin-economy-2018-review.md",
                             "incubator-new-tenants.md", "town-library-reopens.md"})
        inputs += " " + sample(name);
    inputs += " " + source_dir() + "/samples/issues/gaoxin-2019-01.yaml";
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
    Run over = run("render " + write("over.yaml", manifest(1)) + " -o " + out);
    CHECK(over.status == 1);
    CHECK(over.err.find("over.yaml:3:8: error: the stories need ") != std::string::npos);
    CHECK(over.err.find("1 allowed") != std::string::npos);
    CHECK(over.err.find("lines over; the longest are '高新区召开2018年经济运行分析暨2019年一季度重点工作部署会'") !=
          std::string::npos);
    CHECK(!fs::exists(out));
    Run under = run("render " + write("under.yaml", manifest(30)) + " -o " + out);
    CHECK(under.status == 0);
    CHECK(under.err.find("under.yaml:3:8: warning: the stories fill ") != std::string::npos);
    CHECK(under.err.find("of the 30 pages asked for") != std::string::npos);
    CHECK(fs::exists(out));
}
