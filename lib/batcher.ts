/**
 * Coalesces concurrent single-item calls into batched calls: items that arrive while a batch is
 * in flight wait and go together in the next one (at most `maxInFlight` batches at once, at most
 * `maxSize` items each). Under load this turns N single-row statements — N commits, N fsyncs —
 * into a few multi-row ones; when idle an item is sent on the next tick, alone.
 */
export function createBatcher<In, Out>(
  run: (items: In[]) => Promise<Out[]>,
  options: { maxSize?: number; maxInFlight?: number } = {},
): (item: In) => Promise<Out> {
  const maxSize = options.maxSize ?? 200;
  const maxInFlight = options.maxInFlight ?? 2;
  let waiting: { item: In; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = [];
  let inFlight = 0;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.slice(0, maxSize);
      waiting = waiting.slice(maxSize);
      inFlight += 1;
      run(batch.map((w) => w.item))
        .then(
          (results) => batch.forEach((w, i) => w.resolve(results[i] as Out)),
          (error) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          inFlight -= 1;
          schedule();
        });
    }
  };
  const schedule = () => {
    if (scheduled || waiting.length === 0) return;
    scheduled = true;
    setImmediate(flush);
  };

  return (item) =>
    new Promise<Out>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      schedule();
    });
}
