import type { Provider, Type } from '@nestjs/common';

// Scaffolded empty by H3 so the module compiles; the owner fills these.
export const CUSTODY_PROVIDERS: Provider[] = [];
export const CUSTODY_CONTROLLERS: Type<unknown>[] = [];
