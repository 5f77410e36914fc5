// ICU's dictionary segmentation glued into editors' units (see words.h).
#include "text/words.h"

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include <string_view>

#include "common/language.h"
#include "common/utf8.h"

namespace galley {
namespace {

bool in(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }

// Bound characters the dictionary leaves alone after a word: 统计|局,
// 志愿|者, 部署|会, and the measure words after a number (12|家, 2019|年).
constexpr std::u32string_view kSuffixes = U"局区者会器性化员部委厅处站所院省市县镇村们式率型界品费额量长室组队团馆园场港"
                                          U"年月日号名个位项条件次批元亿万倍届期版天周岁家人户米里点";
// Before a word: numerals and ordinal or distributive prefixes (一|季度, 第|三).
constexpr std::u32string_view kPrefixes = U"一二三四五六七八九十两百千第各每";

struct Segment {
    size_t start = 0;
    int han = 0;        // Han characters, when the segment is all Han
    char32_t first = 0;
    bool digits = false;  // ASCII digits only
    char glued = 0;       // joined to the segment before
};

std::vector<Segment> icu_segments(const std::string& text, const std::string& lang) {
    std::vector<Segment> out;
    UErrorCode st = U_ZERO_ERROR;
    UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &st);
    UBreakIterator* bi = ubrk_open(UBRK_WORD, is_cjk_lang(lang) ? "zh" : lang.c_str(), nullptr, 0, &st);
    if (U_SUCCESS(st)) ubrk_setUText(bi, ut, &st);
    if (U_SUCCESS(st)) {
        int32_t from = ubrk_first(bi);
        for (int32_t to = ubrk_next(bi); to != UBRK_DONE; from = to, to = ubrk_next(bi)) {
            Segment s;
            s.start = static_cast<size_t>(from);
            s.first = utf8_decode(text, s.start).cp;
            bool all_han = true, all_digits = true;
            for (size_t i = s.start; i < static_cast<size_t>(to);) {
                Utf8Char c = utf8_decode(text, i);
                all_han = all_han && is_han(c.cp);
                all_digits = all_digits && c.cp >= '0' && c.cp <= '9';
                s.han += is_han(c.cp);
                i += c.len ? c.len : 1;
            }
            if (!all_han) s.han = 0;
            s.digits = all_digits;
            out.push_back(s);
        }
    } else {
        out.push_back({0});  // no segmentation: one word
    }
    if (bi) ubrk_close(bi);
    utext_close(ut);
    return out;
}

// Glues the segments an editor would not part (words.h).
void glue(std::vector<Segment>& seg) {
    const size_t n = seg.size();
    auto single = [&](size_t i) { return seg[i].han == 1; };
    std::vector<char> closes(n, 0);  // a suffix ends its word here (志愿者|把)
    for (size_t i = 1; i < n; ++i)
        if (single(i) && in(seg[i].first, kSuffixes) && (seg[i - 1].han >= 2 || seg[i - 1].digits))
            seg[i].glued = closes[i] = 1;
    for (size_t i = 0; i + 1 < n; ++i)
        if (single(i) && in(seg[i].first, kPrefixes) && seg[i + 1].han >= 1) seg[i + 1].glued = true;
    // Runs of single characters the dictionary did not know (高|新|区,
    // 申|办, 入|驻) make words of up to four characters.
    int run = n > 0 && single(0) ? 1 : 0;  // single characters in the current unit
    for (size_t i = 1; i < n; ++i) {
        if (!single(i)) {
            run = 0;
        } else if (seg[i].glued) {
            run = closes[i] ? 0 : run + 1;
        } else if (single(i - 1) && !closes[i - 1] && run < 4) {
            seg[i].glued = true;
            ++run;
        } else {
            run = 1;
        }
    }
}

}  // namespace

std::vector<char> word_starts(const std::string& text, const std::string& lang) {
    std::vector<char> starts(text.size() + 1, 0);
    std::vector<Segment> seg = icu_segments(text, lang);
    glue(seg);
    for (const Segment& s : seg)
        if (!s.glued) starts[s.start] = 1;
    starts[text.size()] = 1;
    return starts;
}

}  // namespace galley
