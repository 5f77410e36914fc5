// prepare_fonts: build-time tool that turns one face of a Noto CJK collection
// into a small, renamed OpenType/CFF font for Galley.
//
//   prepare_fonts INPUT.ttc FACE OUTPUT.otf "New Family" "Style"
//
// FACE is either a face index (digits) or a family name such as
// "Noto Serif CJK SC"; a name is looked up in each face's name table
// (typographic family, ID 16, then family, ID 1), so the build does not
// depend on the order of the faces in the collection.
//
// The face is subset with HarfBuzz (6.0 API) to GB 2312 + CJK punctuation and
// symbols + ASCII/Latin-1 (+ a few related blocks), keeping *all* OpenType
// layout features and scripts, with the CFF desubroutinized and glyph ids
// renumbered (no RETAIN_GIDS). HarfBuzz 6.0 cannot rename a font, so the
// subset is rebuilt with hb_face_builder: every table is copied except 'name',
// which is written here (family/style/unique/full/PostScript/typographic
// names; copyright, version and licence strings are copied from the source).
// hb-subset 6.0 always drops 'BASE'; it is copied unchanged from the source
// when it is verified to hold only design-unit baselines (true for Noto CJK).
//
// Prints one line: output path, glyph count, size in bytes, time in ms.
// Errors go to stderr with exit status 1.

#include <hb-subset.h>
#include <hb-ot.h>
#include <hb.h>

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "common/timing.h"
#include "common/utf8.h"

namespace {

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "prepare_fonts: error: %s\n", msg.c_str());
  std::exit(1);
}

// ---- RAII for the HarfBuzz objects we hold -------------------------------
struct BlobDel { void operator()(hb_blob_t* b) const { hb_blob_destroy(b); } };
struct FaceDel { void operator()(hb_face_t* f) const { hb_face_destroy(f); } };
struct SetDel { void operator()(hb_set_t* s) const { hb_set_destroy(s); } };
struct InputDel { void operator()(hb_subset_input_t* i) const { hb_subset_input_destroy(i); } };
using Blob = std::unique_ptr<hb_blob_t, BlobDel>;
using Face = std::unique_ptr<hb_face_t, FaceDel>;
using Set = std::unique_ptr<hb_set_t, SetDel>;
using Input = std::unique_ptr<hb_subset_input_t, InputDel>;

// ---- Character repertoire --------------------------------------------------

// Every character of GB 2312: all EUC-CN double-byte codes 0xA1A1..0xF7FE,
// converted one by one with glibc iconv; unassigned codes fail and are skipped.
void add_gb2312(hb_set_t* set) {
  iconv_t cd = iconv_open("UTF-32LE", "GB2312");
  if (cd == (iconv_t)-1) die(std::string("iconv_open(UTF-32LE, GB2312): ") + std::strerror(errno));
  for (unsigned hi = 0xA1; hi <= 0xF7; ++hi) {
    for (unsigned lo = 0xA1; lo <= 0xFE; ++lo) {
      char in[2] = {static_cast<char>(hi), static_cast<char>(lo)};
      unsigned char out[8] = {};
      char* inp = in;
      char* outp = reinterpret_cast<char*>(out);
      size_t inleft = 2, outleft = sizeof out;
      iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset shift state
      if (iconv(cd, &inp, &inleft, &outp, &outleft) == (size_t)-1 || inleft != 0 ||
          sizeof out - outleft != 4)
        continue;
      uint32_t cp = out[0] | (out[1] << 8) | (out[2] << 16) | (uint32_t(out[3]) << 24);
      hb_set_add(set, cp);
    }
  }
  iconv_close(cd);
}

