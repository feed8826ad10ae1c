import { RE2JS } from '@bufbuild/re2';

/** Enough for every distinct pattern the shipped and custom tests write; patterns taken from facts cannot grow it unbounded. */
const MAX_PATTERNS = 1_000;

/**
 * RE2 (linear time, no backtracking) with compiled patterns kept: CEL's `matches()` otherwise compiles its pattern
 * on every evaluation, which measured ~30 times slower over a cycle's facts (`npm run bench:policy-engines`).
 */
export function cachingRe2(): { compile(pattern: string): { test(text: string): boolean } } {
  const compiled = new Map<string, RE2JS>();
  return {
    compile(pattern) {
      let regex = compiled.get(pattern);
      if (!regex) {
        if (compiled.size >= MAX_PATTERNS) compiled.clear();
        regex = RE2JS.compile(pattern);
        compiled.set(pattern, regex);
      }
      return { test: (text) => regex.test(text) };
    },
  };
}
