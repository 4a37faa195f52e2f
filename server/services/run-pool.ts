/** Runs `fn` over `items` with at most `concurrency` calls in flight (each lane takes the next item). */
export async function runPool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let index = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (index < items.length) await fn(items[index++]!);
  });
  await Promise.all(lanes);
}
