// The words the engine itself prints (jump lines, contents, bylines, 报尾),
// in Chinese and in English. "{}" stands for the number or names filled in.
#pragma once
#include <string>

namespace galley {

struct Locale {
    std::string page_label;         // 第{}版, in the contents
    std::string widest_page_label;  // room reserved for page labels
    std::string contents_title;     // 本期导读
    std::string byline;             // （记者 {}）
    std::string byline_names;       // between the byline's names
    std::string label;              // between a label and its value: 编辑：…
    std::string related;            // 相关阅读：{}
    std::string related_previous;   // 上一篇：{}
    std::string related_next;       // 下一篇：{}
    std::string copies;             // （共印{}份）
    std::string list_number;        // （{}）
    std::string caption_credit;     // （{}） after a caption
    std::string fields;             // between dateline and running-head fields
    std::string names;              // between the names of a distribution line
    std::string credits;            // between the 报尾's credits
    std::string authors;            // between authors in the PDF's Info
    std::string table_number;       // 表{}: a numbered table's label, before the author's colon
    std::string note_number;        // {}　 before a footnote's text
    std::string editor_note;        // 编者按： before an editor's note that does not say so
};

// The Chinese table for Chinese, Japanese and Korean, else the English one.
const Locale& locale_for(const std::string& lang);

// `pattern` with its "{}" replaced by `value`.
std::string fill(const std::string& pattern, const std::string& value);

}  // namespace galley
