#!/usr/bin/env python3
"""check-layers: the layer map (src/LAYERS) enforced over the tree's includes and links.

    python3 scripts/check-layers.py [ROOT]      (ROOT: the repository, default this script's)

Reads ROOT/src/LAYERS (its format is described at its top) and every `#include "..."` in the
C++ files below src/, tools/, tests/, bench/ and fuzz/, then checks:

  1. a layer includes only itself and the libraries its LAYERS line allows (an upward or
     sideways include is a violation), and a consumer (a program, the tests, the benchmarks, the
     fuzz targets) only the libraries it links and what they link in turn;
  2. the libraries declared in CMakeLists.txt (`chartprov_layer(NAME DIR DEPS...)`) are the
     layers of LAYERS, each in its folder, and each one's cp_* link dependencies are exactly the
     libraries its files include: none missing, none extra;
  3. the layers allowed by LAYERS form no cycle;
  4. no include cycle among the files of each `acyclic` folder, a header and its .cpp counting
     as one file (a.cpp includes b.hpp and b.cpp includes a.hpp is a cycle);
  5. no include cycle among the immediate subfolders of each `acyclic-folders` folder, a
     subfolder standing for every file below it (x/a.cpp includes y/b.hpp and y/c.cpp includes
     x/d.hpp is a cycle of x and y); files directly in the folder take no part;
  6. every layer has its row in the layer table of docs/ARCHITECTURE.md (when there is one).

A quoted include must resolve, relative to the including file or from the include roots (src/,
and tests/ for the tests); a header from outside the tree is included with <...>. Prints one
line per violation (`file:line: message`) and exits 1 when there is any, 0 when clean, 2 when
LAYERS or CMakeLists.txt cannot be read. Standard library only; the whole tree takes well under
a second.
"""
import os
import re
import sys

SCANNED = ("src", "tools", "tests", "bench", "fuzz")
SOURCE_EXT = (".cpp", ".hpp", ".h", ".cc", ".c")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
LAYER_CALL_RE = re.compile(r"^\s*chartprov_layer\s*\(([^)]*)\)", re.M)
LINK_CALL_RE = re.compile(r"^\s*target_link_libraries\s*\(\s*(cp_\w+)([^)]*)\)", re.M)


class Config:
    def __init__(self):
        self.layers = {}  # name -> (folder, [allowed names], lineno)
        self.consumers = []  # (folder or file, [linked names], lineno)
        self.acyclic = []  # folders
        self.acyclic_folders = []  # folders whose subfolders are the nodes
        self.ignored = []  # folders not scanned


def fail_setup(message):
    print("check-layers: " + message, file=sys.stderr)
    sys.exit(2)


