#!/usr/bin/env python3
"""Message check: every English message the server can send has a Dutch one.

Reads every .c and .h file under src/ and extracts the literal format string
(adjacent string literals joined, calls spanning lines) of each call of

    xrm_errf(err, rc, FORMAT, ...)
    xrm_err_field(err, rc, field, FORMAT, ...)
    xrm_msg(FORMAT)                      (core/messages.h)
    xrm_resp_problem(resp, status, DETAIL)
    xrm_resp_problem_code(resp, status, code, DETAIL)

and the Dutch dictionary (src/core/messages-nl.c, entries {"English", "Dutch"},
one a line). Fails (exit 1), naming file:line, when
  - a format has no Dutch entry (formats without a letter, such as "%s",
    need none),
  - an entry's conversion specifiers (%s, %.60s, %lld, %zu, ...) differ from
    its English key's, in kind or order (the arguments must still fit),
  - an entry is stale: its key occurs in no call any more,
  - a key occurs twice in the dictionary,
  - a Dutch message does not fit where it is used (the text without its
    conversions: 255 bytes for xrm_errf, 159 for a field's message, less
    where a wrapper adds to it), which the English one did.
A format that is not a literal (a variable) is reported as a note: it is
translated only if its text happens to be a key.

--list prints every extracted format with its place (for translators).
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
DICT = os.path.join(SRC, "core", "messages-nl.c")

# function name -> index of the format argument
CALLS = {
    "xrm_errf": 2,
    "xrm_err_field": 3,
    "xrm_msg": 0,
    "XRM_MSG_KEY": 0,
    "xrm_resp_problem": 2,
    "xrm_resp_problem_code": 3,
}
# Functions of one file that format a message of their own before they pass
# it on ("%s"), and phrases passed as an argument that the callee translates
# (xrm_access_admin(user, "changing pipelines", err)): file -> {name: index};
# None: every file. Their arguments are checked when literal, never noted.
LOCAL_CALLS = {
    "domain/base/query.c": {"fail": 3, "norm_choice": 5},
    "domain/rules/rule-eval.c": {"ferr": 3},
    "domain/party/party.c": {"normalize_points": 4},
    "http/dav.c": {"fail_status": 2},
    "http/dav-auth.c": {"unauthorized": 1},
    None: {"xrm_access_admin": 1, "xrm_access_write_any": 2, "xrm_query_int": 4},
}
# Files that define the functions: their parameters are no calls; only literal
# formats are taken from them.
SKIP = {"core/error.c", "core/error.h", "core/messages.c", "core/messages.h",
        "core/messages-nl.c", "http/http.h", "http/response.c"}

# Bytes a message's text (without its conversions) may take, per function
# (core/error.h: message[256], fields[].message[160]; query.c's fail() adds
# " at position N" to its own). Others: no limit.
LIMITS = {"xrm_errf": 255, "xrm_err_field": 159, "ferr": 159, "fail": 135}

ALL_CALLS = set(CALLS) | {n for calls in LOCAL_CALLS.values() for n in calls}
CALL_RE = re.compile(r"\b(" + "|".join(sorted(ALL_CALLS)) + r")\s*\(")
SPEC_RE = re.compile(r"%(?:%|[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|z|j|t|L)?[diouxXeEfgGcspn])")


def unescape(body):
    """C string literal body -> text (the escapes the sources use)."""
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            i += 2
            if n == "n":
                out.append("\n")
            elif n == "t":
                out.append("\t")
            elif n in "\\\"'?":
                out.append(n)
            elif n == "x":
                m = re.match(r"[0-9a-fA-F]+", body[i:])
                out.append(chr(int(m.group(0), 16)))
                i += len(m.group(0))
            elif n in "01234567":
                m = re.match(r"[0-7]{0,2}", body[i:])
                out.append(chr(int(n + m.group(0), 8)))
                i += len(m.group(0))
            else:
                out.append(n)
        else:
            out.append(c)
            i += 1
    return "".join(out)


def strip_comments(text):
    """Blanks comments (keeping newlines and offsets), leaves literals."""
    out, i, n = list(text), 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            q, i = c, i + 1
            while i < n and text[i] != q:
                i += 2 if text[i] == "\\" else 1
            i += 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                out[i] = " "
                i += 1
        elif text.startswith("/*", i):
            while i < n and not text.startswith("*/", i):
                if text[i] != "\n":
                    out[i] = " "
                i += 1
            if i < n:
                out[i] = out[i + 1] = " "
            i += 2
        else:
            i += 1
    return "".join(out)


def split_args(text, start):
    """Arguments (source text) of the call whose '(' is at start-1."""
    args, depth, i, cur = [], 0, start, start
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            q, i = c, i + 1
            while i < n and text[i] != q:
                i += 2 if text[i] == "\\" else 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append(text[cur:i])
                return args
            depth -= 1
        elif c == "," and depth == 0:
            args.append(text[cur:i])
            cur = i + 1
        i += 1
    return args


LIT_RE = re.compile(r'\s*"((?:[^"\\]|\\.)*)"\s*', re.S)


IDENT_RE = re.compile(r"\s*([A-Za-z_]\w*)\s*")
DEFINE_RE = re.compile(r'^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+((?:"(?:[^"\\\n]|\\.)*"[ \t]*)+)$',
                       re.M)


def literal(arg, macros=None):
    """The text of an argument made of string literals (and macros that are
    string literals) only, else None."""
    pos, parts = 0, []
    while pos < len(arg):
        m = LIT_RE.match(arg, pos)
        if m:
            parts.append(unescape(m.group(1)))
            pos = m.end()
            continue
        m = IDENT_RE.match(arg, pos)
        if m and macros and m.group(1) in macros:
            parts.append(macros[m.group(1)])
            pos = m.end()
            continue
        return None
    return "".join(parts) if parts else None


def formats(arg, macros):
    """The formats an argument may be: one literal, or both arms of
    COND ? LITERAL : LITERAL; [] when it is neither."""
    one = literal(arg, macros)
    if one is not None:
        return [one]
    m = re.match(r'^[^?"]*\?((?:\s*"(?:[^"\\]|\\.)*"\s*)+):((?:\s*"(?:[^"\\]|\\.)*"\s*)+)$', arg,
                 re.S)
    if m:
        return [literal(m.group(1)), literal(m.group(2))]
    return []


def extract():
    """[(format or None, source arg, 'file:line', byte limit or None)] of every
    call under src/."""
    found = []
    for dirpath, _, files in os.walk(SRC):
        for f in sorted(files):
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, SRC)
            with open(path, encoding="utf-8") as fh:
                text = strip_comments(fh.read())
            macros = {m.group(1): literal(m.group(2)) for m in DEFINE_RE.finditer(text)}
            local = dict(LOCAL_CALLS[None])
            local.update(LOCAL_CALLS.get(rel, {}))
            for m in CALL_RE.finditer(text):
                name = m.group(1)
                if name not in CALLS and name not in local:
                    continue
                args = split_args(text, m.end())
                idx = CALLS.get(name, local.get(name))
                line = text.count("\n", 0, m.start()) + 1
                where = "src/%s:%d" % (rel, line)
                if len(args) <= idx:
                    continue  # a declaration or macro of the function itself
                arg = args[idx].strip()
                fmts = formats(arg, macros)
                if not fmts and (rel in SKIP or name not in CALLS or name == "xrm_msg"):
                    continue
                for fmt in fmts or [None]:
                    found.append((fmt, arg, where, LIMITS.get(name)))
    return found


ENTRY_RE = re.compile(r'^\s*\{\s*("(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*)\s*,\s*'
                      r'("(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*)\s*\}\s*,')


def read_dict():
    """{english: (dutch, line)} and the errors of reading it."""
    entries, errors = {}, []
    inside = False
    with open(DICT, encoding="utf-8") as fh:
        for no, line in enumerate(fh, 1):
            if re.match(r"^struct xrm_msg_entry xrm_msg_nl\[\]", line):
                inside = True  # the messages; the field names come after
            elif line.startswith("};"):
                inside = False
            if not inside:
                continue
            m = ENTRY_RE.match(line)
            if not m:
                if line.lstrip().startswith('{"'):
                    errors.append("src/core/messages-nl.c:%d: cannot read this entry "
                                  "(one entry a line: {\"English\", \"Dutch\"},)" % no)
                continue
            en, nl = literal(m.group(1)), literal(m.group(2))
            if en in entries:
                errors.append("src/core/messages-nl.c:%d: key %r is there already (line %d)"
                              % (no, en, entries[en][1]))
                continue
            entries[en] = (nl, no)
    return entries, errors


def specs(s):
    return [x for x in SPEC_RE.findall(s) if x != "%%"]


def text_len(s):
    return len(SPEC_RE.sub("", s).encode("utf-8"))


def needs_entry(fmt):
    return re.search(r"[A-Za-z]", SPEC_RE.sub("", fmt)) is not None


def main():
    found = extract()
    if "--list" in sys.argv:
        for fmt, arg, where, _ in found:
            print("%s\t%r" % (where, fmt if fmt is not None else "<" + arg + ">"))
        return 0
    entries, errors = read_dict()
    used = set()
    notes = []
    for fmt, arg, where, limit in found:
        if fmt is None and arg.startswith("xrm_msg("):
            continue  # a phrase translated as an argument (LOCAL_CALLS)
        if fmt is None:
            notes.append("%s: format is not a literal (%s): not checked" % (where, arg))
            continue
        used.add(fmt)
        if needs_entry(fmt) and fmt not in entries:
            errors.append("%s: no Dutch message for %r (add it to src/core/messages-nl.c)"
                          % (where, fmt))
        elif fmt in entries and limit and text_len(entries[fmt][0]) > max(limit, text_len(fmt)):
            errors.append("src/core/messages-nl.c:%d: the Dutch message is %d bytes, more than "
                          "the %d that fit at %s" % (entries[fmt][1], text_len(entries[fmt][0]),
                                                     limit, where))
    for en, (nl, no) in sorted(entries.items(), key=lambda e: e[1][1]):
        if specs(en) != specs(nl):
            errors.append("src/core/messages-nl.c:%d: conversions %s of the Dutch message differ "
                          "from %s of its key %r" % (no, specs(nl), specs(en), en))
        if en not in used:
            errors.append("src/core/messages-nl.c:%d: stale entry: %r occurs in no call any more"
                          % (no, en))
    for n in notes:
        print("note: " + n)
    for e in errors:
        print(e)
    if errors:
        print("messages-check: %d problem(s)" % len(errors))
        return 1
    print("messages-check: ok (%d calls, %d Dutch messages)" % (len(found), len(entries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
