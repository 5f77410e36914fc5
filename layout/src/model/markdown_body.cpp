#include "model/markdown_body.h"

#include <md4c.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "common/utf8.h"
#include "model/front_matter.h"

namespace galley::model {

namespace {

struct NamedEntity {
    std::string_view name;
    char32_t cp;
};

// The entities news text actually uses; md4c only checks entity syntax, so
// anything else is kept as written.
constexpr NamedEntity kEntities[] = {
    {"amp", '&'},       {"lt", '<'},         {"gt", '>'},         {"quot", '"'},       {"apos", '\''},
    {"nbsp", 0xA0},     {"copy", 0xA9},      {"reg", 0xAE},       {"trade", 0x2122},   {"hellip", 0x2026},
    {"mdash", 0x2014},  {"ndash", 0x2013},   {"lsquo", 0x2018},   {"rsquo", 0x2019},   {"sbquo", 0x201A},
    {"ldquo", 0x201C},  {"rdquo", 0x201D},   {"bdquo", 0x201E},   {"laquo", 0xAB},     {"raquo", 0xBB},
    {"lsaquo", 0x2039}, {"rsaquo", 0x203A},  {"middot", 0xB7},    {"bull", 0x2022},    {"times", 0xD7},
    {"divide", 0xF7},   {"deg", 0xB0},       {"plusmn", 0xB1},    {"minus", 0x2212},   {"euro", 0x20AC},
    {"pound", 0xA3},    {"yen", 0xA5},       {"cent", 0xA2},      {"sect", 0xA7},      {"para", 0xB6},
    {"shy", 0xAD},      {"ensp", 0x2002},    {"emsp", 0x2003},    {"thinsp", 0x2009},  {"zwj", 0x200D},
    {"zwnj", 0x200C},   {"dagger", 0x2020},  {"Dagger", 0x2021},  {"permil", 0x2030},  {"prime", 0x2032},
    {"Prime", 0x2033},  {"frac12", 0xBD},    {"frac14", 0xBC},    {"frac34", 0xBE},    {"sup2", 0xB2},
    {"sup3", 0xB3},     {"micro", 0xB5},     {"larr", 0x2190},    {"rarr", 0x2192},    {"uarr", 0x2191},
    {"darr", 0x2193},   {"iexcl", 0xA1},     {"iquest", 0xBF},    {"ordm", 0xBA},      {"ordf", 0xAA},
};

enum class Mode { None, Paragraph, Heading, Code, Html };

struct Container {
    bool quote = false;    // else a list item
    bool ordered = false;  // list item
    int number = 0;        // list item
    bool emitted = false;  // list item: a block of it was emitted already
    int task = 0;          // list item of a task list: 1 open, 2 done
};

struct ListState {
    bool ordered = false;
    int next = 1;
};

// Receives md4c's callbacks and builds the flat block list. md4c hands out
// pointers into the input for ordinary text, which is how positions are
// recovered; text it synthesises (soft breaks, indentation) lies outside.
class BodyReader {
public:
    // `text`: the map's text, or a copy of it of the same length (footnote
    // definitions blanked): offsets into either are the map's.
    BodyReader(const SourceMap& map, std::string_view text, std::size_t body_offset, Document& doc, Diagnostics& diags)
        : map_(map), text_(text), doc_(doc), diags_(diags), cursor_(body_offset) {}

