// String helpers shared by the stages.
#pragma once
#include <string>
#include <vector>

namespace galley {

// Names or tags in one string: join({"崔霖鹏", "李玮"}, "、").
inline std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

}  // namespace galley
