// style: an article's every piece of text with its role, and the words the
// engine adds to it, before anything is measured.
#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "common/dates.h"
#include "common/language.h"
#include "common/strings.h"
#include "style/cascade.h"
#include "style/locale.h"

namespace galley {
namespace {

// A picture's caption with its credit: "图为……（华商网）", "… (AP)".
std::string caption_text(const Image& im, const Locale& words) {
    if (im.credit.empty()) return im.caption;
    if (im.caption.empty()) return im.credit;
    return im.caption + fill(words.caption_credit, im.credit);
}

// （记者 崔霖鹏 李玮 通讯员 王某）, "By Ann Lee and Bo Chen, with Cy Dunn (photographer)".
std::string byline_text(const Document& doc, const Locale& words, bool cjk) {
    std::vector<std::string> reporters;
    std::vector<std::pair<std::string, std::vector<std::string>>> others;  // by role, in order
    for (size_t i = 0; i < doc.byline.size(); ++i) {
        const std::string role = i < doc.byline_roles.size() ? doc.byline_roles[i] : "";
        if (role.empty()) {
            reporters.push_back(doc.byline[i]);
            continue;
        }
        auto it = std::find_if(others.begin(), others.end(), [&](const auto& o) { return o.first == role; });
        if (it == others.end()) others.push_back({role, {}}), it = others.end() - 1;
        it->second.push_back(doc.byline[i]);
    }
    if (others.empty()) return fill(words.byline, join(reporters, words.byline_names));
    if (cjk) {
        // The reporters' own word from the pattern: "（记者 {}）" gives 记者.
        const std::string pattern = words.byline;
        std::string inner = reporters.empty() ? "" : fill(pattern, join(reporters, words.byline_names));
        if (!inner.empty()) inner = inner.substr(0, inner.rfind("）"));
        else inner = pattern.substr(0, pattern.find("记者"));
        for (const auto& [role, names] : others) inner += (inner.size() > 3 ? " " : "") + role + " " + join(names, " ");
        return inner + "）";
    }
    std::string out = reporters.empty() ? "" : fill(words.byline, join(reporters, words.byline_names));
    for (const auto& [role, names] : others)
        out += (out.empty() ? "" : ", with ") + join(names, words.byline_names) + " (" + role + ")";
    return out;
}

std::string dateline_text(const Dateline& d, bool cjk, const Locale& words) {
    std::vector<std::string> parts;
    if (!d.place.empty()) parts.push_back(d.place);
    if (!d.source.empty()) parts.push_back(d.source);
    if (d.date) parts.push_back(format_date(*d.date, cjk, true));
    return join(parts, words.fields);
}

// A prefix for the names of an article's notes, unique in an issue:
// FNV-1a of its path and title (an issue holds each article once).
std::string note_prefix(const Document& doc) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : doc.path + "\n" + doc.title) h = (h ^ c) * 1099511628211ull;
    char buf[24];
    std::snprintf(buf, sizeof buf, "n%08llx-", static_cast<unsigned long long>(h & 0xffffffffull));
    return buf;
}

struct BlockStyler {
    const Style& style;
    const std::string& lang;
    const Locale& words;
    int* tables;  // captions numbered so far

