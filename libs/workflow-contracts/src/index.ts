export * from './activity-failures';
export * from './lifecycle-activities';
export * from './lifecycle-events';
export * from './search-attribute-keys';
export * from './task-queues';
