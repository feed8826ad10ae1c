export * from './control-mapping-controls.listener';
export * from './known-controls';
