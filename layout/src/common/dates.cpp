#include "common/dates.h"

#include <cstdio>
#include <cstdlib>

namespace galley {

std::string format_date(const DateTime& t, bool cjk, bool with_time) {
    char buf[80];
    if (cjk) {
        std::snprintf(buf, sizeof buf, "%d年%d月%d日", t.year, t.month, t.day);
    } else {
        static const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};
        std::snprintf(buf, sizeof buf, "%s %d, %d", months[(t.month + 11) % 12], t.day, t.year);
    }
    std::string s = buf;
    if (with_time && t.has_time) {
        std::snprintf(buf, sizeof buf, " %02d:%02d", t.hour, t.minute);
        s += buf;
    }
    return s;
}

std::string iso_date(const DateTime& t) {
    char buf[64];
    int off = t.has_offset ? t.offset_minutes : 0;
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", t.year, t.month, t.day, t.hour,
                  t.minute, t.second, off < 0 ? '-' : '+', std::abs(off) / 60, std::abs(off) % 60);
    return buf;
}

}  // namespace galley

#include <ctime>

namespace galley {

std::string iso_from_epoch(long long epoch) {
    std::time_t t = static_cast<std::time_t>(epoch);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    return buf;
}

}  // namespace galley
