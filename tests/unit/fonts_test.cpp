// Tests for the build-time font preparation (fonts/prepare_fonts.cpp,
// fonts/CMakeLists.txt, fonts/fonts.conf.in).
//
// GALLEY_FONTS_CONF is the absolute path of the generated private fontconfig
// file (${build}/share/galley/fonts.conf); the prepared fonts live next to it in
// fonts/. Missing fonts are failures, never skips.

#include <catch2/catch.hpp>

#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <hb.h>
#include <iconv.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "text/font_context.h"

#ifndef GALLEY_FONTS_CONF
#error "GALLEY_FONTS_CONF must be defined (path of the generated fonts.conf)"
#endif

namespace fs = std::filesystem;

namespace {

struct PreparedFont {
  const char* file;
  const char* family;
  const char* style;
  const char* ps_name;
  unsigned weight_class;   // OS/2 usWeightClass
  const char* source_ttc;  // the collection it was made from
  const char* source_family;
};

const PreparedFont kPrepared[] = {
    {"GalleySerifSC-Regular.otf", "Galley Serif SC", "Regular", "GalleySerifSC-Regular", 400,
     "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"},
    {"GalleySerifSC-Bold.otf", "Galley Serif SC", "Bold", "GalleySerifSC-Bold", 700,
     "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"},
    {"GalleySansSC-Regular.otf", "Galley Sans SC", "Regular", "GalleySansSC-Regular", 400,
     "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"},
    {"GalleySansSC-Bold.otf", "Galley Sans SC", "Bold", "GalleySansSC-Bold", 700,
     "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"},
};

const fs::path kNotoDir = "/usr/share/fonts/opentype/noto";

fs::path prepared_dir() { return fs::path(GALLEY_FONTS_CONF).parent_path() / "fonts"; }

struct HbFont {
  hb_blob_t* blob = nullptr;
  hb_face_t* face = nullptr;
  hb_font_t* font = nullptr;
  HbFont(const fs::path& path, unsigned index = 0) {
    blob = hb_blob_create_from_file_or_fail(path.c_str());
    if (blob) {
      face = hb_face_create(blob, index);
      font = hb_font_create(face);
    }
  }
  ~HbFont() {
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
  }
  HbFont(const HbFont&) = delete;
  HbFont& operator=(const HbFont&) = delete;
  bool ok() const { return blob && face && hb_face_get_glyph_count(face) > 0; }
};

std::string name_of(hb_face_t* face, hb_ot_name_id_t id) {
  char buf[256] = {};
  unsigned size = sizeof buf;
  hb_ot_name_get_utf8(face, id, hb_language_from_string("en", -1), &size, buf);
  return std::string(buf, size);
}

unsigned weight_class(hb_face_t* face) {
  hb_blob_t* os2 = hb_face_reference_table(face, HB_TAG('O', 'S', '/', '2'));
  unsigned len = 0;
  const auto* d = reinterpret_cast<const uint8_t*>(hb_blob_get_data(os2, &len));
  unsigned w = len >= 6 ? (d[4] << 8 | d[5]) : 0;
  hb_blob_destroy(os2);
  return w;
}

std::set<std::string> feature_tags(hb_face_t* face) {
  std::set<std::string> tags;
  for (hb_tag_t table : {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS}) {
    // Feature records repeat per script/language system: page through all.
    unsigned offset = 0;
    for (;;) {
      hb_tag_t buf[128];
      unsigned count = 128;
      const unsigned total = hb_ot_layout_table_get_feature_tags(face, table, offset, &count, buf);
      for (unsigned i = 0; i < count; ++i) {
        char s[5] = {};
        hb_tag_to_string(buf[i], s);
        tags.insert(s);
      }
      offset += count;
      if (count == 0 || offset >= total) break;
    }
  }
  return tags;
}

// All characters of GB 2312, enumerated the same way prepare_fonts does.
std::vector<uint32_t> gb2312_chars() {
  std::vector<uint32_t> out;
  iconv_t cd = iconv_open("UTF-32LE", "GB2312");
  REQUIRE(cd != (iconv_t)-1);
  for (unsigned hi = 0xA1; hi <= 0xF7; ++hi)
    for (unsigned lo = 0xA1; lo <= 0xFE; ++lo) {
      char in[2] = {char(hi), char(lo)};
      unsigned char res[8];
      char* ip = in;
      char* op = reinterpret_cast<char*>(res);
      size_t il = 2, ol = sizeof res;
      iconv(cd, nullptr, nullptr, nullptr, nullptr);
      if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0 || sizeof res - ol != 4) continue;
      out.push_back(res[0] | res[1] << 8 | res[2] << 16 | uint32_t(res[3]) << 24);
    }
  iconv_close(cd);
  return out;
}

