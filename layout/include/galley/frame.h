// The output model: pages of positioned glyph runs and rules. Painters
// (PDF, PNG, text dump) depend on this and on nothing of the layout code.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "galley/style.h"

namespace galley {

// A shaped font as the painter needs it: an owned reference to the
// PangoFont the shaper chose, and its description for dumps.
struct FontRef {
    std::shared_ptr<void> pango_font;  // PangoFont*, released with g_object_unref
    std::string name;                  // "Galley Serif SC Bold 22"
};

struct Glyph {
    uint32_t id = 0;
    double x = 0;         // pen position from the run's origin, points
    double advance = 0;   // drawn advance (to the next glyph's pen position)
    double x_offset = 0;  // ink shift from the pen position
    double y_offset = 0;
    uint32_t cluster = 0;  // byte offset of the glyph's cluster in `text`
};

struct GlyphRun {
    FontRef font;
    double size = 0;
    Color color;
    double x = 0, y = 0;  // baseline origin, points from the page's top left
    std::string text;     // the characters the glyphs show, for text extraction
    std::vector<Glyph> glyphs;
    std::string link;     // a URI the run links to, empty for none
    int tag = -1;         // its structure element (Layout::structure), -1: page furniture
};

struct Rule {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    double width = 0.5;
    Color color;
    bool round = false;  // round caps; a zero-length round rule is a dot (list bullets)
};

// A picture scaled into its box (points; y is the top edge).
struct ImageItem {
    std::string path;
    double x = 0, y = 0, width = 0, height = 0;
    int tag = -1;
};

// A clickable area: to a URI, or to a named destination in this document.
struct LinkArea {
    double x = 0, y = 0, width = 0, height = 0;  // y is the top edge
    std::string uri;
    std::string dest;
};

// A named destination (the target of jump lines and contents entries).
struct Anchor {
    std::string name;
    double x = 0, y = 0;
};

using FrameItem = std::variant<GlyphRun, Rule, ImageItem, LinkArea, Anchor>;

struct Frame {
    double width = 0, height = 0;
    std::vector<FrameItem> items;
};

// A bookmark: issue title (level 0), article titles (1), headings (2, 3).
struct OutlineEntry {
    std::string title;
    int level = 1;
    int page = 0;  // 0-based
    double x = 0, y = 0;
};

// A node of the tagged-PDF structure tree: Document, Art, H1, H2, H3, P,
// BlockQuote, L, LI, Figure, Caption. Nodes are numbered in reading order,
// a parent before its children.
struct StructNode {
    std::string type;
    int parent = -1;
    std::string alt;  // Figure: the caption, as alternative text
};

// Page i of a laid-out document is pages[i].
struct Layout {
    std::vector<StructNode> structure;  // [0] is the Document
    std::vector<Frame> pages;
    std::vector<OutlineEntry> outline;  // in reading order
    // Metadata for the PDF writer.
    std::string title, author, subject, keywords, lang;
    std::string date;  // ISO 8601 with offset, for the PDF's dates
};

}  // namespace galley