void add_extra_ranges(hb_set_t* set) {
  static const struct { hb_codepoint_t first, last; } ranges[] = {
      {0x0020, 0x007E},  // ASCII
      {0x00A0, 0x00FF},  // Latin-1 supplement
      {0x0100, 0x017F},  // Latin Extended-A (names, pinyin)
      {0x01CD, 0x01DC},  // pinyin with caron (ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ)
      {0x02C6, 0x02DD},  // spacing modifiers (ˇ ˉ ˊ ˋ ˙ ...)
      {0x0391, 0x03C9},  // basic Greek
      {0x0401, 0x0451},  // basic Cyrillic
      {0x2000, 0x206F},  // general punctuation (— ‘ ’ “ ” … ‰ ※)
      {0x2070, 0x209F},  // super/subscripts
      {0x20A0, 0x20CF},  // currency (€)
      {0x2100, 0x214F},  // letterlike (℃ № ℉ ™)
      {0x2150, 0x218F},  // number forms (Ⅰ–Ⅻ ⅰ–ⅻ)
      {0x2190, 0x21FF},  // arrows
      {0x2200, 0x22FF},  // mathematical operators
      {0x2460, 0x24FF},  // enclosed alphanumerics (① ⑴ ⒈)
      {0x2500, 0x257F},  // box drawing
      {0x25A0, 0x25FF},  // geometric shapes (■ □ ▲ ◆ ○ ●)
      {0x2605, 0x2606},  // ★ ☆
      {0x2640, 0x2642},  // ♀ ♂
      {0x2E3A, 0x2E3B},  // two- and three-em dash
      {0x3000, 0x303F},  // CJK symbols and punctuation
      {0x3040, 0x30FF},  // kana (also in GB 2312)
      {0x3105, 0x312F},  // bopomofo
      {0x3220, 0x3243},  // parenthesized ideographs (㈠ ㈡ ...)
      {0x3280, 0x32B0},  // circled ideographs
      {0x338E, 0x338F},  // ㎎ ㎏
      {0x339C, 0x339E},  // ㎜ ㎝ ㎞
      {0x33A1, 0x33A1},  // ㎡
      {0x33C4, 0x33C4},  // ㏄
      {0x33CE, 0x33CE},  // ㏎
      {0x33D1, 0x33D2},  // ㏑ ㏒
      {0x33D5, 0x33D5},  // ㏕
      {0xFE10, 0xFE1F},  // vertical forms
      {0xFE30, 0xFE4F},  // CJK compatibility forms
      {0xFF00, 0xFFEF},  // half-width and full-width forms
  };
  for (const auto& r : ranges) hb_set_add_range(set, r.first, r.last);
}

// ---- Name table helpers ----------------------------------------------------

std::string get_name_utf8(hb_face_t* face, hb_ot_name_id_t id) {
  hb_language_t en = hb_language_from_string("en", -1);
  unsigned len = hb_ot_name_get_utf8(face, id, en, nullptr, nullptr);
  if (len == 0) return {};
  std::string s(len + 1, '\0');
  unsigned size = len + 1;
  hb_ot_name_get_utf8(face, id, en, &size, s.data());
  s.resize(size);
  return s;
}

uint16_t rd16(const char* p) {
  return uint16_t((uint8_t(p[0]) << 8) | uint8_t(p[1]));
}
void put16(std::string& out, uint16_t v) {
  out.push_back(char(v >> 8));
  out.push_back(char(v & 0xFF));
}

// UTF-8 -> UTF-16BE (BMP and supplementary planes).
std::string utf16be(std::string_view s) { return galley::utf16be_encode(galley::utf8_decode_all(s)); }

struct NameRecord {
  uint16_t platform, encoding, language, name_id;
  std::string bytes;  // already encoded for the platform
};

// Raw Windows/Unicode/English-US strings of the given IDs from a 'name' table.
std::vector<NameRecord> copy_windows_names(hb_face_t* face, std::initializer_list<uint16_t> ids) {
  std::vector<NameRecord> out;
  Blob blob(hb_face_reference_table(face, HB_TAG('n', 'a', 'm', 'e')));
  unsigned len = 0;
  const char* d = hb_blob_get_data(blob.get(), &len);
  if (len < 6) return out;
  unsigned count = rd16(d + 2), storage = rd16(d + 4);
  for (unsigned i = 0; i < count && 6 + 12 * (i + 1) <= len; ++i) {
    const char* r = d + 6 + 12 * i;
    uint16_t pid = rd16(r), eid = rd16(r + 2), lid = rd16(r + 4), nid = rd16(r + 6);
    unsigned slen = rd16(r + 8), soff = rd16(r + 10);
    if (pid != 3 || eid != 1 || lid != 0x0409) continue;
    if (std::find(ids.begin(), ids.end(), nid) == ids.end()) continue;
    if (storage + soff + slen > len) continue;
    out.push_back({pid, eid, lid, nid, std::string(d + storage + soff, slen)});
  }
  return out;
}

