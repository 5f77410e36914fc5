// Dates as the engine prints them.
#pragma once
#include <string>

#include "galley/document.h"

namespace galley {

// "2019年1月18日" / "January 18, 2019", with " 13:01" when asked and known.
std::string format_date(const DateTime& d, bool cjk, bool with_time);
// "2019-01-18T13:01:08+08:00".
std::string iso_date(const DateTime& d);

}  // namespace galley

namespace galley {

// "2019-01-18T05:01:08+00:00" from seconds since 1970 (SOURCE_DATE_EPOCH).
std::string iso_from_epoch(long long epoch);

}  // namespace galley
