// pdf: the one-pass PDF back end (the default; issue 16). The finished
// file written straight from the frames, with no read-back: fonts subset
// with HarfBuzz once per document, text, rules and pictures (JPEG passed
// through) as tagged content in paint order, the structure tree, links,
// destinations, bookmarks, page labels, Info and, for PDF/A-2b, the XMP
// packet and the sRGB output intent (archive_values: the same values the
// archive stage writes), a deterministic /ID; dictionaries in object
// streams, a cross-reference stream.
#pragma once
#include <memory>
#include <string>

#include "archive/archive.h"
#include "galley/paint.h"

namespace galley {

// Appends the PDF of the pages painted to `out` on finish(). Throws
// Failure when a font, picture or the ICC profile cannot be read.
std::unique_ptr<Painter> direct_pdf_painter(std::string& out, const PdfPaintOptions& paint,
                                            const ArchiveMetadata& meta, const ArchiveOptions& archive);

}  // namespace galley
