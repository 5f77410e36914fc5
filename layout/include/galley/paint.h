// paint: one Painter interface over the page model, three back ends: PDF
// (Cairo), PNG proofs (Cairo) and the text dump of golden tests. Painters
// read only the Layout (its pages and its font table), so any number of
// them may draw on any threads at once.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "galley/frame.h"

namespace galley {

class Painter {
public:
    virtual ~Painter() = default;
    // Draws page `index` (0-based); pages come in increasing order.
    virtual void page(const Layout& layout, int index) = 0;
    // Ends the document after its last page (bookmarks, closing the file).
    virtual void finish(const Layout& layout) = 0;
};

struct PdfPaintOptions {
    std::string date;         // ISO 8601, both PDF dates
    double bleed = 0;         // points added on every side of the trimmed page
    bool crop_marks = false;  // drawn in the bleed, outside the trim
};

// Appends a tagged PDF (cairo) to `out` (in memory: the archive stage
// reads it from there): structure, links, destinations, bookmarks, page
// labels. Throws Failure when cairo fails.
std::unique_ptr<Painter> pdf_painter(std::string& out, const PdfPaintOptions& options);
// Appends a PNG to `out` for each page painted.
std::unique_ptr<Painter> png_painter(std::vector<std::string>& out, double dpi);
// Appends the frames as text at fixed precision (classic locale) to `out`.
std::unique_ptr<Painter> dump_painter(std::string& out);

// A page's items in the order a tagged PDF draws them: furniture above the
// content (masthead, running head, a rule) first, the content in reading
// order (the structure's order; a story over pages stays one element),
// the rest of the furniture (contents box, folio) after it. On a page whose
// content opens with a picture, all furniture goes first (cairo 1.16
// rejected the page's tags otherwise).
std::vector<const FrameItem*> paint_order(const Frame& page);
// Trim marks at the four corners of a w × h page, in the bleed around it
// only (they stop short of the trim, so none shows on the cut sheet); from
// the trimmed page's top left.
std::vector<Rule> crop_marks(double w, double h, double bleed);
// The structure element of a run or picture; kArtifact for the rest.
int item_tag(const FrameItem& item);

// Paints pages [first, first + count) (count < 0: to the end), then finishes.
void paint(const Layout& layout, Painter& painter, int first = 0, int count = -1);

}  // namespace galley
