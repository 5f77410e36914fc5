// Archive-grade PDF: post-processing of the PDF cairo wrote, with qpdf.
//
// Cairo 1.16 writes Info dates without the "D:" prefix, no /ID, no /Lang,
// link annotations without /F 4, and no print boxes; PDF/A-2b further needs
// an XMP /Metadata stream mirroring Info and an sRGB /OutputIntents entry.
// archive_pdf() fixes all of that in one pass and writes deterministically:
// the same input bytes, metadata and options give the same output bytes.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace galley {

// The structure type the Cairo PDF painter wraps artifacts in (cairo 1.16
// has no artifacts and accepts only standard types); archive_pdf turns its
// content into /Artifact marked content and drops the elements.
inline constexpr char kArtifactCarrier[] = "Private";

struct ArchiveMetadata {
    std::string title;
    std::string author;    // the byline as printed; empty: authors joined by ", "
    std::string subject;   // the summary
    std::string keywords;  // empty: tags joined by ", "
    std::string creator;   // empty: "Galley <version>"; also written as Producer
    std::string lang;      // BCP 47, e.g. "zh-CN"; written as the catalog's /Lang
    // ISO 8601, e.g. "2019-01-18T13:01:08+08:00" (also "…Z", date only, no
    // seconds); the caller has already chosen between SOURCE_DATE_EPOCH and
    // the document's own date. Empty: the dates cairo wrote, repaired.
    // Used for both CreationDate and ModDate.
    std::string date;
    std::vector<std::string> authors;
    std::vector<std::string> tags;  // XMP dc:subject (a Bag), one entry each
    std::string source;             // XMP dc:source: where the text came from
    std::vector<std::string> figure_alts;  // /Alt of the Figure elements, in reading order
};

struct ArchiveOptions {
    bool pdfa = false;  // PDF/A-2b: XMP, OutputIntent, version 1.7, fonts checked
    // Points. The layout makes the MediaBox trim + 2 * bleed; every page gets
    // TrimBox = MediaBox inset by bleed and BleedBox = MediaBox (both equal to
    // the MediaBox when bleed is 0).
    double bleed = 0;
    std::string icc_profile = "/usr/share/color/icc/sRGB.icc";  // icc-profiles-free
};

// Reads in_path (read whole before anything is written, so out_path may be
// the same file, though writing elsewhere and renaming is safer), rewrites
// Info (Title, Author, Subject, Keywords, Creator, Producer, CreationDate,
// ModDate; UTF-16BE with BOM when not ASCII), /Lang, /F 4 on every /Link
// annotation, TrimBox/BleedBox and, with options.pdfa, the XMP metadata and
// the sRGB output intent; writes out_path with a deterministic /ID, without
// object streams or encryption. Throws galley::Failure naming the file.
void archive_pdf(const std::string& in_path, const std::string& out_path,
                 const ArchiveMetadata& meta, const ArchiveOptions& options);
// The same in memory: `input` is the PDF, `name` names it in messages.
std::string archive_pdf_bytes(const std::string& input, const std::string& name, const ArchiveMetadata& meta,
                              const ArchiveOptions& options);

// What archive_pdf writes of `meta` when no PDF is read (the one-pass
// writer's Info and XMP): the Info values (sanitized, UTF-8), both dates
// as "D:…" (empty without a date) and, with options.pdfa, the XMP packet
// and the output intent's ICC profile. Throws Failure as archive_pdf does.
struct ArchiveValues {
    std::vector<std::pair<std::string, std::string>> info;  // ("/Title", "…"), … those with a value
    std::string lang;
    std::string pdf_date;
    std::string xmp, icc;
};
ArchiveValues archive_values(const ArchiveMetadata& meta, const ArchiveOptions& options);

// "2019-01-18T13:01:08+08:00" -> "D:20190118130108+08'00'";
// "…Z" -> "…Z"; "2019-01-18" -> "D:20190118". Throws galley::Failure on
// anything that is not an ISO 8601 date (the message quotes it).
std::string pdf_date(const std::string& iso);

// The reverse, for XMP: "D:20190118130108+08'00'" -> "2019-01-18T13:01:08+08:00"
// (also accepts cairo's prefix-less form). Returns "" when unparseable.
std::string iso_date(const std::string& pdf_date);

}  // namespace galley
