// Dates: the one ISO 8601 parser (front matter, manifests and archive
// metadata), the PDF date parser, and every way a date is written out.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "galley/document.h"

namespace galley {

// Which ISO 8601 texts parse_iso8601() accepts.
enum class IsoForm {
    // What articles and issue manifests may say: YYYY-MM-DD[ HH:MM[:SS]][±HH:MM]
    // (a space before the time; an offset also after a date alone).
    Written,
    // The interchange form of archive metadata:
    // YYYY[-MM[-DD[(T| )hh:mm[:ss[.f+]][Z|±hh[[:]mm]]]]] (a fraction of a
    // second is read and dropped; an offset only after a time).
    Extended,
};

// A parsed date with what its text gave, so that it can be written back at
// the same precision.
struct IsoDate {
    DateTime value;     // missing month and day are 1; text is the input
    int date_parts = 3; // 1 "2019", 2 "2019-01", 3 "2019-01-18"
    bool zulu = false;  // the offset was written "Z"
};

// Parses `s` in the given form and checks the ranges (a real day of the
// month, hours 00-23, offsets within ±14:00, years from 0001). On failure
// returns nullopt and, when `why` is given, says why, e.g. "February 2019 has
// no day 29" or "expected YYYY-MM-DD[ HH:MM[:SS]][±HH:MM], e.g. …".
std::optional<IsoDate> parse_iso8601(std::string_view s, IsoForm form, std::string* why = nullptr);

// [D:]YYYY[MM[DD[HH[mm[SS]]]]][Z[00'00']|±HH['mm[']]]: a PDF date, also
// cairo's form without the "D:" prefix. Same range checks.
std::optional<IsoDate> parse_pdf_date(std::string_view s);

// At the precision parsed: "2019-01-18T13:01:08+08:00", "…Z", "2019-01-18".
std::string format_iso8601(const IsoDate& d);
// "D:20190118130108+08'00'", "D:…Z", "D:20190118".
std::string format_pdf_date(const IsoDate& d);

// Always complete: "2019-01-18T13:01:08+08:00" (time 00:00:00 and offset
// +00:00 when not given).
std::string iso_date(const DateTime& d);

// As printed: "2019年1月18日" (cjk) / "January 18, 2019", with " 13:01"
// after it when `with_time` and the date has a time.
std::string format_date(const DateTime& d, bool cjk, bool with_time);

}  // namespace galley

namespace galley {

// "2019-01-18T05:01:08+00:00" from seconds since 1970 (SOURCE_DATE_EPOCH).
std::string iso_from_epoch(long long epoch);

}  // namespace galley
