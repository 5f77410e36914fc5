#include "common/dates.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace galley {

namespace {

constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};

constexpr const char* kWrittenShape = "expected YYYY-MM-DD[ HH:MM[:SS]][±HH:MM], e.g. 2019-01-18 13:01:08";
constexpr const char* kExtendedShape =
    "expected YYYY[-MM[-DD[Thh:mm[:ss]]]] with Z or ±hh:mm after a time, e.g. 2019-01-18T13:01:08+08:00";

std::string two(int v) {
    char b[16];
    std::snprintf(b, sizeof b, "%02d", v);
    return b;
}

std::string four(int v) {
    char b[16];
    std::snprintf(b, sizeof b, "%04d", v);
    return b;
}

// Reads a date text left to right; every read either consumes what it
// matched or nothing.
class Cursor {
public:
    explicit Cursor(std::string_view s) : s_(s) {}

    bool done() const { return i_ == s_.size(); }
    bool peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
    bool accept(char c) {
        if (!peek(c)) return false;
        ++i_;
        return true;
    }
    bool accept(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }
    // Exactly n digits.
    bool digits(int n, int& out) {
        if (i_ + static_cast<std::size_t>(n) > s_.size()) return false;
        int v = 0;
        for (int k = 0; k < n; ++k) {
            char c = s_[i_ + static_cast<std::size_t>(k)];
            if (c < '0' || c > '9') return false;
            v = v * 10 + (c - '0');
        }
        out = v;
        i_ += static_cast<std::size_t>(n);
        return true;
    }
    // One or more digits, their value dropped.
    bool skip_digits() {
        std::size_t start = i_;
        while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
        return i_ > start;
    }

private:
    std::string_view s_;
    std::size_t i_ = 0;
};

// The parse of one text: the value so far and where a failure's reason goes.
struct Parse {
    IsoDate date;
    std::string* why;

    std::nullopt_t fail(std::string message) {
        if (why) *why = std::move(message);
        return std::nullopt;
    }
};

// After "±": hh, then (colon_required) ":mm", or else an optional ":" and
// optional mm. Checks the range (±14:00) as soon as it is read.
std::optional<bool> read_offset(Cursor& c, Parse& p, bool colon_required, std::string_view terminator = {}) {
    DateTime& t = p.date.value;
    int sign = c.accept('-') ? -1 : (c.accept('+'), 1);
    int oh = 0, om = 0;
    if (!c.digits(2, oh)) return false;
    if (colon_required) {
        if (!(c.accept(':') && c.digits(2, om))) return false;
    } else {
        if (!terminator.empty()) c.accept(terminator);
        else c.accept(':');
        if (!c.done()) {
            if (!c.digits(2, om)) return false;
            if (!terminator.empty()) c.accept(terminator);
        }
    }
    if (oh > 14 || om > 59 || (oh == 14 && om > 0)) {
        p.fail("the time zone offset " + std::string(sign < 0 ? "-" : "+") + two(oh) + ":" + two(om) +
               " is out of range (-14:00 to +14:00)");
        return std::nullopt;
    }
    t.has_offset = true;
    t.offset_minutes = sign * (oh * 60 + om);
    return true;
}

// hh:mm[:ss], and with `fraction` an optional [.,]f+ dropped.
bool read_time(Cursor& c, DateTime& t, bool fraction) {
    if (!(c.digits(2, t.hour) && c.accept(':') && c.digits(2, t.minute))) return false;
    t.has_time = true;
    if (c.accept(':')) {
        if (!c.digits(2, t.second)) return false;
        t.has_seconds = true;
        if (fraction && (c.accept('.') || c.accept(',')) && !c.skip_digits()) return false;
    }
    return true;
}

// YYYY-MM-DD, or in the extended form also YYYY and YYYY-MM.
bool read_calendar_date(Cursor& c, IsoDate& d, bool reduced) {
    DateTime& t = d.value;
    if (!c.digits(4, t.year)) return false;
    d.date_parts = 1;
    if (!c.accept('-')) return reduced;
    if (!c.digits(2, t.month)) return false;
    d.date_parts = 2;
    if (!c.accept('-')) return reduced;
    if (!c.digits(2, t.day)) return false;
    d.date_parts = 3;
    return true;
}

// The ranges, in the order a reader would check them.
std::optional<IsoDate> check_ranges(Parse& p) {
    const DateTime& t = p.date.value;
    if (t.year < 1) return p.fail("the year must be 0001 or later");
    if (t.month < 1 || t.month > 12) return p.fail("month " + two(t.month) + " is out of range (01-12)");
    bool leap = (t.year % 4 == 0 && t.year % 100 != 0) || t.year % 400 == 0;
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max_day = days[t.month - 1] + (t.month == 2 && leap ? 1 : 0);
    if (t.day < 1 || t.day > max_day)
        return p.fail(std::string(kMonths[t.month - 1]) + " " + std::to_string(t.year) + " has no day " + two(t.day));
    if (t.hour > 23) return p.fail("hour " + two(t.hour) + " is out of range (00-23)");
    if (t.minute > 59) return p.fail("minute " + two(t.minute) + " is out of range (00-59)");
    if (t.second > 59) return p.fail("second " + two(t.second) + " is out of range (00-59)");
    return p.date;
}

