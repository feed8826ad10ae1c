import type { Provider, Type } from '@nestjs/common';

// Scaffolded empty by H3 so the module compiles; the owner fills these.
export const COLLECTION_PROVIDERS: Provider[] = [];
export const COLLECTION_CONTROLLERS: Type<unknown>[] = [];