std::vector<uint32_t> utf8_to_codepoints(const std::string& s) {
  hb_buffer_t* b = hb_buffer_create();
  hb_buffer_add_utf8(b, s.data(), int(s.size()), 0, -1);
  unsigned n = 0;
  hb_glyph_info_t* info = hb_buffer_get_glyph_infos(b, &n);
  std::vector<uint32_t> cps;
  for (unsigned i = 0; i < n; ++i) cps.push_back(info[i].codepoint);
  hb_buffer_destroy(b);
  return cps;
}

struct Shaped {
  hb_codepoint_t glyph;
  hb_position_t advance;
};

Shaped shape_one(hb_font_t* font, const char* text, hb_direction_t dir, const char* features) {
  hb_buffer_t* b = hb_buffer_create();
  hb_buffer_add_utf8(b, text, -1, 0, -1);
  hb_buffer_set_direction(b, dir);
  hb_buffer_set_script(b, HB_SCRIPT_HAN);
  hb_buffer_set_language(b, hb_language_from_string("zh-cn", -1));
  std::vector<hb_feature_t> feats;
  if (features && *features) {
    hb_feature_t f;
    REQUIRE(hb_feature_from_string(features, -1, &f));
    feats.push_back(f);
  }
  hb_shape(font, b, feats.data(), unsigned(feats.size()));
  unsigned n = 0;
  hb_glyph_info_t* info = hb_buffer_get_glyph_infos(b, &n);
  hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(b, &n);
  REQUIRE(n == 1);
  Shaped r{info[0].codepoint, dir == HB_DIRECTION_TTB ? -pos[0].y_advance : pos[0].x_advance};
  hb_buffer_destroy(b);
  return r;
}

}  // namespace

TEST_CASE("fonts: generated fontconfig file and prepared fonts exist", "[fonts]") {
  INFO("GALLEY_FONTS_CONF = " << GALLEY_FONTS_CONF);
  REQUIRE(fs::path(GALLEY_FONTS_CONF).is_absolute());
  REQUIRE(fs::is_regular_file(GALLEY_FONTS_CONF));
  for (const auto& pf : kPrepared) {
    fs::path p = prepared_dir() / pf.file;
    INFO("prepared font " << p << " (build target galley_fonts)");
    REQUIRE(fs::is_regular_file(p));
    CHECK(fs::file_size(p) > 1'000'000);   // 3.9-5.5 MB
    CHECK(fs::file_size(p) < 12'000'000);  // the full faces are 16-24 MB of CFF
  }
}

TEST_CASE("fonts: prepared fonts load in HarfBuzz with their own names and weights", "[fonts]") {
  for (const auto& pf : kPrepared) {
    fs::path p = prepared_dir() / pf.file;
    INFO(p);
    HbFont f(p);
    REQUIRE(f.ok());
    CHECK(hb_face_count(f.blob) == 1);
    CHECK(name_of(f.face, HB_OT_NAME_ID_FONT_FAMILY) == pf.family);
    CHECK(name_of(f.face, HB_OT_NAME_ID_FONT_SUBFAMILY) == pf.style);
    CHECK(name_of(f.face, HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY) == pf.family);
    CHECK(name_of(f.face, HB_OT_NAME_ID_TYPOGRAPHIC_SUBFAMILY) == pf.style);
    CHECK(name_of(f.face, HB_OT_NAME_ID_POSTSCRIPT_NAME) == pf.ps_name);
    CHECK(name_of(f.face, HB_OT_NAME_ID_FULL_NAME) == std::string(pf.family) + " " + pf.style);
    CHECK(weight_class(f.face) == pf.weight_class);
    // Copyright and licence (SIL OFL) strings are carried over from Noto.
    CHECK_FALSE(name_of(f.face, HB_OT_NAME_ID_COPYRIGHT).empty());
    CHECK_FALSE(name_of(f.face, HB_OT_NAME_ID_LICENSE).empty());

    const unsigned glyphs = hb_face_get_glyph_count(f.face);
    CHECK(glyphs > 7445);   // at least one glyph per GB 2312 character
    CHECK(glyphs < 20000);  // well under the 65,535 of the full face (no RETAIN_GIDS)
  }
}

