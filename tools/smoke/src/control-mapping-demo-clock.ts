// The control-mapping service for the demo, its business clock set back ATTEST_DEMO_CLOCK_DAYS_BEHIND days until
// the process receives SIGWINCH (then real time). Lets the demo publish a policy "weeks ago" and see a joiner's
// acceptance overdue today, without waiting weeks. Demo only: the real service always runs on the system clock.
// SIGWINCH because its default action is to ignore it: sent before the handler is installed, it stops nothing.
import path from 'node:path';
import type { Clock } from '@attest/service-kit';

const DAY = 86_400_000;
let offsetMs = Number(process.env.ATTEST_DEMO_CLOCK_DAYS_BEHIND ?? '0') * DAY;
process.on('SIGWINCH', () => {
  offsetMs = 0;
});
const demoClock: Clock = { now: () => new Date(Date.now() - offsetMs) };

const src = path.resolve(__dirname, '../../../apps/control-mapping/src');
const { ControlMappingModule } = require(path.join(src, 'control-mapping.module')) as {
  ControlMappingModule: { forRoot(options: Record<string, unknown>): unknown };
};
const forRoot = ControlMappingModule.forRoot.bind(ControlMappingModule);
ControlMappingModule.forRoot = (options) => forRoot({ ...options, clock: demoClock });
require(path.join(src, 'main'));