    StyledBlock operator()(const Block& b) const {
        StyledBlock out;
        out.pos = b.pos;
        out.quote_depth = b.quote_depth;
        switch (b.kind) {
            case BlockKind::Heading: heading(b, out); break;
            case BlockKind::Paragraph: paragraph(b, out); break;
            case BlockKind::ListItem: list_item(b, out); break;
            case BlockKind::CodeBlock: code(b, out); break;
            case BlockKind::Figure:
                out.kind = StyledKind::Figure;
                out.role = style.caption;
                out.image = b.image;
                out.text.push_back(style_text(caption_text(*b.image, words), style.caption, lang, b.pos));
                break;
            case BlockKind::Rule: out.kind = StyledKind::Rule; break;
            case BlockKind::Table: table(b, out); break;
        }
        return out;
    }
    void table(const Block& b, StyledBlock& out) const {
        const Table& t = *b.table;
        out.kind = StyledKind::Table;
        out.role = style.table;
        StyledTable st;
        st.pos = b.pos;
        for (size_t r = 0; r < t.rows.size(); ++r) {
            std::vector<StyledParagraph>& row = st.rows.emplace_back();
            const TextRole& role = r == 0 ? style.table_head : style.table;
            for (const TableCell& c : t.rows[r]) row.push_back(style_spans(c.spans, role, style, lang, c.pos));
        }
        for (size_t c = 0; c < t.align.size(); ++c) {
            using A = StyledTable::Align;
            switch (t.align[c]) {
                case ColumnAlign::Left: st.align.push_back(A::Start); break;
                case ColumnAlign::Center: st.align.push_back(A::Center); break;
                case ColumnAlign::Right: st.align.push_back(A::End); break;
                case ColumnAlign::Auto: st.align.push_back(numeric_column(t, c) ? A::Decimal : A::Start); break;
            }
        }
        out.table = std::move(st);
        if (!t.caption.empty()) {
            // The label as the author wrote it, numbered: 表：→ 表1：, Table: → Table 1:.
            std::vector<Span> caption = t.caption;
            std::string label = t.caption_label;
            if (style.table_numbers) {
                const size_t colon = label.rfind(label.back() == ':' ? ":" : "：");
                label = fill(words.table_number, std::to_string(++*tables)) + label.substr(colon);
            }
            Span n;
            n.text = label + (label.back() == ':' ? " " : "");
            n.pos = t.caption_pos;
            caption.insert(caption.begin(), n);
            TextRole role = style.caption;
            role.align = Align::Center;
            out.text.push_back(style_spans(caption, role, style, lang, t.caption_pos));
        }
    }
    // Figures: digits with grouping commas and a decimal point, a sign, a
    // currency sign before or a percent sign after; a dash for none.
    static bool number_text(const std::string& s) {
        if (s == "-" || s == "—" || s == "–" || s == "/") return true;
        size_t i = 0;
        if (s.compare(0, 1, "+") == 0 || s.compare(0, 1, "-") == 0) i = 1;
        else if (s.compare(0, 3, "−") == 0) i = 3;
        for (std::string_view cur : {"$", "¥", "€", "£"})
            if (s.compare(i, cur.size(), cur) == 0) i += cur.size();
        size_t digits = 0, points = 0;
        for (; i < s.size(); ++i) {
            const char c = s[i];
            if (c >= '0' && c <= '9') ++digits;
            else if (c == '.') ++points;
            else if (c == ',' && digits > 0) continue;
            else break;
        }
        if (s.compare(i, 1, "%") == 0) ++i;
        else if (s.compare(i, 3, "％") == 0) i += 3;
        return digits > 0 && points <= 1 && i == s.size();
    }
    static bool numeric_column(const Table& t, size_t c) {
        bool any = false;
        for (size_t r = 1; r < t.rows.size(); ++r) {
            std::string text;
            for (const Span& s : t.rows[r][c].spans) text += s.text;
            if (text.empty()) continue;
            if (!number_text(text)) return false;
            any = true;
        }
        return any;
    }
    void heading(const Block& b, StyledBlock& out) const {
        out.kind = StyledKind::Heading;
        out.level = b.level <= 2 ? 2 : 3;
        out.role = out.level == 2 ? style.heading2 : style.heading3;
        out.text.push_back(style_spans(b.spans, out.role, style, lang, b.pos));
        for (auto& s : b.spans) out.outline_title += s.text;
    }
    // A quote in a larger size than the body is a pull quote.
    void paragraph(const Block& b, StyledBlock& out) const {
        const bool pull = b.quote_depth > 0 && style.quote.size > style.body.size;
        out.kind = pull ? StyledKind::PullQuote : StyledKind::Paragraph;
        out.role = b.quote_depth > 0 ? style.quote : style.body;
        out.text.push_back(style_spans(b.spans, out.role, style, lang, b.pos));
    }
    // Numbers run in as text; a bullet is drawn, not the author's text.
    void list_item(const Block& b, StyledBlock& out) const {
        out.kind = StyledKind::ListItem;
        out.role = style.list;
        out.list_depth = b.list_depth;
        out.list_continuation = b.list_continuation;
        out.task = b.task;
        out.bullet = !b.list_continuation && !b.ordered && b.task == 0;
        std::vector<Span> spans = b.spans;
        if (!b.list_continuation && b.ordered) {
            Span m;
            m.text = fill(words.list_number, std::to_string(b.number));
            m.pos = b.pos;
            spans.insert(spans.begin(), m);
        }
        out.text.push_back(style_spans(spans, style.list, style, lang, b.pos));
    }
    // One paragraph per line, blank lines kept (an empty paragraph); spaces
    // and tabs (to the next multiple of 4) as no-break spaces, which keep
    // their width in the monospace face.
    void code(const Block& b, StyledBlock& out) const {
        out.kind = StyledKind::Code;
        out.role = style.code;
        std::string text;
        for (auto& s : b.spans) text += s.text;
        for (size_t start = 0; start <= text.size();) {
            size_t end = text.find('\n', start);
            std::string one = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
            std::string kept;
            size_t column = 0;
            for (size_t i = 0; i < one.size(); ++i) {
                if (one[i] == ' ' || one[i] == '\t') {
                    for (size_t n = one[i] == ' ' ? 1 : 4 - column % 4; n > 0; --n, ++column) kept += "\u00A0";
                    continue;
                }
                kept += one[i];
                if ((static_cast<unsigned char>(one[i]) & 0xC0) != 0x80) ++column;
            }
            out.text.push_back(kept.empty() ? StyledParagraph{{}, lang, b.pos} : style_text(kept, style.code, lang, b.pos));
            if (end == std::string::npos) break;
            start = end + 1;
        }
    }
};