    int enter_block(MD_BLOCKTYPE type, void* detail) {
        picture_before_ = false;
        flush();
        switch (type) {
        case MD_BLOCK_QUOTE: containers_.push_back({true}); break;
        case MD_BLOCK_UL: lists_.push_back({false, 1}); break;
        case MD_BLOCK_OL:
            lists_.push_back({true, static_cast<int>(static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start)});
            break;
        case MD_BLOCK_LI: {
            ListState& list = lists_.back();
            auto* li = static_cast<MD_BLOCK_LI_DETAIL*>(detail);
            const int task = li->is_task ? (li->task_mark == ' ' ? 1 : 2) : 0;
            containers_.push_back({false, list.ordered, list.next++, false, task});
            mode_ = Mode::None;  // a tight item's text arrives without a paragraph
            break;
        }
        case MD_BLOCK_P: mode_ = Mode::Paragraph; break;
        case MD_BLOCK_H:
            mode_ = Mode::Heading;
            heading_level_ = static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
            heading_text_.reset();
            break;
        case MD_BLOCK_CODE:
            mode_ = Mode::Code;
            code_fenced_ = static_cast<MD_BLOCK_CODE_DETAIL*>(detail)->fence_char != 0;
            code_.clear();
            code_first_.reset();
            break;
        case MD_BLOCK_HTML:
            mode_ = Mode::Html;
            html_warned_ = false;
            break;
        case MD_BLOCK_TABLE: {
            Block b = context_block(BlockKind::Table);
            b.pos = map_.at(next_line_start());
            b.table = Table{};
            table_ = std::move(b);
            break;
        }
        case MD_BLOCK_TR:
            if (table_) table_->table->rows.emplace_back();
            break;
        case MD_BLOCK_TH:
        case MD_BLOCK_TD:
            if (table_) {
                mode_ = Mode::Paragraph;
                if (table_->table->rows.size() == 1) {
                    const MD_ALIGN a = static_cast<MD_BLOCK_TD_DETAIL*>(detail)->align;
                    table_->table->align.push_back(a == MD_ALIGN_LEFT     ? ColumnAlign::Left
                                                   : a == MD_ALIGN_CENTER ? ColumnAlign::Center
                                                   : a == MD_ALIGN_RIGHT  ? ColumnAlign::Right
                                                                          : ColumnAlign::Auto);
                }
                cell_start_ = next_line_start();
            }
            break;
        case MD_BLOCK_HR: {
            Block b = context_block(BlockKind::Rule);
            std::size_t at = next_line_start();
            b.pos = map_.at(at);
            cursor_ = line_end(at);  // so a following rule finds its own line
            emit(std::move(b));
            break;
        }
        default: break;
        }
        return 0;
    }

    int leave_block(MD_BLOCKTYPE type, void*) {
        picture_before_ = false;
        switch (type) {
        case MD_BLOCK_QUOTE:
        case MD_BLOCK_LI:
            flush();
            containers_.pop_back();
            break;
        case MD_BLOCK_UL:
        case MD_BLOCK_OL: lists_.pop_back(); break;
        case MD_BLOCK_H: leave_heading(); break;
        case MD_BLOCK_CODE: leave_code(); break;
        case MD_BLOCK_TH:
        case MD_BLOCK_TD: leave_cell(); break;
        case MD_BLOCK_TABLE:
            if (table_) {
                emit(std::move(*table_));
                table_.reset();
            }
            break;
        default: flush(); break;
        }
        if (type != MD_BLOCK_LI && type != MD_BLOCK_QUOTE && type != MD_BLOCK_UL && type != MD_BLOCK_OL)
            mode_ = Mode::None;
        return 0;
    }

    // Only safe links (common/strings.h) stay links; the rest is text.
    std::string link_target(std::string href) {
        // Autolinks as md4c gives them: "www.…" and bare e-mail addresses.
        if (href.rfind("www.", 0) == 0) href = "http://" + href;
        else if (href.find(':') == std::string::npos && href.find('@') != std::string::npos && href.find('/') == std::string::npos)
            href = "mailto:" + href;
        if (safe_link(href)) return href;
        refused_link_ = href;  // reported at the link's first text, where its place is known
        return "";
    }

    int enter_span(MD_SPANTYPE type, void* detail) {
        picture_before_ = false;
        if (image_depth_ > 0) {
            if (type == MD_SPAN_IMG) ++image_depth_;  // an image in alt text: only its text counts
            return 0;
        }
        switch (type) {
        case MD_SPAN_EM: ++emphasis_; break;
        case MD_SPAN_STRONG: ++strong_; break;
        case MD_SPAN_CODE: ++code_span_; break;
        case MD_SPAN_DEL: ++strike_; break;
        case MD_SPAN_A: links_.push_back(link_target(attribute(static_cast<MD_SPAN_A_DETAIL*>(detail)->href))); break;
        case MD_SPAN_IMG: {
            // A figure is a block of its own: end the text before it (not
            // in a table cell, where the picture gives way to its alt text).
            if (!table_) flush();
            auto* d = static_cast<MD_SPAN_IMG_DETAIL*>(detail);
            image_depth_ = 1;
            image_ = Image{};
            image_->src = attribute(d->src);
            image_->credit = std::string(trim(attribute(d->title)));
            image_->path = resolve_image_path(doc_.path, image_->src);
            alt_.clear();
            alt_first_.reset();
            break;
        }
        default: break;
        }
        return 0;
    }

