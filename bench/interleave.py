#!/usr/bin/env python3
"""Runs commands round-robin (A B C D, A B C D, ...) so that a shared machine's load falls on
every command alike, and prints, per command, the best and median wall time and the best CPU
time (user + system of the process and its threads), as JSON.

    interleave.py ROUNDS WARMUP CMD [CMD...]   (each CMD one shell-free string, split on spaces)
"""
import json
import os
import resource
import subprocess
import sys
import time


def run(argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    rounds, warmup, cmds = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    argvs = [c.split() for c in cmds]
    for _ in range(warmup):
        for a in argvs:
            run(a)
    walls = [[] for _ in cmds]
    cpus = [[] for _ in cmds]
    for _ in range(rounds):
        for i, a in enumerate(argvs):
            w, c = run(a)
            walls[i].append(w)
            cpus[i].append(c)
    out = []
    for i, c in enumerate(cmds):
        ws = sorted(walls[i])
        out.append({"command": c, "best": ws[0], "median": ws[len(ws) // 2], "cpu_best": min(cpus[i]),
                    "cpu_median": sorted(cpus[i])[len(cpus[i]) // 2]})
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
