/**
 * `@temporalio/workflow` as workflow code bundled with `withoutPatchGuards()` sees it: `patched` is always true and
 * records no marker, so every guarded change behaves as if it had been made without its guard. Bundled only for
 * replay.int.spec.ts, which must see such code fail on a history recorded before the change.
 */
export * from '@temporalio/workflow/lib/index';

export function patched(): boolean {
  return true;
}