    int leave_span(MD_SPANTYPE type, void*) {
        picture_before_ = false;
        if (image_depth_ > 0) {
            if (type == MD_SPAN_IMG && --image_depth_ == 0) leave_image();
            return 0;
        }
        switch (type) {
        case MD_SPAN_EM: --emphasis_; break;
        case MD_SPAN_STRONG: --strong_; break;
        case MD_SPAN_CODE: --code_span_; break;
        case MD_SPAN_DEL: --strike_; break;
        // md4c may close a link opened inside a picture's alt text (which
        // pushed nothing) after the picture: "![]([)]()".
        case MD_SPAN_A: if (!links_.empty()) links_.pop_back(); break;
        default: break;
        }
        return 0;
    }

    int text(MD_TEXTTYPE type, const MD_CHAR* p, MD_SIZE size) {
        std::optional<std::size_t> off = offset_of(p);
        if (off) cursor_ = std::max(cursor_, *off + size);
        if (std::exchange(picture_before_, false) && off && image_depth_ == 0) picture_attributes(*off);
        if (off && *off < skip_until_) {
            // The picture's attribute block is not text.
            MD_SIZE cut = static_cast<MD_SIZE>(std::min<std::size_t>(size, skip_until_ - *off));
            p += cut, size -= cut, *off += cut;
            if (size == 0) return 0;
        }
        std::string_view raw(p, size);
        if (!refused_link_.empty()) {
            warning(diags_, off ? map_.at(*off) : map_.at(cursor_),
                    "the link to '" + refused_link_ +
                        "' is set as plain text: links may go to http, https and mailto addresses and to places in "
                        "the document (#)");
            refused_link_.clear();
        }

        if (type == MD_TEXT_HTML) {
            // Raw HTML is dropped; an HTML block is reported once, not per line.
            if (mode_ != Mode::Html || !html_warned_) {
                SourcePos at = off ? map_.at(*off) : map_.at(cursor_);
                warning(diags_, at, "raw HTML is not rendered and was dropped");
                html_warned_ = true;
            }
            return 0;
        }
        if (mode_ == Mode::Html) return 0;

        std::string piece;
        switch (type) {
        case MD_TEXT_ENTITY: piece = decode_entity(raw); break;
        case MD_TEXT_NULLCHAR: piece = "\xEF\xBF\xBD"; break;
        case MD_TEXT_BR: piece = image_depth_ > 0 ? " " : "\xE2\x80\xA8"; break;  // U+2028
        case MD_TEXT_SOFTBR: piece = "\n"; break;  // resolved in flush()
        default: piece = std::string(raw); break;
        }

        if (image_depth_ > 0) {
            if (off && !alt_first_) alt_first_ = off;
            alt_ += piece;
        } else if (mode_ == Mode::Code) {
            if (off && !code_first_) code_first_ = off;
            code_ += piece;
        } else {
            if (mode_ == Mode::Heading && off && !heading_text_) heading_text_ = off;
            add_text(piece, off);
        }
        return 0;
    }

    void finish() { flush(); }

private:
    std::optional<std::size_t> offset_of(const MD_CHAR* p) const {
        if (p < text_.data() || p > text_.data() + text_.size()) return std::nullopt;
        return static_cast<std::size_t>(p - text_.data());
    }

    std::string attribute(const MD_ATTRIBUTE& a) const {
        std::string out;
        for (int i = 0; a.substr_offsets[i] < a.size; ++i) {
            std::string_view piece(a.text + a.substr_offsets[i], a.substr_offsets[i + 1] - a.substr_offsets[i]);
            switch (a.substr_types[i]) {
            case MD_TEXT_ENTITY: out += decode_entity(piece); break;
            case MD_TEXT_NULLCHAR: out += "\xEF\xBF\xBD"; break;
            default: out += piece; break;
            }
        }
        return out;
    }

    // A new block with the nesting of where we are. Paragraphs directly in a
    // list item become ListItem blocks; list_depth is also set on other
    // blocks nested in lists so the flow can indent them.
    Block context_block(BlockKind kind) const {
        Block b;
        b.kind = kind;
        for (const Container& c : containers_) (c.quote ? b.quote_depth : b.list_depth)++;
        if (kind == BlockKind::Paragraph && !containers_.empty() && !containers_.back().quote) {
            const Container& item = containers_.back();
            b.kind = BlockKind::ListItem;
            b.ordered = item.ordered;
            b.number = item.ordered ? item.number : 0;
            b.list_continuation = item.emitted;
            b.task = item.emitted ? 0 : item.task;
        }
        return b;
    }

