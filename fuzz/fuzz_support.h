// Helpers shared by the libFuzzer targets (README, "Fuzzing and sanitizers").
// Each target is one LLVMFuzzerTestOneInput; the library is called as the
// CLI calls it. A galley::Failure is a documented outcome (an unreadable
// file, a missing font) and is caught; any other exception escaping the
// library is a finding: it reaches std::terminate and libFuzzer reports
// the abort with the input that caused it.
#pragma once
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace galley_fuzz {

namespace fs = std::filesystem;

// A folder of this process's own under /dev/shm (memory; /tmp when there is
// none), removed when the process exits normally. libFuzzer often ends a
// process without running destructors (a crash, -fork's children), so a
// new one also removes the folders of this target's processes that are gone.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& target) {
        fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
        const std::string prefix = "galley-" + target + "-";
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(base, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind(prefix, 0) != 0) continue;
            const std::string pid = name.substr(prefix.size());
            if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
            if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
        }
        path_ = base / (prefix + std::to_string(::getpid()));
        fs::remove_all(path_, ec);
        fs::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// A file of the source tree (samples, styles) copied into `dir`.
inline void copy_source_file(const std::string& relative, const fs::path& dir) {
    fs::path from = fs::path(GALLEY_SOURCE_DIR) / relative;
    fs::create_directories(dir);
    fs::copy_file(from, dir / from.filename(), fs::copy_options::overwrite_existing);
}

inline void write_file(const fs::path& path, const uint8_t* data, size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) std::abort();  // the harness, not the library: stop loudly
}

}  // namespace galley_fuzz