std::string build_name_table(std::vector<NameRecord> recs) {
  std::sort(recs.begin(), recs.end(), [](const NameRecord& a, const NameRecord& b) {
    return std::tie(a.platform, a.encoding, a.language, a.name_id) <
           std::tie(b.platform, b.encoding, b.language, b.name_id);
  });
  std::string head, storage;
  put16(head, 0);                                   // format 0
  put16(head, uint16_t(recs.size()));               // count
  put16(head, uint16_t(6 + 12 * recs.size()));      // storage offset
  for (const auto& r : recs) {
    if (storage.size() + r.bytes.size() > 0xFFFF || r.bytes.size() > 0xFFFF)
      die("name table too large");
    put16(head, r.platform);
    put16(head, r.encoding);
    put16(head, r.language);
    put16(head, r.name_id);
    put16(head, uint16_t(r.bytes.size()));
    put16(head, uint16_t(storage.size()));
    storage += r.bytes;
  }
  return head + storage;
}

std::string postscript_name(const std::string& family, const std::string& style) {
  auto clean = [](const std::string& s) {
    std::string o;
    for (unsigned char c : s)
      if (c > 32 && c < 127 && !std::strchr("[](){}<>/%", c)) o.push_back(char(c));
    return o;
  };
  std::string ps = clean(family) + "-" + clean(style);
  if (ps.size() > 63) ps.resize(63);
  return ps;
}

bool is_ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 128; });
}

// ---- BASE check --------------------------------------------------------------

// True if a BASE table (1.0, or 1.1 without variation store) uses only
// BaseCoord format 1 (a plain design-unit value), i.e. refers to no glyph
// id, so it stays valid after glyph renumbering.
bool base_is_glyph_independent(hb_blob_t* blob) {
  unsigned len = 0;
  const char* d = hb_blob_get_data(blob, &len);
  bool ok = true;
  auto u16 = [&](unsigned off) -> unsigned {
    if (off + 2 > len) { ok = false; return 0; }
    return rd16(d + off);
  };
  auto coord = [&](unsigned base, unsigned off) {
    if (off == 0) return;
    if (u16(base + off) != 1) ok = false;
  };
  auto minmax = [&](unsigned mm) {
    coord(mm, u16(mm));
    coord(mm, u16(mm + 2));
    unsigned n = u16(mm + 4);
    for (unsigned i = 0; ok && i < n; ++i) {
      unsigned r = mm + 6 + 8 * i;
      coord(mm, u16(r + 4));
      coord(mm, u16(r + 6));
    }
  };
  if (u16(0) != 1) return false;
  if (u16(2) >= 1 && len >= 12 && (rd16(d + 8) | rd16(d + 10)) != 0) return false;  // item var store
  for (unsigned axis_field : {4u, 6u}) {
    unsigned axis = u16(axis_field);
    if (!ok) return false;
    if (axis == 0) continue;
    unsigned list = axis + u16(axis + 2);
    if (u16(axis + 2) == 0) continue;
    unsigned nscripts = u16(list);
    for (unsigned i = 0; ok && i < nscripts; ++i) {
      unsigned script = list + u16(list + 2 + 6 * i + 4);
      unsigned values = u16(script), defmm = u16(script + 2), nlang = u16(script + 4);
      if (values) {
        unsigned v = script + values, n = u16(v + 2);
        for (unsigned k = 0; ok && k < n; ++k) coord(v, u16(v + 4 + 2 * k));
      }
      if (defmm) minmax(script + defmm);
      for (unsigned k = 0; ok && k < nlang; ++k) {
        unsigned mm = u16(script + 6 + 6 * k + 4);
        if (mm) minmax(script + mm);
      }
    }
  }
  return ok;
}

// ---- Face selection ---------------------------------------------------------

