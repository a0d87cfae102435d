/**
 * SIGINT, SIGTERM and SIGHUP while tasks run: the handler stops the run; a later signal gets Node's
 * default (the process ends, and the run's reaper kills whatever is left). Nx sends several at once
 * (a Ctrl-C in its pseudo-terminal is a SIGINT, then a SIGTERM from its fork wrapper, then the
 * SIGHUP of the closed terminal), so the handler runs before the listeners are removed: the
 * synchronous part of the stop (killing every worker's tree) is done before another signal can
 * end the process.
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function onInterrupt(handler: (signal: NodeJS.Signals) => void): () => void {
  const listener = (signal: NodeJS.Signals): void => {
    try {
      handler(signal);
    } finally {
      unsubscribe();
    }
  };
  const unsubscribe = (): void => SIGNALS.forEach((signal) => process.off(signal, listener));
  SIGNALS.forEach((signal) => process.on(signal, listener));
  return unsubscribe;
}
