// Files: reading the loader's sources whole, and writing outputs so that a
// reader never sees half a file.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace galley {

// The bytes of the file at `path`. When it cannot be read returns nullopt
// and, when `why` is given, says why: "it is a directory", the system's
// reason (strerror) or "read error".
std::optional<std::string> read_file(const std::string& path, std::string* why = nullptr,
                                     std::size_t max_bytes = SIZE_MAX);

// The bytes of a source file (article, manifest, style, picture): only a
// regular file — a FIFO or device could block or never end — of at most
// `max_bytes`. Else nullopt, and `why`: "it is a folder", "it is a FIFO,
// not a regular file", "it is 20.0 MB, over the limit of 16 MB", the
// system's reason.
std::optional<std::string> read_source(const std::string& path, std::size_t max_bytes, std::string* why);

// The folder of the file holding Galley's code: the shared library, or the
// program the static library is linked into (run-time data and the qpdf
// module are found from it). Empty when the system does not say.
std::string code_dir();

// Why `path` (symlinks resolved) is not inside the folder `root`; nullopt
// when it is.
std::optional<std::string> outside_root(const std::string& path, const std::string& root);

// Writes `bytes` to `path` ("-": standard output), all or nothing:
// - a regular file (or none yet) gets a new file renamed over it, made
//   unnamed (O_TMPFILE) where the file system allows, so no temporary name
//   outlives the rename even when the process is killed; the old file's
//   permissions are kept;
// - a symlink is followed: its target is replaced, the link kept;
// - a device, FIFO or socket, standard output, /dev/stdout, /dev/fd/N and
//   /proc/self/fd/N are written directly;
// - a folder is an error.
// Throws Failure naming `path` with the system's reason.
void write_output(const std::string& path, std::string_view bytes);

// An output written but not yet in place, so that several outputs of one
// run (a PDF and its dump, the PNGs of a proof) are put in place only when
// all were written: commit() puts it there; dropped uncommitted, it leaves
// nothing behind.
class StagedOutput {
public:
    struct State;
    explicit StagedOutput(std::unique_ptr<State> s);
    StagedOutput(StagedOutput&&) noexcept;
    StagedOutput& operator=(StagedOutput&&) noexcept;
    ~StagedOutput();
    void commit();

private:
    friend StagedOutput stage_output(const std::string& path, std::string_view bytes);
    std::unique_ptr<State> s_;
};
// The first half of write_output: throws Failure as it does.
StagedOutput stage_output(const std::string& path, std::string_view bytes);

}  // namespace galley
