/** Asks `check` until it answers something other than null, every `intervalMs`, for at most `timeoutMs`. */
export async function poll<T>(
  timeoutMs: number,
  check: () => Promise<T | null>,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
