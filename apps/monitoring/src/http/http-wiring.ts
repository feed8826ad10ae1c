import type { Type } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { ExceptionsController } from './exceptions.controller';
import { TestsController } from './tests.controller';

/** The write side's HTTP (tests, exceptions, alerts); the read model's and the webhooks' routes are their own. */
export const HTTP_CONTROLLERS: Type<unknown>[] = [TestsController, ExceptionsController, AlertsController];
