#include "style/locale.h"

#include "common/language.h"

namespace galley {

const Locale& locale_for(const std::string& lang) {
    static const Locale zh{"第{}版", "第88版", "本期导读", "（记者 {}）", " ", "：",
                           "相关阅读：{}", "（共印{}份）", "（{}）", "（{}）", "\u3000", "，", "\u3000", "、",
                           "表{}", "{}\u3000"};
    static const Locale en{"{}", "88", "In this issue", "By {}",
                           " and ", ": ", "Related: {}", "{} copies", "{}. ", " ({})", " · ", ", ", "  ", ", ",
                           "Table {}", "{}. "};
    return is_cjk_lang(lang) ? zh : en;
}

std::string fill(const std::string& pattern, const std::string& value) {
    std::string out = pattern;
    if (auto at = out.find("{}"); at != std::string::npos) out.replace(at, 2, value);
    return out;
}

}  // namespace galley