    void add_text(const std::string& piece, std::optional<std::size_t> off) {
        if (!current_) {
            current_ = context_block(mode_ == Mode::Heading ? BlockKind::Heading : BlockKind::Paragraph);
            current_first_.reset();
        }
        if (off && !current_first_) current_first_ = off;
        Span s;
        s.emphasis = emphasis_ > 0;
        s.strong = strong_ > 0;
        s.code = code_span_ > 0;
        s.strike = strike_ > 0;
        if (!links_.empty()) s.link = links_.back();
        std::vector<Span>& spans = current_->spans;
        if (!spans.empty()) {
            Span& last = spans.back();
            if (last.emphasis == s.emphasis && last.strong == s.strong && last.code == s.code && last.strike == s.strike &&
                last.link == s.link) {
                last.text += piece;
                return;
            }
        }
        s.text = piece;
        s.pos = map_.at(off ? *off : cursor_);
        spans.push_back(std::move(s));
    }

    // Ends the text block being collected, if any.
    void flush() {
        if (!current_) return;
        Block b = std::move(*current_);
        current_.reset();
        resolve_soft_breaks(b.spans);
        trim_spans(b.spans);
        if (b.spans.empty()) return;
        if (b.kind == BlockKind::Heading) b.level = std::min(std::max(heading_level_, 2), 3);
        b.pos = current_first_ ? map_.at(markup_start(*current_first_)) : b.spans.front().pos;
        emit(std::move(b));
    }

    // A soft line break is nothing between two CJK characters (as CSS Text
    // 3 does it, so wrapped Chinese source does not gain spaces) and one
    // space elsewhere.
    static void resolve_soft_breaks(std::vector<Span>& spans) {
        for (std::size_t s = 0; s < spans.size(); ++s) {
            std::string& t = spans[s].text;
            for (std::size_t i = t.find('\n'); i != std::string::npos; i = t.find('\n', i)) {
                char32_t before = i > 0 ? utf8_before(t, i)
                                  : s > 0 && !spans[s - 1].text.empty()
                                      ? utf8_before(spans[s - 1].text, spans[s - 1].text.size())
                                      : 0;
                char32_t after = i + 1 < t.size() ? utf8_decode(t, i + 1).cp
                                 : s + 1 < spans.size() && !spans[s + 1].text.empty() ? utf8_decode(spans[s + 1].text, 0).cp
                                                                                      : 0;
                if (is_cjk(before) && is_cjk(after)) {
                    t.erase(i, 1);
                } else {
                    t[i] = ' ';
                    ++i;
                }
            }
        }
    }

    void emit(Block b) {
        if (!containers_.empty() && !containers_.back().quote) containers_.back().emitted = true;
        doc_.body.push_back(std::move(b));
    }

    void leave_heading() {
        // Where the heading starts: its '#' run, else (setext) its text.
        std::size_t at;
        if (heading_text_) {
            at = *heading_text_;
            SourcePos tp = map_.at(at);
            std::size_t ls = map_.line_start(tp.line - 1);
            std::size_t hash = text_.substr(ls, at - ls).find('#');
            if (hash != std::string_view::npos) at = ls + hash;
        } else {
            at = next_line_start();
        }
        SourcePos hp = map_.at(at);
        if (heading_level_ == 1)
            error(diags_, hp, "a level-1 heading is not allowed in the body; the title belongs in the front matter");
        else if (heading_level_ > 3)
            warning(diags_, hp,
                    "a level-" + std::to_string(heading_level_) +
                        " heading is set as level 3; only ## and ### headings are used in the body");
        std::size_t before = doc_.body.size();
        flush();
        if (doc_.body.size() > before) doc_.body.back().pos = hp;
        if (!heading_text_) cursor_ = line_end(at);
    }

    void leave_code() {
        std::string_view code = code_;
        while (!code.empty() && (code.back() == '\n' || code.back() == '\r')) code.remove_suffix(1);
        std::size_t at = code_first_ ? *code_first_ : next_line_start();
        if (!code.empty()) {
            Block b = context_block(BlockKind::CodeBlock);
            Span s;
            s.text = std::string(code);
            s.code = true;
            s.pos = map_.at(at);
            b.pos = s.pos;
            b.spans.push_back(std::move(s));
            emit(std::move(b));
        }
        // Step past the closing fence so later text-less blocks look further on.
        if (code_fenced_) cursor_ = line_end(next_line_start());
    }

    // A cell's text, collected like a paragraph's, goes into the table's
    // last row; an empty cell has no spans and points at its row.
    void leave_cell() {
        if (!table_ || table_->table->rows.empty()) return;
        TableCell cell;
        if (current_) {
            cell.spans = std::move(current_->spans);
            resolve_soft_breaks(cell.spans);
            trim_spans(cell.spans);
            cell.pos = current_first_ ? map_.at(markup_start(*current_first_)) : map_.at(cell_start_);
            current_.reset();
        } else {
            cell.pos = map_.at(cell_start_);
        }
        if (!cell.spans.empty()) cell.pos = cell.spans.front().pos;
        table_->table->rows.back().push_back(std::move(cell));
    }

