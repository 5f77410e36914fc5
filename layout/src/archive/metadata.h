// What the archive stage's two halves share: the library's (archive.cpp:
// Info and XMP values, dates, the files it reads) and the qpdf module's
// (qpdf_pass.cpp, loaded only to finish a Cairo-written PDF).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "archive/archive.h"
#include "common/dates.h"

namespace galley::archive_detail {

[[noreturn]] void fail(const std::string& file, const std::string& message);

// UTF-8 -> code points; malformed bytes become U+FFFD, controls but tab and
// line feed dropped (CR and CRLF become LF).
std::u32string clean(const std::string& s);
std::string sanitize(const std::string& s);

struct Final {  // the values written to Info, in UTF-8
    std::string title, author, subject, keywords, creator, producer, lang, source;
    std::optional<IsoDate> created, modified;
    std::vector<std::string> tags;
};

// What the PDF read already says (UTF-8; empty without a PDF or a value):
// an Info entry by key ("/Title"), and the catalog's /Lang.
struct OldValues {
    std::function<std::string(const char* key)> info;
    std::string lang;
};

// The values Info and XMP get: the caller's, else what the PDF read says.
Final final_values(const ArchiveMetadata& meta, const std::optional<IsoDate>& date, const OldValues& old = {});
// Info's text entries that have a value, in order.
std::vector<std::pair<std::string, std::string>> info_texts(const Final& f);
std::string xmp_packet(const Final& f);

std::string read_whole(const std::string& path, const char* what);
// The caller's date, checked before anything is read: a bad date is the
// caller's error, not the file's.
std::optional<IsoDate> given_date(const ArchiveMetadata& meta, const std::string& in_path);
// The sRGB profile of the output intent (PDF/A), checked.
std::string read_icc_profile(const std::string& path);

}  // namespace galley::archive_detail
