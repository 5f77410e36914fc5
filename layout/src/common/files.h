// Reading whole files: the loader's sources, the archive stage's PDF and ICC
// profile.
#pragma once
#include <optional>
#include <string>

namespace galley {

// The bytes of the file at `path`. When it cannot be read returns nullopt
// and, when `why` is given, says why: "it is a directory", the system's
// reason (strerror) or "read error".
std::optional<std::string> read_file(const std::string& path, std::string* why = nullptr);

}  // namespace galley
