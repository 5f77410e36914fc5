// The article model: what the user wrote, never how it is laid out.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "galley/diagnostics.h"

namespace galley {

// One run of inline text with uniform formatting. Soft line breaks in the
// Markdown source arrive as a single U+0020; hard breaks as U+2028.
struct Span {
    std::string text;  // UTF-8
    bool emphasis = false;
    bool strong = false;
    bool code = false;
    bool strike = false;  // ~~text~~
    std::string link;  // href, empty when not a link
    std::string note;  // a footnote's marker [^id]: the note's id (text holds the id)
    SourcePos pos;
};

struct Image {
    std::string src;  // as written
    std::string path; // resolved against the article's folder
    std::string caption;
    std::string credit;
    int columns = 1;  // columns a body picture spans ({columns=N} after it); 0: all of them
    SourcePos pos;
};

// A GFM pipe table: its delimiter row's alignments, its rows (the header
// row first), and its caption, the paragraph "Table: …" or "表：…" directly
// before or after it (pandoc's convention), without that label.
enum class ColumnAlign { Auto, Left, Center, Right };

struct TableCell {
    std::vector<Span> spans;
    SourcePos pos;
};

struct Table {
    std::vector<ColumnAlign> align;            // one per column
    std::vector<std::vector<TableCell>> rows;  // rows[0] is the header row; every row has align.size() cells
    std::string caption_label;  // as written: "表：", "Table:"
    std::vector<Span> caption;
    SourcePos caption_pos;
};

enum class BlockKind { Paragraph, Heading, ListItem, Figure, CodeBlock, Rule, Table };

// The body is a flat list of blocks; nesting (quotes, lists) is carried as
// depths so the flow can indent without walking a tree.
struct Block {
    BlockKind kind = BlockKind::Paragraph;
    int level = 0;         // Heading: 2 or 3
    int quote_depth = 0;   // inside how many block quotes
    int list_depth = 0;    // ListItem: 1 for a top-level item
    bool ordered = false;  // ListItem
    int number = 0;        // ListItem in an ordered list: its number
    bool list_continuation = false;  // ListItem: a later paragraph of the same item
    int task = 0;          // ListItem of a task list: 1 open "- [ ]", 2 done "- [x]"
    std::vector<Span> spans;
    std::optional<Image> image;  // Figure
    std::optional<Table> table;  // Table
    SourcePos pos;
};

// 落款 (GB/T 9704): an official document's issuing body, its date and
// notes such as （此件公开发布）, set apart at its end.
struct Signature {
    std::vector<std::string> issuers;
    std::string date;
    std::vector<std::string> notes;
    SourcePos pos;
};

// A footnote: "[^id]: text" (GitHub's and pandoc's syntax), its
// continuation lines indented; markers "[^id]" in the text refer to it.
struct Note {
    std::string id;
    std::vector<Span> spans;
    SourcePos pos;  // its "[^id]:"
    bool referred = true;  // some marker refers to it
};

struct DateTime {
    int year = 0, month = 0, day = 0;
    int hour = 0, minute = 0, second = 0;
    bool has_time = false;
    bool has_seconds = false;
    bool has_offset = false;
    int offset_minutes = 0;  // east of UTC
    std::string text;        // as written
};

struct Dateline {
    std::string place;
    std::string source;
    std::optional<DateTime> date;
    SourcePos pos;
};

struct Credit {
    std::string role;
    std::string name;
};

struct Related {
    std::string title;
    std::string rel;
    std::string href;
};

struct Document {
    std::string path;  // the article file as given
    std::string title;
    std::string subtitle;
    std::string kicker;
    std::string section;
    std::optional<Dateline> dateline;
    std::string summary;
    std::vector<std::string> byline;        // the reporters' names
    std::vector<std::string> byline_roles;  // each byline entry's role ("" for a reporter): {role: 通讯员, name: …}
    std::vector<Credit> credits;
    std::string lang;  // BCP 47; empty: the style decides
    std::vector<std::string> tags;
    std::optional<Image> image;
    std::vector<Related> related;
    std::string editor_note;
    std::optional<Signature> signature;  // 落款: given, or found at the body's end
    std::string provenance_file, provenance_url;  // written by `galley ingest`: the page the article came from
    std::vector<Block> body;
    std::vector<Note> notes;  // in the order they are first referred to; unreferred ones after
    SourcePos title_pos;
    int body_line = 0;  // line of the first body line in the file
};

// One newsletter issue: the manifest (article-format.md, "Issue") with its
// articles loaded.
struct IssueArticle {
    std::string path;  // resolved against the manifest's folder
    bool lead = false;
    SourcePos pos;     // the manifest entry naming it
    Document doc;
};

struct DistributionLine {
    std::string key;  // 报, 送 or 发
    std::vector<std::string> names;
};

struct Issue {
    std::string path;
    std::string newsletter;      // masthead title (required)
    std::string tagline;
    std::string issue_label;     // "2019年第1期（总第12期）"
    std::optional<DateTime> date;
    std::string style;           // style name or path; empty: bulletin
    SourcePos style_pos;
    std::string issuer;          // 编印单位
    std::string classification;  // 内部资料 …
    std::vector<IssueArticle> articles;
    std::vector<DistributionLine> distribution;  // in the order 报, 送, 发
    int copies = 0;              // 0: not printed
    int pages = 0;               // the issue in exactly this many pages; 0: as many as it takes
    SourcePos pages_pos;
    bool reorder = false;        // a later story may fill the room an earlier one leaves
    std::vector<Credit> credits;
    std::string lang;            // of the newsletter furniture; empty: from the style
};

// What loading may read, so that an article or manifest from an untrusted
// source cannot make Galley read /etc/shadow or block on a FIFO: regular
// files only, each of at most max_bytes; the articles a manifest names (and
// the pictures and styles the engine reads after) inside `root`, symlinks
// resolved, unless any_path.
struct ReadRules {
    std::string root;                       // empty: the input's own folder
    bool any_path = false;
    std::size_t max_bytes = 16u << 20;      // articles and manifests
};

// Reads a manifest and every article it names (paths relative to the
// manifest). A missing article, or one outside the root, is an error at the
// manifest line naming it.
Issue load_issue(const std::string& path, Diagnostics& diags, const ReadRules& rules = {});

// Reads an article (YAML front matter + CommonMark body). Errors and
// warnings are appended to `diags`; the result is only meaningful when
// has_errors(diags) is false.
Document load_article(const std::string& path, Diagnostics& diags, const ReadRules& rules = {});
Document parse_article(const std::string& text, const std::string& path, Diagnostics& diags);

}  // namespace galley