    void leave_image() {
        if (table_) {
            std::size_t bang = text_.rfind("![", alt_first_ ? *alt_first_ : cursor_);
            warning(diags_, map_.at(bang == std::string_view::npos ? cursor_ : bang),
                    "a picture in a table cell is not set, only its alt text; put the picture before or after the table");
            image_.reset();
            if (!alt_.empty()) add_text(alt_, alt_first_);
            return;
        }
        Block b = context_block(BlockKind::Figure);
        Image img = std::move(*image_);
        image_.reset();
        img.caption = std::string(trim(alt_));
        std::size_t at;
        if (alt_first_ && *alt_first_ >= 2 && text_.substr(*alt_first_ - 2, 2) == "![")
            at = *alt_first_ - 2;
        else if (alt_first_)
            at = *alt_first_;
        else {
            // No alt text to point at: the next "![" from here is this image.
            std::size_t bang = text_.find("![", cursor_);
            at = bang == std::string_view::npos ? cursor_ : bang;
        }
        img.pos = map_.at(at);
        b.pos = img.pos;
        b.image = std::move(img);
        cursor_ = std::max(cursor_, at + 2);
        emit(std::move(b));
        picture_before_ = true;
    }

    // `{columns=2}` right after a picture (no space between, as pandoc's
    // attributes): how many columns it spans. A brace that opens no block
    // closed on its line, or is escaped, stays text.
    void picture_attributes(std::size_t off) {
        if (off >= text_.size() || text_[off] != '{' || (off > 0 && text_[off - 1] == '\\')) return;
        std::size_t close = text_.find('}', off);
        if (close == std::string_view::npos || close > line_end(off)) return;
        skip_until_ = close + 1;
        Image& img = *doc_.body.back().image;
        std::size_t i = off + 1;
        for (;;) {
            while (i < close && (text_[i] == ' ' || text_[i] == '\t')) ++i;
            if (i >= close) break;
            std::size_t end = i;
            while (end < close && text_[end] != ' ' && text_[end] != '\t') ++end;
            picture_attribute(text_.substr(i, end - i), i, img);
            i = end;
        }
    }
    void picture_attribute(std::string_view attr, std::size_t at, Image& img) {
        std::size_t eq = attr.find('=');
        std::string_view key = attr.substr(0, eq);
        if (eq == std::string_view::npos || key != "columns") {
            error(diags_, map_.at(at), "unknown picture attribute '" + std::string(key) + "' (known: columns)");
            return;
        }
        std::string_view value = attr.substr(eq + 1);
        if (value == "all") {
            img.columns = 0;
            return;
        }
        int n = 0;
        bool number = !value.empty() && value.size() <= 3;
        for (char c : value) {
            if (c < '0' || c > '9' || !number) {
                number = false;
                break;
            }
            n = 10 * n + (c - '0');
        }
        if (!number || n < 1) {
            error(diags_, map_.at(at + eq + 1), "'columns' must be a number of columns from 1, or 'all'");
            return;
        }
        img.columns = n;
    }

    // Steps back from a block's first text over inline markup that opens it
    // ("**", "[", "`"), so the block starts where the user's line does.
    std::size_t markup_start(std::size_t off) const {
        while (off > 0) {
            char c = text_[off - 1];
            if (c == '*' || c == '_' || c == '[' || c == '`' || c == '!' || c == '<' || c == '~' || c == '\\')
                --off;
            else
                break;
        }
        return off;
    }

    // For blocks without text (rules, empty headings): the first non-blank
    // character at or after the cursor's next line start.
    std::size_t next_line_start() const {
        std::size_t i = cursor_;
        if (i > 0 && i <= text_.size() && text_[i - 1] != '\n') {
            std::size_t nl = text_.find('\n', i);
            i = nl == std::string_view::npos ? text_.size() : nl + 1;
        }
        while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' || text_[i] == '\r'))
            ++i;
        return std::min(i, text_.size());
    }

    std::size_t line_end(std::size_t i) const {
        std::size_t nl = text_.find('\n', i);
        return nl == std::string_view::npos ? text_.size() : nl;
    }

