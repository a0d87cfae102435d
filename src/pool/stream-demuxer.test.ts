import assert from 'node:assert/strict';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { endMarker, startMarker } from '../worker/protocol';
import { demuxStream } from './stream-demuxer';

type Piece = { kind: 'output'; seq: number | undefined; text: string } | { kind: 'start' | 'end'; seq: number };

/** What a worker writes: text between markers; the pieces are what the demuxer must report. */
function script(pieces: Piece[]): string {
  return pieces
    .map((piece) => {
      switch (piece.kind) {
        case 'output':
          return piece.text;
        case 'start':
          return startMarker(piece.seq);
        case 'end':
          return endMarker(piece.seq);
        default: {
          const never: never = piece;
          return never;
        }
      }
    })
    .join('');
}

/** Adjacent output of the same seq joined: how output is split into calls is free, its attribution is not. */
function merge(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const last = out[out.length - 1];
    if (piece.kind === 'output' && last?.kind === 'output' && last.seq === piece.seq) last.text += piece.text;
    else out.push({ ...piece });
  }
  return out;
}

async function demux(chunks: Buffer[]): Promise<Piece[]> {
  const stream = new PassThrough();
  const seen: Piece[] = [];
  demuxStream(stream, {
    output: (seq, text) => {
      assert.notEqual(text, '', 'empty output is not reported');
      seen.push({ kind: 'output', seq, text });
    },
    start: (seq) => seen.push({ kind: 'start', seq }),
    end: (seq) => seen.push({ kind: 'end', seq }),
  });
  const ended = once(stream, 'end');
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await ended;
  return merge(seen);
}

function splitAt(bytes: Buffer, ...cuts: number[]): Buffer[] {
  const points = [0, ...cuts, bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

const expected: Piece[] = [
  { kind: 'output', seq: undefined, text: 'worker booting\n' },
  { kind: 'start', seq: 1 },
  { kind: 'output', seq: 1, text: 'héllo wörld 🎉 — 日本語\n' },
  { kind: 'end', seq: 1 },
  { kind: 'output', seq: undefined, text: 'between tasks \u0002 is not a marker\n' },
  { kind: 'start', seq: 12 },
  { kind: 'output', seq: 12, text: 'a \u0002nx-parallel:bogus\u0003 line, and \u0002nx\n' },
  { kind: 'end', seq: 12 },
  { kind: 'start', seq: 13 },
  { kind: 'end', seq: 13 },
  { kind: 'start', seq: 14 },
  { kind: 'output', seq: 14, text: 'last \u0002nx-parallel:end:99 unterminated, words 🎉' },
  { kind: 'end', seq: 14 },
  { kind: 'output', seq: undefined, text: 'shutting down\u0002' },
];
const bytes = Buffer.from(script(expected), 'utf8');

describe('demuxStream', () => {
  it('attributes text to the task between its markers, all in one chunk', async () => {
    assert.deepEqual(await demux([bytes]), expected);
  });

  it('attributes text exactly when the stream is cut at any one byte', async () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      assert.deepEqual(await demux(splitAt(bytes, cut)), expected, `cut at byte ${cut}`);
    }
  });

  it('attributes text exactly when the stream arrives one byte at a time', async () => {
    assert.deepEqual(await demux(chunksOf(bytes, 1)), expected);
  });

  it('attributes text exactly for every chunk size', async () => {
    for (let size = 2; size <= 24; size++) {
      assert.deepEqual(await demux(chunksOf(bytes, size)), expected, `chunks of ${size} bytes`);
    }
  });

  it('attributes text exactly when a marker is cut twice', async () => {
    const at = bytes.indexOf(Buffer.from(startMarker(12)));
    const length = Buffer.byteLength(startMarker(12));
    for (let first = at; first <= at + length; first++) {
      for (let second = first + 1; second <= at + length + 1; second++) {
        assert.deepEqual(await demux(splitAt(bytes, first, second)), expected, `cuts at ${first} and ${second}`);
      }
    }
  });

  it('passes through text with no markers at all, as output outside any task', async () => {
    const text = 'plain \u0002 text\nwith lines\n';
    assert.deepEqual(await demux(chunksOf(Buffer.from(text), 3)), [{ kind: 'output', seq: undefined, text }]);
  });

  it('reports nothing for an empty stream', async () => {
    assert.deepEqual(await demux([]), []);
  });
});
