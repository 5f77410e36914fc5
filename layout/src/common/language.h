// Languages as the engine tells them apart.
#pragma once
#include <string>

namespace galley {

// Chinese, Japanese and Korean are set by the CJK rules; everything else is Latin.
inline bool is_cjk_lang(const std::string& lang) {
    auto p = lang.substr(0, lang.find('-'));
    return p == "zh" || p == "ja" || p == "ko";
}

}  // namespace galley
