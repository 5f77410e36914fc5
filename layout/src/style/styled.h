// The style stage's output: text with every run's look resolved.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "galley/diagnostics.h"
#include "galley/document.h"
#include "galley/style.h"

namespace galley {

// One run of text with one look.
struct StyledRun {
    std::string text;
    TextRole role;
    std::string link;
    bool strike = false;  // a line through it (~~text~~)
    double rise = 0;      // points above the baseline (a note's marker)
    bool code = false;    // a code span: breaks only where a URL does
};

struct StyledParagraph {
    std::vector<StyledRun> runs;
    std::string lang;  // BCP 47
    SourcePos pos;
};

// The named destinations of note n (from 1) and of its first marker.
inline std::string note_anchor(const std::string& prefix, int n) { return prefix + "note-" + std::to_string(n); }
inline std::string marker_anchor(const std::string& prefix, int n) { return prefix + "ref-" + std::to_string(n); }

}  // namespace galley

namespace galley {

enum class StyledKind { Heading, Paragraph, PullQuote, ListItem, Code, Figure, Rule, Table };

// A table's cells styled (the header row in table_head), each column's
// alignment resolved: a column the author left to us is aligned on the
// decimal point when every body cell holds a number, else at its start.
struct StyledTable {
    enum class Align { Start, Center, End, Decimal };
    std::vector<std::vector<StyledParagraph>> rows;  // rows[0] is the header row
    std::vector<Align> align;                        // one per column
    SourcePos pos;
};

// A body block with its text styled: what it is, and how it looks.
struct StyledBlock {
    StyledKind kind = StyledKind::Paragraph;
    TextRole role;                     // its text's role (alignment, size)
    int level = 0;                     // Heading: 2 or 3
    int quote_depth = 0;               // a bar in the margin when > 0
    int list_depth = 0;                // ListItem: 1 for a top-level item
    bool bullet = false;               // ListItem: a bullet drawn before it
    bool list_continuation = false;    // ListItem: a later paragraph of the same item
    int task = 0;                      // ListItem: a box drawn before it, 1 open, 2 ticked
    std::vector<StyledParagraph> text; // one paragraph; a code block's lines; a figure's caption
    std::optional<Image> image;        // Figure
    std::optional<StyledTable> table;  // Table; its caption, numbered, in text (none when empty)
    std::string outline_title;         // Heading: its bookmark
    SourcePos pos;
};

// The style stage's output: every piece of an article's text with its look
// and the words the engine adds (bylines, list numbers, captions' credits).
struct StyledDocument {
    std::string lang;
    Style style;         // the style with the document's language applied
    std::string title;   // plain, for jump lines and the contents
    std::string section; // the article's section, for running heads
    StyledParagraph kicker, headline, subtitle, dateline;
    std::vector<StyledParagraph> summary;  // its paragraphs
    std::optional<Image> lead;             // the article's own picture
    StyledParagraph lead_caption;
    StyledParagraph editor_note;
    std::vector<StyledBlock> body;
    // Footnotes, numbered in the order they are first referred to: the
    // number (linking back to its first marker) and the note's text. A
    // marker is its number raised, linking to "#" + note_anchor(n).
    std::vector<StyledParagraph> notes;
    std::string note_prefix;  // this article's in names of notes and markers
    std::vector<StyledBlock> closing;      // byline, credits, related lines
    std::vector<StyledBlock> signature;    // 落款, in body text: level 1 an issuer, 2 the date, 3 a note
};

}  // namespace galley
