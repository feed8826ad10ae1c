export * from './bundle-archive';
export * from './bundle-verification';
export * from './chain-records';
export * from './dsse';
export * from './sha256';
export * from './statement';
