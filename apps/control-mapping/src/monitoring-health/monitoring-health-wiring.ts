import type { Provider } from '@nestjs/common';
import { ControlHealthEventsListener } from './control-health-events.listener';
import { ControlHealthStore } from './control-health-store';

/** The controls' health from monitoring's topic: the store (inject it to read health) and its listener. */
export const MONITORING_HEALTH_PROVIDERS: Provider[] = [ControlHealthStore, ControlHealthEventsListener];