    static void trim_spans(std::vector<Span>& spans) {
        while (!spans.empty()) {
            spans.front().text = std::string(trim_left(spans.front().text));
            if (!spans.front().text.empty()) break;
            spans.erase(spans.begin());
        }
        while (!spans.empty()) {
            spans.back().text = std::string(trim_right(spans.back().text));
            if (!spans.back().text.empty()) break;
            spans.pop_back();
        }
    }

    const SourceMap& map_;
    std::string_view text_;
    Document& doc_;
    Diagnostics& diags_;
    std::size_t cursor_;  // end of the last text seen: where to look for text-less blocks

    Mode mode_ = Mode::None;
    std::vector<Container> containers_;
    std::vector<ListState> lists_;

    std::optional<Block> current_;
    std::optional<std::size_t> current_first_;
    int emphasis_ = 0, strong_ = 0, code_span_ = 0, strike_ = 0;
    std::vector<std::string> links_;
    std::string refused_link_;  // a link target set as text, not yet reported

    int heading_level_ = 0;
    std::optional<std::size_t> heading_text_;

    std::string code_;  // the code block being collected
    std::optional<std::size_t> code_first_;
    bool code_fenced_ = false;

    bool html_warned_ = false;

    std::optional<Block> table_;  // the table being read
    std::size_t cell_start_ = 0;

    int image_depth_ = 0;
    bool picture_before_ = false;  // the last thing read was a picture: attributes may follow
    std::size_t skip_until_ = 0;   // the end of its attribute block
    std::optional<Image> image_;
    std::string alt_;
    std::optional<std::size_t> alt_first_;
};

}  // namespace

std::string decode_entity(std::string_view e) {
    if (e.size() < 3 || e.front() != '&' || e.back() != ';') return std::string(e);
    std::string_view name = e.substr(1, e.size() - 2);
    std::string out;
    if (name[0] == '#') {
        bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
        std::string_view digits = name.substr(hex ? 2 : 1);
        if (digits.empty() || digits.size() > 8) return std::string(e);
        char32_t cp = 0;
        for (char c : digits) {
            int v = (c >= '0' && c <= '9') ? c - '0'
                    : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                  : -1;
            if (v < 0) return std::string(e);
            cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(v);
        }
        // As CommonMark: NUL, surrogates and out-of-range become U+FFFD; so
        // do the controls and noncharacters a file may not hold.
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || forbidden_char(cp) || cp == '\r') cp = 0xFFFD;
        utf8_append(out, cp);
        return out;
    }
    for (const NamedEntity& n : kEntities)
        if (n.name == name) {
            utf8_append(out, n.cp);
            return out;
        }
    return std::string(e);
}

namespace {

// The label that makes a paragraph a table's caption, and its length.
std::size_t caption_label(const std::vector<Span>& spans) {
    if (spans.empty()) return 0;
    const std::string& t = spans.front().text;
    for (std::string_view label : {"Table:", "Table：", "表：", "表:"})
        if (t.rfind(label, 0) == 0) return label.size();
    return 0;
}

// A table's caption paragraph goes into the table.
void take_table_captions(std::vector<Block>& body) {
    std::vector<bool> taken(body.size(), false);
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i].kind != BlockKind::Table) continue;
        for (std::size_t j : {i - 1, i + 1}) {  // before it, else after it (i - 1 wraps at 0)
            if (j >= body.size() || taken[j] || body[j].kind != BlockKind::Paragraph ||
                body[j].quote_depth != body[i].quote_depth || body[j].list_depth != body[i].list_depth)
                continue;
            const std::size_t n = caption_label(body[j].spans);
            if (n == 0) continue;
            std::vector<Span> caption = body[j].spans;
            body[i].table->caption_label = caption.front().text.substr(0, n);
            caption.front().text = std::string(trim_left(std::string_view(caption.front().text).substr(n)));
            if (caption.front().text.empty()) caption.erase(caption.begin());
            body[i].table->caption = std::move(caption);
            body[i].table->caption_pos = body[j].pos;
            taken[j] = true;
            break;
        }
    }
    std::size_t out = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (taken[i]) continue;
        if (out != i) body[out] = std::move(body[i]);  // never onto itself: that empties its vectors
        ++out;
    }
    body.resize(out);
}

}  // namespace

