#include "common/files.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "galley/diagnostics.h"
#include "galley/job.h"

namespace galley {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const std::string& path, std::string* why, std::size_t max_bytes) {
    auto fail = [why](std::string reason) -> std::optional<std::string> {
        if (why) *why = std::move(reason);
        return std::nullopt;
    };
    std::error_code ec;
    if (fs::is_directory(path, ec)) return fail("it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(std::strerror(errno));
    std::string out;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        out.append(buf, static_cast<std::size_t>(in.gcount()));
        if (out.size() > max_bytes) return fail("it holds more than " + std::to_string(max_bytes >> 20) + " MB");
    }
    if (in.bad()) return fail("read error");
    return out;
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

// dladdr names a program as it was started, perhaps relative or bare:
// /proc/self/exe is exact.
std::string code_dir() {
    Dl_info info{};
    std::error_code ec;
    if (dladdr(reinterpret_cast<void*>(&code_dir), &info) && info.dli_fname &&
        std::string(info.dli_fname).find(".so") != std::string::npos) {
        std::filesystem::path lib = std::filesystem::canonical(info.dli_fname, ec);
        if (!ec) return lib.parent_path().string();
    }
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().string();
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

// Short, so that it stays within NAME_MAX whatever the output's own name.
std::string temporary_name(const fs::path& target) {
    static std::atomic<unsigned> serial{0};
    fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    return (dir / (".galley-" + std::to_string(::getpid()) + "-" + std::to_string(serial++) + ".tmp")).string();
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

struct StagedOutput::State {
    std::string shown;            // as the user named it
    fs::path target;              // where it goes: a symlink's target
    std::string bytes;            // for a direct write
    bool direct = false;
    int fd = -1;                  // the new file, written, not yet in place
    bool unnamed = false;         // O_TMPFILE: no name until commit
    std::optional<TemporaryName> tmp;
    bool committed = false;
};

StagedOutput::StagedOutput(std::unique_ptr<State> s) : s_(std::move(s)) {}
StagedOutput::StagedOutput(StagedOutput&&) noexcept = default;
StagedOutput& StagedOutput::operator=(StagedOutput&&) noexcept = default;

StagedOutput::~StagedOutput() {
    if (!s_ || s_->committed) return;
    if (s_->fd >= 0) ::close(s_->fd);
    if (s_->tmp && !s_->unnamed) ::unlink(s_->tmp->name.c_str());
}

void StagedOutput::commit() {
    State& s = *s_;
    if (s.direct) {
        write_directly(s.target.string(), s.bytes);
        s.committed = true;
        return;
    }
    try {
        if (s.unnamed) {
            std::string proc = "/proc/self/fd/" + std::to_string(s.fd);
            if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, s.tmp->name.c_str(), AT_SYMLINK_FOLLOW) != 0)
                fail(s.shown, std::strerror(errno));
            s.unnamed = false;  // it has a name now, to be removed on failure
        }
        const int fd = s.fd;
        s.fd = -1;
        if (::close(fd) != 0) fail(s.shown, std::strerror(errno));
        if (::rename(s.tmp->name.c_str(), s.target.c_str()) != 0) fail(s.shown, std::strerror(errno));
        s.committed = true;
    } catch (...) {
        ::unlink(s.tmp->name.c_str());
        throw;
    }
}

StagedOutput stage_output(const std::string& path, std::string_view bytes) {
    auto s = std::make_unique<StagedOutput::State>();
    s->shown = path;
    s->target = descriptor_named(path) >= 0 ? fs::path(path) : link_target(path, path);
    struct stat st {};
    const bool exists = ::stat(s->target.c_str(), &st) == 0;
    if (!exists && errno != ENOENT) fail(path, std::strerror(errno));
    if (exists && S_ISDIR(st.st_mode)) fail(path, "it is a folder");
    if (descriptor_named(s->target.string()) >= 0 || (exists && !S_ISREG(st.st_mode))) {
        s->direct = true;
        s->bytes.assign(bytes);
        return StagedOutput(std::move(s));
    }
    const fs::path dir = s->target.has_parent_path() ? s->target.parent_path() : fs::path(".");
    s->tmp.emplace(temporary_name(s->target));
    s->fd = unnamed_file(dir);
    s->unnamed = s->fd >= 0;
    if (!s->unnamed) s->fd = ::open(s->tmp->name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (s->fd < 0) fail(path, std::strerror(errno));
    StagedOutput staged(std::move(s));
    write_all(staged.s_->fd, bytes, path);
    if (exists) ::fchmod(staged.s_->fd, st.st_mode & 07777);
    return staged;
}

void write_output(const std::string& path, std::string_view bytes) { stage_output(path, bytes).commit(); }

void remove_temporary_outputs() noexcept {
    for (auto& slot : temporaries)
        if (const char* name = slot.load()) ::unlink(name);
}

}  // namespace galley
