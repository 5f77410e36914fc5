// items: Chinese and Latin composition rules turn shaped clusters into
// box/glue/penalty items; setline turns a broken line back into glyph runs.
#pragma once
#include <vector>

#include "galley/frame.h"
#include "galley/style.h"
#include "linebreak/linebreak.h"
#include "text/shaped.h"

typedef struct _HyphenDict HyphenDict;

namespace galley {

struct ItemParams {
    double indent = 0;            // first-line indent, points
    PunctStyle punctuation = PunctStyle::Quanjiao;
    BreakLevel level = BreakLevel::GB;
    double han_latin_gap_em = 0.25;
    double han_stretch_em = 0.25; // inter-character glue of Han text
    HyphenDict* hyphens = nullptr;  // null: no hyphenation
    // The shortest word hyphenated and the fewest letters before and after
    // a hyphen (TeX's \lefthyphenmin, \righthyphenmin), per language.
    struct HyphenMins {
        int word = 5, left = 2, right = 3;
    } hyphen_mins;
    double hyphen_penalty = 50;
    double letter_spacing_em = 0;  // glue between Latin letters of a justified line (0: none)
    double expansion = 0;          // justified Latin: glyphs may be set this share wider or narrower (0: none)
    bool emergency = false;       // allow a break at every cluster boundary
    bool ragged = false;          // not justified: glue keeps its width, lines end where they end
    bool verbatim = false;        // code: every space is kept, as wide as it is, even at a line's start
    bool short_tail = false;      // a table cell: its last line may hold a single character ("（%）")
    // Headlines: a line breaks only where a word starts (text/words.h: one
    // flag per byte of the paragraph's text), and the last line holds at
    // least three characters or two words. Null / false: body rules.
    const std::vector<char>* word_starts = nullptr;
    bool full_tail = false;
};

// How a cluster is drawn inside its box: punctuation keeps only its ink
// half, the blanks around it are glue.
struct ClusterBox {
    double width = 0;
    double dx = 0;       // glyph origin relative to the box start
    bool kept = false;   // false: the cluster is not set (a replaced space)
};

struct ParagraphItems {
    std::vector<Item> items;
    std::vector<ClusterBox> boxes;  // per cluster
    std::vector<char> capped;       // per item: glue whose stretch ends at a maximum (§4)
};

ParagraphItems make_items(const ShapedParagraph& para, const ItemParams& params);

// One set line: glyph runs relative to the line's start on its baseline.
struct SetLine {
    std::vector<GlyphRun> runs;  // y: from the baseline (a raised run's is negative)
    double width = 0;   // natural width after adjustment
    std::vector<Rule> rules;     // lines through struck runs, from the line's start and baseline
};

// Sets the items between two breaks (`from` is the previous break's item,
// -1 at the start) at adjustment ratio `ratio` (ignored unless justified).
SetLine set_line(const ShapedParagraph& para, const ParagraphItems& pitems, int from, int to,
                 double ratio, bool justify);

}  // namespace galley