namespace {

MD_PARSER parser_for(BodyReader&) {
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags = MD_DIALECT_COMMONMARK | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS |
                   MD_FLAG_PERMISSIVEAUTOLINKS;
    parser.enter_block = [](MD_BLOCKTYPE t, void* d, void* u) { return static_cast<BodyReader*>(u)->enter_block(t, d); };
    parser.leave_block = [](MD_BLOCKTYPE t, void* d, void* u) { return static_cast<BodyReader*>(u)->leave_block(t, d); };
    parser.enter_span = [](MD_SPANTYPE t, void* d, void* u) { return static_cast<BodyReader*>(u)->enter_span(t, d); };
    parser.leave_span = [](MD_SPANTYPE t, void* d, void* u) { return static_cast<BodyReader*>(u)->leave_span(t, d); };
    parser.text = [](MD_TEXTTYPE t, const MD_CHAR* p, MD_SIZE n, void* u) {
        return static_cast<BodyReader*>(u)->text(t, p, n);
    };
    return parser;
}

// A footnote definition found in the body: where it is, and its text.
struct NoteSource {
    std::string id;
    std::size_t begin = 0, end = 0;  // bytes of the whole definition
    std::string text;                // what follows "[^id]:", its lines joined
};

// "[^id]:" at a line start (up to 3 spaces in), its text running to the
// next blank line or definition. Lines in fenced code are not looked at.
std::vector<NoteSource> find_notes(std::string_view text, std::size_t from) {
    std::vector<NoteSource> out;
    bool fence = false;
    NoteSource* open = nullptr;
    for (std::size_t at = from; at < text.size();) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(at, nl - at);
        std::string_view t = trim(line);
        if (t.substr(0, 3) == "```" || t.substr(0, 3) == "~~~") fence = !fence, open = nullptr;
        std::size_t lead = line.find_first_not_of(' ');
        if (!fence && lead != std::string_view::npos && lead <= 3 && line.substr(lead, 2) == "[^") {
            std::size_t close = line.find("]:", lead);
            std::string_view id = close == std::string_view::npos ? "" : line.substr(lead + 2, close - lead - 2);
            if (!id.empty() && id.find_first_of(" \t[]") == std::string_view::npos) {
                out.push_back({std::string(id), at, nl, std::string(trim(line.substr(close + 2)))});
                open = &out.back();
                at = nl + 1;
                continue;
            }
        }
        if (open && !t.empty()) {
            open->text += "\n" + std::string(t);
            open->end = nl;
        } else {
            open = nullptr;
        }
        at = nl + 1;
    }
    return out;
}

// Link reference definitions ("[label]: https://…" on a line of their
// own): md4c takes them silently, so one no link uses would vanish
// without a word. Each with where it is and its destination.
struct LinkDefinition {
    std::string label, destination;
    std::size_t at = 0;
};

std::vector<LinkDefinition> find_link_definitions(std::string_view text, std::size_t from) {
    std::vector<LinkDefinition> out;
    bool fence = false;
    for (std::size_t at = from; at < text.size();) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(at, nl - at);
        std::string_view t = trim(line);
        if (t.substr(0, 3) == "```" || t.substr(0, 3) == "~~~") fence = !fence;
        std::size_t lead = line.find_first_not_of(' ');
        if (!fence && lead != std::string_view::npos && lead <= 3 && line[lead] == '[' && line.substr(lead, 2) != "[^") {
            std::size_t close = line.find("]:", lead);
            if (close != std::string_view::npos) {
                std::string_view dest = trim(line.substr(close + 2));
                dest = dest.substr(0, dest.find_first_of(" \t"));
                if (!dest.empty() && dest.front() == '<' && dest.back() == '>') dest = dest.substr(1, dest.size() - 2);
                if (!dest.empty()) out.push_back({std::string(line.substr(lead + 1, close - lead - 1)), std::string(dest), at + lead});
            }
        }
        at = nl + 1;
    }
    return out;
}

// Splits "[^id]" out of the body's text spans into markers (Span::note).
void find_markers(std::vector<Span>& spans) {
    std::vector<Span> out;
    for (Span& s : spans) {
        std::size_t from = 0;
        for (;;) {
            std::size_t open = s.code ? std::string::npos : s.text.find("[^", from);
            std::size_t close = open == std::string::npos ? std::string::npos : s.text.find(']', open);
            std::string id = close == std::string::npos ? "" : s.text.substr(open + 2, close - open - 2);
            if (open == std::string::npos || id.empty() || id.find_first_of(" \t[") != std::string::npos) {
                if (from < s.text.size() || from == 0) {
                    Span rest = s;
                    rest.text = s.text.substr(from);
                    if (from > 0) rest.pos.col += static_cast<int>(utf8_count(std::string_view(s.text).substr(0, from)));
                    out.push_back(std::move(rest));
                }
                break;
            }
            if (open > from) {
                Span before = s;
                before.text = s.text.substr(from, open - from);
                before.pos.col += static_cast<int>(utf8_count(std::string_view(s.text).substr(0, from)));
                out.push_back(std::move(before));
            }
            Span marker = s;
            marker.text = id;
            marker.note = id;
            marker.pos.col += static_cast<int>(utf8_count(std::string_view(s.text).substr(0, open)));
            out.push_back(std::move(marker));
            from = close + 1;
        }
    }
    spans = std::move(out);
}

}  // namespace

