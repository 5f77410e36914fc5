// Where the run-time data is, found from where the code is: nothing is
// compiled in but the install's relative paths, so an installed tree may
// move, and the build tree works as one.
#include <cstdlib>
#include <filesystem>

#include "common/files.h"
#include "galley/engine.h"

namespace galley {

namespace fs = std::filesystem;

std::string data_dir() {
    if (const char* env = std::getenv("GALLEY_DATA_DIR"); env && *env) {
        if (!fs::exists(fs::path(env) / "fonts.conf"))
            throw Failure({Severity::Error, {env, 0, 0}, "GALLEY_DATA_DIR holds no fonts.conf (Galley's data folder: styles, fonts)"});
        return env;
    }
    const fs::path dir(code_dir());
    std::string tried;
    for (const fs::path& candidate :
         {dir / GALLEY_BIN_TO_DATA, dir / GALLEY_LIB_TO_DATA, dir / "share" / "galley"}) {
        std::error_code ec;
        if (fs::exists(candidate / "fonts.conf", ec)) return fs::weakly_canonical(candidate, ec).string();
        tried += (tried.empty() ? "" : ", ") + candidate.lexically_normal().string();
    }
    throw Failure({Severity::Error, {}, "cannot find Galley's data (styles, fonts): looked in " + tried +
                                            "; set GALLEY_DATA_DIR to the folder holding fonts.conf"});
}

}  // namespace galley
