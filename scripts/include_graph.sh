#!/bin/sh
# The include graph of msf's own files, folder by folder, and the two rules
# that keep its layers apart (issue 8):
# - no cycle between the files of runtime/, import/ or cli/;
# - folders include only the folders below them: runtime nothing outside
#   itself, import runtime, plan runtime and import, codegen runtime and
#   plan, cli anything.
# A header and its .c are one node (graph.h and graph.c: "graph"); A -> B
# when A.c or A.h includes B.h. Prints the edges, then every cycle and every
# edge that goes the wrong way; exits 1 if there is any.
# usage: scripts/include_graph.sh [SOURCE_DIR]
set -eu
cd "${1:-$(dirname "$0")/..}"
set --
for dir in runtime import plan codegen cli; do
    for file in "$dir"/*.[ch]; do
        [ -e "$file" ] && set -- "$@" "$file"
    done
done
exec awk '
# The folder of the header a quoted include names: the one it gives
# ("../runtime/msf_model.h"), else the includer'"'"'s if the header is there
# (the compiler looks there first), else the folder that has it; "" for a
# header that is not ours (a library'"'"'s).
function target_folder(from_dir, inc,    n, part) {
    n = split(inc, part, "/")
    if (n > 1)
        return part[n - 1]
    if ((from_dir SUBSEP inc) in header)
        return from_dir
    return inc in owner ? owner[inc] : ""
}

function node(path,    n, part) {
    n = split(path, part, "/")
    sub(/\.[ch]$/, "", part[n])
    return part[n]
}

# Depth-first search within one folder; a node met again while still on
# the stack closes a cycle, printed from where it starts.
function visit(dir, v, depth,    k, w, i, path) {
    state[v] = 1
    stack[depth] = v
    for (k = 1; k <= n_next[dir, v]; k++) {
        w = next_node[dir, v, k]
        if (state[w] == 1) {
            for (i = depth; stack[i] != w; i--)
                ;
            path = w
            for (i++; i <= depth; i++)
                path = path " -> " stack[i]
            printf "cycle in %s/: %s -> %s\n", dir, path, w
            cycles++
        } else if (!state[w]) {
            visit(dir, w, depth + 1)
        }
    }
    state[v] = 2
}

BEGIN {
    split("runtime import plan codegen cli", folders, " ")
    allowed["runtime"] = " runtime "
    allowed["import"] = " runtime import "
    allowed["plan"] = " runtime import plan "
    allowed["codegen"] = " runtime codegen plan "
    allowed["cli"] = " runtime import plan codegen cli "
    checked_for_cycles = " runtime import cli "
    for (i = 1; i < ARGC; i++) {
        n = split(ARGV[i], part, "/")
        if (ARGV[i] ~ /\.h$/) {
            header[part[1], part[n]] = 1
            owner[part[n]] = part[1]
        }
        v = node(ARGV[i])
        if (!((part[1], v) in seen))
            nodes[part[1], ++n_nodes[part[1]]] = v
        seen[part[1], v] = 1
    }
}

/^[ \t]*#[ \t]*include[ \t]*"/ {
    inc = $0
    sub(/^[^"]*"/, "", inc)
    sub(/".*/, "", inc)
    split(FILENAME, part, "/")
    dir = part[1]
    to_dir = target_folder(dir, inc)
    if (to_dir == "")
        next
    from = node(FILENAME)
    to = node(inc)
    if ((dir, from, to_dir, to) in edge || (dir == to_dir && from == to))
        next
    edge[dir, from, to_dir, to] = 1
    targets[dir, from] = targets[dir, from] " " (to_dir == dir ? to : to_dir "/" to)
    if (dir == to_dir) {
        n_next[dir, from]++
        next_node[dir, from, n_next[dir, from]] = to
    } else if (index(allowed[dir], " " to_dir " ") == 0) {
        list = allowed[dir]
        gsub(/^ | $/, "", list)
        gsub(/ /, "/, ", list)
        wrong[++n_wrong] = sprintf("wrong way: %s/%s -> %s/%s (%s/ includes only %s/)", dir, from, to_dir, to, dir,
                                   list)
    }
}

END {
    for (f = 1; f in folders; f++) {
        dir = folders[f]
        printf "%s/\n", dir
        for (i = 1; i <= n_nodes[dir]; i++)
            printf "  %s ->%s\n", nodes[dir, i], targets[dir, nodes[dir, i]]
    }
    print ""
    for (f = 1; f in folders; f++) {
        dir = folders[f]
        if (index(checked_for_cycles, " " dir " ") == 0)
            continue
        delete state
        for (i = 1; i <= n_nodes[dir]; i++)
            if (!state[nodes[dir, i]])
                visit(dir, nodes[dir, i], 1)
    }
    for (i = 1; i <= n_wrong; i++)
        print wrong[i]
    printf "%d cycles, %d wrong-way edges\n", cycles, n_wrong
    exit cycles + n_wrong > 0
}
' "$@"
