"""Every mie_* name in a comment of libcommon/ and tools/, and in
libcommon/README.md, must exist: as an identifier in the code of
libcommon/, tools/ or tests/ (a function, macro, type, variable or member),
as a file name or stem there, or, for a name ending in "_", as the prefix
of such an identifier.  Prints one line per
name that does not, "FILE:LINE: NAME".  Usage: comment_names.py TOP [EXCEPTION...]"""
import os
import re
import sys

top = sys.argv[1]
allowed = set(sys.argv[2:])
# strings and character constants first, so that "/*" in a string is no comment
token = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)
checked, sources, names = [], [], set()
for d in ("libcommon", "tools", "tests"):
    for root, _, files in os.walk(os.path.join(top, d)):
        for f in files:
            names.add(f)
            names.add(f.split(".")[0])
            if f.endswith((".c", ".h")):
                p = os.path.join(root, f)
                sources.append(p)
                if d != "tests":
                    checked.append(p)
idents, said = set(), []
for p in sources:
    s = open(p, encoding="utf-8", errors="replace").read()
    code, pos = [], 0
    for m in token.finditer(s):
        code.append(s[pos:m.start()])
        pos = m.end()
        t = m.group(0)
        if t.startswith(("/*", "//")) and p in checked:
            for n in re.finditer(r"\bmie_[a-z0-9_]+", t):
                line = s.count("\n", 0, m.start() + n.start()) + 1
                said.append((os.path.relpath(p, top), line, n.group(0)))
    code.append(s[pos:])
    idents.update(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*", "".join(code)))
# the library's README is held to the same rule
readme = os.path.join(top, "libcommon", "README.md")
if os.path.exists(readme):
    text = open(readme, encoding="utf-8").read()
    for n in re.finditer(r"\bmie_[a-z0-9_]+", text):
        said.append(("libcommon/README.md", text.count("\n", 0, n.start()) + 1, n.group(0)))
for p, line, n in said:
    if n in allowed or n in idents or n in names:
        continue
    if n.endswith("_") and any(i.startswith(n) for i in idents):
        continue
    print("%s:%d: %s" % (p, line, n))
