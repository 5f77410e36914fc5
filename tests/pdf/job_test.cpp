// galley::Job in process: planning (folders, lists, names, collisions,
// shards), batches on several threads, check, proof, stamps.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "galley/job.h"
#include "support.h"

using namespace galley;
using namespace galley::test;
namespace fs = std::filesystem;

namespace {

void write(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::string article(const std::string& title) { return "---\ntitle: " + title + "\n---\n\n正文。\n"; }

Job job_for(std::vector<std::string> inputs, std::string output, Command command = Command::Render) {
    Job job;
    job.command = command;
    job.inputs = std::move(inputs);
    job.output = std::move(output);
    job.render.styles_dir = source_dir() + "/styles";
    job.render.source_date_epoch = 1548806400;
    job.batch.quiet = true;
    return job;
}

// The usage error plan() throws, or "" when it plans.
std::string plan_error(const Job& job) {
    try {
        plan(job);
        return "";
    } catch (const Failure& f) {
        return f.diagnostic.message;
    }
}

std::vector<std::string> outputs(const std::vector<Task>& tasks) {
    std::vector<std::string> out;
    for (const Task& t : tasks) out.push_back(t.output);
    return out;
}

// Messages a job writes, through a file.
struct Captured {
    std::string path;
    FILE* file;
    explicit Captured(const std::string& name) : path(temp_dir() + "/" + name), file(std::fopen(path.c_str(), "w")) {}
    std::string text() {
        std::fflush(file);
        return read_file(path);
    }
    ~Captured() { std::fclose(file); }
};

char status_name_for_test(Status s) {
    return s == Status::Skipped ? 's' : s == Status::Failed ? 'f' : 'o';
}

}  // namespace

TEST_CASE("job: folders are searched for articles and issues in name order and keep their paths below -o") {
    const std::string in = fresh_dir("plan-in");
    write(in + "/b.md", article("乙"));
    write(in + "/a.md", article("甲"));
    write(in + "/2019/c.md", article("丙"));
    write(in + "/issue.yaml", "newsletter: 通讯\narticles:\n  - a.md\n");
    write(in + "/style.yaml", "columns: 3\n");  // not an issue: no articles
    write(in + "/.hidden/d.md", article("丁"));
    write(in + "/notes.txt", "not an input");
    write(in + "/README.md", "# About these articles\n");  // no front matter: not an article
    std::vector<Task> tasks = plan(job_for({in}, "/out"));
    CHECK(outputs(tasks) == std::vector<std::string>{"/out/2019/c.pdf", "/out/a.pdf", "/out/b.pdf", "/out/issue.pdf"});
    CHECK(tasks[0].input == in + "/2019/c.md");
    // One file: -o names the PDF; none: beside the input; an existing folder
    // or a trailing slash: NAME.pdf in it.
    CHECK(outputs(plan(job_for({in + "/a.md"}, "x.pdf"))) == std::vector<std::string>{"x.pdf"});
    CHECK(outputs(plan(job_for({in + "/a.md"}, ""))) == std::vector<std::string>{in + "/a.pdf"});
    CHECK(outputs(plan(job_for({in + "/a.md"}, in + "/2019"))) == std::vector<std::string>{in + "/2019/a.pdf"});
    CHECK(outputs(plan(job_for({in + "/a.md"}, "new/"))) == std::vector<std::string>{"new/a.pdf"});
    // Proofs: a prefix in the folder, pages added when drawn.
    CHECK(outputs(plan(job_for({in + "/a.md"}, "p", Command::Proof))) == std::vector<std::string>{"p/a"});
    CHECK(outputs(plan(job_for({in}, "", Command::Check))).size() == 4);
}

TEST_CASE("job: a list file names inputs a line each and a file given twice runs once") {
    const std::string in = fresh_dir("plan-list");
    write(in + "/a.md", article("甲"));
    write(in + "/sub/b.md", article("乙"));
    write(in + "/list.txt", "# tonight's articles\n" + in + "/a.md\n\n" + in + "/sub\r\n");
    std::vector<Task> tasks = plan(job_for({"@" + in + "/list.txt", in + "/a.md"}, "/o"));
    CHECK(outputs(tasks) == std::vector<std::string>{"/o/a.pdf", "/o/b.pdf"});
    CHECK(plan_error(job_for({"@" + in + "/none.txt"}, "/o")) ==
          in + "/none.txt: cannot read the list of inputs: No such file or directory");
}

TEST_CASE("job: outputs are checked before any work starts") {
    const std::string in = fresh_dir("plan-collide");
    write(in + "/x/a.md", article("甲"));
    write(in + "/y/a.md", article("乙"));
    const std::string out = in + "/out";
    CHECK(plan_error(job_for({in + "/x/a.md", in + "/y/a.md"}, out)) ==
          "'" + in + "/x/a.md' and '" + in + "/y/a.md' would both be written to '" + out +
              "/a.pdf'; give them different names or render them to different folders");
    CHECK(!fs::exists(out));
    // In their folder they keep their paths, and do not collide.
    CHECK(plan_error(job_for({in}, out)).empty());
    CHECK(plan_error(job_for({in + "/x/a.md"}, in + "/x/a.md")) == "the output '" + in + "/x/a.md' is one of the inputs");
    CHECK(plan_error(job_for({in + "/x/a.md", in + "/y/a.md"}, "-")) == "-o - (standard output) takes one input");
    CHECK(plan_error(job_for({"-", in + "/x/a.md"}, out)) == "'-' (standard input) cannot be mixed with other inputs");
    CHECK(plan_error(job_for({in + "/x/a.md"}, "", Command::Proof)) == "proof needs -o FOLDER for its PNGs");
    CHECK(plan_error(job_for({}, out)) == "no input given");
    CHECK(plan_error(job_for({in + "/x/a.md", in + "/y/a.md"}, in + "/all.pdf")) ==
          "several inputs are written to a folder, and '" + in + "/all.pdf' names a file");
    write(in + "/file", "");
    CHECK(plan_error(job_for({in}, in + "/file")) ==
          "several inputs are written to a folder, and '" + in + "/file' names a file");
    Job dump = job_for({in}, out);
    dump.render.dump = "frames.txt";
    CHECK(plan_error(dump) == "--dump takes one input");
}

TEST_CASE("job: shards split a batch into disjoint shares that make the whole") {
    const std::string in = fresh_dir("plan-shards");
    for (int k = 0; k < 40; ++k) write(in + "/a" + std::to_string(k) + ".md", article("第" + std::to_string(k) + "篇"));
    std::vector<std::string> whole = outputs(plan(job_for({in}, "/o")));
    std::vector<std::string> together;
    for (int s = 0; s < 3; ++s) {
        Job job = job_for({in}, "/o");
        job.batch.shard = {s, 3};
        std::vector<std::string> mine = outputs(plan(job));
        CHECK(mine.size() > 5);  // each gets a fair share
        together.insert(together.end(), mine.begin(), mine.end());
        // The same inputs always go to the same shard, whatever else is listed.
        job.inputs.push_back(in + "/../plan-in");
        for (const std::string& o : mine) {
            std::vector<std::string> again = outputs(plan(job));
            CHECK(std::count(again.begin(), again.end(), o) == 1);
        }
    }
    std::sort(together.begin(), together.end());
    std::sort(whole.begin(), whole.end());
    CHECK(together == whole);
}

TEST_CASE("job: --shard reads K/N and the Kubernetes and Slurm environments") {
    auto env = [](std::map<std::string, std::string> vars) {
        return [vars](const char* name) -> const char* {
            auto it = vars.find(name);
            return it == vars.end() ? nullptr : it->second.c_str();
        };
    };
    auto none = env({});
    auto error_of = [](const std::string& spec, const std::function<const char*(const char*)>& getenv) {
        try {
            parse_shard(spec, getenv);
            return std::string();
        } catch (const Failure& f) {
            return f.diagnostic.message;
        }
    };
    Shard s = parse_shard("2/5", none);
    CHECK((s.index == 1 && s.count == 5));
    s = parse_shard("env", env({{"JOB_COMPLETION_INDEX", "3"}, {"GALLEY_SHARD_COUNT", "8"}}));
    CHECK((s.index == 3 && s.count == 8));
    s = parse_shard("env", env({{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_MIN", "1"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}));
    CHECK((s.index == 3 && s.count == 4));
    s = parse_shard("env", env({{"SLURM_ARRAY_TASK_ID", "6"}, {"SLURM_ARRAY_TASK_MIN", "0"}, {"SLURM_ARRAY_TASK_STEP", "2"},
                                {"SLURM_ARRAY_TASK_COUNT", "8"}}));  // --array=0-15:2
    CHECK((s.index == 3 && s.count == 8));
    s = parse_shard("env", env({{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_COUNT", "2"}}));
    CHECK((s.index == 0 && s.count == 2));
    CHECK(error_of("0/3", none) == "--shard: shard 0 of 3 does not exist");
    CHECK(error_of("4/3", none) == "--shard: shard 4 of 3 does not exist");
    CHECK(error_of("three", none) == "--shard wants K/N (K from 1 to N) or env, not 'three'");
    CHECK(error_of("env", none) ==
          "--shard env: neither JOB_COMPLETION_INDEX (Kubernetes) nor SLURM_ARRAY_TASK_ID (Slurm) is set");
    CHECK(error_of("env", env({{"JOB_COMPLETION_INDEX", "1"}})) ==
          "--shard env: JOB_COMPLETION_INDEX is set but GALLEY_SHARD_COUNT is not (set it to the job's "
          "completions)");
    CHECK(error_of("env", env({{"SLURM_ARRAY_TASK_ID", "9"}, {"SLURM_ARRAY_TASK_COUNT", "4"}})) ==
          "--shard: shard 10 of 4 does not exist");
}

TEST_CASE("job: --pages takes ranges and lists") {
    auto ranges = [](const std::string& spec) {
        std::string out;
        for (const PageRange& r : parse_pages(spec)) out += std::to_string(r.first) + ":" + std::to_string(r.last) + " ";
        return out;
    };
    CHECK(ranges("1-3") == "1:3 ");
    CHECK(ranges("2") == "2:2 ");
    CHECK(ranges("4-") == "4:0 ");
    CHECK(ranges("1,3,5-7") == "1:1 3:3 5:7 ");
    CHECK_THROWS_AS(parse_pages("3-1"), Failure);
    CHECK_THROWS_AS(parse_pages("0"), Failure);
    CHECK_THROWS_AS(parse_pages("a-b"), Failure);
    CHECK_THROWS_AS(parse_pages(""), Failure);
}

TEST_CASE("job: a batch on two threads writes the bytes one thread writes") {
    const std::vector<std::string> inputs{sample("xian-gaoxin-party-building.md"), sample("town-library-reopens.md"),
                                          source_dir() + "/samples/gaoxin-2019-01.yaml",
                                          sample("incubator-new-tenants.md")};
    std::vector<Job> jobs;
    for (int threads : {1, 2}) {
        Job job = job_for(inputs, fresh_dir("batch-j" + std::to_string(threads)));
        job.batch.jobs = threads;
        CHECK(run(job, fonts()) == kExitOk);
        REQUIRE(job.results.size() == inputs.size());
        for (size_t i = 0; i < inputs.size(); ++i) {
            const TaskResult& r = job.results[i];
            INFO(r.task.input);
            CHECK(r.task.input == inputs[i]);  // results in input order
            CHECK(r.status == Status::Ok);
            CHECK(r.pages > 0);
            CHECK(r.stats.itemize_calls == r.stats.shaped_strings);  // each distinct string itemized once
            CHECK(r.files.front() == inputs[i]);
        }
        jobs.push_back(std::move(job));
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
        INFO(inputs[i]);
        std::string one = read_file(jobs[0].results[i].task.output);
        CHECK(one.size() > 10000);
        CHECK(one == read_file(jobs[1].results[i].task.output));
    }
    // The issue was made from its manifest, its articles, their pictures and its style.
    const std::vector<std::string>& files = jobs[0].results[2].files;
    CHECK(std::count_if(files.begin(), files.end(), [](const std::string& f) { return f.ends_with(".md"); }) == 5);
    CHECK(std::count_if(files.begin(), files.end(), [](const std::string& f) { return f.ends_with(".jpg"); }) >= 1);
    CHECK(files.back().ends_with("styles/bulletin.yaml"));
}

// Every sample at once: more faces than cairo keeps open (ten), Kai's
// TrueType among them; painting them on two threads crashed cairo 1.16 in
// about one run of two until each painter opened its own faces.
TEST_CASE("job: every sample three times over on two threads writes the bytes one thread writes") {
    std::vector<std::string> inputs;
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/samples/articles"))
        if (entry.path().extension() == ".md") inputs.push_back(entry.path().string());
    std::sort(inputs.begin(), inputs.end());
    inputs.push_back(source_dir() + "/samples/gaoxin-2019-01.yaml");
    inputs.push_back(source_dir() + "/samples/harlow-bend-weekly.yaml");
    REQUIRE(inputs.size() >= 10);
    Job one = job_for(inputs, fresh_dir("samples-j1"));
    CHECK(run(one, fonts()) == kExitOk);
    for (int round = 0; round < 3; ++round) {
        Job two = job_for(inputs, fresh_dir("samples-j2-" + std::to_string(round)));
        two.batch.jobs = 2;
        CHECK(run(two, fonts()) == kExitOk);
        REQUIRE(two.results.size() == inputs.size());
        for (size_t i = 0; i < inputs.size(); ++i) {
            INFO(inputs[i]);
            CHECK(two.results[i].status != Status::Failed);  // the English samples warn of loose lines
            CHECK(read_file(two.results[i].task.output) == read_file(one.results[i].task.output));
        }
    }
}

TEST_CASE("job: check reports every input's messages and writes nothing") {
    const std::string in = fresh_dir("check-in");
    write(in + "/good.md", article("好"));
    write(in + "/bad.md", "---\ntitle: [oops\n---\n正文。\n");
    write(in + "/picture.md", "---\ntitle: 图\n---\n\n![图](missing.png)\n");
    Job job = job_for({in}, "", Command::Check);
    Captured err("check-err.txt");
    job.messages = err.file;
    CHECK(run(job, fonts()) == kExitFailed);
    REQUIRE(job.results.size() == 3);
    CHECK(job.results[0].status == Status::Failed);  // bad.md
    CHECK(job.results[1].status == Status::Ok);      // good.md
    CHECK(job.results[2].status == Status::Failed);  // picture.md
    const std::string text = err.text();
    CHECK(text.find(in + "/bad.md:3:1: error: invalid YAML") != std::string::npos);
    CHECK(text.find(in + "/picture.md:5:1: error:") != std::string::npos);
    CHECK(text.find("missing.png") != std::string::npos);
    for (auto& e : fs::directory_iterator(in)) CHECK(e.path().extension() == ".md");  // nothing written

    // As JSON: one document.
    job.json = true;
    Captured data("check-json.txt");
    job.data = data.file;
    CHECK(run(job, fonts()) == kExitFailed);
    const std::string json = data.text();
    CHECK(json.find("\"errors\": 2") != std::string::npos);
    CHECK(json.find("\"warnings\": 0") != std::string::npos);
    CHECK(json.find("\"line\": 3") != std::string::npos);
    CHECK(json.find("\"status\": \"failed\"") != std::string::npos);
}

TEST_CASE("job: check warns of a font the style names that is not installed") {
    const std::string in = fresh_dir("check-font");
    write(in + "/a.md", article("字体"));
    write(in + "/s.yaml", "roles:\n  title: {font: [FangSong, Galley Serif SC]}\n");
    Job job = job_for({in + "/a.md"}, "", Command::Check);
    job.render.style = in + "/s.yaml";
    job.render.style_given = true;
    Captured err("font-err.txt");
    job.messages = err.file;
    CHECK(run(job, fonts()) == kExitOk);
    CHECK(err.text() == in + "/s.yaml:2:18: warning: font 'FangSong' is not installed; 'Galley Serif SC' (GalleySerifSC-Regular.otf) is used instead\n");
    job.batch.fail_on_warnings = true;
    CHECK(run(job, fonts()) == kExitWarnings);
}

TEST_CASE("job: proof draws the chosen pages, named in page order") {
    const std::string out = fresh_dir("proof-out");
    Job job = job_for({source_dir() + "/samples/gaoxin-2019-01.yaml"}, out, Command::Proof);
    job.proof.pages = parse_pages("2-3,9");
    job.proof.dpi = 30;
    CHECK(run(job, fonts()) == kExitOk);
    std::vector<std::string> names;
    for (auto& e : fs::directory_iterator(out)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"gaoxin-2019-01-2.png", "gaoxin-2019-01-3.png", "gaoxin-2019-01-9.png"});
    std::string png = read_file(out + "/gaoxin-2019-01-2.png");
    REQUIRE(png.size() > 24);
    auto be32 = [&](size_t at) {
        return (unsigned char)png[at] << 24 | (unsigned char)png[at + 1] << 16 | (unsigned char)png[at + 2] << 8 |
               (unsigned char)png[at + 3];
    };
    CHECK(be32(16) == 249);  // A4 at 30 dpi: 595.3 pt -> 248.0 px, rounded up
    // Pages past the end: a warning, the rest drawn.
    job.proof.pages = parse_pages("9-12");
    Captured err("proof-err.txt");
    job.messages = err.file;
    CHECK(run(job, fonts()) == kExitOk);
    CHECK(err.text().find("warning: the document has 9 pages; pages beyond it are not drawn") != std::string::npos);
}

TEST_CASE("job: --skip-unchanged renders again exactly the inputs whose sources changed") {
    const std::string in = fresh_dir("skip-in"), out = fresh_dir("skip-out");
    for (const char* name : {"a", "b", "c"}) write(in + "/" + name + ".md", article(name));
    fs::copy_file(source_dir() + "/samples/articles/images/incubator.jpg", in + "/pic.jpg");
    write(in + "/d.md", "---\ntitle: 图\nimage:\n  src: pic.jpg\n---\n\n正文。\n");
    auto statuses = [&] {
        Job job = job_for({in}, out);
        job.batch.skip_unchanged = true;
        REQUIRE(run(job, fonts()) == kExitOk);
        std::string s;
        for (const TaskResult& r : job.results) s += status_name_for_test(r.status);
        return s;
    };
    CHECK(statuses() == "oooo");  // a b c d, first run
    CHECK(statuses() == "ssss");
    write(in + "/b.md", article("乙 changed"));
    CHECK(statuses() == "soss");
    std::ofstream(in + "/pic.jpg", std::ios::app) << '\0';  // a picture's bytes
    CHECK(statuses() == "ssso");
    fs::remove(out + "/c.pdf");  // a lost output is made again
    CHECK(statuses() == "ssos");
    // Contents, not paths: the same sources elsewhere are unchanged.
    const std::string moved = temp_dir() + "/skip-moved";
    fs::remove_all(moved);
    fs::rename(in, moved);
    Job job = job_for({moved}, out);
    job.batch.skip_unchanged = true;
    job.render.style = source_dir() + "/styles/bulletin.yaml";  // the default, by its path
    job.render.style_given = true;
    CHECK(run(job, fonts()) == kExitOk);
    for (const TaskResult& r : job.results) CHECK(r.status == Status::Skipped);
    const std::string stamp = read_file(out + "/.a.pdf.galley");
    CHECK(stamp.find("\"hash\":\"") == 1);
    CHECK(stamp.find("\"pages\":1") != std::string::npos);
}

TEST_CASE("job: on a terminal one progress line is redrawn in place and cleared at the end") {
    const std::string in = fresh_dir("progress-in");
    for (const char* name : {"a", "b", "c"}) write(in + "/" + name + ".md", article(name));
    Job job = job_for({in}, fresh_dir("progress-out"));
    job.batch.quiet = false;
    job.batch.progress = true;
    Captured err("progress.txt");
    job.messages = err.file;
    CHECK(run(job, fonts()) == kExitOk);
    const std::string text = err.text();
    CHECK(text.find("\r\033[K[1/3] ") == 0);
    CHECK(text.find("\r\033[K[3/3] ") != std::string::npos);
    CHECK(text.find(" inputs/s, ") != std::string::npos);
    CHECK(text.find(" pages/s, ETA 0:") != std::string::npos);
    CHECK(text.find("\r\033[Kgalley: 3 inputs: 3 rendered, 0 failed, 0 skipped, 0 with warnings; 3 pages in ") !=
          std::string::npos);
    CHECK(text.find("] ok ") == std::string::npos);  // no status lines
}
