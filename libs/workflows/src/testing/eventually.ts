/** Retries until the workflow has carried out what a signal or update set in motion. */
export async function eventually<R>(read: () => Promise<R>, attempts = 50): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
