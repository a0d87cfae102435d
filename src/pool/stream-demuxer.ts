/**
 * Splits a worker's stdout or stderr into the output of each task, by the markers the worker writes
 * around every task (see worker/protocol.ts). Text outside any task goes out with `seq` undefined.
 */
import type { Readable } from 'node:stream';
import { MARKER_PATTERN, MARKER_PREFIX } from '../worker/protocol';

export interface DemuxHandlers {
  output(seq: number | undefined, text: string): void;
  start(seq: number): void;
  end(seq: number): void;
}

export function demuxStream(stream: Readable, handlers: DemuxHandlers): void {
  let seq: number | undefined;
  let pending = '';
  stream.setEncoding('utf8');
  const emit = (text: string): void => {
    if (text) handlers.output(seq, text);
  };
  stream.on('data', (chunk: string) => {
    pending += chunk;
    for (;;) {
      const at = pending.indexOf(MARKER_PREFIX);
      if (at < 0) {
        // Keep a possible first part of a marker for the next chunk.
        const cut = pending.lastIndexOf('\u0002');
        const keep = cut >= 0 && MARKER_PREFIX.startsWith(pending.slice(cut)) ? cut : pending.length;
        emit(pending.slice(0, keep));
        pending = pending.slice(keep);
        return;
      }
      const match = MARKER_PATTERN.exec(pending.slice(at));
      if (!match || match.index !== 0) {
        emit(pending.slice(0, at));
        pending = pending.slice(at);
        if (pending.includes('\u0003')) {
          // A marker prefix that is not a marker after all: pass it through.
          emit(pending.slice(0, MARKER_PREFIX.length));
          pending = pending.slice(MARKER_PREFIX.length);
          continue;
        }
        return;
      }
      emit(pending.slice(0, at));
      pending = pending.slice(at + match[0].length);
      const markerSeq = Number(match[2]);
      if (match[1] === 'start') {
        seq = markerSeq;
        handlers.start(markerSeq);
      } else {
        seq = undefined;
        handlers.end(markerSeq);
      }
    }
  });
  stream.on('end', () => {
    emit(pending);
    pending = '';
  });
}
