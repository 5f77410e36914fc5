#include "style/locale.h"

#include "common/language.h"

namespace galley {

const Locale& locale_for(const std::string& lang) {
    static const Locale zh{.page_label = "第{}版",
                           .widest_page_label = "第88版",
                           .contents_title = "本期导读",
                           .byline = "（记者 {}）",
                           .byline_names = " ",
                           .label = "：",
                           .related = "相关阅读：{}",
                           .related_previous = "上一篇：{}",
                           .related_next = "下一篇：{}",
                           .copies = "（共印{}份）",
                           .list_number = "（{}）",
                           .caption_credit = "（{}）",
                           .fields = "\u3000",
                           .names = "，",
                           .credits = "\u3000",
                           .authors = "、",
                           .table_number = "表{}",
                           .note_number = "{}\u3000",
                           .editor_note = "编者按："};
    static const Locale en{.page_label = "{}",
                           .widest_page_label = "88",
                           .contents_title = "In this issue",
                           .byline = "By {}",
                           .byline_names = " and ",
                           .label = ": ",
                           .related = "Related: {}",
                           .related_previous = "Previous: {}",
                           .related_next = "Next: {}",
                           .copies = "{} copies",
                           .list_number = "{}. ",
                           .caption_credit = " ({})",
                           .fields = " · ",
                           .names = ", ",
                           .credits = "  ",
                           .authors = ", ",
                           .table_number = "Table {}",
                           .note_number = "{}. ",
                           .editor_note = "Editor's note: "};
    return is_cjk_lang(lang) ? zh : en;
}

std::string fill(const std::string& pattern, const std::string& value) {
    std::string out = pattern;
    if (auto at = out.find("{}"); at != std::string::npos) out.replace(at, 2, value);
    return out;
}

}  // namespace galley