TEST_CASE("fonts: prepared fonts map every GB 2312 character", "[fonts]") {
  const std::vector<uint32_t> gb = gb2312_chars();
  size_t hanzi = 0;
  for (uint32_t c : gb) hanzi += (c >= 0x4E00 && c <= 0x9FFF);
  REQUIRE(gb.size() >= 7400);  // 7,445 characters in GB 2312
  REQUIRE(hanzi == 6763);      // 3,755 level-1 + 3,008 level-2 hanzi

  const std::string sample =
      "一丁好齐中华人民共和国"
      "“”‘’，。、：；（）《》——……·～！？【】「」『』〔〕"
      "０１２３ＡＢａｂ％＋－"
      "ABCabc0123!?%&@.,;:()[]{}\"'-+=/ éüßçñ°±×÷";
  const std::vector<uint32_t> sample_cps = utf8_to_codepoints(sample);

  for (const auto& pf : kPrepared) {
    fs::path p = prepared_dir() / pf.file;
    INFO(p);
    HbFont f(p);
    REQUIRE(f.ok());
    std::vector<uint32_t> missing;
    for (uint32_t c : gb) {
      hb_codepoint_t g = 0;
      if (!hb_font_get_nominal_glyph(f.font, c, &g) || g == 0) missing.push_back(c);
    }
    INFO("GB 2312 characters without a glyph: " << missing.size() << ", first U+" << std::hex
                                                 << std::uppercase << (missing.empty() ? 0 : missing.front()));
    CHECK(missing.empty());
    for (uint32_t c : sample_cps) {
      hb_codepoint_t g = 0;
      INFO("U+" << std::hex << std::uppercase << c);
      CHECK((hb_font_get_nominal_glyph(f.font, c, &g) && g != 0));
    }
  }
}

TEST_CASE("fonts: prepared fonts keep all OpenType layout features", "[fonts]") {
  for (const auto& pf : kPrepared) {
    fs::path p = prepared_dir() / pf.file;
    INFO(p);
    HbFont f(p);
    REQUIRE(f.ok());
    const std::set<std::string> tags = feature_tags(f.face);
    for (const char* t : {"halt", "fwid", "palt", "vert", "kern", "hwid", "vhal", "vpal", "vkrn", "vrt2", "locl"}) {
      INFO("feature " << t);
      CHECK(tags.count(t) == 1);
    }

    // Every feature of the source SC face survives the subset.
    fs::path ttc = kNotoDir / pf.source_ttc;
    REQUIRE(fs::is_regular_file(ttc));
    hb_blob_t* blob = hb_blob_create_from_file_or_fail(ttc.c_str());
    REQUIRE(blob);
    int src_index = -1;
    for (unsigned i = 0; i < hb_face_count(blob) && src_index < 0; ++i) {
      hb_face_t* face = hb_face_create(blob, i);
      if (name_of(face, HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY) == pf.source_family ||
          name_of(face, HB_OT_NAME_ID_FONT_FAMILY) == pf.source_family) {
        src_index = int(i);
        for (const std::string& t : feature_tags(face)) {
          // Hangul-only features: the jamo features, and Noto CJK's only
          // 'calt' lookup (U+00A0 between Hangul syllables). With no Hangul in
          // the subset their lookups are empty and hb-subset rightly prunes them.
          if (t == "calt" || t == "ljmo" || t == "vjmo" || t == "tjmo") continue;
          INFO("source feature " << t);
          CHECK(tags.count(t) == 1);
        }
      }
      hb_face_destroy(face);
    }
    hb_blob_destroy(blob);
    CHECK(src_index >= 0);

    // The features work, not just exist: halt halves the full-width comma;
    // vert substitutes the vertical comma; fwid/palt change advances.
    const Shaped comma = shape_one(f.font, "，", HB_DIRECTION_LTR, "");
    const Shaped comma_halt = shape_one(f.font, "，", HB_DIRECTION_LTR, "halt");
    CHECK(comma.advance == 1000);
    CHECK(comma_halt.advance == 500);
    const Shaped comma_v = shape_one(f.font, "，", HB_DIRECTION_TTB, "");
    CHECK(comma_v.glyph != comma.glyph);
    const Shaped a = shape_one(f.font, "a", HB_DIRECTION_LTR, "");
    const Shaped a_fwid = shape_one(f.font, "a", HB_DIRECTION_LTR, "fwid");
    CHECK(a.advance < 1000);
    CHECK(a_fwid.advance == 1000);
    const Shaped quote = shape_one(f.font, "“", HB_DIRECTION_LTR, "");
    const Shaped quote_palt = shape_one(f.font, "“", HB_DIRECTION_LTR, "palt");
    CHECK(quote.advance == 1000);  // full-width quotes (SC face)
    CHECK(quote_palt.advance < 1000);
  }
}

