export * from './compile-test';
export { EXPRESSION_LIMITS } from './expression-guard';