// 按语 with its lead-in in bold: ours, or the source's own (编者按：, 按：).
StyledParagraph editor_note(const Document& doc, const Style& style, const std::string& lang, const Locale& words) {
    const std::string& lead = words.editor_note;
    const std::string word = lead.substr(0, lead.find_last_not_of(" ：:") + 1);
    std::vector<Span> spans(2);
    spans[0].strong = true;
    spans[1].text = doc.editor_note;
    for (const std::string& own : {word + "：", word + ":", std::string("按：")}) {
        if (doc.editor_note.rfind(own, 0) != 0) continue;
        spans[0].text = own;
        spans[1].text = doc.editor_note.substr(own.size());
        break;
    }
    if (spans[0].text.empty()) spans[0].text = lead;
    for (Span& s : spans) s.pos = doc.title_pos;
    return style_spans(spans, style.editor_note, style, lang, doc.title_pos);
}

// Each note with its number first, linking back to its first marker.
std::vector<StyledParagraph> styled_notes(const Document& doc, const Style& style, const std::string& lang,
                                          const Locale& words, const std::string& prefix) {
    std::vector<StyledParagraph> out;
    TextRole role = style.caption;
    role.align = Align::Justify;
    for (size_t n = 1; n <= doc.notes.size(); ++n) {
        const Note& note = doc.notes[n - 1];
        std::vector<Span> spans = note.spans;
        Span number;
        number.text = fill(words.note_number, std::to_string(n));
        if (note.referred) number.link = "#" + marker_anchor(prefix, static_cast<int>(n));
        number.pos = note.pos;
        spans.insert(spans.begin(), number);
        out.push_back(style_spans(spans, role, style, lang, note.pos));
    }
    return out;
}

}  // namespace

