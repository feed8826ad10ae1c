export * from './content-store';
export { FilesystemContentStore } from './filesystem-content-store';
export { S3ContentStore, type S3ContentStoreOptions } from './s3-content-store';
export { contentStoreFromEnv, DEFAULT_EVIDENCE_DIR } from './content-store-from-env';
