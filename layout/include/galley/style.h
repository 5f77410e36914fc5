// House styles: every value has a default here; a style file overrides them.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "galley/diagnostics.h"

namespace galley {

struct Color {
    double r = 0, g = 0, b = 0;
};

enum class Align { Start, Center, End, Justify };

// How one kind of text looks. Sizes in points.
struct TextRole {
    std::vector<std::string> font;  // family list, first wins; ends in an SC face
    // Put before `font` when the document is not Chinese, so Latin text
    // gets a Latin face and proportional quotes.
    std::vector<std::string> latin_font;
    double size = 10.5;
    bool bold = false;
    bool italic = false;
    Color color;
    Align align = Align::Justify;
    double line_pitch = 0;  // 0: the body pitch
};

enum class PunctStyle { Quanjiao, Kaiming, Banjiao };
enum class BreakLevel { Basic, GB, Strict };
// Direct writes the finished file in one pass (pdf/writer.h); with Cairo,
// Cairo paints and the archive stage (qpdf) finishes the file.
enum class PdfBackend { Cairo, Direct };

struct Style {
    std::string path;  // where it was read from; empty for the built-in default
    // Each font family the style file names, where, and the families after
    // it in its list (to warn of a missing one, naming what is used instead).
    struct NamedFont {
        std::string family;
        SourcePos pos;
        std::vector<std::string> then;
    };
    std::vector<NamedFont> named_fonts;
    // Folders of the user's fonts (`font_paths`, relative to the style
    // file), added to the private configuration.
    std::vector<std::string> font_dirs;
    // Page geometry, points.
    double page_width = 595.276;   // A4
    double page_height = 841.890;
    double margin_top = 70.0;
    double margin_bottom = 62.0;
    double margin_inner = 56.7;
    double margin_outer = 56.7;
    int columns = 2;
    double gutter_em = 2.0;  // in body ems

    // Body text.
    TextRole body;
    double indent_em = 2.0;
    std::string lang = "zh-Hans";
    bool hyphenate = true;

    TextRole kicker, title, subtitle, dateline, summary, heading2, heading3, quote, list, byline,
        credits, folio, code, caption;
    // 按语 (editor_note): its lead-in (编者按：) in bold, its text in Kai, set
    // off by thin rules above and below (`editor_note_frame: rules`), a tint
    // behind it (`tint`) or nothing (`none`).
    TextRole editor_note;
    enum class NoteFrame { Rules, Tint, None } editor_note_frame = NoteFrame::Rules;
    // Tables: cells in `table` (the header row in `table_head`), a line a
    // grid row; the Chinese three-line table (三线表: thick rules above and
    // below, a thin one under the header) or a ruled grid; a table too wide
    // for the columns it may span is set smaller, down to table_min_size;
    // captions numbered per article (表1, Table 1) when table_numbers.
    TextRole table, table_head;
    enum class TableRules { ThreeLine, Grid } table_rules = TableRules::ThreeLine;
    double table_min_size = 7;
    bool table_numbers = true;
    // A thematic break (---) in the body: this ornament centred, or a short
    // rule when empty.
    std::string section_break = "＊\u3000＊\u3000＊";
    // Footnotes ([^id]): at the end of the story (`notes: end`) or at the
    // foot of the column that refers to each first (`column`).
    enum class NotePlace { StoryEnd, ColumnFoot } notes = NotePlace::StoryEnd;
    // Newsletter furniture: the masthead's name and its information lines,
    // running heads on later pages, jump lines, the contents box.
    TextRole masthead, masthead_info, running_head, jump, contents_title, contents;
    enum class Masthead { Bulletin, Newspaper } masthead_kind = Masthead::Bulletin;

    // Chinese composition (cjk-rules.md).
    PunctStyle punctuation = PunctStyle::Quanjiao;
    BreakLevel break_level = BreakLevel::GB;
    double han_latin_gap_em = 0.25;

    // Line breaking.
    double tolerance = 1.0;  // first-pass limit of the adjustment ratio; a second pass doubles it
    double letter_spacing_em = 0.02;  // Latin body text: letters may move apart or together this much, to even word spaces
    double expansion = 0.02;          // justified Latin text: glyphs may be set this share wider or narrower (font expansion)
    double hyphen_penalty = 50;
    double double_hyphen_demerits = 3000;
    double fitness_demerits = 100;
    double line_penalty = 10;

    // Page make-up: a story split across pages starts with at least
    // min_start_lines body lines (min_start_per_column in each column it
    // uses) and continues with at least min_continuation; the masthead's
    // name is set smaller, down to masthead_min_size, to fit its measure;
    // the lead picture shrinks to lead_picture_min of its width (then to a
    // column) before the lead story leaves page 1.
    int min_start_lines = 8;
    int min_start_per_column = 3;
    int min_continuation = 4;
    double masthead_min_size = 28;
    double lead_picture_min = 0.5;

    // Output: PDF/A-2b, bleed around the trimmed page, crop marks in it.
    bool pdfa = false;
    PdfBackend pdf_backend = PdfBackend::Direct;
    double bleed = 0;
    bool crop_marks = false;

    double rule_width = 0.5;
    Color accent{0.8, 0.0, 0.0};
};

// Every text role but the body, with its name in style files.
std::vector<std::pair<std::string, TextRole*>> text_roles(Style& style);

// The built-in default (the bulletin look).
Style default_style();

// Reads a style file over the defaults. Unknown keys, wrong types and
// numbers out of their range are errors naming the key's line and column;
// a page without room for its columns or for a few body lines is an error
// naming the keys that conflict. Only a regular file of at most 1 MiB is
// read (a FIFO or a folder is an error, never a wait).
Style load_style(const std::string& path, Diagnostics& diags);

// A style name ("bulletin": NAME.yaml in `styles_dir`, else in the data
// folder's styles/, so a folder of house styles need not copy ours) or a
// path to a file.
std::string find_style(const std::string& name_or_path, const std::string& styles_dir);

}  // namespace galley
