export * from './ensure-schedule';
export * from './ensure-tenant-schedules';
export * from './known-tenants';
export * from './reconcile-schedule';
export * from './tenant-schedules';
export * from './tenant-scheduler';