StyledDocument style_document(const Document& doc, const Style& base, const std::string& lang) {
    StyledDocument sd;
    sd.lang = lang;
    sd.style = style_for_language(base, lang);
    const Style& style = sd.style;
    const Locale& words = locale_for(lang);
    auto text = [&](const std::string& t, const TextRole& role, const SourcePos& pos) {
        return t.empty() ? StyledParagraph{{}, lang, pos} : style_text(t, role, lang, pos);
    };
    sd.title = doc.title;
    sd.kicker = text(doc.kicker.empty() ? doc.section : doc.kicker, style.kicker, doc.title_pos);
    sd.section = doc.section;
    sd.headline = text(doc.title, style.title, doc.title_pos);
    sd.subtitle = text(doc.subtitle, style.subtitle, doc.title_pos);
    if (doc.dateline)
        sd.dateline = text(dateline_text(*doc.dateline, is_cjk_lang(lang), words), style.dateline, doc.dateline->pos);
    // A blank line in the summary's YAML block parts its paragraphs.
    for (size_t from = 0; from < doc.summary.size();) {
        size_t to = doc.summary.find('\n', from);
        if (to == std::string::npos) to = doc.summary.size();
        sd.summary.push_back(style_text(doc.summary.substr(from, to - from), style.summary, lang, doc.title_pos));
        from = to + 1;
    }
    if (doc.image) {
        sd.lead = doc.image;
        sd.lead_caption = style_text(caption_text(*doc.image, words), style.caption, lang, doc.image->pos);
    }
    if (!doc.editor_note.empty()) sd.editor_note = editor_note(doc, style, lang, words);
    int tables = 0;
    BlockStyler styler{style, lang, words, &tables};
    // Notes: markers become their numbers, linked to the notes.
    sd.note_prefix = note_prefix(doc);
    std::vector<Block> body;
    const std::vector<Block>* blocks = &doc.body;
    if (!doc.notes.empty()) {
        body = doc.body;
        auto number = [&](std::vector<Span>& spans) {
            for (Span& s : spans) {
                if (s.note.empty()) continue;
                int n = 1;
                while (n <= static_cast<int>(doc.notes.size()) && doc.notes[static_cast<size_t>(n - 1)].id != s.note) ++n;
                s.text = std::to_string(n);
                s.link = "#" + note_anchor(sd.note_prefix, n);
            }
        };
        for (Block& b : body) {
            number(b.spans);
            if (b.table)
                for (auto& row : b.table->rows)
                    for (TableCell& c : row) number(c.spans);
        }
        blocks = &body;
    }
    for (const Block& b : *blocks) sd.body.push_back(styler(b));
    sd.notes = styled_notes(doc, style, lang, words, sd.note_prefix);
    // `link`: the line is a link there, after its label.
    auto closing = [&](const std::string& t, TextRole role, const std::string& label = {}, const std::string& link = {}) {
        StyledBlock b;
        b.role = role;
        std::vector<Span> spans(label.empty() ? 1 : 2);
        if (!label.empty()) spans.front().text = label;
        spans.back().text = t;
        spans.back().link = link;
        b.text.push_back(style_spans(spans, role, style, lang, doc.title_pos));
        b.pos = doc.title_pos;
        sd.closing.push_back(std::move(b));
    };
    if (doc.signature) {
        auto line = [&](const std::string& t, int level) {
            StyledBlock b;
            b.role = style.body;
            b.level = level;
            b.text.push_back(style_text(t, style.body, lang, doc.signature->pos));
            b.pos = doc.signature->pos;
            sd.signature.push_back(std::move(b));
        };
        for (const std::string& t : doc.signature->issuers) line(t, 1);
        if (!doc.signature->date.empty()) line(doc.signature->date, 2);
        for (const std::string& t : doc.signature->notes) line(t, 3);
    }
    if (!doc.byline.empty()) closing(byline_text(doc, words, is_cjk_lang(lang)), style.byline);
    for (const Credit& c : doc.credits) closing(c.role + words.label + c.name, style.credits);
    TextRole related = style.caption;
    related.align = Align::Start;
    for (const Related& r : doc.related) {
        const std::string& pattern = r.rel == "previous" ? words.related_previous
                                   : r.rel == "next"     ? words.related_next
                                                         : words.related;
        const std::string label = pattern.substr(0, pattern.find("{}"));
        closing(r.title, related, label, r.href);
    }
    return sd;
}

}  // namespace galley
