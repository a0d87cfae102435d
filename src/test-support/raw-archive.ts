/** Hand-made tar.gz archives for tests of the archive checks: node-tar will not create most of these. */
import { gzipSync } from 'node:zlib';
import { Header, Pax, type HeaderData } from 'tar';

/** One entry of a hand-made archive. */
export interface RawEntry extends HeaderData {
  body?: string;
  /** A pax header (local, or global with `global`) written before the entry. */
  pax?: { fields: HeaderData; global?: boolean };
  /** A raw one-letter type flag, for types node-tar has no name for. */
  typeFlag?: string;
}

function block(entry: RawEntry): Buffer {
  const header = new Header({ mode: 0o644, size: entry.body?.length ?? 0, mtime: new Date(0), type: 'File', ...entry });
  const buffer = Buffer.alloc(512);
  header.encode(buffer);
  if (entry.typeFlag) {
    buffer.write(entry.typeFlag, 156, 'latin1');
    buffer.fill(' ', 148, 156);
    const sum = buffer.reduce((total, byte) => total + byte, 0);
    buffer.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  }
  return buffer;
}

export function rawArchive(entries: RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.pax) parts.push(new Pax(entry.pax.fields, entry.pax.global).encode());
    parts.push(block(entry));
    if (entry.body) {
      const body = Buffer.alloc(Math.ceil(entry.body.length / 512) * 512);
      body.write(entry.body);
      parts.push(body);
    }
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}