unsigned pick_face(hb_blob_t* blob, const std::string& path, const std::string& which) {
  unsigned count = hb_face_count(blob);
  if (count == 0) die("'" + path + "' is not an OpenType font or collection");
  bool numeric = !which.empty() && std::all_of(which.begin(), which.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  if (numeric) {
    unsigned long idx = std::stoul(which);
    if (idx >= count)
      die("face index " + which + " out of range: '" + path + "' has " + std::to_string(count) +
          " face(s)");
    return unsigned(idx);
  }
  std::string seen;
  for (unsigned i = 0; i < count; ++i) {
    Face f(hb_face_create(blob, i));
    std::string typo = get_name_utf8(f.get(), HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY);
    std::string fam = get_name_utf8(f.get(), HB_OT_NAME_ID_FONT_FAMILY);
    if (typo == which || fam == which) return i;
    seen += (seen.empty() ? "" : ", ") + std::to_string(i) + ":\"" + (typo.empty() ? fam : typo) + "\"";
  }
  die("no face with family \"" + which + "\" in '" + path + "' (faces: " + seen + ")");
}

// ---- Steps of main() ----------------------------------------------------------

// The face subset to the repertoire, every layout feature and script kept.
Face subset_face(hb_face_t* src, unsigned index, const std::string& input) {
  Input in(hb_subset_input_create_or_fail());
  if (!in) die("hb_subset_input_create_or_fail failed");
  hb_set_t* unicodes = hb_subset_input_unicode_set(in.get());
  add_gb2312(unicodes);
  if (hb_set_get_population(unicodes) < 7000) die("iconv GB2312 enumeration returned too few characters");
  add_extra_ranges(unicodes);

  // Keep every layout feature and every script (halt, fwid, palt, hwid, vert,
  // vrt2, vkrn, vpal, locl, ... are not all in hb-subset's default list).
  // Keep all name IDs through the subsetter; the name table is replaced below anyway.
  for (hb_subset_sets_t which : {HB_SUBSET_SETS_LAYOUT_FEATURE_TAG, HB_SUBSET_SETS_LAYOUT_SCRIPT_TAG,
                                 HB_SUBSET_SETS_NAME_ID}) {
    hb_set_t* set = hb_subset_input_set(in.get(), which);
    hb_set_clear(set);
    hb_set_invert(set);
  }
  hb_subset_input_set_flags(in.get(), HB_SUBSET_FLAGS_DESUBROUTINIZE);

  Face sub(hb_subset_or_fail(src, in.get()));
  if (!sub) die("hb_subset_or_fail failed for face " + std::to_string(index) + " of '" + input + "'");
  return sub;
}

// The new 'name' table: the new family and style, the source's copyright,
// version and licence strings.
std::string new_name_table(hb_face_t* src, const std::string& family, const std::string& style) {
  const bool ribbi = style == "Regular" || style == "Bold" || style == "Italic" || style == "Bold Italic";
  const std::string legacy_family = ribbi ? family : family + " " + style;
  const std::string legacy_style = ribbi ? style : "Regular";
  const std::string full = family + " " + style;
  const std::string ps = postscript_name(family, style);
  std::string version = get_name_utf8(src, HB_OT_NAME_ID_VERSION_STRING);
  std::string src_ps = get_name_utf8(src, HB_OT_NAME_ID_POSTSCRIPT_NAME);
  std::string ver_num = version;
  if (ver_num.rfind("Version ", 0) == 0) ver_num = ver_num.substr(8);
  if (auto p = ver_num.find(';'); p != std::string::npos) ver_num.resize(p);
  const std::string unique = (ver_num.empty() ? std::string("0") : ver_num) + ";GLLY;" + ps;
  const std::string description = "Galley build-time subset (GB 2312 + punctuation) of " +
                                  (src_ps.empty() ? std::string("a Noto CJK face") : src_ps);

  std::vector<NameRecord> recs = copy_windows_names(src, {0, 5, 7, 8, 9, 11, 12, 13, 14});
  auto add = [&](uint16_t id, const std::string& s) {
    recs.push_back({3, 1, 0x0409, id, utf16be(s)});
    if (is_ascii(s) && id <= 6) recs.push_back({1, 0, 0, id, s});  // Mac Roman copy
  };
  add(HB_OT_NAME_ID_FONT_FAMILY, legacy_family);
  add(HB_OT_NAME_ID_FONT_SUBFAMILY, legacy_style);
  add(HB_OT_NAME_ID_UNIQUE_ID, unique);
  add(HB_OT_NAME_ID_FULL_NAME, full);
  add(HB_OT_NAME_ID_POSTSCRIPT_NAME, ps);
  add(HB_OT_NAME_ID_DESCRIPTION, description);
  add(HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY, family);
  add(HB_OT_NAME_ID_TYPOGRAPHIC_SUBFAMILY, style);
  return build_name_table(std::move(recs));
}

// The subset's tables with `name_table` as 'name' (and, when it is safe,
// the source's BASE), serialized.
Blob rebuild(hb_face_t* sub_face, hb_face_t* src, const std::string& name_table, bool& base_copied) {
  Face builder(hb_face_builder_create());
  unsigned ntags = hb_face_get_table_tags(sub_face, 0, nullptr, nullptr);
  std::vector<hb_tag_t> tags(ntags);
  hb_face_get_table_tags(sub_face, 0, &ntags, tags.data());
  tags.resize(ntags);
  if (tags.empty()) die("subset font has no tables");
  for (hb_tag_t tag : tags) {
    if (tag == HB_TAG('n', 'a', 'm', 'e')) continue;
    Blob t(hb_face_reference_table(sub_face, tag));
    if (!hb_face_builder_add_table(builder.get(), tag, t.get())) die("hb_face_builder_add_table failed");
  }
  // hb-subset 6.0 always drops 'BASE'. Noto CJK's BASE only holds baselines
  // in design units (ideographic em-box; no glyph ids), so when that is
  // verified it is copied unchanged from the source face.
  base_copied = false;
  if (std::find(tags.begin(), tags.end(), HB_TAG('B', 'A', 'S', 'E')) == tags.end()) {
    Blob base(hb_face_reference_table(src, HB_TAG('B', 'A', 'S', 'E')));
    if (hb_blob_get_length(base.get()) > 0 && base_is_glyph_independent(base.get())) {
      hb_face_builder_add_table(builder.get(), HB_TAG('B', 'A', 'S', 'E'), base.get());
      base_copied = true;
    }
  }
  Blob name_blob(hb_blob_create(name_table.data(), unsigned(name_table.size()), HB_MEMORY_MODE_READONLY,
                                nullptr, nullptr));
  if (!hb_face_builder_add_table(builder.get(), HB_TAG('n', 'a', 'm', 'e'), name_blob.get()))
    die("hb_face_builder_add_table(name) failed");
  return Blob(hb_face_reference_blob(builder.get()));
}

// Writes to OUTPUT.tmp, then renames it.
void write_atomically(const std::string& output, const char* data, unsigned len) {
  std::error_code ec;
  std::filesystem::path out_path(output);
  if (out_path.has_parent_path()) std::filesystem::create_directories(out_path.parent_path(), ec);
  std::filesystem::path tmp = out_path;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) die("cannot write '" + tmp.string() + "'");
    f.write(data, len);
    if (!f) die("write to '" + tmp.string() + "' failed");
  }
  std::filesystem::rename(tmp, out_path, ec);
  if (ec) die("cannot rename '" + tmp.string() + "' to '" + output + "': " + ec.message());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr,
                 "usage: %s INPUT.ttc FACE OUTPUT.otf \"New Family\" \"Style\"\n"
                 "  FACE: face index, or family name (e.g. \"Noto Serif CJK SC\")\n",
                 argc > 0 ? argv[0] : "prepare_fonts");
    return 1;
  }
  const std::string input = argv[1], which = argv[2], output = argv[3], family = argv[4],
                    style = argv[5];
  if (family.empty() || style.empty()) die("family and style must not be empty");

  const galley::Clock::time_point t0 = galley::Clock::now();

  std::error_code ec;
  if (!std::filesystem::is_regular_file(input, ec))
    die("input font '" + input + "' not found (Debian: apt-get install fonts-noto-cjk)");
  Blob blob(hb_blob_create_from_file_or_fail(input.c_str()));
  if (!blob) die("cannot read input font '" + input + "'");
  unsigned index = pick_face(blob.get(), input, which);
  Face src(hb_face_create(blob.get(), index));
  if (hb_face_get_glyph_count(src.get()) == 0) die("face " + std::to_string(index) + " has no glyphs");

  Face sub = subset_face(src.get(), index, input);
  // The subset is a builder face; serialize and re-open it so its table
  // directory can be enumerated (hb_face_get_table_tags is 0 for builder faces).
  Blob sub_blob(hb_face_reference_blob(sub.get()));
  Face sub_face(hb_face_create(sub_blob.get(), 0));
  const unsigned glyphs = hb_face_get_glyph_count(sub_face.get());

  const std::string name_table = new_name_table(src.get(), family, style);
  bool base_copied = false;
  Blob out_blob = rebuild(sub_face.get(), src.get(), name_table, base_copied);
  unsigned out_len = 0;
  const char* out_data = hb_blob_get_data(out_blob.get(), &out_len);
  if (out_len == 0) die("serializing the new font failed");

  // Sanity check: the result parses, has the glyphs and the new family.
  {
    Face check(hb_face_create(out_blob.get(), 0));
    if (hb_face_get_glyph_count(check.get()) != glyphs) die("rebuilt font lost glyphs");
    if (get_name_utf8(check.get(), HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY) != family)
      die("rebuilt font does not carry the new family name");
  }
  write_atomically(output, out_data, out_len);

  std::printf("%s glyphs=%u bytes=%u time_ms=%.0f (face %u of %s%s)\n", output.c_str(), glyphs, out_len,
              galley::ms_since(t0), index, input.c_str(), base_copied ? "; BASE copied" : "");
  return 0;
}
