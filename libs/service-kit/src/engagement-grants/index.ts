export * from './engagement-grants';