TEST_CASE("fonts: the full Noto CJK collections hold the SC faces", "[fonts]") {
  for (const auto& pf : kPrepared) {
    fs::path ttc = kNotoDir / pf.source_ttc;
    INFO(ttc << " (Debian package fonts-noto-cjk)");
    REQUIRE(fs::is_regular_file(ttc));
    hb_blob_t* blob = hb_blob_create_from_file_or_fail(ttc.c_str());
    REQUIRE(blob);
    bool found = false;
    for (unsigned i = 0; i < hb_face_count(blob); ++i) {
      hb_face_t* face = hb_face_create(blob, i);
      if (name_of(face, HB_OT_NAME_ID_FONT_FAMILY) == pf.source_family) {
        found = true;
        CHECK(hb_face_get_glyph_count(face) == 65535);
        CHECK(weight_class(face) == pf.weight_class);
      }
      hb_face_destroy(face);
    }
    hb_blob_destroy(blob);
    CHECK(found);
  }
}

TEST_CASE("fonts: private fontconfig finds prepared and full faces, and nothing else", "[fonts]") {
  FcConfig* cfg = galley::load_font_config(GALLEY_FONTS_CONF);
  REQUIRE(cfg);
  REQUIRE(FcConfigBuildFonts(cfg));

  auto list = [&](const char* family) {
    FcPattern* pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, reinterpret_cast<const FcChar8*>(family));
    FcObjectSet* os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_WEIGHT, FC_STYLE, nullptr);
    FcFontSet* found = FcFontList(cfg, pat, os);
    std::vector<std::tuple<std::string, int, int>> out;  // file, index, weight
    for (int i = 0; found && i < found->nfont; ++i) {
      FcChar8* file = nullptr;
      int index = 0, weight = 0;
      FcPatternGetString(found->fonts[i], FC_FILE, 0, &file);
      FcPatternGetInteger(found->fonts[i], FC_INDEX, 0, &index);
      FcPatternGetInteger(found->fonts[i], FC_WEIGHT, 0, &weight);
      out.emplace_back(file ? reinterpret_cast<const char*>(file) : "", index, weight);
    }
    if (found) FcFontSetDestroy(found);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    return out;
  };

  for (const char* family : {"Galley Serif SC", "Galley Sans SC"}) {
    INFO(family);
    auto fonts = list(family);
    REQUIRE(fonts.size() == 2);
    std::set<int> weights;
    for (const auto& [file, index, weight] : fonts) {
      CHECK(fs::path(file).parent_path() == prepared_dir());
      CHECK(index == 0);
      weights.insert(weight);
    }
    CHECK(weights == std::set<int>{FC_WEIGHT_REGULAR, FC_WEIGHT_BOLD});
  }
  for (const char* family : {"Noto Serif CJK SC", "Noto Sans CJK SC"}) {
    INFO(family);
    auto fonts = list(family);
    REQUIRE(fonts.size() >= 2);  // Regular and Bold
    for (const auto& [file, index, weight] : fonts) CHECK(fs::path(file).parent_path() == kNotoDir);
  }
  // No system configuration is included: DejaVu (installed on Debian) is not visible.
  CHECK(list("DejaVu Sans").empty());

  FcConfigDestroy(cfg);
}