void read_body(const SourceMap& map, std::size_t body_offset, Document& doc, Diagnostics& diags) {
    // Footnote definitions are blanked (same length, same lines) before
    // md4c reads the body: it would take them for link definitions.
    const std::vector<NoteSource> sources = find_notes(map.text(), body_offset);
    std::string text(map.text());
    for (const NoteSource& n : sources)
        for (std::size_t i = n.begin; i < n.end; ++i)
            if (text[i] != '\n') text[i] = ' ';
    BodyReader reader(map, text, body_offset, doc, diags);
    MD_PARSER parser = parser_for(reader);
    std::string_view body = std::string_view(text).substr(std::min(body_offset, text.size()));
    md_parse(body.data(), static_cast<MD_SIZE>(body.size()), &parser, &reader);
    reader.finish();
    take_table_captions(doc.body);

    // A link definition no link took is reported where it stands.
    std::vector<std::string> hrefs;
    auto collect = [&](const std::vector<Span>& spans) {
        for (const Span& sp : spans)
            if (!sp.link.empty()) hrefs.push_back(sp.link);
    };
    for (const Block& b : doc.body) {
        collect(b.spans);
        if (b.table)
            for (const auto& row : b.table->rows)
                for (const TableCell& c : row) collect(c.spans);
    }
    for (const LinkDefinition& def : find_link_definitions(text, body_offset))
        if (std::find(hrefs.begin(), hrefs.end(), def.destination) == hrefs.end())
            warning(diags, map.at(def.at),
                    "the link definition [" + def.label + "] is not used by any link and is not printed");

    // Markers, and the notes in the order they are first referred to.
    std::vector<std::string> order;
    auto scan = [&](std::vector<Span>& spans) {
        find_markers(spans);
        for (Span& s : spans) {
            if (s.note.empty()) continue;
            auto known = std::find_if(sources.begin(), sources.end(), [&](const NoteSource& n) { return n.id == s.note; });
            if (known == sources.end()) {
                warning(diags, s.pos, "the note marker [^" + s.note + "] has no note: write '[^" + s.note + "]: …' on a line of its own; it is set as written");
                s.text = "[^" + s.note + "]";
                s.note.clear();
            } else if (std::find(order.begin(), order.end(), s.note) == order.end()) {
                order.push_back(s.note);
            }
        }
    };
    for (Block& b : doc.body) {
        scan(b.spans);
        if (b.table)
            for (auto& row : b.table->rows)
                for (TableCell& c : row) scan(c.spans);
    }
    const std::size_t referred = order.size();
    for (const NoteSource& n : sources)
        if (std::find(order.begin(), order.end(), n.id) == order.end()) {
            warning(diags, map.at(n.begin), "the note [^" + n.id + "] is never referred to; it is set after the others");
            order.push_back(n.id);
        }
    for (const std::string& id : order) {
        const NoteSource& n = *std::find_if(sources.begin(), sources.end(), [&](const NoteSource& s) { return s.id == id; });
        Note note;
        note.id = id;
        note.referred = doc.notes.size() < referred;
        note.pos = map.at(n.begin + (map.text().substr(n.begin).find("[^")));
        // The note's own Markdown (emphasis, links), read alone; its places
        // are the definition's.
        Document inner;
        inner.path = doc.path;
        const SourceMap inner_map(n.text, map.file());
        BodyReader inner_reader(inner_map, inner_map.text(), 0, inner, diags);
        MD_PARSER inner_parser = parser_for(inner_reader);
        md_parse(n.text.data(), static_cast<MD_SIZE>(n.text.size()), &inner_parser, &inner_reader);
        inner_reader.finish();
        for (Block& b : inner.body)
            for (std::size_t k = 0; k < b.spans.size(); ++k) {
                Span& s = b.spans[k];
                s.pos = note.pos;
                if (k == 0 && !note.spans.empty()) s.text = " " + s.text;  // the note's next paragraph runs in
                note.spans.push_back(std::move(s));
            }
        if (note.spans.empty()) warning(diags, note.pos, "the note [^" + id + "] is empty");
        doc.notes.push_back(std::move(note));
    }
}

}  // namespace galley::model
