export * from './calendar';
export * from './person-events';
export * from './person';
export * from './people-import';
export * from './acceptance-obligations';
