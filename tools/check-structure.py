#!/usr/bin/env python3
"""Checks the engine's shape (issue: one engine, one direction):
- layout/src/render/ and pdf/ (the painters) include nothing from text/, flow/ or linebreak/;
- layout/src/model/ nothing from text/ or flow/;
- layout/src/linebreak/ nothing but its own header and the standard library;
- no function in layout/src is longer than 100 lines.
Prints every breach and exits 1 when there is one."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "layout" / "src"
MAX_LINES = 100
FORBIDDEN = {"render": ("text/", "flow/", "linebreak/"), "pdf": ("text/", "flow/", "linebreak/"), "model": ("text/", "flow/")}
HEADER = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
NOT_FUNCTION = re.compile(r"^\s*(namespace|struct|class|enum|union|extern)\b|=\s*$|^\s*(if|for|while|switch|do|else|try|catch)\b")


def strip(text):
    """Comments, string and character literals blanked, line breaks kept."""
    pattern = re.compile(r'//[^\n]*|/\*.*?\*/|R"\((?:.|\n)*?\)"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def functions(text):
    """(name line, first line, last line) of each outermost function body."""
    out, stack, header = [], [], ""
    line = 1
    for ch in strip(text):
        if ch == "\n":
            line += 1
            header += " "
        elif ch == "{":
            in_function = any(kind == "function" for kind, _ in stack)
            looks = ")" in header and not NOT_FUNCTION.search(header.strip()) and not header.strip().endswith("=")
            stack.append(("function" if looks and not in_function else "block", line))
            header = ""
        elif ch == "}":
            if stack:
                kind, start = stack.pop()
                if kind == "function":
                    out.append((start, line))
            header = ""
        elif ch == ";":
            header = ""
        else:
            header += ch
    return out


def main():
    errors = []
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in (".cpp", ".h"):
            continue
        rel = path.relative_to(ROOT)
        text = path.read_text(encoding="utf-8")
        module = rel.parts[0]
        for kind, name in HEADER.findall(text):
            if any(name.startswith(p) for p in FORBIDDEN.get(module, ())):
                errors.append(f"{rel}: includes {name}")
            if module == "linebreak" and (kind == '"' and name != "linebreak/linebreak.h" or kind == "<" and name.endswith(".h")):
                errors.append(f"{rel}: includes {name} (linebreak/ takes only its header and the standard library)")
        for start, end in functions(text):
            if end - start + 1 > MAX_LINES:
                errors.append(f"{rel}:{start}: function of {end - start + 1} lines (at most {MAX_LINES})")
    for e in errors:
        print(f"check-structure: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
