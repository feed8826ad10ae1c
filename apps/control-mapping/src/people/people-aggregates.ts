import type { AggregateDeclaration } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import {
  matchImportRows,
  PEOPLE_DIRECTORY_STREAM_TYPE,
  peopleImportDecider,
  PERSON_STREAM_TYPE,
  personDecider,
  personNotFound,
  type ImportPeopleCommand,
  type PersonCommand,
  type PersonEvent,
  type PersonState,
} from '@attest/people-domain';

export const personAggregate: AggregateDeclaration<PersonCommand, PersonEvent, PersonState> = {
  streamType: PERSON_STREAM_TYPE,
  decider: personDecider,
  streamIdOf: (c) => c.personId,
  notFound: personNotFound,
};

/**
 * An import decides on many people at once: it reads the streams of the people its rows match (so the append is
 * guarded at the versions read, and a person changed meanwhile makes it decide again) and writes each event to its
 * person's stream, all in one append: the whole file or nothing.
 */
export const peopleImportAggregate: AggregateDeclaration<
  ImportPeopleCommand,
  PersonEvent,
  Record<string, never>
> = {
  streamType: PEOPLE_DIRECTORY_STREAM_TYPE,
  decider: peopleImportDecider,
  streamIdOf: (c) => c.directoryId,
  eventStream: (e) => ({ streamId: e.data.personId, streamType: PERSON_STREAM_TYPE }),
  prepare: async (command, _state, streams) => {
    const people: ImportPeopleCommand['people'] = {};
    for (const { personId } of matchImportRows(command.rows, command.directory))
      if (personId && !people[personId])
        people[personId] = (await streams.load(personAggregate, personId)).state;
    return { ...command, people };
  },
  notFound: (streamId) =>
    new DomainError(
      'people-directory-not-found',
      `stream ${streamId} is not this organization's people directory`,
    ),
};
