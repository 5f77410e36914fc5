// pdf/cff: the writer's own CFF subsetter against the fonts it cuts from,
// as FreeType reads both: the same outlines and advances glyph by glyph
// (.notdef's outline left out),
// CID i for the i-th glyph asked for, from CID-keyed fonts (Noto CJK as
// Debian ships them, subroutinized and hinted, and the prepared Galley
// fonts) and a name-keyed one (Linux Libertine); no subset, and no read
// past the data, from damaged programs; the CIDs of a CID-keyed font read
// from its charset as FreeType reads them.
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_CID_H
#include FT_OUTLINE_H

#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <filesystem>

#include "common/utf8.h"
#include "pdf/cff.h"
#include "support.h"

namespace fs = std::filesystem;

namespace {

// A font file's CFF table and the glyphs `text` maps to (0 first).
struct Source {
    std::string cff;
    std::vector<uint32_t> glyphs{0};
};

Source source(const std::string& file, unsigned index, const std::string& text) {
    Source out;
    hb_blob_t* blob = hb_blob_create_from_file_or_fail(file.c_str());
    REQUIRE(blob);
    hb_face_t* face = hb_face_create(blob, index);
    hb_blob_t* table = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    unsigned length = 0;
    const char* data = hb_blob_get_data(table, &length);
    out.cff.assign(data, length);
    hb_font_t* font = hb_font_create(face);
    for (size_t i = 0; i < text.size();) {
        const char32_t c = galley::utf8_next(text, i);
        hb_codepoint_t g = 0;
        if (hb_font_get_nominal_glyph(font, c, &g) && g != 0) out.glyphs.push_back(g);
    }
    std::sort(out.glyphs.begin() + 1, out.glyphs.end());
    out.glyphs.erase(std::unique(out.glyphs.begin(), out.glyphs.end()), out.glyphs.end());
    hb_font_destroy(font);
    hb_blob_destroy(table);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return out;
}

// A glyph as FreeType loads it unscaled and unhinted: its points, which
// are on the curve, where contours end, and its advance.
std::vector<long> outline(FT_Face face, unsigned glyph) {
    REQUIRE(FT_Load_Glyph(face, glyph, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING) == 0);
    const FT_Outline& o = face->glyph->outline;
    std::vector<long> out{face->glyph->metrics.horiAdvance, o.n_points, o.n_contours};
    for (int i = 0; i < o.n_points; ++i) out.insert(out.end(), {o.points[i].x, o.points[i].y, o.tags[i] & 1L});
    for (int i = 0; i < o.n_contours; ++i) out.push_back(o.contours[i]);
    return out;
}

const std::string kText =
    "中华人民共和国西安高新区旗帜鲜明讲政治，“五城一体”建设《方案》。2019年1月18日 "
    "The Harlow Bend library reopens: office, affluent, “quoted” — 1,234.";

}  // namespace

