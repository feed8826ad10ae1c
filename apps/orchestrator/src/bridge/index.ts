export {
  auditPeriodOf,
  type CurrentAuditPeriod,
  recordAuditPeriod,
  setUpAuditPeriods,
} from './audit-periods';
export {
  BRIDGED_CONTEXTS,
  bridgeSubscriptions,
  LifecycleBridge,
  type LifecycleBridgeOptions,
} from './lifecycle-bridge';
export {
  lifecycleBridgeProviders,
  LifecycleBridgeRunner,
  type LifecycleBridgeSettings,
} from './lifecycle-bridge-runner';
