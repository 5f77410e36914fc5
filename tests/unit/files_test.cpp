// write_output: all or nothing, links kept, devices written directly.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "common/files.h"
#include "support.h"

using namespace galley;
namespace fs = std::filesystem;

namespace {

// Names in `dir` other than `keep`.
std::vector<std::string> others(const std::string& dir, std::initializer_list<std::string> keep) {
    std::vector<std::string> out;
    for (auto& e : fs::directory_iterator(dir)) {
        std::string n = e.path().filename().string();
        if (std::find(keep.begin(), keep.end(), n) == keep.end()) out.push_back(n);
    }
    return out;
}

}  // namespace

TEST_CASE("files: write_output makes a new file and replaces an old one keeping its permissions") {
    const std::string dir = test::fresh_dir("wo-plain"), path = dir + "/a.pdf";
    write_output(path, "first");
    CHECK(test::read_file(path) == "first");
    ::chmod(path.c_str(), 0640);
    write_output(path, "second");
    CHECK(test::read_file(path) == "second");
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    CHECK(others(dir, {"a.pdf"}).empty());  // no temporary left
}

TEST_CASE("files: write_output through a symlink replaces the target and keeps the link") {
    const std::string dir = test::fresh_dir("wo-link");
    fs::create_directories(dir + "/real");
    std::ofstream(dir + "/real/t.pdf") << "old";
    fs::create_symlink("real/t.pdf", dir + "/link.pdf");
    write_output(dir + "/link.pdf", "new");
    CHECK(fs::is_symlink(fs::symlink_status(dir + "/link.pdf")));
    CHECK(test::read_file(dir + "/real/t.pdf") == "new");
    // A dangling link: its target is made.
    fs::create_symlink("real/none.pdf", dir + "/dangling.pdf");
    write_output(dir + "/dangling.pdf", "made");
    CHECK(fs::is_symlink(fs::symlink_status(dir + "/dangling.pdf")));
    CHECK(test::read_file(dir + "/real/none.pdf") == "made");
    CHECK(others(dir + "/real", {"t.pdf", "none.pdf"}).empty());
}

TEST_CASE("files: write_output to a folder is an error and leaves nothing") {
    const std::string dir = test::fresh_dir("wo-folder");
    fs::create_directories(dir + "/x.pdf");
    try {
        write_output(dir + "/x.pdf", "bytes");
        FAIL("no error");
    } catch (const Failure& f) {
        CHECK(f.diagnostic.pos.file == dir + "/x.pdf");
        CHECK(f.diagnostic.message == "cannot write the output: it is a folder");
    }
    CHECK(others(dir, {"x.pdf"}).empty());
    CHECK(fs::is_directory(dir + "/x.pdf"));
    CHECK_THROWS_AS(write_output(dir + "/no/such/folder/y.pdf", "bytes"), Failure);
}

TEST_CASE("files: write_output writes a FIFO and a device directly") {
    const std::string dir = test::fresh_dir("wo-fifo"), fifo = dir + "/pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string got;
    std::thread reader([&] { got = test::read_file(fifo); });
    write_output(fifo, "through the pipe");
    reader.join();
    CHECK(got == "through the pipe");
    struct stat st {};
    REQUIRE(::lstat(fifo.c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));  // still a FIFO, not replaced by a file
    write_output("/dev/null", "discarded");
    REQUIRE(::lstat("/dev/null", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
    CHECK(others(dir, {"pipe"}).empty());
}
