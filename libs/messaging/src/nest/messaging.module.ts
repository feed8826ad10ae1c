import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AttestEventHandlers } from './attest-event-handlers';
import { MessagingLifecycle } from './messaging-lifecycle';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from './messaging-options';

/**
 * Attest messaging for a NestJS service: the library's own consumer (inbox, retries, dead-letter topic; not
 * Nest's Kafka server) dispatching to `@OnAttestEvent` and `@OnAttestEvents` methods, and optionally the outbox relay.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [{ provide: MESSAGING_OPTIONS, useValue: options }, AttestEventHandlers, MessagingLifecycle],
      exports: [MessagingLifecycle],
    };
  }
}
