#include "common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "galley/diagnostics.h"
#include "galley/job.h"

namespace galley {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const std::string& path, std::string* why) {
    auto fail = [why](std::string reason) -> std::optional<std::string> {
        if (why) *why = std::move(reason);
        return std::nullopt;
    };
    std::error_code ec;
    if (fs::is_directory(path, ec)) return fail("it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(std::strerror(errno));
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) return fail("read error");
    return buf.str();
}

std::optional<std::string> read_source(const std::string& path, std::size_t max_bytes, std::string* why) {
    struct stat st {};
    auto refuse = [why](std::string reason) -> std::optional<std::string> {
        if (why) *why = std::move(reason);
        return std::nullopt;
    };
    if (::stat(path.c_str(), &st) != 0) return refuse(std::strerror(errno));
    if (S_ISDIR(st.st_mode)) return refuse("it is a directory");
    if (!S_ISREG(st.st_mode))
        return refuse(std::string("it is ") + (S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket" : "a device") +
                      ", not a regular file");
    auto mb = [](double bytes) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f MB", bytes / (1 << 20));
        return std::string(buf);
    };
    if (static_cast<std::size_t>(st.st_size) > max_bytes)
        return refuse("it is " + mb(static_cast<double>(st.st_size)) + ", over the limit of " +
                      mb(static_cast<double>(max_bytes)));
    std::optional<std::string> bytes = read_file(path, why);
    if (bytes && bytes->size() > max_bytes)  // it grew while read
        return refuse("it is over the limit of " + mb(static_cast<double>(max_bytes)));
    return bytes;
}

std::optional<std::string> outside_root(const std::string& path, const std::string& root) {
    std::error_code ec;
    fs::path r = fs::weakly_canonical(fs::absolute(root.empty() ? "." : root, ec), ec);
    if (r.filename().empty()) r = r.parent_path();  // "dir/" names the folder "dir"
    fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
    if (ec) return "cannot resolve it: " + ec.message();
    auto mismatch = std::mismatch(r.begin(), r.end(), p.begin(), p.end());
    if (mismatch.first == r.end()) return std::nullopt;
    return "it is outside " + r.string() + (p.string() != fs::absolute(path, ec).lexically_normal().string()
                                                 ? " (it leads to " + p.string() + ")"
                                                 : "");
}

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& why) {
    throw Failure({Severity::Error, {path == "-" ? "<stdout>" : path, 0, 0}, "cannot write the output: " + why});
}

// The temporary names in use, for the signal handler: a fixed table of
// strings it may read without allocating. A name is published only once
// written whole, and withdrawn before it is freed.
constexpr size_t kSlots = 256;
std::array<std::atomic<const char*>, kSlots> temporaries{};

struct TemporaryName {
    std::string name;
    size_t slot = kSlots;
    explicit TemporaryName(std::string n) : name(std::move(n)) {
        for (size_t i = 0; i < kSlots; ++i) {
            const char* empty = nullptr;
            if (temporaries[i].compare_exchange_strong(empty, name.c_str())) {
                slot = i;
                break;
            }
        }
    }
    ~TemporaryName() {
        if (slot < kSlots) temporaries[slot].store(nullptr);
    }
    TemporaryName(const TemporaryName&) = delete;
    TemporaryName& operator=(const TemporaryName&) = delete;
};

std::string temporary_name(const fs::path& target) {
    static std::atomic<unsigned> serial{0};
    fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    return (dir / ("." + target.filename().string() + ".tmp" + std::to_string(::getpid()) + "-" +
                   std::to_string(serial++)))
        .string();
}

void write_all(int fd, std::string_view bytes, const std::string& path) {
    for (size_t at = 0; at < bytes.size();) {
        ssize_t n = ::write(fd, bytes.data() + at, bytes.size() - at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail(path, std::strerror(errno));
        at += static_cast<size_t>(n);
    }
}

// The descriptor a name stands for when it names one of this process's
// open files (as /dev/stdout does), so that its offset and append mode are
// kept; -1 otherwise.
int descriptor_named(const std::string& path) {
    if (path == "-" || path == "/dev/stdout") return STDOUT_FILENO;
    if (path == "/dev/stderr") return STDERR_FILENO;
    for (const char* prefix : {"/dev/fd/", "/proc/self/fd/"}) {
        std::string p = prefix;
        if (path.rfind(p, 0) == 0 && path.size() > p.size() &&
            path.find_first_not_of("0123456789", p.size()) == std::string::npos)
            return std::stoi(path.substr(p.size()));
    }
    return -1;
}

void write_directly(const std::string& path, std::string_view bytes) {
    if (int fd = descriptor_named(path); fd >= 0) {
        write_all(fd, bytes, path);
        return;
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) fail(path, std::strerror(errno));
    try {
        write_all(fd, bytes, path);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
}

// A file in `dir` with no name until it is linked under one; -1 where the
// file system cannot make one.
int unnamed_file(const fs::path& dir) {
#ifdef O_TMPFILE
    return ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
#else
    return -1;
#endif
}

void replace_file(const fs::path& target, const std::string& shown, std::string_view bytes, const struct stat* old) {
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    TemporaryName tmp(temporary_name(target));
    int fd = unnamed_file(dir);
    const bool unnamed = fd >= 0;
    if (!unnamed) fd = ::open(tmp.name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) fail(shown, std::strerror(errno));
    try {
        write_all(fd, bytes, shown);
        if (old) ::fchmod(fd, old->st_mode & 07777);
        if (unnamed) {
            std::string proc = "/proc/self/fd/" + std::to_string(fd);
            if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, tmp.name.c_str(), AT_SYMLINK_FOLLOW) != 0)
                fail(shown, std::strerror(errno));
        }
        if (::close(fd) != 0) {
            fd = -1;
            fail(shown, std::strerror(errno));
        }
        fd = -1;
        if (::rename(tmp.name.c_str(), target.c_str()) != 0) fail(shown, std::strerror(errno));
    } catch (...) {
        if (fd >= 0) ::close(fd);
        ::unlink(tmp.name.c_str());
        throw;
    }
}

// Where a chain of symlinks ends (the last link's target when it dangles).
fs::path link_target(const fs::path& path, const std::string& shown) {
    fs::path p = path;
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code ec;
        if (!fs::is_symlink(fs::symlink_status(p, ec))) return p;
        fs::path next = fs::read_symlink(p, ec);
        if (ec) fail(shown, ec.message());
        p = next.is_absolute() ? next : p.parent_path() / next;
    }
    fail(shown, "too many levels of symbolic links");
}

}  // namespace

void write_output(const std::string& path, std::string_view bytes) {
    if (descriptor_named(path) >= 0) return write_directly(path, bytes);
    const fs::path target = link_target(path, path);
    if (descriptor_named(target.string()) >= 0) return write_directly(target.string(), bytes);
    struct stat st {};
    if (::stat(target.c_str(), &st) != 0) {
        if (errno != ENOENT) fail(path, std::strerror(errno));
        return replace_file(target, path, bytes, nullptr);
    }
    if (S_ISDIR(st.st_mode)) fail(path, "it is a folder");
    if (!S_ISREG(st.st_mode)) return write_directly(target.string(), bytes);
    replace_file(target, path, bytes, &st);
}

void remove_temporary_outputs() noexcept {
    for (auto& slot : temporaries)
        if (const char* name = slot.load()) ::unlink(name);
}

}  // namespace galley
