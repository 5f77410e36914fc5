// common/: the one UTF-8 decoder, the date parser and formatters, join.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/dates.h"
#include "common/files.h"
#include "common/strings.h"
#include "common/timing.h"
#include "common/utf8.h"
#include "support.h"

using namespace galley;

namespace {

std::string iso(std::string_view s, IsoForm form = IsoForm::Extended) {
    auto d = parse_iso8601(s, form);
    return d ? format_iso8601(*d) : "invalid";
}

std::string why_not(std::string_view s, IsoForm form = IsoForm::Written) {
    std::string why;
    auto d = parse_iso8601(s, form, &why);
    return d ? "valid" : why;
}

}  // namespace

TEST_CASE("common: UTF-8 decodes one to four byte sequences", "[common]") {
    const std::string s = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80";  // a é 中 😀
    Utf8Char c = utf8_decode(s, 0);
    CHECK((c.cp == U'a' && c.len == 1 && c.valid));
    c = utf8_decode(s, 1);
    CHECK((c.cp == U'\u00E9' && c.len == 2 && c.valid));
    c = utf8_decode(s, 3);
    CHECK((c.cp == U'\u4E2D' && c.len == 3 && c.valid));
    c = utf8_decode(s, 6);
    CHECK((c.cp == U'\U0001F600' && c.len == 4 && c.valid));
    CHECK(utf8_decode(s, s.size()).len == 0);

    std::size_t i = 0;
    std::u32string cps;
    while (i < s.size()) cps += utf8_next(s, i);
    CHECK(cps == U"a\u00E9\u4E2D\U0001F600");
    CHECK(i == s.size());
    CHECK(utf8_decode_all(s) == cps);
    CHECK(utf8_encode(cps) == s);
    CHECK(utf8_count(s) == 4);
    CHECK(utf8_before(s, s.size()) == U'\U0001F600');
    CHECK(utf8_before(s, 6) == U'\u4E2D');
    CHECK(utf8_before(s, 0) == 0);
    CHECK_FALSE(utf8_find_invalid(s));
}

TEST_CASE("common: utf8_append round-trips every length", "[common]") {
    for (char32_t cp : {U'\u0000', U'\u007F', U'\u0080', U'\u07FF', U'\u0800', U'\uFFFD', U'\U00010000',
                        U'\U0010FFFF'}) {
        std::string s;
        utf8_append(s, cp);
        Utf8Char c = utf8_decode(s, 0);
        CHECK(c.cp == cp);
        CHECK(c.len == s.size());
        CHECK(c.valid);
    }
}

TEST_CASE("common: malformed UTF-8 is U+FFFD of one byte, found at its lead byte", "[common]") {
    struct Case {
        std::string text;
        std::size_t bad;
    };
    const std::vector<Case> cases = {
        {"ab\x80", 2},                 // stray continuation byte
        {"a\xC3", 1},                  // truncated at the end
        {"a\xE4\xB8x", 1},             // truncated before ASCII
        {"\xC0\xAF", 0},               // overlong '/'
        {"ok\xE0\x80\xAF", 2},         // overlong, three bytes
        {"\xED\xA0\x80", 0},           // surrogate U+D800
        {"\xF4\x90\x80\x80", 0},       // above U+10FFFF
        {"\xFF", 0},                   // never a lead byte
    };
    for (const Case& c : cases) {
        INFO(c.text);
        CHECK(utf8_find_invalid(c.text) == c.bad);
        Utf8Char ch = utf8_decode(c.text, c.bad);
        CHECK(ch.cp == U'\uFFFD');
        CHECK(ch.len == 1);
        CHECK_FALSE(ch.valid);
    }
    // Decoding resumes at the next byte.
    CHECK(utf8_decode_all("a\xC3z") == U"a\uFFFDz");
    std::string s = "\xE4\xB8";
    std::size_t i = 0;
    CHECK(utf8_next(s, i) == U'\uFFFD');
    CHECK(i == 1);
}

TEST_CASE("common: the written date form and its messages", "[common]") {
    auto d = parse_iso8601("2019-01-18 13:01:08+08:00", IsoForm::Written);
    REQUIRE(d);
    CHECK(d->value.year == 2019);
    CHECK(d->value.month == 1);
    CHECK(d->value.day == 18);
    CHECK(d->value.has_time);
    CHECK(d->value.has_seconds);
    CHECK(d->value.offset_minutes == 480);
    CHECK(d->value.text == "2019-01-18 13:01:08+08:00");
    CHECK(why_not("2019-01-18-05:30") == "valid");  // an offset after a date alone
    CHECK(why_not("2019-01-18T13:01").rfind("expected YYYY-MM-DD", 0) == 0);
    CHECK(why_not("2019-01").rfind("expected YYYY-MM-DD", 0) == 0);
    CHECK(why_not("2019-01-18 13:01Z").rfind("expected YYYY-MM-DD", 0) == 0);
    CHECK(why_not("2019-02-29") == "February 2019 has no day 29");
    CHECK(why_not("2019-13-01") == "month 13 is out of range (01-12)");
    CHECK(why_not("0000-01-01") == "the year must be 0001 or later");
    CHECK(why_not("2019-01-18 24:00") == "hour 24 is out of range (00-23)");
    CHECK(why_not("2019-01-18 23:60") == "minute 60 is out of range (00-59)");
    CHECK(why_not("2019-01-18 12:00+15:00") == "the time zone offset +15:00 is out of range (-14:00 to +14:00)");
}