TEST_CASE("cff: a subset's glyphs have the outlines and advances of the font's, CID i for the i-th glyph") {
    const std::string prepared = (fs::path(GALLEY_FONTS_CONF).parent_path() / "fonts").string();
    const std::pair<std::string, unsigned> fonts[] = {
        {"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2},  // Noto Serif CJK SC
        {"/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2},
        {prepared + "/GalleySerifSC-Regular.otf", 0},
        {"/usr/share/fonts/opentype/linux-libertine/LinLibertine_R.otf", 0},  // name-keyed
    };
    FT_Library ft = nullptr;
    REQUIRE(FT_Init_FreeType(&ft) == 0);
    for (const auto& [file, index] : fonts) {
        INFO(file);
        const Source s = source(file, index, kText);
        REQUIRE(s.glyphs.size() > 30);
        const std::string subset = galley::pdf::cff_subset(s.cff, s.glyphs);
        REQUIRE(!subset.empty());
        CHECK(subset.size() < s.glyphs.size() * 600);  // no subroutines or unused glyphs carried along
        FT_Face whole = nullptr, cut = nullptr;
        REQUIRE(FT_New_Face(ft, file.c_str(), index, &whole) == 0);
        REQUIRE(FT_New_Memory_Face(ft, reinterpret_cast<const FT_Byte*>(subset.data()),
                                   static_cast<FT_Long>(subset.size()), 0, &cut) == 0);
        FT_Bool keyed = 0;
        CHECK(FT_Get_CID_Is_Internally_CID_Keyed(cut, &keyed) == 0);
        CHECK(keyed);
        for (size_t i = 0; i < s.glyphs.size(); ++i) {
            INFO("glyph " << s.glyphs[i] << ", CID " << i);
            FT_UInt cid = 0;
            REQUIRE(FT_Get_CID_From_Glyph_Index(cut, static_cast<FT_UInt>(i), &cid) == 0);
            CHECK(cid == i);
            if (i == 0) {  // .notdef: its advance, no outline
                CHECK(outline(cut, 0) == std::vector<long>{outline(whole, 0)[0], 0, 0});
                continue;
            }
            CHECK(outline(cut, static_cast<unsigned>(i)) == outline(whole, s.glyphs[i]));
        }
        FT_Done_Face(cut);
        FT_Done_Face(whole);
    }
    FT_Done_FreeType(ft);
}

TEST_CASE("cff: a damaged or foreign font program gives no subset and is not read past its end") {
    const Source s = source("/usr/share/fonts/opentype/linux-libertine/LinLibertine_R.otf", 0, kText);
    REQUIRE(!galley::pdf::cff_subset(s.cff, s.glyphs).empty());
    CHECK(galley::pdf::cff_subset("", s.glyphs).empty());
    CHECK(galley::pdf::cff_subset(s.cff, {}).empty());
    CHECK(galley::pdf::cff_subset(s.cff, {5, 0}).empty());          // .notdef not first
    CHECK(galley::pdf::cff_subset(s.cff, {0, 1, 99999}).empty());   // no such glyph
    std::string cff2 = s.cff;
    cff2[0] = 2;
    CHECK(galley::pdf::cff_subset(cff2, s.glyphs).empty());
    // Cut short anywhere, or a byte changed: a subset or none, and (under
    // the sanitizers) no read outside the data.
    for (size_t cut = 0; cut < s.cff.size(); cut += 997) {
        const std::string shorter = s.cff.substr(0, cut);
        const std::string copy(shorter.begin(), shorter.end());  // its own allocation, end exactly at `cut`
        if (cut < 64) CHECK(galley::pdf::cff_subset(copy, s.glyphs).empty());
        else galley::pdf::cff_subset(copy, s.glyphs);
    }
    std::string changed = s.cff;
    for (size_t at = 0; at < changed.size(); at += 101) {
        const char was = changed[at];
        changed[at] = static_cast<char>(was ^ 0x5A);
        galley::pdf::cff_subset(changed, s.glyphs);
        changed[at] = was;
    }
}

TEST_CASE("cff: the CIDs of a CID-keyed font's glyphs are read from its charset as FreeType reads them") {
    // HarfBuzz's subsets keep the font's own CIDs (the writer's fallback
    // for fonts its subsetter cannot read shows glyphs by them).
    const std::string file = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    hb_blob_t* blob = hb_blob_create_from_file_or_fail(file.c_str());
    REQUIRE(blob);
    hb_face_t* face = hb_face_create(blob, 2);
    hb_subset_input_t* input = hb_subset_input_create_or_fail();
    for (const char* c : {"中", "华", "人", "民", "，", "A", "1"}) {
        size_t i = 0;
        hb_set_add(hb_subset_input_unicode_set(input), galley::utf8_next(c, i));
    }
    hb_face_t* sub = hb_subset_or_fail(face, input);
    REQUIRE(sub);
    hb_blob_t* table = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
    unsigned length = 0;
    const char* data = hb_blob_get_data(table, &length);
    const std::vector<uint16_t> cids = galley::pdf::cff_cids({data, length});
    REQUIRE(cids.size() == hb_face_get_glyph_count(sub));
    FT_Library ft = nullptr;
    REQUIRE(FT_Init_FreeType(&ft) == 0);
    FT_Face cut = nullptr;
    REQUIRE(FT_New_Memory_Face(ft, reinterpret_cast<const FT_Byte*>(data), length, 0, &cut) == 0);
    size_t differ = 0;  // CIDs that are not the glyph's number in the subset
    for (size_t g = 0; g < cids.size(); ++g) {
        FT_UInt cid = 0;
        REQUIRE(FT_Get_CID_From_Glyph_Index(cut, static_cast<FT_UInt>(g), &cid) == 0);
        CHECK(cids[g] == cid);
        differ += cids[g] != g;
    }
    CHECK(differ > 0);
    FT_Done_Face(cut);
    FT_Done_FreeType(ft);
    // A name-keyed font has no CIDs.
    const Source latin = source("/usr/share/fonts/opentype/linux-libertine/LinLibertine_R.otf", 0, "A");
    CHECK(galley::pdf::cff_cids(latin.cff).empty());
    hb_blob_destroy(table);
    hb_face_destroy(sub);
    hb_subset_input_destroy(input);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
}

TEST_CASE("cff: subroutines that call each other ten deep and ten wide stop the subset, not the program") {
    // A name-keyed font by hand: global subroutine k calls k + 1 ten times
    // (a billion calls from one glyph, each within the nesting limit).
    const auto index = [](const std::vector<std::string>& items) {
        if (items.empty()) return std::string(2, '\0');
        std::string out{static_cast<char>(items.size() >> 8), static_cast<char>(items.size() & 0xFF), '\x04'};
        uint32_t at = 1;
        const auto offset = [&](uint32_t v) {
            for (int k = 3; k >= 0; --k) out += static_cast<char>(v >> (8 * k) & 0xFF);
        };
        offset(at);
        for (const std::string& i : items) offset(at += static_cast<uint32_t>(i.size()));
        for (const std::string& i : items) out += i;
        return out;
    };
    std::vector<std::string> subrs;
    for (int k = 0; k < 10; ++k) {
        std::string body;
        for (int call = 0; k < 9 && call < 10; ++call) body += std::string{static_cast<char>(k + 1 - 107 + 139), '\x1D'};
        subrs.push_back(body + "\x0B");  // return
    }
    const std::string charstrings = index({"\x0E", std::string{static_cast<char>(-107 + 139), '\x1D', '\x0E'}});
    const std::string names = index({"Bomb"}), strings = index({}), globals = index(subrs);
    const auto int5 = [](uint32_t v) {
        return std::string{'\x1D', static_cast<char>(v >> 24), static_cast<char>(v >> 16 & 0xFF),
                           static_cast<char>(v >> 8 & 0xFF), static_cast<char>(v & 0xFF)};
    };
    const size_t top_size = index({int5(0) + "\x11" + int5(0) + int5(0) + "\x12"}).size();
    const uint32_t charstrings_at = static_cast<uint32_t>(4 + names.size() + top_size + strings.size() + globals.size());
    const uint32_t private_at = charstrings_at + static_cast<uint32_t>(charstrings.size());
    const std::string cff = std::string("\x01\x00\x04\x04", 4) + names +
                            index({int5(charstrings_at) + "\x11" + int5(0) + int5(private_at) + "\x12"}) + strings +
                            globals + charstrings;
    CHECK(galley::pdf::cff_subset(cff, {0}).size() > 0);  // the font reads
    CHECK(galley::pdf::cff_subset(cff, {0, 1}).empty());
}
