// The output model: pages of positioned glyph runs and rules. Painters
// (PDF, PNG, text dump) depend on this and on nothing of the layout code.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "galley/document.h"
#include "galley/style.h"

namespace galley {

// A font as painters need it, with no shaper object behind it: the file
// and face the shaper chose, its size and any synthetic style. Glyph runs
// name fonts by their index in Layout::fonts.
struct FontFace {
    std::string file;
    int index = 0;           // face in a collection; a named instance in the upper 16 bits (FreeType)
    double size = 0;         // points
    bool embolden = false;   // synthetic bold
    double matrix[4] = {1, 0, 0, 1};  // xx, yx, xy, yy: synthetic oblique (fontconfig's FC_MATRIX)
    std::string name;        // "Galley Serif SC Bold 22", for dumps
};

// Glyph runs and pictures with this tag are page furniture (running heads,
// folios, rules, jump lines): /Artifact in tagged PDF.
constexpr int kArtifact = -1;

// Pango's markers for glyphs that draw nothing or are missing from the
// font: painters skip them (their advance still counts).
inline bool drawn_glyph(uint32_t id) { return id != 0x0FFFFFFF && !(id & 0x10000000); }

struct Glyph {
    uint32_t id = 0;
    double x = 0;         // pen position from the run's origin, points
    double advance = 0;   // drawn advance (to the next glyph's pen position)
    double x_offset = 0;  // ink shift from the pen position
    double y_offset = 0;
    uint32_t cluster = 0;  // byte offset of the glyph's cluster in `text`
};

struct GlyphRun {
    int font = 0;         // index in Layout::fonts
    double size = 0;
    Color color;
    double x = 0, y = 0;  // baseline origin, points from the page's top left
    std::string text;     // the characters the glyphs show, for text extraction
    std::vector<Glyph> glyphs;
    std::string link;     // a URI the run links to, empty for none
    int tag = kArtifact;  // its structure element (Layout::structure)
    // Glyphs drawn this much wider (narrower below 1) than designed: the
    // font expansion of a justified line; positions are set already.
    double scale_x = 1;
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
    int tag = kArtifact;
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

// What the document says of itself, for the PDF's Info and XMP.
struct DocumentInfo {
    std::string title;
    std::vector<std::string> authors;
    std::string subject;
    std::vector<std::string> tags;
    std::string lang;               // BCP 47
    std::optional<DateTime> date;   // the document's own date
    std::string source;             // where the text came from (an article's provenance URL or file)
};

// Page i of a laid-out document is pages[i].
// The font files painters open, shared by the layouts of one FontContext
// so that a batch opens each file once (defined by the painters).
struct PaintFaces;

struct Layout {
    std::vector<FontFace> fonts;        // named by GlyphRun::font
    std::shared_ptr<PaintFaces> faces;  // where painters open `fonts`; null: each painter opens its own
    std::vector<StructNode> structure;  // [0] is the Document
    std::vector<Frame> pages;
    std::vector<OutlineEntry> outline;  // in reading order
    DocumentInfo info;
};

}  // namespace galley