TEST_CASE("common: extended ISO 8601 round-trips at its precision", "[common]") {
    for (const char* s : {"2019", "2019-01", "2019-01-18", "2019-01-18T13:01", "2019-01-18T13:01:08",
                          "2019-01-18T13:01:08Z", "2019-01-18T13:01:08+08:00", "2019-01-18T13:01-05:30"})
        CHECK(iso(s) == s);
    CHECK(iso("2019-01-18 13:01:08.250+0800") == "2019-01-18T13:01:08+08:00");
    CHECK(iso("2019-01-18T13:01:08,5+08") == "2019-01-18T13:01:08+08:00");
    for (const char* bad : {"", "2019-1-18", "2019-02-30", "2019-01-18T25:00", "18.01.2019", "2019-01-18+08:00",
                            "2019-01-18T13:01:08+08:00x", "2019-01-18T13:01:08."})
        CHECK(iso(bad) == "invalid");
}

TEST_CASE("common: PDF dates parse and format both ways", "[common]") {
    auto pdf = [](std::string_view s) {
        auto d = parse_pdf_date(s);
        return d ? format_pdf_date(*d) + " " + format_iso8601(*d) : "invalid";
    };
    CHECK(pdf("D:20190118130108+08'00'") == "D:20190118130108+08'00' 2019-01-18T13:01:08+08:00");
    CHECK(pdf("20190118130108+08'00") == "D:20190118130108+08'00' 2019-01-18T13:01:08+08:00");
    CHECK(pdf("D:20190118050108Z00'00'") == "D:20190118050108Z 2019-01-18T05:01:08Z");
    CHECK(pdf("D:2019011813") == "D:201901181300 2019-01-18T13:00");
    CHECK(pdf("D:201901") == "D:201901 2019-01");
    CHECK(pdf("junk") == "invalid");
    CHECK(pdf("D:20190230") == "invalid");
    auto d = parse_iso8601("2019-01-18T13:01:08-05:30", IsoForm::Extended);
    REQUIRE(d);
    CHECK(format_pdf_date(*d) == "D:20190118130108-05'30'");
    auto back = parse_pdf_date(format_pdf_date(*d));
    REQUIRE(back);
    CHECK(format_iso8601(*back) == "2019-01-18T13:01:08-05:30");
}

TEST_CASE("common: dates as printed and as complete ISO 8601", "[common]") {
    DateTime t = parse_iso8601("2019-01-18 13:01", IsoForm::Written)->value;
    CHECK(format_date(t, true, false) == "2019年1月18日");
    CHECK(format_date(t, true, true) == "2019年1月18日 13:01");
    CHECK(format_date(t, false, false) == "January 18, 2019");
    CHECK(format_date(t, false, true) == "January 18, 2019 13:01");
    CHECK(iso_date(t) == "2019-01-18T13:01:00+00:00");
    DateTime z = parse_iso8601("2019-12-05-05:30", IsoForm::Written)->value;
    CHECK(format_date(z, false, true) == "December 5, 2019");
    CHECK(iso_date(z) == "2019-12-05T00:00:00-05:30");
    // The complete form reads back as the same moment.
    auto again = parse_iso8601(iso_date(z), IsoForm::Extended);
    REQUIRE(again);
    CHECK(iso_date(again->value) == iso_date(z));
}

TEST_CASE("common: join keeps every item, join_non_empty skips empty ones", "[common]") {
    CHECK(join({}, ", ").empty());
    CHECK(join({"崔霖鹏"}, "、") == "崔霖鹏");
    CHECK(join({"崔霖鹏", "李玮"}, "、") == "崔霖鹏、李玮");
    CHECK(join({"a", "", "b"}, ", ") == "a, , b");
    CHECK(join_non_empty({"", "a", "", "b", ""}, ", ") == "a, b");
    CHECK(xml_escape("R&D <\"x\">") == "R&amp;D &lt;&quot;x&quot;&gt;");
}

TEST_CASE("common: ms_since counts forward", "[common]") {
    Clock::time_point t0 = Clock::now();
    CHECK(ms_since(t0) >= 0);
}

TEST_CASE("common: UTF-16BE with surrogate pairs", "[common]") {
    CHECK(utf16be_encode(U"A\u4E2D") == std::string("\x00\x41\x4E\x2D", 4));
    CHECK(utf16be_encode(U"\U0001F600") == std::string("\xD8\x3D\xDE\x00", 4));
    CHECK(utf16be_encode(U"").empty());
}

TEST_CASE("common: read_file reads bytes or says why not", "[common]") {
    namespace fs = std::filesystem;
    const fs::path dir = galley::test::temp_dir();
    const std::string bytes("a\0b\r\n\xE4\xB8\xAD", 7);
    std::ofstream((dir / "f.bin").string(), std::ios::binary) << bytes;
    CHECK(read_file((dir / "f.bin").string()) == bytes);
    std::string why;
    CHECK_FALSE(read_file(dir.string(), &why));
    CHECK(why == "it is a directory");
    CHECK_FALSE(read_file((dir / "missing").string(), &why));
    CHECK(why == "No such file or directory");
    fs::remove_all(dir);
}