Parse start(std::string_view s, std::string* why) {
    Parse p{IsoDate{}, why};
    p.date.value.text = std::string(s);
    p.date.value.month = p.date.value.day = 1;  // when not given
    return p;
}

std::string offset_text(const IsoDate& d, const char* between, const char* after) {
    if (d.zulu) return "Z";
    int off = d.value.offset_minutes;
    return std::string(off < 0 ? "-" : "+") + two(std::abs(off) / 60) + between + two(std::abs(off) % 60) + after;
}

}  // namespace

std::optional<IsoDate> parse_iso8601(std::string_view s, IsoForm form, std::string* why) {
    const bool written = form == IsoForm::Written;
    const char* shape = written ? kWrittenShape : kExtendedShape;
    Parse p = start(s, why);
    DateTime& t = p.date.value;
    Cursor c(s);
    if (!read_calendar_date(c, p.date, !written)) return p.fail(shape);
    if (p.date.date_parts == 3 && (c.accept(' ') || (!written && c.accept('T'))))
        if (!read_time(c, t, !written)) return p.fail(shape);
    if (!written && t.has_time && c.accept('Z')) {
        p.date.zulu = t.has_offset = true;
    } else if ((written || t.has_time) && (c.peek('+') || c.peek('-'))) {
        std::optional<bool> ok = read_offset(c, p, written);
        if (!ok) return std::nullopt;  // out of range: `why` is set
        if (!*ok) return p.fail(shape);
    }
    if (!c.done()) return p.fail(shape);
    return check_ranges(p);
}

std::optional<IsoDate> parse_pdf_date(std::string_view s) {
    Parse p = start(s, nullptr);
    DateTime& t = p.date.value;
    Cursor c(s);
    c.accept(std::string_view("D:"));
    if (!c.digits(4, t.year)) return std::nullopt;
    int* slots[] = {&t.month, &t.day, &t.hour, &t.minute, &t.second};
    int got = 0;
    while (got < 5 && c.digits(2, *slots[got])) ++got;
    p.date.date_parts = got < 2 ? 1 + got : 3;
    t.has_time = got >= 3;  // an hour without minutes: minute 00
    t.has_seconds = got == 5;
    if (t.has_time && c.accept('Z')) {
        p.date.zulu = t.has_offset = true;
        if (!c.accept(std::string_view("00'00'"))) c.accept(std::string_view("00'00"));
    } else if (t.has_time && (c.peek('+') || c.peek('-'))) {
        std::optional<bool> ok = read_offset(c, p, false, "'");
        if (!ok || !*ok) return std::nullopt;
    }
    if (!c.done()) return std::nullopt;
    return check_ranges(p);
}

std::string format_iso8601(const IsoDate& d) {
    const DateTime& t = d.value;
    std::string out = four(t.year);
    if (d.date_parts >= 2) out += "-" + two(t.month);
    if (d.date_parts >= 3) out += "-" + two(t.day);
    if (!t.has_time) return out;
    out += "T" + two(t.hour) + ":" + two(t.minute);
    if (t.has_seconds) out += ":" + two(t.second);
    if (t.has_offset) out += offset_text(d, ":", "");
    return out;
}

std::string format_pdf_date(const IsoDate& d) {
    const DateTime& t = d.value;
    std::string out = "D:" + four(t.year);
    if (d.date_parts >= 2) out += two(t.month);
    if (d.date_parts >= 3) out += two(t.day);
    if (!t.has_time) return out;
    out += two(t.hour) + two(t.minute);
    if (t.has_seconds) out += two(t.second);
    if (t.has_offset) out += offset_text(d, "'", "'");
    return out;
}

std::string iso_date(const DateTime& t) {
    char buf[64];
    int off = t.has_offset ? t.offset_minutes : 0;
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", t.year, t.month, t.day, t.hour,
                  t.minute, t.second, off < 0 ? '-' : '+', std::abs(off) / 60, std::abs(off) % 60);
    return buf;
}

std::string format_date(const DateTime& t, bool cjk, bool with_time) {
    char buf[80];
    if (cjk)
        std::snprintf(buf, sizeof buf, "%d年%d月%d日", t.year, t.month, t.day);
    else
        std::snprintf(buf, sizeof buf, "%s %d, %d", kMonths[(t.month + 11) % 12], t.day, t.year);
    std::string s = buf;
    if (with_time && t.has_time) {
        std::snprintf(buf, sizeof buf, " %02d:%02d", t.hour, t.minute);
        s += buf;
    }
    return s;
}

}  // namespace galley

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
