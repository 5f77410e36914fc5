// Languages as the engine tells them apart.
#pragma once
#include <string>

namespace galley {

// Chinese, Japanese and Korean are set by the CJK rules; everything else is Latin.
inline bool is_cjk_lang(const std::string& lang) {
    auto p = lang.substr(0, lang.find('-'));
    return p == "zh" || p == "ja" || p == "ko";
}

// A Han character (ideograph): the unified blocks, their extensions and
// compatibility forms, and 〇.
inline bool is_han(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x3FFFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || c == 0x3007;
}

}  // namespace galley
