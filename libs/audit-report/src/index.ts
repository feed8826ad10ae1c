export * from './report-model';
export * from './audit-report';
export * from './control-matrix';
export * from './bridge-letter';
export * from './oscal';
