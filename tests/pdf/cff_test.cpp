// pdf/cff: the writer's own CFF subsetter against the fonts it cuts from,
// as FreeType reads both: the same outlines and advances glyph by glyph,
// CID i for the i-th glyph asked for, from CID-keyed fonts (Noto CJK as
// Debian ships them, subroutinized and hinted, and the prepared Galley
// fonts) and a name-keyed one (Linux Libertine); no subset, and no read
// past the data, from damaged programs.
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_CID_H
#include FT_OUTLINE_H

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