def read_layers(path):
    cfg = Config()
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        fail_setup("cannot read %s: %s" % (path, e.strerror))
    for n, line in enumerate(lines, 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        kind, args = words[0], words[1:]
        if kind == "layer" and len(args) >= 2:
            if args[0] in cfg.layers:
                fail_setup("%s:%d: layer %s given twice" % (path, n, args[0]))
            cfg.layers[args[0]] = (args[1].rstrip("/"), args[2:], n)
        elif kind == "consumer" and len(args) >= 2:
            cfg.consumers.append((args[0].rstrip("/"), args[1:], n))
        elif kind == "acyclic" and len(args) == 1:
            cfg.acyclic.append(args[0].rstrip("/"))
        elif kind == "acyclic-folders" and len(args) == 1:
            cfg.acyclic_folders.append(args[0].rstrip("/"))
        elif kind == "ignore" and len(args) == 1:
            cfg.ignored.append(args[0].rstrip("/"))
        else:
            fail_setup("%s:%d: not a LAYERS line: %s" % (path, n, line.strip()))
    for name, (_, allowed, n) in cfg.layers.items():
        for dep in allowed:
            if dep not in cfg.layers:
                fail_setup("%s:%d: %s may include %s, which is not a layer" % (path, n, name, dep))
    for _, links, n in cfg.consumers:
        for dep in links:
            if dep not in cfg.layers:
                fail_setup("%s:%d: a consumer links %s, which is not a layer" % (path, n, dep))
    return cfg


def under(path, folder):
    return path == folder or path.startswith(folder + "/")


def read_cmake(path):
    """The cp_* libraries chartprov_layer declares: name -> (dir, set of cp_* deps)."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as e:
        fail_setup("cannot read %s: %s" % (path, e.strerror))
    text = re.sub(r"#[^\n]*", "", text)
    libs = {}
    for m in LAYER_CALL_RE.finditer(text):
        words = m.group(1).split()
        if len(words) < 2 or words[0] == "name":  # the function's own definition
            continue
        libs[words[0]] = ("src/" + words[1].rstrip("/"), {w for w in words[2:] if w.startswith("cp_")})
    for m in LINK_CALL_RE.finditer(text):
        if m.group(1) in libs:
            libs[m.group(1)][1].update(w for w in m.group(2).split() if w.startswith("cp_"))
    return libs


def source_files(root, cfg):
    for top in SCANNED:
        for d, dirs, files in os.walk(os.path.join(root, top)):
            rel_dir = os.path.relpath(d, root).replace(os.sep, "/")
            dirs[:] = sorted(x for x in dirs if not any(under(rel_dir + "/" + x, i) for i in cfg.ignored))
            for f in sorted(files):
                if f.endswith(SOURCE_EXT):
                    yield rel_dir + "/" + f


def resolve(root, rel_file, target):
    """The repository path a quoted include names, or None."""
    roots = [os.path.dirname(rel_file), "src"]
    if under(rel_file, "tests"):
        roots.append("tests")
    for r in roots:
        p = os.path.normpath(os.path.join(r, target)).replace(os.sep, "/")
        if p.startswith("../"):
            continue
        full = os.path.join(root, p)
        if os.path.isfile(full) or os.path.isfile(full + ".in"):  # util/version.hpp is generated
            return p
    return None


def owner(path, cfg):
    """The layer a file belongs to (longest folder), or None."""
    best = None
    for name, (folder, _, _) in cfg.layers.items():
        if under(path, folder) and (best is None or len(folder) > len(cfg.layers[best][0])):
            best = name
    return best


def consumer_links(path, cfg):
    best = None
    for folder, links, _ in cfg.consumers:
        if under(path, folder) and (best is None or len(folder) > len(best[0])):
            best = (folder, links)
    return best[1] if best else None


def subfolder(path, folder):
    """The immediate subfolder of folder that holds path (folder/x for folder/x/...), or None."""
    if not path.startswith(folder + "/"):
        return None
    rest = path[len(folder) + 1:].split("/")
    return folder + "/" + rest[0] if len(rest) > 1 else None


def closure(start, graph):
    seen, todo = set(), list(start)
    while todo:
        x = todo.pop()
        if x not in seen:
            seen.add(x)
            todo.extend(graph.get(x, ()))
    return seen


def find_cycles(nodes, edges):
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    comps.append(sorted(comp))
    return comps


def cycle_path(comp, edges):
    """One cycle through the component's first node, as a list of nodes ending where it began."""
    members, start = set(comp), comp[0]
    prev, todo = {start: None}, [start]
    while todo:  # breadth first: the shortest way back to start
        nxt = []
        for v in todo:
            for w in sorted(edges.get(v, ())):
                if w == start:
                    path = [v]
                    while prev[path[-1]] is not None:
                        path.append(prev[path[-1]])
                    return list(reversed(path)) + [start]
                if w in members and w not in prev:
                    prev[w] = v
                    nxt.append(w)
        todo = nxt
    return comp + [start]


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    layers_file = "src/LAYERS"
    cfg = read_layers(os.path.join(root, layers_file))
    cmake = read_cmake(os.path.join(root, "CMakeLists.txt"))
    out = []

    # The map itself: the CMake libraries are the layers, in their folders, and the map is a DAG.
    for name, (folder, _, n) in sorted(cfg.layers.items()):
        if name not in cmake:
            out.append("%s:%d: layer %s is not a chartprov_layer in CMakeLists.txt" % (layers_file, n, name))
        elif cmake[name][0] != folder:
            out.append("%s:%d: layer %s is in %s, CMakeLists.txt builds it from %s" %
                       (layers_file, n, name, folder, cmake[name][0]))
    docs = os.path.join(root, "docs/ARCHITECTURE.md")
    if os.path.isfile(docs):  # the table there is the map in words: every layer has its row
        table = open(docs, encoding="utf-8").read()
        for name, (_, _, n) in sorted(cfg.layers.items()):
            if "| `%s` |" % name not in table:
                out.append("docs/ARCHITECTURE.md: layer %s (%s:%d) has no row in the layer table" %
                           (name, layers_file, n))
    for name in sorted(set(cmake) - set(cfg.layers)):
        out.append("CMakeLists.txt: library %s has no line in %s" % (name, layers_file))
    allowed = {name: set(deps) for name, (_, deps, _) in cfg.layers.items()}
    for comp in find_cycles(allowed.keys(), allowed):
        out.append("%s:%d: the layers allowed form a cycle: %s" %
                   (layers_file, cfg.layers[comp[0]][2], " -> ".join(cycle_path(comp, allowed))))

    # Every include: resolved, and allowed.
    linked = {name: deps for name, (_, deps) in cmake.items()}
    needs = {name: set() for name in cfg.layers}
    reach = {}  # consumer links -> what they may include
    file_edges = {}  # acyclic folders: node (path without extension) -> {node: (file, line)}
    folder_edges = {}  # acyclic-folders: subfolder -> {subfolder: (file, line)}
    for rel in source_files(root, cfg):
        lib = owner(rel, cfg)
        links = None if lib else consumer_links(rel, cfg)
        try:
            lines = open(os.path.join(root, rel), encoding="utf-8", errors="replace").read().splitlines()
        except OSError as e:
            out.append("%s: cannot read: %s" % (rel, e.strerror))
            continue
        for n, line in enumerate(lines, 1):
            m = INCLUDE_RE.match(line)
            if not m:
                continue
            target = resolve(root, rel, m.group(1))
            if target is None:
                out.append('%s:%d: "%s" is not a file of the tree (a header from outside is included with <>)' %
                           (rel, n, m.group(1)))
                continue
            dep = owner(target, cfg)
            if dep is not None and lib is not None and dep != lib:
                needs[lib].add(dep)
                if dep not in allowed[lib]:
                    out.append("%s:%d: %s may not include %s (layer rule)" % (rel, n, lib, dep))
            elif dep is not None and lib is None:
                if links is None:
                    out.append("%s:%d: %s is in no layer and no consumer of %s" % (rel, n, rel, layers_file))
                elif dep not in reach.setdefault(tuple(links), closure(links, linked)):
                    out.append("%s:%d: %s may not include %s (not linked)" % (rel, n, rel, dep))
            for folder in cfg.acyclic:
                if under(rel, folder) and under(target, folder):
                    a, b = os.path.splitext(rel)[0], os.path.splitext(target)[0]
                    if a != b:
                        file_edges.setdefault(a, {}).setdefault(b, (rel, n))
            for folder in cfg.acyclic_folders:
                a, b = subfolder(rel, folder), subfolder(target, folder)
                if a is not None and b is not None and a != b:
                    folder_edges.setdefault(a, {}).setdefault(b, (rel, n))

    # The declared link graph is what the includes need.
    for name in sorted(cfg.layers):
        if name not in cmake:
            continue
        for dep in sorted(needs[name] - linked[name]):
            out.append("CMakeLists.txt: %s includes %s but does not link it" % (name, dep))
        for dep in sorted(linked[name] - needs[name]):
            out.append("CMakeLists.txt: %s links %s but includes nothing of it" % (name, dep))

    # No include cycle among the files of an acyclic folder.
    for comp in find_cycles(file_edges.keys(), file_edges):
        path = cycle_path(comp, file_edges)
        f, n = file_edges[path[0]][path[1]]
        out.append("%s:%d: include cycle: %s" % (f, n, " -> ".join(path)))

    # No include cycle among the subfolders of an acyclic-folders folder.
    for comp in find_cycles(folder_edges.keys(), folder_edges):
        path = cycle_path(comp, folder_edges)
        f, n = folder_edges[path[0]][path[1]]
        out.append("%s:%d: folder include cycle: %s" % (f, n, " -> ".join(path)))

    for line in out:
        print(line)
    if out:
        print("check-layers: %d violation(s); the map is %s, docs/ARCHITECTURE.md#layers" % (len(out), layers_file),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
