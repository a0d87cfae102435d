/**
 * A synchronous snapshot of the machine's processes, for killing a tree before anything in it can
 * react or the caller is ended itself: on Linux from `/proc/<pid>/stat`, elsewhere from `ps`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** The process group. */
  pgid: number;
  /** The session, where the platform tells it (Linux). */
  sid?: number;
  /** When the process started, in the platform's own units (Linux): tells a reused pid apart. */
  start?: string;
}

/** Parses `/proc/<pid>/stat`; the command name may hold spaces and parentheses, so fields count from its end. */
export function parseProcStat(stat: string): ProcessEntry | undefined {
  const close = stat.lastIndexOf(')');
  const pid = Number(stat.slice(0, stat.indexOf(' ')));
  const fields = stat.slice(close + 2).split(' ');
  // After the name: state ppid pgrp session ... and starttime, the 22nd field of the line.
  const [state, ppid, pgid, sid] = fields;
  if (close < 0 || !Number.isInteger(pid) || state === undefined || state === 'Z') return undefined;
  return { pid, ppid: Number(ppid), pgid: Number(pgid), sid: Number(sid), start: fields[19] };
}

function readLinux(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const entry = parseProcStat(fs.readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (entry) entries.push(entry);
    } catch {
      // The process ended while the table was read.
    }
  }
  return entries;
}

function readPs(): ProcessEntry[] {
  const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { encoding: 'utf8' });
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((fields) => fields.length === 3 && fields.every(Number.isInteger))
    .map(([pid, ppid, pgid]) => ({ pid: pid as number, ppid: ppid as number, pgid: pgid as number }));
}

/** Every live process (zombies left out); empty where neither `/proc` nor `ps` can be read. */
export function readProcessTable(): ProcessEntry[] {
  try {
    return process.platform === 'linux' ? readLinux() : readPs();
  } catch {
    return [];
  }
}

/** The start time of one process, to recognise it later; undefined when it is gone or the platform does not tell. */
export function readProcessStart(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))?.start;
  } catch {
    return undefined;
  }
}
