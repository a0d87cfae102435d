/**
 * SIGINT and SIGTERM while tasks run: the handler stops the run; a second signal gets Node's
 * default (the process ends, and the workers end with it as their IPC channel closes).
 */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function onInterrupt(handler: (signal: NodeJS.Signals) => void): () => void {
  const listener = (signal: NodeJS.Signals): void => {
    unsubscribe();
    handler(signal);
  };
  const unsubscribe = (): void => SIGNALS.forEach((signal) => process.off(signal, listener));
  SIGNALS.forEach((signal) => process.once(signal, listener));
  return unsubscribe;
}
