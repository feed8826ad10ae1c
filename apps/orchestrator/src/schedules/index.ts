export * from './ensure-tenant-schedules';
export * from './tenant-schedules';
export * from './tenant-scheduler';
