// compose: paragraphs through shape -> items -> linebreak -> set lines.
// Each distinct paragraph of a document is shaped once and broken once per
// measure; later requests are answered from the Composer's memo, so make-up
// can ask again at no cost.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <string>
#include <vector>

#include "flow/columns.h"
#include "galley/engine.h"
#include "image/image.h"
#include "style/geometry.h"
#include "text/items.h"

typedef struct _PangoContext PangoContext;

namespace galley {

// One document's composition: its Pango context, its fonts and the memo.
struct Composer {
    FontContext& fonts;
    Diagnostics& diags;
    RunStats& stats;
    PangoContext* pango;  // this document's, on the shared font map
    FontTable font_table;
    std::map<std::string, ShapedParagraph> shaped;      // by paragraph key
    std::map<std::string, std::vector<SetLine>> lines;  // by paragraph key and measure
    std::map<std::string, std::vector<char>> words;     // headlines' word starts, by language and text
    // Pictures probed (and their data checked) once per document, however
    // often make-up sets a story again: the result and the messages, by path
    // and name as written; and the messages already given, by place.
    struct Probe {
        std::optional<ImageInfo> info;
        Diagnostics messages;
    };
    std::map<std::pair<std::string, std::string>, Probe> pictures;
    std::set<std::tuple<std::string, int, int, std::string>> pictures_reported;

    Composer(FontContext& fonts, Diagnostics& diags, RunStats& stats);
    Composer(const Composer&) = delete;
    Composer& operator=(const Composer&) = delete;
    ~Composer();
};

// What a paragraph is composed with: the document's composer, the style of
// its article (break parameters, faces) and its language (hyphenation).
struct ComposeContext {
    Composer& composer;
    const Style& style;
    std::string lang;
};

struct ComposeOptions {
    double measure = 0;
    double indent = 0;  // first line
    Align align = Align::Justify;
    bool hyphenate = false;
    // Headlines (titles, subtitles, continued titles, contents entries):
    // `words_only` breaks only between words (text/words.h) unless no such
    // break fits; `balanced` keeps the fewest lines the measure allows but
    // sets them at the narrowest measure that still gives that many, so the
    // lines come out as even as the words allow (aligned within the full
    // measure), and never leaves 1–2 characters or one word on the last line
    // when the lines can hold them otherwise. Body text leaves both false.
    bool words_only = false;
    bool balanced = false;
    int looseness = 0;  // LinebreakParams::looseness: body text set a line longer to fill a column
    bool verbatim = false;  // code: spaces kept as written (ItemParams::verbatim)
    bool short_tail = false;  // a table cell: no orphan rule (ItemParams::short_tail)
};

// Options of a headline of `measure`: ragged, balanced, whole words.
inline ComposeOptions headline_options(double measure, Align align) {
    ComposeOptions o{measure, 0, align, false};
    o.words_only = o.balanced = true;
    return o;
}

const ShapedParagraph& shape(Composer& composer, const StyledParagraph& para);
// Breaks and sets a shaped paragraph (not memoised).
std::vector<SetLine> break_and_set(ComposeContext& cx, const ShapedParagraph& para, const ComposeOptions& options);
// Shape (memoised) then break and set (memoised by measure, indent, alignment).
const std::vector<SetLine>& compose(ComposeContext& cx, const StyledParagraph& para, const ComposeOptions& options);

// A paragraph's widths as CSS's automatic table layout wants them: the
// widest piece between two legal breaks (its narrowest setting) and its
// width on one line (the widest between forced breaks).
struct ContentWidths {
    double min = 0, max = 0;
};
ContentWidths content_widths(ComposeContext& cx, const StyledParagraph& para);

// probe_image() of a picture, once per document; each message is given once
// at each place that names the picture.
std::optional<ImageInfo> picture_info(Composer& composer, const std::string& path, const std::string& as_written,
                                      const SourcePos& pos);

// A role's line pitch: its own, or (0) the body pitch, at least 1.5 × its size.
double role_pitch(const TextRole& role, double body_pitch);

// A line's runs placed at x on a baseline.
void add_runs(std::vector<FrameItem>& out, const SetLine& line, double x, double baseline);
// Lines of a role stacked at the role's own pitch from y; returns the new y
// (the bottom of the last line's band).
double stack(std::vector<FrameItem>& out, const std::vector<SetLine>& lines, const TextRole& role, double x,
             double y, double body_pitch);
// One paragraph of a role as a HeadBlock of `width`, in whole body rows.
HeadBlock text_block(ComposeContext& cx, const std::string& text, const TextRole& role, double width,
                     const Geometry& g, const SourcePos& pos);
// One line of text as FrameItems on the baseline y = 0 (later lines, if
// it breaks, 1.4 sizes below).
std::vector<FrameItem> one_line(ComposeContext& cx, const std::string& text, const TextRole& role, double width,
                                Align align);

}  // namespace galley
