// Data of the text stages: styled paragraphs in, shaped clusters out.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "galley/diagnostics.h"
#include "galley/frame.h"
#include "galley/style.h"
#include "style/styled.h"
#include "text/font_table.h"

typedef struct _PangoContext PangoContext;

namespace galley {

// What a character is to Chinese and Latin composition (cjk-rules.md §1–3).
enum class CharClass : uint8_t {
    Han,        // ideographs, kana, full-width letters and digits
    Latin,      // letters of alphabetic scripts
    Digit,      // ASCII digits
    Space,      // U+0020 and friends (not U+3000)
    IdeoSpace,  // U+3000, a full-width blank
    Opener,     // full-width opening bracket or quote, ink in the right half
    Closer,     // full-width closing bracket or quote, ink in the left half
    Pause,      // 、，：；
    Stop,       // 。．？！
    MiddleDot,  // · ・ ‧ between Han
    Dash,       // — ⸺ (full width)
    Ellipsis,   // … ⋯
    Connector,  // – ～ 〜 ~ / ／
    HardBreak,  // U+2028
    Other,      // Latin punctuation and symbols
};

struct ShapedGlyph {
    uint32_t id = 0;
    double advance = 0, x_offset = 0, y_offset = 0;  // points
};

struct Cluster {
    uint32_t run = 0;                  // index into ShapedParagraph::runs
    uint32_t start = 0, end = 0;       // bytes of the paragraph text
    uint32_t first_glyph = 0, glyph_count = 0;
    double advance = 0;                // natural advance, points
    char32_t ch = 0;                   // first character
    int chars = 1;
    CharClass cls = CharClass::Other;
    bool uax_break_before = false;     // pango_get_log_attrs' verdict
};

struct ShapedRun {
    int font = 0;  // in the document's FontTable
    double size = 0;
    Color color;
    std::string link;
    bool strike = false;
    double rise = 0;
    bool code = false;          // a code span (breaks as a URL does)
    uint32_t hyphen_glyph = 0;  // this font's hyphen, for hyphenated line ends
    double hyphen_advance = 0;
};

struct ShapedParagraph {
    std::string text;
    std::string lang;
    double em = 10.5;  // the paragraph's main size, for CJK widths
    std::vector<ShapedRun> runs;
    std::vector<ShapedGlyph> glyphs;
    std::vector<Cluster> clusters;
    SourcePos pos;
};

CharClass classify(char32_t c, double advance, double em, bool cjk);

struct FontContext;
// Itemizes and shapes with Pango/HarfBuzz under the FontContext's lock;
// `ctx` is the document's context, `table` its fonts. Counts Pango
// itemize calls in `itemize_calls`.
ShapedParagraph shape_paragraph(const StyledParagraph& para, FontContext& fonts, PangoContext* ctx,
                                FontTable& table, int& itemize_calls);

}  // namespace galley
