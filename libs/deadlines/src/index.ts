export * from './deadline-stage';
export * from './deadline';
export * from './deadline-events';
export * from './deadline-decider';
export * from './deadline-sweep';
export * from './deadline-settings';
export * from './calendar-months';
